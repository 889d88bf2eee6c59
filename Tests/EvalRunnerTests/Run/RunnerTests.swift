import EvalCore
import Foundation
import Scoring
import ScriptedEndpoint
import Synchronization
import Testing
import Transport

@testable import EvalRunner

@Suite("Runner: targets interleaved, logs appended, resumable, cached")
struct RunnerTests {
    typealias F = RunnerFixture

    /// v1 answers "ok", v2 answers "no": both targets see every case, in interleaved order.
    @Test("two targets are interleaved case by case and each gets its own log")
    func twoTargetsInterleaved() async throws {
        let order = Recorder<String>()
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "v1": { request in
                    order.append("v1 \(request.lastUserText ?? "")")
                    return .text("ok: fine")
                },
                "v2": { request in
                    order.append("v2 \(request.lastUserText ?? "")")
                    return .text("no")
                },
            ]))
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        let runner = try Runner(
            suites: [F.suite(count: 5)],
            targets: [F.target("v1", endpoint: endpoint), F.target("v2", endpoint: endpoint)],
            settings: F.settings(out: out, concurrency: 1), transport: F.transport, retry: F.quickRetry
        )
        let summary = try await runner.run()
        #expect(!summary.interrupted)
        #expect(summary.targets.map(\.outcome) == [.complete, .complete])
        #expect(summary.targets.map(\.passed) == [5, 0])
        #expect(summary.targets.map(\.failed) == [0, 5])
        #expect(summary.targets.map(\.requests) == [5, 5])
        // Concurrency 1: strictly alternating, the same case for both versions before the next case.
        let expected = (0..<5).flatMap { ["v1 golden question \($0)", "v2 golden question \($0)"] }
        #expect(order.all == expected)

        let v1 = try RunLogReader(path: out + "/v1.jsonl")
        #expect(v1.manifest.target.label == "v1")
        #expect(v1.manifest.target.baseURL == endpoint.baseURL)
        #expect(v1.manifest.suites.map(\.caseCount) == [5])
        #expect(v1.manifest.scorerVersion == runner.scorer.versionHash)
        let (results, ends, _) = try v1.results()
        #expect(results.map(\.caseID) == ["c0", "c1", "c2", "c3", "c4"])
        #expect(results.allSatisfy { $0.response?.content == "ok: fine" && $0.checks.first?.passed == true })
        #expect(ends.last?.outcome == .complete)
        let v2 = try F.resultLines(out + "/v2.jsonl")
        let finding = try #require(v2.first?.checks.first?.findings.first)
        #expect(finding.ruleID.hasPrefix("content."), "\(finding)")
    }

    /// A suite written to disk, loaded both ways.
    static func suiteOnDisk(count: Int) throws -> String {
        let folder = F.folder() + "/lazy"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "name: golden\nkind: golden\ndefaults:\n  checks: [{type: contains, value: ok}]\n".write(
            toFile: folder + "/suite.yaml", atomically: true, encoding: .utf8)
        let lines = (0..<count).map { #"{"id":"c\#($0)","prompt":"golden question \#($0)","tags":["t\#($0 % 3)"]}"# }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: folder + "/cases.jsonl", atomically: true, encoding: .utf8)
        return folder
    }

    @Test(
        "a lazily loaded suite runs to the same results as the same suite in memory; a file changed mid-run gives classified errors"
    )
    func lazySuites() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                (request.lastUserText ?? "").hasSuffix("3") ? .text("no") : .text("ok")
            })
        defer { Task { try? await endpoint.shutdown() } }
        let folder = try Self.suiteOnDisk(count: 12)
        let eager = try #require(SuiteLoader.load(directory: folder, validateCheck: { _ in nil }).suite)
        let lazy = try #require(SuiteLoader.loadLazily(directory: folder, validateCheck: { _ in nil }).suite)
        let (eagerOut, lazyOut) = (F.folder(), F.folder())
        _ = try await Runner(
            suites: [eager], targets: [F.target("v1", endpoint: endpoint)], settings: F.settings(out: eagerOut),
            transport: F.transport, retry: F.quickRetry
        ).run()
        let summary = try await Runner(
            suites: [lazy], targets: [F.target("v1", endpoint: endpoint)], settings: F.settings(out: lazyOut),
            transport: F.transport, retry: F.quickRetry
        ).run()
        #expect(summary.targets[0].failed == 1, "golden question 3")
        #expect(try F.outcomes(lazyOut + "/v1.jsonl") == F.outcomes(eagerOut + "/v1.jsonl"))
        #expect(
            try RunLogReader(path: lazyOut + "/v1.jsonl").manifest.suites
                == RunLogReader(path: eagerOut + "/v1.jsonl").manifest.suites)

        try "{\"id\":\"c0\",\"prompt\":\"rewritten\"}\n".write(
            toFile: folder + "/cases.jsonl", atomically: true, encoding: .utf8)
        let changed = try await Runner(
            suites: [lazy], targets: [F.target("v1", endpoint: endpoint)], settings: F.settings(out: F.folder()),
            transport: F.transport, retry: F.quickRetry
        ).run()
        #expect(changed.targets[0].errors == 12)
        #expect(changed.targets[0].errorClasses == ["evalset_changed": 12])
        #expect(changed.targets[0].requests == 0, "an unreadable case is never sent")
        #expect(endpoint.requestCount == 24)
    }

    @Test("a rerun into a complete log sends nothing and adds no result")
    func rerunIsFree() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        func run() async throws -> RunOutcome {
            try await Runner(
                suites: [F.suite(count: 4)], targets: [F.target("v1", endpoint: endpoint)],
                settings: F.settings(out: out), transport: F.transport, retry: F.quickRetry
            ).run()
        }
        _ = try await run()
        #expect(endpoint.requestCount == 4)
        let again = try await run()
        #expect(endpoint.requestCount == 4)
        #expect(again.targets[0].requests == 0)
        #expect(again.targets[0].resumed == 4)
        #expect(try F.resultLines(out + "/v1.jsonl").count == 4)
        let (_, ends, _) = try RunLogReader(path: out + "/v1.jsonl").results()
        #expect(ends.count == 2)
    }

    @Test("a run killed mid-line resumes to the same results as an uninterrupted run, without duplicates")
    func resumeAfterCrash() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let suites = [F.suite(count: 12), F.suite("base", kind: .base, count: 6)]
        let whole = F.folder()
        _ = try await Runner(
            suites: suites, targets: [F.target("v1", endpoint: endpoint)],
            settings: F.settings(out: whole, repeats: 2, seed: 5), transport: F.transport, retry: F.quickRetry
        ).run()
        let requestsWhole = endpoint.requestCount
        #expect(requestsWhole == 36)

        // The crash: the first 1 + 20 lines survive, and half of the 22nd.
        let crashed = F.folder()
        try FileManager.default.createDirectory(atPath: crashed, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: whole + "/v1.jsonl", encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        var partial = lines.prefix(21).joined(separator: "\n") + "\n"
        partial += lines[21].prefix(lines[21].count / 2)
        try partial.write(toFile: crashed + "/v1.jsonl", atomically: true, encoding: .utf8)

        let summary = try await Runner(
            suites: suites, targets: [F.target("v1", endpoint: endpoint)],
            settings: F.settings(out: crashed, repeats: 2, seed: 5, existing: .resumeOnly), transport: F.transport,
            retry: F.quickRetry
        ).run()
        #expect(summary.targets[0].resumed == 20)
        #expect(summary.targets[0].requests == 16)
        #expect(endpoint.requestCount == requestsWhole + 16)
        #expect(summary.notes.contains { $0.contains("incomplete last line") })
        let keys = try F.resultLines(crashed + "/v1.jsonl").map(\.key)
        #expect(keys.count == Set(keys).count, "no duplicates")
        #expect(try F.outcomes(crashed + "/v1.jsonl") == F.outcomes(whole + "/v1.jsonl"))
    }

    @Test("cancelling drops in-flight requests unrecorded, ends the session as interrupted, and a resume finishes it")
    func cancelAndResume() async throws {
        // Requests after the 6th stall until the endpoint shuts down; the run is cancelled once 8 have arrived.
        let count = Atomic<Int>(0)
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                count.add(1, ordering: .relaxed).oldValue < 6 ? .text("ok") : .fault(.stall)
            })
        let out = F.folder()
        let suites = [F.suite(count: 20)]
        let runner = try Runner(
            suites: suites, targets: [F.target("v1", endpoint: endpoint)],
            settings: F.settings(out: out, concurrency: 2), transport: F.transport, retry: F.quickRetry
        )
        let task = Task { try await runner.run() }
        await endpoint.waitForRequests(8)
        task.cancel()
        let summary = try await task.value
        #expect(summary.interrupted)
        #expect(summary.targets[0].outcome == .interrupted)
        #expect(summary.targets[0].errors == 0, "a cancelled request is not an error")
        let first = try F.resultLines(out + "/v1.jsonl")
        #expect(first.count == 6)
        try await endpoint.shutdown()

        let healthy = try await ScriptedEndpoint.start(.echo(), port: endpoint.port)
        defer { Task { try? await healthy.shutdown() } }
        let resumed = try await Runner(
            suites: suites, targets: [F.target("v1", endpoint: healthy)],
            settings: F.settings(out: out, existing: .resumeOnly), transport: F.transport, retry: F.quickRetry
        ).run()
        #expect(resumed.targets[0].outcome == .complete)
        #expect(healthy.requestCount == 14)
        let keys = try F.resultLines(out + "/v1.jsonl").map(\.key)
        #expect(keys.count == 20)
        #expect(Set(keys).count == 20)
    }

    @Test("the cache answers a rerun into a new log with zero requests; --refresh asks again; errors are not cached")
    func cache() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                request.lastUserText == "golden question 2"
                    ? .fault(.serverError(status: 500)) : .text("ok " + (request.lastUserText ?? ""))
            })
        defer { Task { try? await endpoint.shutdown() } }
        let cacheFolder = F.folder()
        func run(_ mode: ResponseCache.Mode) async throws -> RunOutcome.Target {
            try await Runner(
                suites: [F.suite(count: 5)], targets: [F.target("v1", endpoint: endpoint)],
                settings: F.settings(
                    out: F.folder(), repeats: 2, cache: ResponseCache(directory: cacheFolder, mode: mode)),
                transport: F.transport, retry: RetryPolicy.none
            ).run().targets[0]
        }
        let first = try await run(.use)
        #expect(first.requests == 10)
        #expect(first.cacheHits == 0)
        #expect(first.errors == 2)
        #expect(endpoint.requestCount == 10)

        let second = try await run(.use)
        #expect(second.cacheHits == 8, "each repeat is its own entry")
        #expect(second.requests == 2, "only the two errors are asked again")
        #expect(endpoint.requestCount == 12)
        #expect(second.passed == first.passed)

        let refreshed = try await run(.refresh)
        #expect(refreshed.cacheHits == 0)
        #expect(endpoint.requestCount == 22)
    }

    /// With one request per 1,000 s allowed, only cached answers skipping the pacer can finish: a paced cache hit
    /// would wait 1,000 s and hit the time limit.
    @Test("cached answers skip the target's rate limit; only real requests are paced", .timeLimit(.minutes(1)))
    func cacheSkipsThePacer() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let cache = ResponseCache(directory: F.folder(), mode: .use)
        _ = try await Runner(
            suites: [F.suite(count: 20)], targets: [F.target("v1", endpoint: endpoint)],
            settings: F.settings(out: F.folder(), cache: cache), transport: F.transport, retry: F.quickRetry
        ).run()
        #expect(endpoint.requestCount == 20)

        var slow = F.target("v1", endpoint: endpoint)
        slow.requestsPerSecond = 0.001
        let summary = try await Runner(
            suites: [F.suite(count: 21)], targets: [slow],
            settings: F.settings(out: F.folder(), cache: cache), transport: F.transport, retry: F.quickRetry
        ).run()
        let target = summary.targets[0]
        #expect(target.results == 21)
        #expect(target.cacheHits == 20)
        #expect(target.requests == 1, "the one new case went to the endpoint, first in its paced queue")
        #expect(endpoint.requestCount == 21)
    }

    @Test("a cached answer is recorded as cached with zero attempts and scored again")
    func cachedRecord() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let cache = ResponseCache(directory: F.folder(), mode: .use)
        for round in 0..<2 {
            let out = F.folder()
            _ = try await Runner(
                suites: [F.suite(count: 1)], targets: [F.target("v1", endpoint: endpoint)],
                settings: F.settings(out: out, cache: cache), transport: F.transport, retry: F.quickRetry
            ).run()
            let result = try #require(try F.resultLines(out + "/v1.jsonl").first)
            #expect(result.response?.content == "echo: golden question 0")
            #expect(result.checks.count == 1)
            #expect(result.response?.cached == (round == 1))
            #expect(result.response?.attempts == (round == 1 ? 0 : 1))
        }
        #expect(endpoint.requestCount == 1)
    }

    @Test("repeats are separate requests with per-repeat seeds")
    func repeatsAndSeeds() async throws {
        let seeds = Recorder<Int64>()
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                seeds.append(request.json?["seed"]?.intValue ?? -1)
                return .text("ok")
            })
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        let summary = try await Runner(
            suites: [F.suite(count: 2, params: ["temperature": 0.7])], targets: [F.target("v1", endpoint: endpoint)],
            settings: F.settings(out: out, repeats: 3, seed: 100), transport: F.transport, retry: F.quickRetry
        ).run()
        #expect(summary.targets[0].results == 6)
        #expect(seeds.all.sorted() == [100, 100, 101, 101, 102, 102])
        let keys = try F.resultLines(out + "/v1.jsonl").map(\.key)
        #expect(Set(keys.map(\.repeatIndex)) == [0, 1, 2])
    }

    @Test("a log of another run is refused with the reason; --fresh keeps the old log aside")
    func mismatch() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        _ = try await Runner(
            suites: [F.suite(count: 2)], targets: [F.target("v1", model: "model-a", endpoint: endpoint)],
            settings: F.settings(out: out), transport: F.transport, retry: F.quickRetry
        ).run()
        let other = try Runner(
            suites: [F.suite(count: 2)], targets: [F.target("v1", model: "model-b", endpoint: endpoint)],
            settings: F.settings(out: out), transport: F.transport, retry: F.quickRetry
        )
        let error = await #expect(throws: RunError.self) { try await other.run() }
        #expect(error?.kind == .badInput)
        #expect(
            error?.message.contains("model: model-a in the log, model-b now") == true, "\(String(describing: error))")

        // Another model and an edited suite at once: still another run, refused for the model.
        let both = try Runner(
            suites: [F.suite(count: 3)], targets: [F.target("v1", model: "model-b", endpoint: endpoint)],
            settings: F.settings(out: out), transport: F.transport, retry: F.quickRetry
        )
        let bothError = await #expect(throws: RunError.self) { try await both.run() }
        #expect(bothError?.message.contains("model: model-a in the log, model-b now") == true)

        let fresh = try await Runner(
            suites: [F.suite(count: 2)], targets: [F.target("v1", model: "model-b", endpoint: endpoint)],
            settings: F.settings(out: out, existing: .fresh), transport: F.transport, retry: F.quickRetry
        ).run()
        #expect(fresh.targets[0].results == 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.contains { $0.hasPrefix("v1.jsonl.replaced-") })
        #expect(try RunLogReader(path: out + "/v1.jsonl").manifest.target.model == "model-b")
    }

    @Test(
        "after a suite is edited, a rerun carries over the unchanged cases' answers and runs only the changed and new ones"
    )
    func editedSuiteRunsOnlyChangedCases() async throws {
        let asked = Recorder<String>()
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                asked.append(request.lastUserText ?? "")
                return .text("ok")
            })
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        let original = F.suite(count: 4)
        _ = try await F.run([original], F.target("v1", endpoint: endpoint), settings: F.settings(out: out, cache: nil))
        #expect(asked.all.count == 4)

        // c1 edited, c3 removed, c4 new; c0 and c2 unchanged.
        var cases = original.cases.filter { $0.id != "c3" }
        cases[1] = EvalCase(
            id: "c1", messages: [.user("golden question 1, edited")], tags: cases[1].tags, checks: cases[1].checks,
            line: 2)
        cases.append(EvalCase(id: "c4", messages: [.user("golden question 4")], checks: cases[0].checks, line: 4))
        let edited = Suite(name: "golden", kind: .golden, cases: cases, directory: original.directory)
        let outcome = try await F.run(
            [edited], F.target("v1", endpoint: endpoint), settings: F.settings(out: out, cache: nil))

        #expect(asked.all.count == 6, "only the edited and the new case are asked: \(asked.all)")
        #expect(Set(asked.all.suffix(2)) == ["golden question 1, edited", "golden question 4"])
        #expect(outcome.targets[0].results == 4)
        let note = try #require(outcome.notes.first { $0.contains("the suites changed") })
        #expect(note.contains("2 answers of unchanged cases carried over"))
        #expect(note.contains("2 stale (changed or removed): golden/c1, golden/c3"), "\(note)")
        // The new log is one run: its manifest is the edited suite's, and every line is a case of it, as it is now.
        let reader = try RunLogReader(path: out + "/v1.jsonl")
        #expect(reader.manifest.suites.first?.contentHash == edited.contentHash)
        let lines = try F.resultLines(out + "/v1.jsonl")
        #expect(Set(lines.map(\.caseID)) == ["c0", "c1", "c2", "c4"])
        let hashes = Dictionary(uniqueKeysWithValues: edited.cases.map { ($0.id, $0.contentHash) })
        #expect(lines.allSatisfy { hashes[$0.caseID] == $0.caseHash })
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out).contains { $0.hasPrefix("v1.jsonl.replaced-") })

        // Run again unchanged: nothing is asked, nothing is stale.
        let again = try await F.run(
            [edited], F.target("v1", endpoint: endpoint), settings: F.settings(out: out, cache: nil))
        #expect(asked.all.count == 6)
        #expect(!again.notes.contains { $0.contains("the suites changed") })
    }

    @Test("--retry-errors runs errored cases again; the new line supersedes the old one")
    func retryErrors() async throws {
        let failing = try await ScriptedEndpoint.start(
            Script { request in
                request.lastUserText == "golden question 2" ? .fault(.serverError(status: 500)) : .text("ok")
            })
        let out = F.folder()
        let suites = [F.suite(count: 4)]
        let first = try await Runner(
            suites: suites, targets: [F.target("v1", endpoint: failing)], settings: F.settings(out: out),
            transport: F.transport, retry: RetryPolicy.none
        ).run()
        #expect(first.targets[0].errors == 1)
        let port = failing.port
        try await failing.shutdown()

        let healthy = try await ScriptedEndpoint.start(Script { _ in .text("ok") }, port: port)
        defer { Task { try? await healthy.shutdown() } }
        let plain = try await Runner(
            suites: suites, targets: [F.target("v1", endpoint: healthy)], settings: F.settings(out: out),
            transport: F.transport, retry: RetryPolicy.none
        ).run()
        #expect(plain.targets[0].requests == 0, "without the flag an error is a result like any other")
        #expect(plain.targets[0].errors == 1)

        var settings = F.settings(out: out)
        settings.retryErrors = true
        let retried = try await Runner(
            suites: suites, targets: [F.target("v1", endpoint: healthy)], settings: settings,
            transport: F.transport, retry: RetryPolicy.none
        ).run()
        #expect(retried.targets[0].requests == 1)
        #expect(retried.targets[0].errors == 0)
        #expect(retried.targets[0].passed == 4)
        #expect(retried.targets[0].outcome == .complete)
        let lines = try F.resultLines(out + "/v1.jsonl").filter { $0.caseID == "c2" }
        #expect(lines.map(\.status) == [.error, .passed], "the error stays in the log; the later line wins")
        #expect(healthy.requestCount == 1)
    }

    @Test("--resume without a log is bad input")
    func resumeNothing() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let runner = try Runner(
            suites: [F.suite(count: 1)], targets: [F.target("v1", endpoint: endpoint)],
            settings: F.settings(out: F.folder(), existing: .resumeOnly), transport: F.transport
        )
        let error = await #expect(throws: RunError.self) { try await runner.run() }
        #expect(error?.message.contains("nothing to resume") == true)
    }

    @Test("a dead endpoint is given up after the errors-in-a-row limit, and errors are never failures")
    func deadEndpoint() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script { _ in .fault(.serverError(status: 503)) })
        defer { Task { try? await endpoint.shutdown() } }
        var settings = F.settings(out: F.folder(), concurrency: 1)
        settings.abortAfterConsecutiveErrors = 5
        let summary = try await Runner(
            suites: [F.suite(count: 40)], targets: [F.target("v1", endpoint: endpoint)],
            settings: settings, transport: F.transport, retry: RetryPolicy.none
        ).run()
        let target = summary.targets[0]
        #expect(target.outcome == .aborted)
        #expect(target.errors == 5)
        #expect(target.failed == 0)
        #expect(target.errorClasses == ["http_503": 5])
        #expect(endpoint.requestCount == 5)
        #expect(summary.notes.contains { $0.contains("5 errors in a row") })
    }

    @Test(
        "bad plans are refused before any request",
        arguments: [
            ("labels", "would share the log"),
            ("params", "case 'c0' with target 'v1'"),
            ("key", "TEST_MISSING_KEY"),
        ])
    func badPlans(problem: String, expected: String) async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        var targets = [F.target("v1", endpoint: endpoint)]
        var suite = F.suite(count: 1)
        switch problem {
        case "labels": targets.append(F.target("v1", model: "other", endpoint: endpoint))
        case "params": suite = F.suite(count: 1, params: ["temperature": "hot"])
        default: targets[0].endpoint.apiKeyEnvironmentVariable = "TEST_MISSING_KEY"
        }
        let error = #expect(throws: RunError.self) {
            try Runner(
                suites: [suite], targets: targets, settings: F.settings(out: F.folder()), transport: F.transport,
                environment: [:])
        }
        #expect(error?.kind == .badInput)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
        #expect(endpoint.requestCount == 0)
    }
}
