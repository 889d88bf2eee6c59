import Foundation
import ScriptedEndpoint
import Testing

/// `run --suite/--case/--tag/--limit`: some of the cases, logged apart under Reports/runs/subset/.
@Suite struct SubsetTests {
    /// A folder with suites `alpha` (20 cases, every fifth tagged `money`) and `beta` (3 cases).
    static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-subset-\(UUID().uuidString)"
        ).path
        for (name, count) in [("alpha", 20), ("beta", 3)] {
            let suite = folder + "/EvalSets/" + name
            try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
            try Data("kind: eval\ndefaults:\n  checks: [{type: contains, value: echo}]\n".utf8).write(
                to: URL(fileURLWithPath: suite + "/suite.yaml"))
            let lines = (1...count).map { n in
                #"{"id": "\#(name)-\#(n)", "prompt": "question \#(n)", "tags": [\#(n % 5 == 0 ? #""money""# : #""plain""#)]}"#
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(
                to: URL(fileURLWithPath: suite + "/cases.jsonl"))
        }
        return folder
    }

    /// The case ids of the result lines of a log, sorted (answers are logged as they arrive).
    static func caseIDs(_ log: String) throws -> [String] {
        try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["record"] as? String == "result" ? object?["case"] as? String : nil
        }.sorted()
    }

    static func run(_ folder: String, _ endpoint: ScriptedEndpoint, _ selection: [String]) throws -> CLITests.Outcome {
        try CLITests.run(
            [
                "run", "EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v1", "--no-cache",
                "--quiet", "--fresh",
            ] + selection, in: folder)
    }

    @Test func caseTagAndSuitePickTheirCasesIntoTheSubsetLog() async throws {
        let folder = try Self.folder()
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let log = folder + "/Reports/runs/subset/v1.jsonl"

        var outcome = try Self.run(folder, endpoint, ["--case", "alpha-7", "--case", "beta-2"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try Self.caseIDs(log) == ["alpha-7", "beta-2"])
        #expect(
            !FileManager.default.fileExists(atPath: folder + "/Reports/runs/v1.jsonl"),
            "a subset never writes the whole run's log")

        outcome = try Self.run(folder, endpoint, ["--tag", "money"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try Self.caseIDs(log) == ["alpha-10", "alpha-15", "alpha-20", "alpha-5"])

        outcome = try Self.run(folder, endpoint, ["--suite", "beta"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try Self.caseIDs(log) == ["beta-1", "beta-2", "beta-3"])
        #expect(outcome.stdout.contains("v1: 3/3 results"))
        try await endpoint.shutdown()
    }

    @Test func limitIsASeededSampleNotTheFirstN() async throws {
        let folder = try Self.folder()
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let log = folder + "/Reports/runs/subset/v1.jsonl"
        var samples: [[String]] = []
        for seed in ["7", "7", "8"] {
            let outcome = try Self.run(folder, endpoint, ["--suite", "alpha", "--limit", "5", "--seed", seed])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            samples.append(try Self.caseIDs(log))
        }
        try await endpoint.shutdown()
        #expect(samples[0].count == 5)
        #expect(samples[0] == samples[1], "the same seed draws the same sample")
        #expect(samples[0] != samples[2], "another seed draws another sample")
        #expect(samples[0] != (1...5).map { "alpha-\($0)" }.sorted(), "not the first five")
        #expect(Set(samples[0]).count == 5, "each case once")
    }

    @Test(arguments: [
        (["--case", "alpha-77"], "--case: no case 'alpha-77' in the suites; did you mean 'alpha-7'?"),
        (["--suite", "alpah"], "--suite: no suite named 'alpah'; did you mean 'alpha'?"),
        (["--suite", "beta", "--case", "alpha-3"], "--case: no case 'alpha-3' in the suites chosen"),
        (["--tag", "nope"], "no case has the tag 'nope'"),
        (["--limit", "0"], "--limit expects 1 or more, found 0"),
    ])
    func aSelectionThatMatchesNothingIsAUsageError(selection: [String], message: String) throws {
        let folder = try Self.folder()
        let outcome = try CLITests.run(
            ["run", "EvalSets", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"] + selection, in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/Reports"))
    }
}
