import Synchronization
import Testing

@testable import EvalRunner

/// A clock whose waits return at once, moving its time to the deadline: pacing decisions are read off the deadlines
/// asked for, never measured.
final class VirtualClock: PacingClock {
    private let state: Mutex<(now: ContinuousClock.Instant, sleeps: [ContinuousClock.Instant])>
    let start: ContinuousClock.Instant

    init() {
        let start = ContinuousClock.now
        self.start = start
        state = Mutex((start, []))
    }

    var now: ContinuousClock.Instant { state.withLock { $0.now } }

    func sleep(until deadline: ContinuousClock.Instant) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(deadline)
            if deadline > state.now { state.now = deadline }
        }
    }

    func advance(by duration: Duration) {
        state.withLock { $0.now += duration }
    }

    /// The deadlines waited for, as offsets from the start, in milliseconds, sorted.
    var sleeps: [Int64] {
        state.withLock { $0.sleeps }.map { Self.milliseconds($0 - start) }.sorted()
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

@Suite("JudgePacer: a judge's concurrency, requests per second and tokens per minute, decided on a virtual clock")
struct JudgePacerTests {
    /// Waits (yielding, never sleeping) until `pacer` has `count` waiters.
    static func waitForWaiters(_ pacer: JudgePacer, _ count: Int) async {
        while await pacer.waiting != count { await Task.yield() }
    }

    static func offset(_ instant: ContinuousClock.Instant?, _ clock: VirtualClock) -> Int64? {
        instant.map { VirtualClock.milliseconds($0 - clock.start) }
    }

    @Test func requestsPerSecondSpaceTheStarts() async {
        let clock = VirtualClock()
        let pacer = JudgePacer(concurrency: 8, requestsPerSecond: 2, tokensPerMinute: nil, clock: clock)
        var starts: [Int64?] = []
        for _ in 0..<4 { starts.append(Self.offset(await pacer.acquire(), clock)) }
        #expect(starts == [0, 500, 1000, 1500])
        #expect(clock.sleeps == [500, 1000, 1500], "the first starts at once; each other waits for its own slot")
        #expect(await pacer.inFlight == 4)
    }

    @Test func tokensPerMinuteHoldTheNextStartUntilTheBudgetRefills() async {
        let clock = VirtualClock()
        let pacer = JudgePacer(concurrency: 8, requestsPerSecond: nil, tokensPerMinute: 600, clock: clock)
        let first = await pacer.acquire()
        #expect(Self.offset(first, clock) == 0)
        // 600 tokens a minute refill at 10 a second; spending 1200 at once leaves -600: a minute to wait.
        await pacer.finished(tokens: 1200, rateLimitedRetries: 0, sentAt: first!)
        #expect(Self.offset(await pacer.acquire(), clock) == 60_000)
        #expect(clock.sleeps == [60_000])
        // The budget is back to 0 at 60 s; 10 tokens spent then refill in a second: the third starts at once.
        await pacer.finished(tokens: 10, rateLimitedRetries: 0, sentAt: clock.now)
        clock.advance(by: .seconds(1))
        #expect(Self.offset(await pacer.acquire(), clock) == 61_000)
        #expect(clock.sleeps == [60_000])
    }

    @Test func aRateLimitedJudgeHalvesItsConcurrencyAndPausesAsTheServerAsks() async {
        let clock = VirtualClock()
        let pacer = JudgePacer(concurrency: 4, requestsPerSecond: nil, tokensPerMinute: nil, clock: clock)
        let sent = await pacer.acquire()!
        await pacer.rateLimited(sentAt: sent, retryAfter: .seconds(3))
        #expect(await pacer.limit == 2)
        #expect(Self.offset(await pacer.acquire(), clock) == 3000)
        #expect(clock.sleeps == [3000])
    }

    @Test func slotsAreHandedOnInOrder() async {
        let clock = VirtualClock()
        let pacer = JudgePacer(concurrency: 1, requestsPerSecond: nil, tokensPerMinute: nil, clock: clock)
        let held = await pacer.acquire()
        #expect(held != nil)
        let order = Recorder<String>()
        let second = Task {
            let got = await pacer.acquire()
            order.append("second")
            return got != nil
        }
        await Self.waitForWaiters(pacer, 1)
        let third = Task {
            let got = await pacer.acquire()
            order.append("third")
            return got != nil
        }
        await Self.waitForWaiters(pacer, 2)
        #expect(order.all.isEmpty, "both wait while the slot is held")
        await pacer.endedWithoutAnswer()
        #expect(await second.value)
        #expect(order.all == ["second"])
        await pacer.finished(tokens: 0, rateLimitedRetries: 0, sentAt: clock.now)
        #expect(await third.value)
        #expect(order.all == ["second", "third"])
        #expect(clock.sleeps.isEmpty, "no rate limit: nothing waits on the clock")
    }

    @Test func aCancelledWaiterGivesUpWithoutASlot() async {
        let clock = VirtualClock()
        let pacer = JudgePacer(concurrency: 1, requestsPerSecond: nil, tokensPerMinute: nil, clock: clock)
        #expect(await pacer.acquire() != nil)
        let waiter = Task { await pacer.acquire() }
        await Self.waitForWaiters(pacer, 1)
        waiter.cancel()
        #expect(await waiter.value == nil)
        #expect(await pacer.waiting == 0)
        await pacer.endedWithoutAnswer()
        #expect(await pacer.inFlight == 0, "the cancelled waiter took no slot")
        #expect(await pacer.acquire() != nil)
    }
}
