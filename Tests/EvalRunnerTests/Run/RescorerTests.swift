import EvalCore
import Foundation
import Scoring
import ScriptedEndpoint
import Testing

@testable import EvalRunner

@Suite("Rescorer: current checks on stored answers, no model called")
struct RescorerTests {
    typealias F = RunnerFixture

    /// The same cases with another check: the stored answers "ok: …" pass `contains ok` but fail `contains fine`.
    static func rechecked(_ suite: Suite, value: String, dropping: Set<String> = []) -> Suite {
        let cases = suite.cases.filter { !dropping.contains($0.id) }.map { evalCase in
            EvalCase(
                id: evalCase.id, messages: evalCase.messages, tags: evalCase.tags,
                checks: [CheckSpec(type: "contains", options: ["value": .string(value)])], line: evalCase.line
            )
        }
        return Suite(name: suite.name, kind: suite.kind, cases: cases, directory: suite.directory)
    }

    func runLog() async throws -> (log: String, suite: Suite, requests: Int) {
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                request.lastUserText == "golden question 3"
                    ? .fault(.serverError(status: 500)) : .text("ok: " + (request.lastUserText ?? ""))
            })
        let suite = F.suite(count: 6)
        let out = F.folder()
        _ = try await Runner(
            suites: [suite], targets: [F.target("v1", endpoint: endpoint)],
            settings: F.settings(out: out), transport: F.transport, retry: RetryPolicy.none
        ).run()
        let requests = endpoint.requestCount
        try await endpoint.shutdown()
        return (out + "/v1.jsonl", suite, requests)
    }

    @Test("changed checks change verdicts; errors are copied; the manifest names the old run")
    func rescores() async throws {
        let (log, suite, _) = try await runLog()
        let before = try RunLogReader(path: log)
        let output = F.folder() + "/v1.rescored.jsonl"
        let summary = try await Rescorer.rescore(
            log: log, suites: [Self.rechecked(suite, value: "fine")], output: output, toolVersion: "test"
        )
        #expect(summary.rescored == 5)
        #expect(summary.errorsCopied == 1)
        #expect(summary.verdictsChanged == 5)
        #expect(summary.failed == 5)
        #expect(summary.changedCases == 5)
        let after = try RunLogReader(path: output)
        #expect(after.manifest.rescoredFrom == before.manifest.runID)
        #expect(after.manifest.runID != before.manifest.runID)
        #expect(after.manifest.suites[0].contentHash != before.manifest.suites[0].contentHash)
        let (results, ends, _) = try after.results()
        #expect(results.count == 6)
        #expect(results.filter { $0.status == .error }.map(\.caseID) == ["c3"])
        #expect(results.filter { $0.status == .failed }.allSatisfy { $0.checks.first?.findings.isEmpty == false })
        #expect(
            results.first { $0.caseID == "c0" }?.response?.content == "ok: golden question 0",
            "answers are kept as they were")
        #expect(ends.last?.outcome == .complete)
        #expect(ends.last?.requests == 0)
        // The original log is untouched.
        #expect(try RunLogReader(path: log).results().results.filter { $0.status == .passed }.count == 5)
    }

    @Test("cases gone from the suite are dropped and counted")
    func dropped() async throws {
        let (log, suite, _) = try await runLog()
        let summary = try await Rescorer.rescore(
            log: log, suites: [Self.rechecked(suite, value: "ok", dropping: ["c0", "c1"])],
            output: F.folder() + "/out.jsonl", toolVersion: "test"
        )
        #expect(summary.dropped == 2)
        #expect(summary.rescored == 3)
        #expect(summary.verdictsChanged == 0)
    }

    @Test("an existing output is never replaced without being asked")
    func existingOutput() async throws {
        let (log, suite, _) = try await runLog()
        let output = F.folder() + "/other-run.jsonl"
        try FileManager.default.createDirectory(
            atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "another run's log\n".write(toFile: output, atomically: true, encoding: .utf8)
        let error = await #expect(throws: RunError.self) {
            try await Rescorer.rescore(log: log, suites: [suite], output: output, toolVersion: "test")
        }
        #expect(error?.message.contains("already exists") == true)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "another run's log\n", "the file is untouched")
        let files = try FileManager.default.contentsOfDirectory(atPath: (output as NSString).deletingLastPathComponent)
        #expect(files == ["other-run.jsonl"], "no partial file left behind")

        let replaced = try await Rescorer.rescore(
            log: log, suites: [suite], output: output, replacing: true, toolVersion: "test")
        #expect(replaced.rescored == 5)
        #expect(try RunLogReader(path: output).manifest.rescoredFrom != nil)
    }

    @Test("bad input is refused with the reason", arguments: ["same-path", "missing-suite", "not-a-log"])
    func badInput(problem: String) async throws {
        let (log, suite, _) = try await runLog()
        var suites = [suite]
        var input = log
        var output = F.folder() + "/out.jsonl"
        let expected: String
        switch problem {
        case "same-path":
            output = log
            expected = "must be a new file"
        case "missing-suite":
            suites = [F.suite("other", count: 1)]
            expected = "suite 'golden'"
        default:
            input = F.folder() + "/garbage.jsonl"
            try FileManager.default.createDirectory(
                atPath: (input as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "garbage\n".write(toFile: input, atomically: true, encoding: .utf8)
            expected = "garbage.jsonl:1:1: expected the manifest record"
        }
        let error = await #expect(throws: RunError.self) {
            try await Rescorer.rescore(log: input, suites: suites, output: output, toolVersion: "test")
        }
        #expect(error?.kind == .badInput)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: output) || output == log)
    }
}
