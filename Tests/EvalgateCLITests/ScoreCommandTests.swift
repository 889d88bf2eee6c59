import Foundation
import Testing

/// `evalgate score`, run as the built executable: existing responses scored against a suite, no model called.
@Suite struct ScoreCommandTests {
    /// A temporary folder with one IFEval-style suite and a responses file.
    struct Workspace {
        let root: URL

        init(responses: String) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-score-\(UUID().uuidString)")
            let suite = root.appendingPathComponent("EvalSets/mini")
            try FileManager.default.createDirectory(at: suite, withIntermediateDirectories: true)
            try Data("name: mini\nkind: eval\n".utf8).write(to: suite.appendingPathComponent("suite.yaml"))
            let cases = [
                #"{"id": "commas", "prompt": "Describe tea. Do not use any commas.", "checks": [{"type": "ifeval:punctuation:no_comma"}, {"type": "ifeval:length_constraints:number_words", "num_words": 3, "relation": "at least"}]}"#,
                #"{"id": "title", "prompt": "Write a poem with a title in <<double angular brackets>>.", "checks": [{"type": "ifeval:detectable_format:title"}, {"type": "contains", "value": "tea"}]}"#,
                #"{"id": "lower", "prompt": "Answer in lowercase English only.", "checks": [{"type": "ifeval:change_case:english_lowercase"}]}"#,
            ]
            try Data((cases.joined(separator: "\n") + "\n").utf8).write(to: suite.appendingPathComponent("cases.jsonl"))
            try Data(responses.utf8).write(to: root.appendingPathComponent("responses.jsonl"))
        }

        var suite: String { root.appendingPathComponent("EvalSets/mini").path }
        var responses: String { root.appendingPathComponent("responses.jsonl").path }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func scoresResponsesByIDOrPromptStrictAndLoose() throws {
        let workspace = try Workspace(
            responses: [
                // Strict fails on the comma of the first line; loose drops that line and passes.
                #"{"id": "commas", "response": "Sure, here it is:\nTea is a calm warm drink"}"#,
                // Keyed by prompt; the title passes, `contains` fails (no "tea"), in both modes.
                #"{"prompt": "Write a poem with a title in <<double angular brackets>>.", "response": "<<Coffee>>\nDark and bitter"}"#,
                #"{"id": "lower", "response": "all of this is written in plain lowercase english, as the user asked for it."}"#,
            ].joined(separator: "\n") + "\n")
        defer { workspace.remove() }
        let outcome = try CLITests.run(["score", "--suite", workspace.suite, "--responses", workspace.responses])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains { $0.hasPrefix("prompt-level") && $0.contains("1/3 33.33%") && $0.hasSuffix("2/3 66.67%") })
        #expect(
            lines.contains {
                $0.hasPrefix("instruction-level") && $0.contains("3/5 60.00%") && $0.hasSuffix("4/5 80.00%")
            })
        #expect(
            lines.contains {
                $0.contains("ifeval:punctuation:no_comma") && $0.contains("strict 0/1") && $0.hasSuffix("loose 1/1")
            })
        #expect(lines.contains { $0.contains("contains") && $0.contains("strict 0/1") && $0.hasSuffix("loose 0/1") })

        let json = try CLITests.run([
            "score", "--suite", workspace.suite, "--responses", workspace.responses, "--format", "json",
        ])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let prompts = try #require(object["prompt_level"] as? [String: [String: Any]])
        #expect(prompts["strict"]?["passed"] as? Int == 1)
        #expect(prompts["loose"]?["passed"] as? Int == 2)
        #expect(prompts["loose"]?["total"] as? Int == 3)
    }

    @Test func badLinesAreReportedWithTheirLocationAndNothingIsScored() throws {
        let workspace = try Workspace(
            responses: [
                #"{"id": "commas", "response": "Tea is calm"}"#,
                #"{"id": "commas", "response": "Tea again"}"#,
                #"{"id": "nope", "response": "x"}"#,
                #"{"prompt": "Unknown prompt", "response": "x"}"#,
                #"{"id": "title"}"#,
                #"{"id": "lower", "response": 5}"#,
                #"{"id": "lower", "response": "x",}"#,
                #"["not", "an", "object"]"#,
            ].joined(separator: "\n") + "\n")
        defer { workspace.remove() }
        let outcome = try CLITests.run(["score", "--suite", workspace.suite, "--responses", workspace.responses])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        let path = workspace.responses
        #expect(
            outcome.stderr.split(separator: "\n").map(String.init) == [
                "\(path):2:1: error: a second response for case 'commas'; the first is on line 1",
                "\(path):3:1: error: no case with id 'nope' in the suites",
                "\(path):4:1: error: no case has this prompt: 'Unknown prompt'",
                "\(path):5:1: error: missing field \"response\"",
                "\(path):6:1: error: expected \"response\" to be a string, found integer",
                "\(path):7:33: error: invalid JSON",
                "\(path):8:1: error: expected a JSON object, found array",
            ])
    }

    @Test func aMissingResponsesFileOrSuiteIsAUsageError() throws {
        let workspace = try Workspace(responses: "")
        defer { workspace.remove() }
        let missingFile = try CLITests.run([
            "score", "--suite", workspace.suite, "--responses",
            workspace.root.appendingPathComponent("none.jsonl").path,
        ])
        #expect(missingFile.status == 2)
        #expect(missingFile.stderr.contains("no such file"))
        let missingSuite = try CLITests.run(["score", "--responses", workspace.responses])
        #expect(missingSuite.status == 2)
        #expect(missingSuite.stderr.contains("no suites given"))
    }
}

extension ScoreCommandTests {
    @Test func anEmptyResponsesFileIsBadInputNotAPerfectScore() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-score-empty-\(UUID().uuidString).jsonl"
        ).path
        try "\n".write(toFile: file, atomically: true, encoding: .utf8)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let outcome = try CLITests.run(["score", "--suite", root + "/EvalSets/base-skills", "--responses", file])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("no responses to score"))
    }
}
