import EvalCore
import Foundation
import Scoring
import ScriptedEndpoint
import Testing
import Transport

@testable import EvalRunner

/// `rescore --rejudge`: the judges asked again about the answers a log holds, the model under test never.
@Suite struct RejudgeTests {
    typealias F = RunnerFixture

    /// c0…c3, each answered "Answer i: ok", checked to contain "ok" and by the judge `strict`.
    static let suite = Suite(
        name: "support", kind: .eval,
        cases: (0..<4).map { index in
            EvalCase(
                id: "c\(index)", messages: [.user("question \(index)")],
                checks: [
                    CheckSpec(type: "contains", options: ["value": "ok"]),
                    CheckSpec(type: "judge", options: ["judge": "strict", "rubric": "answers_question"]),
                ],
                line: index + 1)
        },
        directory: "/nonexistent/support")

    /// The first judge: passes c0, fails c1, answers c2 with prose (no verdict); the model never answers c3.
    static func firstJudge(_ request: ScriptedRequest) -> ScriptedReply {
        let text = request.lastUserText ?? ""
        if text.contains("Answer 0:") {
            return .text(#"{"verdict": "pass", "reason": "answers", "quote": "Answer 0"}"#)
        }
        if text.contains("Answer 1:") { return .text(#"{"verdict": "fail", "reason": "only ok", "quote": "ok"}"#) }
        return .text("fine, I suppose")
    }

    /// The second judge: the opposite of the first on c0 and c1, and a verdict for c2.
    static func secondJudge(_ request: ScriptedRequest) -> ScriptedReply {
        let text = request.lastUserText ?? ""
        if text.contains("Answer 0:") { return .text(#"{"verdict": "fail", "reason": "vague", "quote": "ok"}"#) }
        if text.contains("Answer 2:") {
            return .text(#"{"verdict": "fail", "reason": "evades", "quote": "Answer 2: ok"}"#)
        }
        return .text(#"{"verdict": "pass", "reason": "answers", "quote": "ok"}"#)
    }

    /// A log of `suite` judged by the first judge, and the calls each model got.
    static func judgedLog(_ calls: Recorder<String>) async throws -> (endpoint: ScriptedEndpoint, log: String) {
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "v1": { request in
                    calls.append("v1")
                    let text = request.lastUserText ?? ""
                    if text.hasSuffix("3") { return .status(400, body: #"{"error": {"message": "bad request"}}"#) }
                    return .text("Answer \(text.split(separator: " ").last ?? "?"): ok")
                },
                "judge-1": { request in
                    calls.append("judge-1")
                    return firstJudge(request)
                },
                "judge-2": { request in
                    calls.append("judge-2")
                    return secondJudge(request)
                },
            ]))
        let out = F.folder()
        _ = try await Runner(
            suites: [suite], targets: [F.target("v1", endpoint: endpoint)],
            judges: [
                RunTargetSpec(label: "strict", model: "judge-1", endpoint: ChatEndpoint(baseURL: endpoint.baseURL))
            ],
            settings: F.settings(out: out, concurrency: 1), transport: F.transport, retry: F.quickRetry
        ).run()
        return (endpoint, out + "/v1.jsonl")
    }

    static func panel(_ endpoint: ScriptedEndpoint, model: String, params: [String: JSONValue] = [:]) throws
        -> JudgePanel
    {
        try JudgePanel(
            judges: [
                RunTargetSpec(
                    label: "strict", model: model, endpoint: ChatEndpoint(baseURL: endpoint.baseURL), params: params)
            ],
            transport: F.transport, retry: F.quickRetry, concurrency: 4, cache: nil)
    }

    @Test(arguments: [1, 256])
    func theJudgesAreAskedAgainAndTheModelNever(batch: Int) async throws {
        let calls = Recorder<String>()
        let (endpoint, log) = try await Self.judgedLog(calls)
        defer { Task { try? await endpoint.shutdown() } }
        let before = try Dictionary(uniqueKeysWithValues: F.resultLines(log).map { ($0.caseID, $0) })
        #expect(before["c0"]?.status == .passed && before["c1"]?.status == .failed)
        #expect(before["c2"]?.status == .error && before["c2"]?.error?.errorClass == "judge_invalid")
        #expect(before["c3"]?.status == .error && before["c3"]?.response == nil)
        let modelCalls = calls.all.count { $0 == "v1" }

        let output = F.folder() + "/v1.rejudged.jsonl"
        let summary = try await Rescorer.rescore(
            log: log, suites: [Self.suite], output: output, toolVersion: "test",
            rejudge: Self.panel(endpoint, model: "judge-2", params: ["temperature": 0]), batch: batch)
        #expect(calls.all.count { $0 == "v1" } == modelCalls, "the model under test is never asked")
        #expect(
            calls.all.count { $0 == "judge-2" } == 3,
            "one question per stored answer: c0, c1 and c2 (which the first judge left undecided)")
        #expect(summary.rejudged == 3 && summary.judgeErrors == 0 && summary.errorsCopied == 1)
        #expect(summary.verdictsChanged == 3 && summary.passed == 1 && summary.failed == 2)

        let after = try F.resultLines(output)
        // One at a time, the run wrote c0…c3 in order; c3 (no answer, nothing to judge) waits behind the judged ones.
        #expect(try F.resultLines(log).map(\.caseID) == ["c0", "c1", "c2", "c3"])
        #expect(after.map(\.caseID) == ["c0", "c1", "c2", "c3"], "the log's order is kept")
        let byCase = Dictionary(uniqueKeysWithValues: after.map { ($0.caseID, $0) })
        #expect(byCase["c0"]?.status == .failed && byCase["c0"]?.checks.map(\.type) == ["contains", "judge"])
        #expect(byCase["c0"]?.checks[1].findings.first?.text == "ok")
        #expect(byCase["c1"]?.status == .passed && byCase["c1"]?.checks[1].judge?.model == "judge-2")
        #expect(byCase["c2"]?.status == .failed && byCase["c2"]?.error == nil, "an undecided judge is decided now")
        #expect(byCase["c2"]?.response?.content == "Answer 2: ok")
        #expect(byCase["c3"] == before["c3"], "an endpoint error is copied as it was")
        // The manifest names the new judge with its settings; the records say who judged.
        let manifest = try RunLogReader(path: output).manifest
        #expect(manifest.judges?.map(\.model) == ["judge-2"])
        #expect(manifest.judges?.first?.rubrics.first?.settings == ["params": ["temperature": 0]])
        #expect(manifest.judges?.first?.identities == [try #require(byCase["c1"]?.checks[1].judge?.identity)])
    }

    @Test func withoutRejudgeTheJudgesVerdictsAreKept() async throws {
        let calls = Recorder<String>()
        let (endpoint, log) = try await Self.judgedLog(calls)
        defer { Task { try? await endpoint.shutdown() } }
        let asked = calls.all.count
        let output = F.folder() + "/v1.rescored.jsonl"
        let summary = try await Rescorer.rescore(log: log, suites: [Self.suite], output: output, toolVersion: "test")
        #expect(calls.all.count == asked, "nothing is asked")
        #expect(summary.rejudged == 0 && summary.errorsCopied == 2)
        let byCase = Dictionary(uniqueKeysWithValues: try F.resultLines(output).map { ($0.caseID, $0) })
        #expect(byCase["c0"]?.status == .passed && byCase["c0"]?.checks[1].judge?.model == "judge-1")
        #expect(byCase["c2"]?.status == .error)
        #expect(try RunLogReader(path: output).manifest.judges?.map(\.model) == ["judge-1"])
    }

    @Test func aJudgeThatCannotDecideNowMakesAnErrorAndKeepsTheAnswer() async throws {
        let calls = Recorder<String>()
        let (endpoint, log) = try await Self.judgedLog(calls)
        defer { Task { try? await endpoint.shutdown() } }
        let output = F.folder() + "/v1.rejudged.jsonl"
        // judge-1 again: c0 and c1 as before, c2 still undecided.
        let summary = try await Rescorer.rescore(
            log: log, suites: [Self.suite], output: output, toolVersion: "test",
            rejudge: Self.panel(endpoint, model: "judge-1"))
        #expect(summary.rejudged == 3 && summary.judgeErrors == 1 && summary.verdictsChanged == 0)
        let byCase = Dictionary(uniqueKeysWithValues: try F.resultLines(output).map { ($0.caseID, $0) })
        #expect(byCase["c2"]?.status == .error && byCase["c2"]?.error?.errorClass == "judge_invalid")
        #expect(byCase["c2"]?.response?.content == "Answer 2: ok")
        // The end record counts the judge's error with the copied endpoint error.
        let ends = try RunLogReader(path: output).results().ends
        #expect(ends.last?.errors == 2 && ends.last?.passed == 1 && ends.last?.failed == 1)
    }

    @Test func aJudgeTheSuiteNamesMustBeOnThePanel() async throws {
        let calls = Recorder<String>()
        let (endpoint, log) = try await Self.judgedLog(calls)
        defer { Task { try? await endpoint.shutdown() } }
        let panel = try JudgePanel(
            judges: [
                RunTargetSpec(label: "strikt", model: "judge-2", endpoint: ChatEndpoint(baseURL: endpoint.baseURL))
            ],
            transport: F.transport, concurrency: 4, cache: nil)
        let output = F.folder() + "/v1.rejudged.jsonl"
        let error = await #expect(throws: RunError.self) {
            try await Rescorer.rescore(
                log: log, suites: [Self.suite], output: output, toolVersion: "test", rejudge: panel)
        }
        #expect(
            error?.message
                == "a judge check names the judge 'strict', which is not among the judges; did you mean 'strikt'?")
        #expect(
            !FileManager.default.fileExists(atPath: output)
                && !FileManager.default.fileExists(atPath: output + ".partial"))
    }
}
