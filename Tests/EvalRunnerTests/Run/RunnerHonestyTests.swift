import EvalCore
import Foundation
import Scoring
import ScriptedEndpoint
import Synchronization
import Testing
import Transport

@testable import EvalRunner

/// What the runner does so that a run never claims more than it did: the cache key of other weights or another
/// mode, the params that are sent and recorded, unchecked cases, and `--refresh` on an existing log.
@Suite("Runner: the cache cannot outlive the weights, the params sent are the params recorded")
struct RunnerHonestyTests {
    typealias F = RunnerFixture

    static func spec(label: String = "v1", revision: String? = nil, stream: Bool = false, model: String = "m")
        -> RunTargetSpec
    {
        RunTargetSpec(
            label: label, model: model, endpoint: ChatEndpoint(baseURL: "http://127.0.0.1:9/v1"), stream: stream,
            revision: revision
        )
    }

    @Test("the cache key changes with the label, the revision and the stream mode, and with nothing else of the target")
    func cacheKey() throws {
        let request = ChatRequest(
            model: "m", messages: [.user("hi")], parameters: try ChatParameters(params: ["temperature": 0]))
        func key(_ target: RunTargetSpec, _ request: ChatRequest = request, repeatIndex: Int = 0) -> String {
            ResponseCache.key(target: target, request: request, repeatIndex: repeatIndex)
        }
        let base = key(Self.spec())
        #expect(base.count == 64)
        #expect(key(Self.spec()) == base, "the same request of the same target has one key")
        var paced = Self.spec()
        paced.requestsPerSecond = 2
        paced.maxConcurrency = 3
        #expect(key(paced) == base, "how hard a target is pushed does not change its answers")
        let others = [
            key(Self.spec(label: "v2")), key(Self.spec(revision: "ckpt-300")), key(Self.spec(revision: "ckpt-301")),
            key(Self.spec(stream: true)), key(Self.spec(), repeatIndex: 1),
            key(
                Self.spec(),
                ChatRequest(
                    model: "m", messages: [.user("hi")], parameters: try ChatParameters(params: ["temperature": 1]))),
            // Label and revision are length-prefixed: moving a character from one to the other is another key.
            key(Self.spec(label: "v1a", revision: "b")), key(Self.spec(label: "v1", revision: "ab")),
        ]
        #expect(
            Set(others + [base]).count == others.count + 1,
            "every change of label, revision, mode, repeat or request is a new key")
    }

    @Test("the target's params win over the case's; an override of another value is named once per param and suite")
    func paramsPrecedence() throws {
        #expect(
            Runner.effectiveParams(case: ["max_tokens": 700, "temperature": 0], target: ["max_tokens": 64])
                == ["max_tokens": 64, "temperature": 0])
        #expect(Runner.effectiveParams(case: [:], target: ["seed": 1]) == ["seed": 1])
        let suite = F.suite(count: 3, params: ["max_tokens": 700, "temperature": 0])
        var target = Self.spec()
        target.params = ["max_tokens": 64, "temperature": 0]
        #expect(
            Runner.overrideNotes(target: target, suite: suite) == [
                "target 'v1': its param max_tokens=64 overrides max_tokens=700 of suite 'golden' (first in case 'c0', /nonexistent/golden/cases.jsonl:1); the target's params win, and each result line records the params sent"
            ], "the same value is no override; one note however many cases")
        target.params = [:]
        #expect(Runner.overrideNotes(target: target, suite: suite).isEmpty)
    }

    @Test("a run records the params each request was sent with, the per-repeat seed included, and warns of overrides")
    func recordedParams() async throws {
        let sent = Mutex<[String]>([])
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                sent.withLock { $0.append(String(decoding: request.body, as: UTF8.self)) }
                return .text("ok")
            })
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        var target = F.target("v1", endpoint: endpoint)
        target.params = ["max_tokens": 64]
        var settings = F.settings(out: out, repeats: 2, seed: 10)
        settings.concurrency = 1
        let outcome = try await F.run(
            [F.suite(count: 1, params: ["max_tokens": 700, "temperature": 0.5])], target, settings: settings)
        #expect(outcome.warnings.count == 1)
        #expect(outcome.warnings.first?.contains("its param max_tokens=64 overrides max_tokens=700") == true)
        let lines = try F.resultLines(out + "/v1.jsonl").sorted { $0.repeatIndex < $1.repeatIndex }
        #expect(
            lines.map(\.params) == [
                ["max_tokens": 64, "temperature": 0.5, "seed": 10],
                ["max_tokens": 64, "temperature": 0.5, "seed": 11],
            ])
        // What was recorded is what went over the wire.
        #expect(
            sent.withLock { $0 }.allSatisfy { $0.contains(#""max_tokens":64"#) && $0.contains(#""temperature":0.5"#) })
    }

    @Test("a case without checks is recorded as unchecked: never passed, never failed, counted apart")
    func unchecked() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script { _ in .text("anything") })
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        let kept = EvalCase(id: "kept", messages: [.user("q")], unchecked: true, line: 1)
        let suite = Suite(name: "s", kind: .eval, cases: [kept], directory: "/nonexistent/s")
        let outcome = try await F.run([suite], F.target("v1", endpoint: endpoint), settings: F.settings(out: out))
        let target = try #require(outcome.targets.first)
        #expect((target.passed, target.failed, target.errors, target.unchecked, target.results) == (0, 0, 0, 1, 1))
        #expect(target.outcome == .complete)
        #expect(try F.resultLines(out + "/v1.jsonl").map(\.status) == [.unchecked])
        #expect(CaseResult.Status(scoredBy: []) == .unchecked)
        #expect(CaseResult.Status(scoredBy: [CheckRecord(type: "a", passed: true)]) == .passed)
        #expect(
            CaseResult.Status(scoredBy: [CheckRecord(type: "a", passed: true), CheckRecord(type: "b", passed: false)])
                == .failed)
    }

    @Test("rerunAll (--refresh) asks every case of an existing log again; the new lines replace the old counts")
    func refreshRerunsTheLog() async throws {
        let answer = Mutex("no")
        let endpoint = try await ScriptedEndpoint.start(Script { _ in .text(answer.withLock { $0 }) })
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        let suites = [F.suite(count: 3)]
        let first = try await F.run(suites, F.target("v1", endpoint: endpoint), settings: F.settings(out: out))
        #expect(first.targets[0].failed == 3)
        answer.withLock { $0 = "ok" }
        var settings = F.settings(out: out)
        settings.rerunAll = true
        let again = try await F.run(suites, F.target("v1", endpoint: endpoint), settings: settings)
        let target = again.targets[0]
        #expect((target.requests, target.passed, target.failed, target.results, target.resumed) == (3, 3, 0, 3, 0))
        #expect(target.outcome == .complete)
        #expect(again.notes.contains { $0.contains("asking all 3 answers of the log again (--refresh)") })
        let log = try RunLogReader(path: out + "/v1.jsonl")
        let (results, ends, _) = try log.results()
        #expect(results.count == 6)
        #expect((ends.last?.passed, ends.last?.failed, ends.last?.results) == (3, 0, 3))
    }

    @Test("a target answered wholly from the cache, or from a cache of another fingerprint, gets a warning")
    func cacheWarnings() async throws {
        let fingerprint = Mutex("fp-1")
        let endpoint = try await ScriptedEndpoint.start(
            Script { _ in
                .completion(ScriptedCompletion(content: "ok", systemFingerprint: fingerprint.withLock { $0 }))
            })
        defer { Task { try? await endpoint.shutdown() } }
        let cache = ResponseCache(directory: F.folder(), mode: .use)
        func run(count: Int, revision: String? = nil) async throws -> RunOutcome {
            var target = F.target("v1", endpoint: endpoint)
            target.revision = revision
            return try await F.run([F.suite(count: count)], target, settings: F.settings(out: F.folder(), cache: cache))
        }
        let first = try await run(count: 2)
        #expect(first.warnings.isEmpty)
        let cached = try await run(count: 2)
        #expect(cached.targets[0].cacheHits == 2)
        #expect(cached.warnings.count == 1)
        #expect(
            cached.warnings.first?.hasPrefix(
                "target 'v1' (model 'v1', no revision): all 2 answers came from the response cache") == true)

        fingerprint.withLock { $0 = "fp-2" }
        let mixed = try await run(count: 3)
        #expect((mixed.targets[0].requests, mixed.targets[0].cacheHits) == (1, 2))
        #expect(
            mixed.warnings == [
                "target 'v1' (model 'v1', no revision): the server now answers with system_fingerprint 'fp-2', but 2 cached answers were made under 'fp-1': the weights or serving setup changed; run again with --refresh, or give the new weights their own --revision"
            ])
        let revised = try await run(count: 2, revision: "r2")
        #expect(
            (revised.targets[0].requests, revised.targets[0].cacheHits) == (2, 0),
            "a new revision reads nothing of the old")
        #expect(revised.warnings.isEmpty)
    }
}
