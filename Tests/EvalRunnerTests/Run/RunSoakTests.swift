import EvalCore
import Foundation
import ScriptedEndpoint
import Synchronization
import Testing
import Transport

@testable import EvalRunner

@Suite("Runner soak: faults of every kind, nothing lost, nothing twice")
struct RunSoakTests {
    typealias F = RunnerFixture

    /// Every fault the scripted endpoint can inject, with the error classes each may end in after retries.
    static let faults: [ScriptedReply] = [
        .fault(.rateLimited(retryAfter: nil)),
        .fault(.serverError(status: 500)),
        .fault(.serverError(status: 503)),
        .fault(.resetMidBody),
        .fault(.malformedJSON),
        .fault(.truncatedSSE),
        .fault(.stall),
        .fault(.oversizedBody(bytes: 100_000)),
        .fault(.slowTrickle(interval: .milliseconds(1))),
    ]

    @Test(
        "2,000 requests with 30% injected faults: every case answered or recorded as a classified error, exactly once")
    func soak() async throws {
        let generator = Mutex(SplitMix64(seed: 2026))
        let injected = Atomic<Int>(0)
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                let roll = generator.withLock { $0.next() }
                guard roll % 100 < 30 else { return .text("ok: " + (request.lastUserText ?? "")) }
                injected.add(1, ordering: .relaxed)
                return Self.faults[Int((roll / 100) % UInt64(Self.faults.count))]
            }, threads: 2)
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        // Short timeouts end the stalls quickly. On a loaded machine they may also cut healthy answers: each is still a
        // classified error line, so the give-up rule is off below — this test is about nothing lost and nothing twice,
        // not about when a target is given up (tested on its own), and its verdict does not depend on the machine.
        let timeouts = HTTPTimeouts(total: .milliseconds(300), connect: .seconds(1), idle: .milliseconds(300))
        var targets = [
            F.target("plain", endpoint: endpoint, timeouts: timeouts),
            F.target("streamed", endpoint: endpoint, stream: true, timeouts: timeouts),
        ]
        for index in targets.indices { targets[index].endpoint.maxResponseBytes = 64 * 1024 }
        var settings = F.settings(out: out, concurrency: 64)
        settings.abortAfterConsecutiveErrors = Int.max
        let summary = try await Runner(
            suites: [F.suite(count: 1000)], targets: targets,
            settings: settings, transport: F.transport, retry: F.quickRetry
        ).run()

        #expect(endpoint.requestCount >= 2000)
        #expect(injected.load(ordering: .relaxed) > 400, "the faults really were injected")
        let allowed: Set<String> = [
            "http_429", "http_500", "http_503", "malformed", "truncated", "timeout_total",
            "timeout_idle", "too_large",
        ]
        for target in summary.targets {
            #expect(target.outcome == .complete, "\(target.label)")
            #expect(target.results == 1000)
            #expect(target.passed + target.failed + target.errors == 1000)
            #expect(target.passed + target.failed > 0, "answers came through the faults")
            let lines = try F.resultLines(target.logPath)
            #expect(lines.count == 1000, "nothing lost, nothing twice")
            #expect(Set(lines.map(\.key)).count == 1000)
            for line in lines {
                switch line.status {
                case .passed, .failed:
                    #expect(
                        line.response?.content.hasPrefix("ok: golden question") == true
                            || line.response?.content == ScriptedFault.fillerContent)
                    #expect(line.error == nil)
                case .error:
                    #expect(line.response == nil && line.checks.isEmpty, "an error is never a failure")
                    let errorClass = line.error?.errorClass ?? ""
                    #expect(
                        allowed.contains(errorClass),
                        "unexpected error class \(errorClass): \(line.error?.message ?? "")")
                case .unchecked:
                    Issue.record("every case of this suite has checks: no answer may be unchecked")
                }
            }
            #expect(Set(target.errorClasses.keys).isSubset(of: allowed))
        }
    }
}
