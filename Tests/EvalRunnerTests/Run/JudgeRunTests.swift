import EvalCore
import Foundation
import Scoring
import ScriptedEndpoint
import Synchronization
import Testing
import Transport

@testable import EvalRunner

/// Judge checks through the runner, with the scripted endpoint as the judge: agreeing, disagreeing, malformed JSON,
/// a quote that is not in the answer, a judge that never answers.
@Suite struct JudgeRunTests {
    typealias F = RunnerFixture

    /// Cases c0…c4, each answered "Answer i: ok" by the models and judged by `answers_question`.
    static func suite(samples: Int = 1) -> Suite {
        let cases = (0..<5).map { index in
            EvalCase(
                id: "c\(index)", messages: [.user("question \(index)")],
                checks: [
                    CheckSpec(
                        type: "judge",
                        options: ["judge": "strict", "rubric": "answers_question", "samples": .int(Int64(samples))])
                ],
                line: index + 1)
        }
        return Suite(name: "support", kind: .eval, cases: cases, directory: "/nonexistent/support")
    }

    /// The judge's answer for the case its request is about.
    static func judgeReply(_ request: ScriptedRequest) -> ScriptedReply {
        let text = request.lastUserText ?? ""
        if text.contains("Answer 0:") {
            return .text(#"{"verdict": "pass", "reason": "answers it", "quote": "Answer 0"}"#)
        }
        if text.contains("Answer 1:") {
            return .text("```json\n{\"verdict\": \"fail\", \"reason\": \"only says ok\", \"quote\": \"ok\"}\n```")
        }
        if text.contains("Answer 2:") { return .text("I think it is fine.") }
        if text.contains("Answer 3:") {
            return .text(#"{"verdict": "fail", "reason": "promises", "quote": "we refund in 3 days"}"#)
        }
        return .fault(.stall)
    }

    static func endpoint(judgeCalls: Recorder<String>? = nil) async throws -> ScriptedEndpoint {
        let answer: @Sendable (ScriptedRequest) -> ScriptedReply = { request in
            let index = (request.lastUserText ?? "").split(separator: " ").last.map(String.init) ?? "?"
            return .text("Answer \(index): ok")
        }
        return try await ScriptedEndpoint.start(
            .perModel([
                "v1": answer, "v2": answer,
                "judge-model": { request in
                    judgeCalls?.append(request.lastUserText ?? "")
                    return judgeReply(request)
                },
            ]))
    }

    static func judge(_ endpoint: ScriptedEndpoint) -> RunTargetSpec {
        RunTargetSpec(
            label: "strict", model: "judge-model",
            endpoint: ChatEndpoint(baseURL: endpoint.baseURL, timeouts: HTTPTimeouts(total: .milliseconds(300))))
    }

    @Test func twoTargetsAndAJudgeAtOnce() async throws {
        let calls = Recorder<String>()
        let endpoint = try await Self.endpoint(judgeCalls: calls)
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        let cache = ResponseCache(directory: F.folder(), mode: .use)
        let runner = try Runner(
            suites: [Self.suite()], targets: [F.target("v1", endpoint: endpoint), F.target("v2", endpoint: endpoint)],
            judges: [Self.judge(endpoint)], settings: F.settings(out: out, cache: cache), transport: F.transport,
            retry: F.quickRetry)
        _ = try await runner.run()
        for label in ["v1", "v2"] {
            let results = Dictionary(
                uniqueKeysWithValues: try F.resultLines(out + "/\(label).jsonl").map { ($0.caseID, $0) })
            // Agreeing: passed, with the judge's record beside the check.
            let pass = try #require(results["c0"])
            #expect(pass.status == .passed)
            let record = try #require(pass.checks.first?.judge)
            #expect(record.model == "judge-model" && record.rubric == "answers_question" && record.votes == ["pass"])
            #expect(record.raw == [#"{"verdict": "pass", "reason": "answers it", "quote": "Answer 0"}"#])
            #expect(record.reason == "answers it" && record.quote == "Answer 0")
            #expect(record.rubricHash.count == 64)
            // Disagreeing: failed, the quote as evidence at its span.
            let fail = try #require(results["c1"])
            #expect(fail.status == .failed)
            let finding = try #require(fail.checks.first?.findings.first)
            #expect(
                finding.ruleID == "judge.answers_question" && finding.text == "ok"
                    && finding.message == "judge: only says ok")
            #expect(finding.span == TextSpan(start: 10, end: 12))
            // Malformed JSON, a quote not in the answer, a judge that never answers: errors, never pass or fail.
            #expect(results["c2"]?.status == .error && results["c2"]?.error?.errorClass == "judge_invalid")
            #expect(results["c2"]?.error?.message.contains("not a JSON object") == true)
            #expect(results["c3"]?.status == .error && results["c3"]?.error?.errorClass == "judge_invalid")
            #expect(results["c3"]?.error?.message.contains("'we refund in 3 days' is not in the answer") == true)
            #expect(results["c3"]?.response?.content == "Answer 3: ok", "the model's answer is kept")
            #expect(
                results["c4"]?.status == .error && results["c4"]?.error?.errorClass.hasPrefix("judge_timeout") == true)
            // The manifest names the judge and its rubric's hash.
            let manifest = try RunLogReader(path: out + "/\(label).jsonl").manifest
            let judges = try #require(manifest.judges)
            #expect(judges.map(\.model) == ["judge-model"] && judges[0].rubrics.map(\.name) == ["answers_question"])
            #expect(judges[0].rubrics[0].hash == record.rubricHash)
        }
        // The same run again into a new folder: every judge answer that came is in the cache (keyed by the judge's
        // model, the rubric and what it saw), so only the judge that never answered is asked again.
        #expect(Set(calls.all).count == 5)
        let before = calls.all
        let again = try Runner(
            suites: [Self.suite()], targets: [F.target("v1", endpoint: endpoint)],
            judges: [Self.judge(endpoint)], settings: F.settings(out: F.folder(), cache: cache), transport: F.transport,
            retry: F.quickRetry)
        _ = try await again.run()
        let asked = calls.all.dropFirst(before.count)
        #expect(asked.allSatisfy { $0.contains("Answer 4:") } && !asked.isEmpty, "\(asked)")
    }

    @Test func aJudgeTheSuiteNamesMustBeGiven() async throws {
        let endpoint = try await Self.endpoint()
        defer { Task { try? await endpoint.shutdown() } }
        var wrong = Self.judge(endpoint)
        wrong.label = "strikt"
        #expect(throws: RunError.self) {
            _ = try Runner(
                suites: [Self.suite()], targets: [F.target("v1", endpoint: endpoint)], judges: [wrong],
                settings: F.settings(out: F.folder()), transport: F.transport)
        }
        do {
            _ = try Runner(
                suites: [Self.suite()], targets: [F.target("v1", endpoint: endpoint)], judges: [wrong],
                settings: F.settings(out: F.folder()), transport: F.transport)
        } catch {
            #expect(
                error.message
                    == "a judge check names the judge 'strict', which is not among the judges; did you mean 'strikt'?")
        }
    }

    @Test func aJudgesRateLimitsPaceItsRequests() async throws {
        let calls = Recorder<String>()
        let endpoint = try await Self.endpoint(judgeCalls: calls)
        defer { Task { try? await endpoint.shutdown() } }
        let clock = VirtualClock()
        let suite = Suite(
            name: "support", kind: .eval,
            cases: (0..<4).map { index in
                EvalCase(
                    id: "c\(index)", messages: [.user("question 0")], checks: Self.suite().cases[0].checks,
                    line: index + 1)
            },
            directory: "/nonexistent/support")
        // Four cases, all answered "Answer 0: ok" (the judge passes them), by a judge allowed 2 requests a second.
        var judge = Self.judge(endpoint)
        judge.requestsPerSecond = 2
        let out = F.folder()
        _ = try await Runner(
            suites: [suite], targets: [F.target("v1", endpoint: endpoint)], judges: [judge],
            settings: F.settings(out: out),
            transport: F.transport, retry: F.quickRetry, clock: clock
        ).run()
        #expect(try F.resultLines(out + "/v1.jsonl").map(\.status) == [.passed, .passed, .passed, .passed])
        #expect(calls.all.count == 4)
        // The judge's four starts were booked half a second apart: three waited for their slot.
        #expect(clock.sleeps == [500, 1000, 1500])
    }

    @Test func samplesVoteByMajority() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "v1": { _ in .text("Answer: ok") },
                "judge-model": { request in
                    // The three samples differ by seed: pass, fail, pass.
                    let seed = request.json?["seed"]?.intValue ?? -1
                    return seed == 1
                        ? .text(#"{"verdict": "fail", "reason": "no", "quote": "ok"}"#)
                        : .text(#"{"verdict": "pass", "reason": "yes"}"#)
                },
            ]))
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        let suite = Suite(
            name: "support", kind: .eval,
            cases: [
                EvalCase(
                    id: "c0", messages: [.user("q")],
                    checks: [
                        CheckSpec(
                            type: "judge", options: ["judge": "strict", "rubric": "answers_question", "samples": 3])
                    ], line: 1)
            ],
            directory: "/nonexistent")
        // A judge limited to one request at a time still asks all its samples.
        var judge = Self.judge(endpoint)
        judge.maxConcurrency = 1
        _ = try await Runner(
            suites: [suite], targets: [F.target("v1", endpoint: endpoint)], judges: [judge],
            settings: F.settings(out: out), transport: F.transport, retry: F.quickRetry
        ).run()
        let result = try #require(try F.resultLines(out + "/v1.jsonl").first)
        #expect(result.status == .passed)
        #expect(result.checks[0].judge?.votes == ["pass", "fail", "pass"])
    }
}
