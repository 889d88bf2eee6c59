/// The time a pacer reads and waits on. The runner uses the continuous clock; tests pass a clock of their own whose
/// waits return at once, so that pacing decisions are checked without sleeping and without depending on timing.
public protocol PacingClock: Sendable {
    var now: ContinuousClock.Instant { get }
    /// Returns at `deadline`, or throws when the task is cancelled.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

/// The machine's continuous clock.
public struct SystemPacingClock: PacingClock {
    public init() {}
    public var now: ContinuousClock.Instant { .now }
    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: deadline, clock: .continuous)
    }
}

/// How fast one judge target is asked: the same rules as a model target's (`TargetPacer`) — at most `concurrency`
/// requests in flight, halved on 429s and grown back with answers, `rps` requests started per second, `tpm` tokens
/// per minute — shared by every case task that asks the judge. Judge requests are made inside the model's case
/// tasks, so the run's own concurrency bounds them too.
///
/// A request takes its start instant with `acquire()`: a free slot, then the first instant the rate limits allow,
/// booked at once (so two tasks never take the same instant) and waited for on the clock. Callers waiting for a slot
/// are served in order as slots come back.
actor JudgePacer {
    private var pacer: TargetPacer
    private let clock: any PacingClock
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0

    init(
        concurrency: Int, requestsPerSecond: Double?, tokensPerMinute: Int?, pauseBase: Duration = .seconds(1),
        clock: any PacingClock = SystemPacingClock()
    ) {
        pacer = TargetPacer(
            maxLimit: concurrency, requestsPerSecond: requestsPerSecond, tokensPerMinute: tokensPerMinute,
            pauseBase: pauseBase)
        self.clock = clock
    }

    /// Takes a slot and a start instant, waiting for both. Returns the instant the request may be sent at (now, when
    /// it returns), or nil when the task was cancelled while waiting (no slot is held then).
    func acquire() async -> ContinuousClock.Instant? {
        while true {
            if Task.isCancelled { return nil }
            let now = clock.now
            guard let allowed = pacer.nextAllowedStart(now: now) else {
                guard await waitForSlot() else { return nil }
                continue
            }
            pacer.started(now: allowed)
            if allowed > now {
                do {
                    try await clock.sleep(until: allowed)
                } catch {
                    pacer.endedWithoutAnswer()
                    wakeWaiters()
                    return nil
                }
            }
            return allowed
        }
    }

    /// The request sent at `sentAt` was answered, after `rateLimitedRetries` 429s the client retried, spending
    /// `tokens` (prompt and completion).
    func finished(tokens: Int, rateLimitedRetries: Int, sentAt: ContinuousClock.Instant) {
        pacer.finished(tokens: tokens, rateLimitedRetries: rateLimitedRetries, sentAt: sentAt, now: clock.now)
        wakeWaiters()
    }

    /// The request sent at `sentAt` ended with a 429 after the client's retries: fewer at once, and a pause.
    func rateLimited(sentAt: ContinuousClock.Instant, retryAfter: Duration?) {
        pacer.rateLimited(sentAt: sentAt, now: clock.now, retryAfter: retryAfter)
        wakeWaiters()
    }

    /// The request ended without an answer (another error): its slot is free.
    func endedWithoutAnswer() {
        pacer.endedWithoutAnswer()
        wakeWaiters()
    }

    /// Requests waiting for a slot.
    var waiting: Int { waiters.count }
    /// Requests holding a slot, and how many may.
    var inFlight: Int { pacer.inFlight }
    var limit: Int { pacer.limit }

    /// Waits for a slot to come back; false when the task was cancelled while waiting.
    private func waitForSlot() async -> Bool {
        let id = nextID
        nextID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: false)
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Wakes as many waiters, first first, as there are free slots.
    private func wakeWaiters() {
        var free = pacer.limit - pacer.inFlight
        while free > 0, !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: true)
            free -= 1
        }
    }

    private func cancel(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }
}
