import Foundation
import ScriptedEndpoint
import Testing

/// The commonest slips of a new user get a hint that says what was meant, with evalgate's exit code 2 (3 for a 404).
@Suite struct UsageHintTests {
    @Test(arguments: [("rnu", "run"), ("valdate", "validate"), ("dif", "diff"), ("gaet", "gate")])
    func aMistypedCommandSuggestsTheClosestOne(typed: String, meant: String) throws {
        let outcome = try CLITests.run([typed, "EvalSets"])
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr.hasPrefix("evalgate: error: unknown command '\(typed)'; did you mean '\(meant)'?\n"),
            "\(outcome.stderr)")
        #expect(outcome.stderr.contains("commands: init, run, report, diff"))
    }

    @Test func aWordFarFromEveryCommandGetsNoGuessButTheList() throws {
        let outcome = try CLITests.run(["xylophone"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("unknown command 'xylophone'\n"))
        #expect(!outcome.stderr.contains("did you mean"))
    }

    @Test func aMistypedFlagSuggestsTheFlag() throws {
        let outcome = try CLITests.run(["run", "EvalSets", "--modle", "m"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("'--modle'. Did you mean '--model'?"), "\(outcome.stderr)")
    }

    @Test(arguments: [
        ["run", "EvalSets", "--api-key", "sk-live-0123456789"], ["chat", "--api-key=sk-live-0123456789", "hi"],
    ])
    func apiKeyPointsToApiKeyEnvAndNeverEchoesTheKey(arguments: [String]) throws {
        let outcome = try CLITests.run(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--api-key is not an option"))
        #expect(outcome.stderr.contains("--api-key-env OPENAI_API_KEY"))
        #expect(!(outcome.stdout + outcome.stderr).contains("sk-live"))
    }

    @Test func aBaseURLWithoutV1IsHintedWhenTheServerAnswers404() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let root = endpoint.baseURL.replacingOccurrences(of: "/v1", with: "/api")
        let bare = try CLITests.run(["chat", "--base-url", root, "--model", "m", "hi"])
        #expect(bare.status == 3)
        #expect(bare.stderr.contains("HTTP 404 (the base URL has no /v1"), "\(bare.stderr)")
        #expect(bare.stderr.contains("did you mean '\(root)/v1'?"))
        // With /v1 the same server answers; a 404 under a versioned path gets no such hint.
        #expect(try CLITests.run(["chat", "--base-url", endpoint.baseURL, "--model", "m", "hi"]).status == 0)
        let versioned = try CLITests.run(["chat", "--base-url", root + "/v2", "--model", "m", "hi"])
        #expect(versioned.status == 3)
        #expect(versioned.stderr.contains("HTTP 404"))
        #expect(!versioned.stderr.contains("has no /v1"))
        try await endpoint.shutdown()
    }
}
