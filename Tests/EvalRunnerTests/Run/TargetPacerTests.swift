import Testing

@testable import EvalRunner

/// The pacer's rules with time passed in: no clock, no sleeping.
@Suite("TargetPacer: adaptive concurrency and rate limits")
struct TargetPacerTests {
    let t0 = ContinuousClock.now

    @Test("the concurrency limit caps requests in flight")
    func limit() {
        var pacer = TargetPacer(maxLimit: 2, requestsPerSecond: nil, tokensPerMinute: nil)
        #expect(pacer.nextAllowedStart(now: t0) == t0)
        pacer.started(now: t0)
        pacer.started(now: t0)
        #expect(pacer.nextAllowedStart(now: t0) == nil, "full: wait for a completion")
        pacer.finished(tokens: 0, rateLimitedRetries: 0, sentAt: t0, now: t0)
        #expect(pacer.nextAllowedStart(now: t0) == t0)
    }

    @Test("a 429 halves the limit and pauses; successes grow it back one step per window")
    func additiveIncreaseMultiplicativeDecrease() {
        var pacer = TargetPacer(maxLimit: 16, requestsPerSecond: nil, tokensPerMinute: nil, pauseBase: .seconds(1))
        pacer.started(now: t0)
        pacer.rateLimited(sentAt: t0, now: t0, retryAfter: nil)
        #expect(pacer.limit == 8)
        #expect(pacer.nextAllowedStart(now: t0) == t0 + .seconds(1))
        pacer.started(now: t0 + .seconds(1))
        pacer.rateLimited(sentAt: t0 + .seconds(1), now: t0 + .seconds(1), retryAfter: nil)
        #expect(pacer.limit == 4)
        #expect(
            pacer.nextAllowedStart(now: t0 + .seconds(1)) == t0 + .seconds(3),
            "the second pause in a row is twice as long")
        // 4 successes at limit 4 → 5; 5 more → 6.
        for _ in 0..<4 {
            pacer.started(now: t0 + .seconds(3))
            pacer.finished(tokens: 0, rateLimitedRetries: 0, sentAt: t0 + .seconds(3), now: t0 + .seconds(3))
        }
        #expect(pacer.limit == 5)
        for _ in 0..<5 {
            pacer.started(now: t0 + .seconds(3))
            pacer.finished(tokens: 0, rateLimitedRetries: 0, sentAt: t0 + .seconds(3), now: t0 + .seconds(3))
        }
        #expect(pacer.limit == 6)
        // A success that needed 429 retries still slows down.
        pacer.started(now: t0 + .seconds(4))
        pacer.finished(tokens: 0, rateLimitedRetries: 1, sentAt: t0 + .seconds(4), now: t0 + .seconds(4))
        #expect(pacer.limit == 3)
    }

    @Test("429s to requests sent before the last cut do not cut again")
    func oneCutPerRound() {
        var pacer = TargetPacer(maxLimit: 16, requestsPerSecond: nil, tokensPerMinute: nil)
        for _ in 0..<3 { pacer.started(now: t0) }
        pacer.rateLimited(sentAt: t0, now: t0 + .milliseconds(10), retryAfter: .zero)
        pacer.rateLimited(sentAt: t0, now: t0 + .milliseconds(11), retryAfter: .zero)
        pacer.finished(tokens: 0, rateLimitedRetries: 1, sentAt: t0, now: t0 + .milliseconds(12))
        #expect(pacer.limit == 8, "three answers of one round: one cut")
        pacer.started(now: t0 + .milliseconds(20))
        pacer.rateLimited(sentAt: t0 + .milliseconds(20), now: t0 + .milliseconds(30), retryAfter: .zero)
        #expect(pacer.limit == 4, "a request sent after the cut cuts again")
    }

    @Test("the limit never drops below 1 nor grows above the ceiling")
    func bounds() {
        var pacer = TargetPacer(maxLimit: 2, requestsPerSecond: nil, tokensPerMinute: nil)
        for _ in 0..<5 {
            pacer.started(now: t0)
            pacer.rateLimited(sentAt: t0, now: t0, retryAfter: .zero)
        }
        #expect(pacer.limit == 1)
        for _ in 0..<20 {
            pacer.started(now: t0)
            pacer.finished(tokens: 0, rateLimitedRetries: 0, sentAt: t0, now: t0)
        }
        #expect(pacer.limit == 2)
    }

    @Test("requests per second space the starts")
    func requestsPerSecond() {
        var pacer = TargetPacer(maxLimit: 10, requestsPerSecond: 4, tokensPerMinute: nil)
        pacer.started(now: t0)
        #expect(pacer.nextAllowedStart(now: t0) == t0 + .milliseconds(250))
        pacer.started(now: t0 + .milliseconds(250))
        #expect(pacer.nextAllowedStart(now: t0 + .milliseconds(250)) == t0 + .milliseconds(500))
        #expect(pacer.nextAllowedStart(now: t0 + .seconds(2)) == t0 + .seconds(2), "idle time is not saved up")
    }

    @Test("a tokens-per-minute budget overspent waits until it refills")
    func tokensPerMinute() {
        var pacer = TargetPacer(maxLimit: 10, requestsPerSecond: nil, tokensPerMinute: 600)
        pacer.started(now: t0)
        pacer.finished(tokens: 500, rateLimitedRetries: 0, sentAt: t0, now: t0)
        #expect(pacer.nextAllowedStart(now: t0) == t0, "100 tokens left")
        pacer.started(now: t0)
        pacer.finished(tokens: 200, rateLimitedRetries: 0, sentAt: t0, now: t0)
        // 100 tokens in debt at 10 tokens per second: 10 s.
        #expect(pacer.nextAllowedStart(now: t0) == t0 + .seconds(10))
        #expect(pacer.nextAllowedStart(now: t0 + .seconds(10)) == t0 + .seconds(10))
    }

    @Test("an endpoint error frees its slot without growing the limit; a tiny rate does not overflow")
    func errorsAndTinyRates() {
        var pacer = TargetPacer(maxLimit: 4, requestsPerSecond: nil, tokensPerMinute: nil)
        pacer.started(now: t0)
        pacer.rateLimited(sentAt: t0, now: t0, retryAfter: .zero)
        #expect(pacer.limit == 2)
        for _ in 0..<10 {
            pacer.started(now: t0)
            pacer.endedWithoutAnswer()
        }
        #expect(pacer.limit == 2, "errors are not successes")
        #expect(pacer.inFlight == 0)
        var slow = TargetPacer(maxLimit: 1, requestsPerSecond: 0.001, tokensPerMinute: nil)
        slow.started(now: t0)
        slow.endedWithoutAnswer()
        #expect(slow.nextAllowedStart(now: t0) == t0 + .seconds(1000))
    }

    @Test("a server's retry-after wins over the pacer's own pause")
    func retryAfter() {
        var pacer = TargetPacer(maxLimit: 4, requestsPerSecond: nil, tokensPerMinute: nil)
        pacer.started(now: t0)
        pacer.rateLimited(sentAt: t0, now: t0, retryAfter: .seconds(7))
        #expect(pacer.nextAllowedStart(now: t0) == t0 + .seconds(7))
    }
}
