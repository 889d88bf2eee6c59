import EvalCore
import Foundation
import ScriptedEndpoint
import Synchronization
import Testing
import Transport

@testable import EvalRunner

/// A transport that fails every request as cancelled although nobody cancelled the run (libcurl's
/// CURLE_ABORTED_BY_CALLBACK, a stream dropped under the client): no network at all.
private struct SelfCancellingTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw TransportError(kind: .cancelled, message: "aborted by callback")
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamResponse {
        throw TransportError(kind: .cancelled, message: "aborted by callback")
    }
}

@Suite("Runner: scheduling, 429 pauses and cancellation edge cases")
struct RunnerReviewTests {
    typealias F = RunnerFixture

    /// Target concurrency 1 and an rps spacing: after each answer the loop must wake when the next slot opens, not
    /// when the (much later) progress tick that was pending fires.
    @Test("a pending progress tick does not delay a start the rate limit allows sooner")
    func pendingTickDoesNotStall() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        var target = F.target("v1", endpoint: endpoint)
        target.maxConcurrency = 1
        target.requestsPerSecond = 50
        var settings = F.settings(out: F.folder(), concurrency: 8)
        // A tick a minute away: a loop that waited for it would take a minute, one that did not takes milliseconds, so
        // the bound below holds on any loaded machine and still catches the stall.
        settings.progress = .plain(interval: .seconds(60))
        let started = ContinuousClock.now
        let summary = try await Runner(
            suites: [F.suite(count: 4)], targets: [target], settings: settings, transport: F.transport,
            retry: F.quickRetry
        ).run()
        let elapsed = ContinuousClock.now - started
        #expect(summary.targets[0].results == 4)
        #expect(elapsed < .seconds(30), "4 requests at 50/s took \(elapsed): the loop waited for a progress tick")
    }

    /// A 429 that asks for a second: the case goes back in the queue and the target stays away for that second.
    @Test("a 429's retry-after pauses the target for as long as the server asked")
    func retryAfterIsObeyed() async throws {
        let arrivals = Recorder<ContinuousClock.Instant>()
        let count = Atomic<Int>(0)
        let endpoint = try await ScriptedEndpoint.start(
            Script { _ in
                arrivals.append(.now)
                return count.add(1, ordering: .relaxed).oldValue == 0
                    ? .fault(.rateLimited(retryAfter: "1")) : .text("ok")
            })
        defer { Task { try? await endpoint.shutdown() } }
        let summary = try await Runner(
            suites: [F.suite(count: 1)], targets: [F.target("v1", endpoint: endpoint)],
            settings: F.settings(out: F.folder()), transport: F.transport, retry: RetryPolicy.none
        ).run()
        #expect(summary.targets[0].passed == 1)
        #expect(summary.targets[0].requests == 1, "a requeued 429 is not a request of its own")
        let times = arrivals.all
        try #require(times.count == 2)
        #expect(
            times[1] - times[0] >= .milliseconds(900), "asked again after \(times[1] - times[0]), retry-after was 1 s")
    }

    @Test("the server's pause is read from retry-after-ms or retry-after, capped at two minutes")
    func serverPause() {
        var error = ChatError(kind: .http, message: "HTTP 429", status: 429)
        #expect(Runner.serverPause(error) == nil)
        error.responseHeaders = HTTPHeaders([("retry-after", "3")])
        #expect(Runner.serverPause(error) == .seconds(3))
        error.responseHeaders = HTTPHeaders([("retry-after-ms", "250")])
        #expect(Runner.serverPause(error) == .milliseconds(250))
        error.responseHeaders = HTTPHeaders([("retry-after", "86400")])
        #expect(Runner.serverPause(error) == .seconds(120))
        error.responseHeaders = HTTPHeaders([("retry-after", "0")])
        #expect(Runner.serverPause(error) == nil)
    }

    /// A request the transport abandons by itself is not the run's Ctrl-C: dropping it unrecorded would leave a hole
    /// in a run that reports itself as not interrupted (exit 0 with a log that never completes).
    @Test("a request cancelled by the transport, not by the run, is recorded as an error, not lost")
    func transportCancellationIsAnError() async throws {
        let summary = try await Runner(
            suites: [F.suite(count: 3)],
            targets: [RunTargetSpec(label: "v1", model: "m", endpoint: ChatEndpoint(baseURL: "http://127.0.0.1:9/v1"))],
            settings: F.settings(out: F.folder()), transport: SelfCancellingTransport(), retry: RetryPolicy.none
        ).run()
        #expect(!summary.interrupted)
        let target = summary.targets[0]
        #expect(target.results == 3, "nothing lost")
        #expect(target.errors == 3)
        #expect(target.outcome == .complete)
        #expect(target.errorClasses == ["cancelled": 3])
        #expect(try F.resultLines(target.logPath).count == 3)
    }

    /// `--retry-errors` leaves the old error line in the log before its rerun; a rescore must count the case once.
    @Test("rescoring a log with a superseded error keeps one line per case and counts it once")
    func rescoreSupersededError() async throws {
        let failing = try await ScriptedEndpoint.start(
            Script { request in
                request.lastUserText == "golden question 2" ? .fault(.serverError(status: 500)) : .text("ok")
            })
        let out = F.folder()
        let suite = F.suite(count: 4)
        _ = try await Runner(
            suites: [suite], targets: [F.target("v1", endpoint: failing)], settings: F.settings(out: out),
            transport: F.transport, retry: RetryPolicy.none
        ).run()
        let port = failing.port
        try await failing.shutdown()
        let healthy = try await ScriptedEndpoint.start(Script { _ in .text("ok") }, port: port)
        defer { Task { try? await healthy.shutdown() } }
        var settings = F.settings(out: out)
        settings.retryErrors = true
        _ = try await Runner(
            suites: [suite], targets: [F.target("v1", endpoint: healthy)], settings: settings,
            transport: F.transport, retry: RetryPolicy.none
        ).run()
        #expect(try F.resultLines(out + "/v1.jsonl").count == 5, "the error line and its rerun")

        let output = F.folder() + "/v1.rescored.jsonl"
        let summary = try await Rescorer.rescore(
            log: out + "/v1.jsonl", suites: [suite], output: output, toolVersion: "test")
        #expect(summary.rescored == 4)
        #expect(summary.errorsCopied == 0, "the error was superseded by its rerun")
        #expect(summary.passed == 4)
        let (results, ends, _) = try RunLogReader(path: output).results()
        #expect(results.count == 4)
        #expect(Set(results.map(\.key)).count == 4)
        let end = try #require(ends.last)
        #expect(end.results == 4)
        #expect(end.errors == 0)
        #expect(end.passed == 4)
        #expect(end.outcome == .complete)
    }
}
