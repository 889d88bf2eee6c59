/// How fast one target may be sent requests: a concurrency limit that halves when the server answers 429 and grows
/// back one step per window of successes (additive increase, multiplicative decrease, as TCP does), an optional
/// spacing for requests per second, and an optional budget of tokens per minute.
///
/// A value owned by the run loop; time is passed in, so its rules are tested without a clock.
struct TargetPacer: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// The ceiling: the target's own limit, or the run's.
    let maxLimit: Int
    /// The current limit, between 1 and `maxLimit`.
    private(set) var limit: Int
    private(set) var inFlight = 0
    private var successesAtLimit = 0
    /// After a 429, nothing new starts before this.
    private(set) var pausedUntil: Instant?
    private var pauses = 0
    /// When the limit was last cut: a 429 to a request sent before then was already answered for (one cut per
    /// round of requests, as TCP cuts once per round trip).
    private var lastCut: Instant?

    let requestsPerSecond: Double?
    private var nextStart: Instant?

    /// The first pause after a 429; each further one in a row doubles, up to 32 times this.
    let pauseBase: Duration

    let tokensPerMinute: Int?
    /// Tokens that may still be spent; refills continuously at `tokensPerMinute / 60` per second, up to a minute's worth.
    private var tokenBalance: Double
    private var balanceUpdated: Instant?

    init(maxLimit: Int, requestsPerSecond: Double?, tokensPerMinute: Int?, pauseBase: Duration = .seconds(1)) {
        self.pauseBase = pauseBase
        self.maxLimit = max(1, maxLimit)
        self.limit = self.maxLimit
        self.requestsPerSecond = requestsPerSecond.flatMap { $0 > 0 ? $0 : nil }
        self.tokensPerMinute = tokensPerMinute.flatMap { $0 > 0 ? $0 : nil }
        self.tokenBalance = Double(self.tokensPerMinute ?? 0)
    }

    /// When the next request may start: nil when the concurrency limit is full (wait for a completion), `now` or
    /// earlier when it may start at once, else the instant at which the rate limits allow it.
    mutating func nextAllowedStart(now: Instant) -> Instant? {
        guard inFlight < limit else { return nil }
        var earliest = now
        if let pausedUntil, pausedUntil > earliest { earliest = pausedUntil }
        if let nextStart, nextStart > earliest { earliest = nextStart }
        if let tokensPerMinute {
            refill(now: now)
            if tokenBalance < 0 {
                let perSecond = Double(tokensPerMinute) / 60
                let wait = Duration.milliseconds(Int64((-tokenBalance / perSecond * 1000).rounded(.up)))
                if now + wait > earliest { earliest = now + wait }
            }
        }
        return earliest
    }

    mutating func started(now: Instant) {
        inFlight += 1
        if let requestsPerSecond {
            // Duration.seconds(Double) cannot overflow for the tiny rates Int64 nanoseconds could not hold.
            let spacing = Duration.seconds(1 / requestsPerSecond)
            nextStart = max(nextStart ?? now, now) + spacing
        }
    }

    /// A request sent at `sentAt` ended with an answer (or a final error that was not a 429).
    mutating func finished(tokens: Int, rateLimitedRetries: Int, sentAt: Instant, now: Instant) {
        inFlight = max(0, inFlight - 1)
        spend(tokens: tokens, now: now)
        if rateLimitedRetries > 0 {
            slowDown(sentAt: sentAt, now: now, retryAfter: nil)
            return
        }
        successesAtLimit += 1
        if successesAtLimit >= limit, limit < maxLimit {
            limit += 1
            successesAtLimit = 0
        }
        pauses = 0
    }

    /// The server answered 429 even after the client's retries: halve the limit and pause before the next start.
    mutating func rateLimited(sentAt: Instant, now: Instant, retryAfter: Duration?) {
        inFlight = max(0, inFlight - 1)
        slowDown(sentAt: sentAt, now: now, retryAfter: retryAfter)
    }

    /// A request that ended without an answer (an endpoint error, or cancelled): it frees its slot and counts
    /// neither as a success (which would grow the limit) nor as a 429.
    mutating func endedWithoutAnswer() {
        inFlight = max(0, inFlight - 1)
    }

    private mutating func slowDown(sentAt: Instant, now: Instant, retryAfter: Duration?) {
        if let lastCut, sentAt < lastCut { return }
        lastCut = now
        limit = max(1, limit / 2)
        successesAtLimit = 0
        pauses += 1
        // 1 s, 2 s, 4 s ... up to 32 s while 429s keep coming (with the default base), unless the server said how long.
        let backoff = retryAfter ?? pauseBase * (1 << min(pauses - 1, 5))
        let until = now + backoff
        if pausedUntil == nil || until > pausedUntil! { pausedUntil = until }
    }

    private mutating func spend(tokens: Int, now: Instant) {
        guard tokensPerMinute != nil, tokens > 0 else { return }
        refill(now: now)
        tokenBalance -= Double(tokens)
    }

    private mutating func refill(now: Instant) {
        guard let tokensPerMinute else { return }
        if let balanceUpdated {
            let elapsed =
                Double((now - balanceUpdated).components.seconds) + Double(
                    (now - balanceUpdated).components.attoseconds) / 1e18
            tokenBalance = min(Double(tokensPerMinute), tokenBalance + elapsed * Double(tokensPerMinute) / 60)
        }
        balanceUpdated = now
    }
}
