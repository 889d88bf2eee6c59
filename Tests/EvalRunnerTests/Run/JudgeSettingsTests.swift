import EvalCore
import Foundation
import Scoring
import ScriptedEndpoint
import Testing
import Transport

@testable import EvalRunner

/// A judge is its model, its rubric and how it was asked: two runs whose judge had another temperature, max_tokens,
/// seed, revision or samples are judged by other judges, in the manifest, in each check's record and in the cache.
@Suite struct JudgeSettingsTests {
    typealias F = RunnerFixture

    static func suite(options: [String: JSONValue] = [:]) -> Suite {
        var judge: [String: JSONValue] = ["judge": "strict", "rubric": "answers_question"]
        judge.merge(options) { _, new in new }
        return Suite(
            name: "support", kind: .eval,
            cases: [
                EvalCase(
                    id: "c0", messages: [.user("question 0")], checks: [CheckSpec(type: "judge", options: judge)],
                    line: 1)
            ],
            directory: "/nonexistent/support")
    }

    static func endpoint(judgeBodies: Recorder<String>) async throws -> ScriptedEndpoint {
        try await ScriptedEndpoint.start(
            .perModel([
                "v1": { _ in .text("Answer 0: ok") },
                "judge-model": { request in
                    judgeBodies.append(request.json.map { CanonicalJSON.string($0) } ?? "")
                    return .text(#"{"verdict": "pass", "reason": "answers it", "quote": "Answer 0"}"#)
                },
            ]))
    }

    static func judge(_ endpoint: ScriptedEndpoint, params: [String: JSONValue] = [:], revision: String? = nil)
        -> RunTargetSpec
    {
        RunTargetSpec(
            label: "strict", model: "judge-model", endpoint: ChatEndpoint(baseURL: endpoint.baseURL), params: params,
            revision: revision)
    }

    /// One run; its manifest and its one result line.
    static func run(
        _ endpoint: ScriptedEndpoint, judge: RunTargetSpec, suite: Suite = suite(), cache: ResponseCache? = nil
    ) async throws
        -> (RunManifest, CaseResult)
    {
        let out = F.folder()
        _ = try await Runner(
            suites: [suite], targets: [F.target("v1", endpoint: endpoint)], judges: [judge],
            settings: F.settings(out: out, cache: cache), transport: F.transport, retry: F.quickRetry
        ).run()
        let manifest = try RunLogReader(path: out + "/v1.jsonl").manifest
        return (manifest, try #require(try F.resultLines(out + "/v1.jsonl").first))
    }

    @Test func aJudgeWithDefaultSettingsKeepsTheIdentityOldLogsHave() async throws {
        let bodies = Recorder<String>()
        let endpoint = try await Self.endpoint(judgeBodies: bodies)
        defer { Task { try? await endpoint.shutdown() } }
        let (manifest, result) = try await Self.run(endpoint, judge: Self.judge(endpoint))
        let record = try #require(result.checks.first?.judge)
        #expect(record.settingsHash == nil)
        #expect(record.identity == "judge-model rubric:\(record.rubricHash.prefix(8))")
        #expect(manifest.judges?.first?.rubrics.first?.settings == nil)
        #expect(manifest.judges?.first?.identities == [record.identity])
        // A line written before settings were recorded reads the same, with the same identity.
        let line =
            #"{"target":"strict","model":"judge-model","rubric":"answers_question","rubric_hash":"\#(record.rubricHash)","raw":[],"votes":["pass"],"latency_ms":1,"cached":false}"#
        let old = try JSONDecoder().decode(JudgeRecord.self, from: Data(line.utf8))
        #expect(old.settingsHash == nil && old.identity == record.identity)
    }

    @Test func paramsRevisionAndSamplesMakeAnotherJudge() async throws {
        let bodies = Recorder<String>()
        let endpoint = try await Self.endpoint(judgeBodies: bodies)
        defer { Task { try? await endpoint.shutdown() } }
        let cache = ResponseCache(directory: F.folder(), mode: .use)
        let (_, plain) = try await Self.run(endpoint, judge: Self.judge(endpoint), cache: cache)
        let (coldManifest, cold) = try await Self.run(
            endpoint, judge: Self.judge(endpoint, params: ["temperature": 0, "max_tokens": 200]), cache: cache)
        let (_, warm) = try await Self.run(
            endpoint, judge: Self.judge(endpoint, params: ["temperature": 0.7, "max_tokens": 200]), cache: cache)
        let (_, seeded) = try await Self.run(
            endpoint, judge: Self.judge(endpoint, params: ["temperature": 0, "max_tokens": 200, "seed": 7]),
            cache: cache)
        let (_, revised) = try await Self.run(endpoint, judge: Self.judge(endpoint, revision: "2026-11"), cache: cache)
        let (_, sampled) = try await Self.run(
            endpoint, judge: Self.judge(endpoint), suite: Self.suite(options: ["samples": 3]), cache: cache)
        let (_, seeing) = try await Self.run(
            endpoint, judge: Self.judge(endpoint), suite: Self.suite(options: ["sees": ["prompt", "answer", "facts"]]),
            cache: cache)
        let records = try [plain, cold, warm, seeded, revised, sampled, seeing].map {
            try #require($0.checks.first?.judge)
        }
        #expect(Set(records.map(\.identity)).count == records.count, "\(records.map(\.identity))")
        #expect(Set(records.map(\.rubricHash)).count == 1, "the rubric text is the same for all")
        // The manifest records the settings readably, and its identity is the records'.
        let rubric = try #require(coldManifest.judges?.first?.rubrics.first)
        #expect(rubric.settings == ["params": ["max_tokens": 200, "temperature": 0]])
        #expect(coldManifest.judges?.first?.identities == [records[1].identity])
        // The same judge settings again: the same identity, and every answer comes from the cache.
        let before = bodies.all.count
        let (_, again) = try await Self.run(
            endpoint, judge: Self.judge(endpoint, params: ["temperature": 0.7, "max_tokens": 200]), cache: cache)
        #expect(again.checks.first?.judge?.identity == records[2].identity)
        #expect(again.checks.first?.judge?.cached == true && bodies.all.count == before)
        // Each other setting asked the judge itself (the cache key holds the judge's whole request): 1 + 1 + 1 + 1 +
        // 1 (revision) + 3 (samples) + 1 (sees).
        #expect(before == 9)
        #expect(
            bodies.all.contains { $0.contains(#""temperature":0.7"#) }
                && bodies.all.contains { $0.contains(#""seed":7"#) })
    }

    @Test func aLogIsContinuedOnlyByAJudgeWithTheSameSettings() async throws {
        let bodies = Recorder<String>()
        let endpoint = try await Self.endpoint(judgeBodies: bodies)
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        let suite = Suite(
            name: "support", kind: .eval,
            cases: (0..<2).map {
                EvalCase(
                    id: "c\($0)", messages: [.user("question \($0)")], checks: Self.suite().cases[0].checks,
                    line: $0 + 1)
            },
            directory: "/nonexistent/support")
        _ = try await Runner(
            suites: [suite], targets: [F.target("v1", endpoint: endpoint)],
            judges: [Self.judge(endpoint, params: ["temperature": 0])],
            settings: F.settings(out: out), transport: F.transport, retry: F.quickRetry
        ).run()
        let other = try Runner(
            suites: [suite], targets: [F.target("v1", endpoint: endpoint)],
            judges: [Self.judge(endpoint, params: ["temperature": 1])],
            settings: F.settings(out: out), transport: F.transport, retry: F.quickRetry)
        do {
            _ = try await other.run()
            Issue.record("a log judged at temperature 0 was continued at temperature 1")
        } catch {
            #expect(error.message.contains("holds another run (judges: judge-model rubric:"), "\(error.message)")
            #expect(error.message.contains(" settings:"), "\(error.message)")
        }
    }
}
