import Testing

@testable import EvalRunner

/// The run loop's decisions with time passed in: instants built from one base, no clock read after it, no sleeping.
@Suite("RunScheduler: what starts, when to wake, what a 429 or an error in a row means")
struct RunSchedulerTests {
    typealias Scheduler = RunScheduler<String>

    let t0 = ContinuousClock.now

    // MARK: helpers

    static func items(_ count: Int, suite: Int32 = 0) -> [WorkItem] {
        (0..<count).map { WorkItem(suite: suite, caseIndex: Int32($0), repeatIndex: 0) }
    }

    static func item(_ caseIndex: Int32) -> WorkItem {
        WorkItem(suite: 0, caseIndex: caseIndex, repeatIndex: 0)
    }

    /// A queue of `count` items, those at `cached` positions set aside as answered from the cache (entry `e<n>`).
    static func queue(_ count: Int, cached: Set<Int32> = []) -> WorkQueue<String> {
        var queue = WorkQueue<String>(items: items(count))
        if !cached.isEmpty {
            queue.setAsideCached { cached.contains($0.caseIndex) ? "e\($0.caseIndex)" : nil }
        }
        return queue
    }

    static func pacer(maxLimit: Int = 16, requestsPerSecond: Double? = nil) -> TargetPacer {
        TargetPacer(
            maxLimit: maxLimit, requestsPerSecond: requestsPerSecond, tokensPerMinute: nil, pauseBase: .seconds(1))
    }

    static func limits(
        concurrency: Int = 16, errorsInARow: Int = 25, budget: Int = 100, wait: Duration = .seconds(900),
        requeues: Int = 5
    ) -> Scheduler.Limits {
        Scheduler.Limits(
            concurrency: concurrency, abortAfterConsecutiveErrors: errorsInARow, rateLimitBudget: budget,
            rateLimitWait: wait, maxRateLimitRequeues: requeues)
    }

    static func scheduler(
        _ queues: [WorkQueue<String>], pacers: [TargetPacer]? = nil, limits: Scheduler.Limits = limits()
    ) -> Scheduler {
        Scheduler(queues: queues, pacers: pacers ?? queues.map { _ in pacer() }, limits: limits)
    }

    /// Where each start goes: target and case, in order.
    static func picked(_ starts: [Scheduler.Start]) -> [[Int]] {
        starts.map { [$0.target, Int($0.item.caseIndex)] }
    }

    /// Feeds an answer from the endpoint for `start` back.
    static func answer(
        _ scheduler: inout Scheduler, _ start: Scheduler.Start, sentAt: ContinuousClock.Instant,
        now: ContinuousClock.Instant
    ) {
        scheduler.answered(
            target: start.target, paced: start.paced, fromCache: !start.paced, tokens: 0, rateLimitedRetries: 0,
            sentAt: sentAt, now: now)
    }

    // MARK: starts

    @Test("cached answers start first, in order, outside the pacer; paced items follow within its limit")
    func cachedFirst() {
        // A pacer of one request at a time and one per second would hold back every paced item but the first.
        var scheduler = Self.scheduler(
            [Self.queue(5, cached: [1, 3, 4])], pacers: [Self.pacer(maxLimit: 1, requestsPerSecond: 1)])
        let (starts, wakeAt) = scheduler.starts(now: t0)
        #expect(Self.picked(starts) == [[0, 1], [0, 3], [0, 4], [0, 0]])
        #expect(starts.map(\.entry) == ["e1", "e3", "e4", nil])
        #expect(starts.map(\.paced) == [false, false, false, true])
        #expect(scheduler.inFlight == 4)
        #expect(scheduler.pacers[0].inFlight == 1, "cached starts take no slot of the pacer")
        #expect(wakeAt == nil, "the pacer is full: only a completion frees a start")
    }

    @Test("cached answers still count against the run's concurrency; each call's round starts at the first target")
    func cachedBoundedByConcurrency() {
        var scheduler = Self.scheduler(
            [Self.queue(3, cached: [0, 1, 2]), Self.queue(3, cached: [0, 1])], limits: Self.limits(concurrency: 3))
        let first = scheduler.starts(now: t0).starts
        #expect(Self.picked(first) == [[0, 0], [1, 0], [0, 1]])
        #expect(first.allSatisfy { !$0.paced })
        #expect(scheduler.starts(now: t0).starts.isEmpty, "the run's limit is full")
        Self.answer(&scheduler, first[0], sentAt: t0, now: t0)
        #expect(Self.picked(scheduler.starts(now: t0).starts) == [[0, 2]])
        Self.answer(&scheduler, first[1], sentAt: t0, now: t0)
        #expect(Self.picked(scheduler.starts(now: t0).starts) == [[1, 1]])
        #expect(scheduler.queues.map(\.count) == [0, 1], "target 1's uncached item waits for a free slot")
    }

    @Test("a cached answer leaves the pacer and the 429 streak alone")
    func cachedAnswerIsUnpaced() {
        var scheduler = Self.scheduler(
            [Self.queue(4, cached: [3])], pacers: [Self.pacer(maxLimit: 2)],
            limits: Self.limits(concurrency: 4, budget: 2))
        let starts = scheduler.starts(now: t0).starts
        #expect(Self.picked(starts) == [[0, 3], [0, 0], [0, 1]])
        #expect(
            scheduler.rateLimited(
                target: 0, item: Self.item(0), paced: true, serverPause: nil, sentAt: t0, now: t0) == .requeued)
        Self.answer(&scheduler, starts[0], sentAt: t0, now: t0)
        #expect(scheduler.pacers[0].inFlight == 1, "the cached answer freed no paced slot")
        // An answer from the cache is not an answer from the endpoint: the streak goes on.
        #expect(
            scheduler.rateLimited(target: 0, item: Self.item(1), paced: true, serverPause: nil, sentAt: t0, now: t0)
                == .targetGivenUp(
                    reason: "rate limited (429) 2 times in a row over 0 s without an answer (budget: 2 in a row, 900 s)"
                ))
    }

    @Test("paced starts go round-robin across targets and go on where they left off")
    func roundRobin() {
        var scheduler = Self.scheduler(
            [Self.queue(3), Self.queue(3), Self.queue(3)], limits: Self.limits(concurrency: 4))
        let first = scheduler.starts(now: t0).starts
        #expect(Self.picked(first) == [[0, 0], [1, 0], [2, 0], [0, 1]])
        // Target 0 frees the slot, but target 1 is next in turn.
        Self.answer(&scheduler, first[0], sentAt: t0, now: t0)
        #expect(Self.picked(scheduler.starts(now: t0).starts) == [[1, 1]])
        Self.answer(&scheduler, first[1], sentAt: t0, now: t0)
        #expect(Self.picked(scheduler.starts(now: t0).starts) == [[2, 1]])
    }

    @Test("a target with nothing left, or a full pacer, is skipped in the round")
    func roundRobinSkips() {
        var scheduler = Self.scheduler(
            [Self.queue(0), Self.queue(3), Self.queue(3)],
            pacers: [Self.pacer(), Self.pacer(maxLimit: 1), Self.pacer()], limits: Self.limits(concurrency: 4))
        let (starts, wakeAt) = scheduler.starts(now: t0)
        #expect(Self.picked(starts) == [[1, 0], [2, 0], [2, 1], [2, 2]])
        #expect(wakeAt == nil)
    }

    @Test("the run's concurrency bounds starts across targets; each completion frees one start")
    func concurrencyBound() {
        var scheduler = Self.scheduler([Self.queue(10), Self.queue(10)], limits: Self.limits(concurrency: 3))
        let first = scheduler.starts(now: t0).starts
        #expect(first.count == 3)
        #expect(scheduler.inFlight == 3)
        #expect(scheduler.starts(now: t0 + .seconds(1)).starts.isEmpty)
        Self.answer(&scheduler, first[1], sentAt: t0, now: t0 + .seconds(1))
        #expect(scheduler.inFlight == 2)
        #expect(scheduler.starts(now: t0 + .seconds(1)).starts.count == 1)
        #expect(scheduler.inFlight == 3)
    }

    @Test("concurrency 1: one item at a time, alternating targets, cached ones first")
    func concurrencyOne() {
        var scheduler = Self.scheduler(
            [Self.queue(2, cached: [1]), Self.queue(2)], limits: Self.limits(concurrency: 1))
        var order: [[Int]] = []
        var now = t0
        while !scheduler.isFinished {
            let starts = scheduler.starts(now: now).starts
            #expect(starts.count == 1)
            guard let start = starts.first else { break }
            order += Self.picked(starts)
            now += .milliseconds(10)
            Self.answer(&scheduler, start, sentAt: now - .milliseconds(10), now: now)
        }
        #expect(order == [[0, 1], [0, 0], [1, 0], [1, 1]])
    }

    // MARK: waking

    @Test("wakeAt is the earliest paced start that is not allowed yet")
    func wakeAtEarliest() {
        var scheduler = Self.scheduler(
            [Self.queue(3), Self.queue(3)],
            pacers: [Self.pacer(requestsPerSecond: 1), Self.pacer(requestsPerSecond: 2)])
        let first = scheduler.starts(now: t0)
        #expect(Self.picked(first.starts) == [[0, 0], [1, 0]])
        #expect(first.wakeAt == t0 + .milliseconds(500), "target 1's next slot, before target 0's at 1 s")
        let early = scheduler.starts(now: t0 + .milliseconds(200))
        #expect(early.starts.isEmpty, "woken early: nothing is allowed yet")
        #expect(early.wakeAt == t0 + .milliseconds(500))
        let second = scheduler.starts(now: t0 + .milliseconds(500))
        #expect(Self.picked(second.starts) == [[1, 1]])
        #expect(second.wakeAt == t0 + .seconds(1), "both targets' next slots are at 1 s")
    }

    @Test("no wakeAt when nothing waits on time: a full pacer waits for a completion, an empty queue for nothing")
    func noWakeAt() {
        var scheduler = Self.scheduler(
            [Self.queue(3), Self.queue(1)], pacers: [Self.pacer(maxLimit: 1), Self.pacer(requestsPerSecond: 1)])
        let (starts, wakeAt) = scheduler.starts(now: t0)
        #expect(Self.picked(starts) == [[0, 0], [1, 0]])
        #expect(wakeAt == nil, "target 1's next slot does not matter: it has nothing left")
    }

    @Test("a 429's pause holds the target's next start back, and wakeAt is when it ends")
    func wakeAtAfterPause() {
        var scheduler = Self.scheduler([Self.queue(2)], limits: Self.limits(concurrency: 1))
        let start = scheduler.starts(now: t0).starts[0]
        let verdict = scheduler.rateLimited(
            target: 0, item: start.item, paced: true, serverPause: .seconds(3), sentAt: t0, now: t0 + .seconds(1))
        #expect(verdict == .requeued)
        let waiting = scheduler.starts(now: t0 + .seconds(1))
        #expect(waiting.starts.isEmpty)
        #expect(waiting.wakeAt == t0 + .seconds(4), "the pause the server asked for")
        #expect(Self.picked(scheduler.starts(now: t0 + .seconds(4)).starts) == [[0, 0]], "the requeued item first")
    }

    // MARK: 429s

    @Test("a 429 puts the item back in its target's queue, ahead of the items not sent yet")
    func requeued() {
        var scheduler = Self.scheduler([Self.queue(3)], limits: Self.limits(concurrency: 2))
        let starts = scheduler.starts(now: t0).starts
        #expect(Self.picked(starts) == [[0, 0], [0, 1]])
        let verdict = scheduler.rateLimited(
            target: 0, item: starts[1].item, paced: true, serverPause: nil, sentAt: t0, now: t0)
        #expect(verdict == .requeued)
        #expect(scheduler.inFlight == 1)
        #expect(scheduler.queues[0].count == 2)
        #expect(scheduler.pacers[0].limit == 8, "the pacer halved its limit")
        // The pacer's own pause: 1 s.
        #expect(scheduler.starts(now: t0).wakeAt == t0 + .seconds(1))
        #expect(Self.picked(scheduler.starts(now: t0 + .seconds(1)).starts) == [[0, 1]])
    }

    @Test("a case is given up after maxRateLimitRequeues requeues")
    func caseGivenUpByCount() {
        var scheduler = Self.scheduler([Self.queue(1)], limits: Self.limits(requeues: 2))
        var now = t0
        var verdicts: [Scheduler.RateLimitVerdict] = []
        for _ in 0..<3 {
            let start = scheduler.starts(now: now).starts
            #expect(start.count == 1)
            verdicts.append(
                scheduler.rateLimited(
                    target: 0, item: Self.item(0), paced: true, serverPause: .seconds(2), sentAt: now,
                    now: now + .seconds(1)))
            now += .seconds(3)
        }
        #expect(
            verdicts == [
                .requeued, .requeued,
                .caseGivenUp(note: "still rate limited after 2 requeues over 6 s (budget: 2 requeues, 900 s)"),
            ])
        #expect(!scheduler.queues[0].hasWork, "given up, not put back")
        #expect(scheduler.isFinished)
        #expect(!scheduler.aborted[0], "the target goes on")
    }

    @Test("a case is given up after rateLimitWait, even when answers to other cases reset the target's streak")
    func caseGivenUpByTime() {
        var scheduler = Self.scheduler([Self.queue(2)], limits: Self.limits(wait: .seconds(10), requeues: 100))
        let starts = scheduler.starts(now: t0).starts
        #expect(Self.picked(starts) == [[0, 0], [0, 1]])
        #expect(
            scheduler.rateLimited(
                target: 0, item: Self.item(0), paced: true, serverPause: nil, sentAt: t0, now: t0) == .requeued)
        Self.answer(&scheduler, starts[1], sentAt: t0, now: t0 + .seconds(6))
        #expect(Self.picked(scheduler.starts(now: t0 + .seconds(6)).starts) == [[0, 0]])
        let verdict = scheduler.rateLimited(
            target: 0, item: Self.item(0), paced: true, serverPause: nil, sentAt: t0 + .seconds(6),
            now: t0 + .seconds(11))
        #expect(
            verdict == .caseGivenUp(note: "still rate limited after 1 requeues over 11 s (budget: 100 requeues, 10 s)"))
        #expect(!scheduler.aborted[0])
        #expect(scheduler.isFinished)
    }

    @Test("a target is given up after rateLimitBudget 429s in a row; nothing of it starts any more")
    func targetGivenUpByCount() {
        var scheduler = Self.scheduler(
            [Self.queue(5), Self.queue(2)], pacers: [Self.pacer(), Self.pacer()],
            limits: Self.limits(concurrency: 2, budget: 3))
        var now = t0
        var verdicts: [Scheduler.RateLimitVerdict] = []
        for _ in 0..<3 {
            // Target 1 answers in between: its answers do not reset target 0's streak.
            let starts = scheduler.starts(now: now).starts
            for start in starts where start.target == 1 { Self.answer(&scheduler, start, sentAt: now, now: now) }
            let requeued = starts.first { $0.target == 0 }
            #expect(requeued?.item == Self.item(0), "the requeued item goes first")
            verdicts.append(
                scheduler.rateLimited(
                    target: 0, item: Self.item(0), paced: true, serverPause: nil, sentAt: now,
                    now: now + .milliseconds(500)))
            now += .seconds(40)
        }
        #expect(
            verdicts == [
                .requeued, .requeued,
                .targetGivenUp(
                    reason:
                        "rate limited (429) 3 times in a row over 80 s without an answer (budget: 3 in a row, 900 s)"
                ),
            ])
        #expect(scheduler.aborted == [true, false])
        #expect(scheduler.queues[0].count == 3, "cases 2 to 4 stay missing, for a resume")
        #expect(scheduler.starts(now: now).starts.isEmpty)
        #expect(scheduler.inFlight == 1, "case 1 went out with case 0 once target 1 had nothing left")
        #expect(!scheduler.isFinished)
        scheduler.answered(
            target: 0, paced: true, fromCache: false, tokens: 0, rateLimitedRetries: 0, sentAt: now, now: now)
        #expect(scheduler.isFinished, "target 1 is done and target 0 was given up")
    }

    @Test("a target is given up at once when the pause the server asks for would end past rateLimitWait")
    func targetGivenUpByServerPause() {
        var scheduler = Self.scheduler([Self.queue(2)], limits: Self.limits(wait: .seconds(60)))
        _ = scheduler.starts(now: t0)
        let verdict = scheduler.rateLimited(
            target: 0, item: Self.item(0), paced: true, serverPause: .seconds(90), sentAt: t0, now: t0)
        #expect(
            verdict
                == .targetGivenUp(
                    reason: "rate limited (429) 1 times in a row over 0 s without an answer, the server asking to wait"
                        + " 90 s more (budget: 100 in a row, 60 s)"))
        #expect(scheduler.aborted == [true])
    }

    @Test("an answer from the endpoint resets the target's 429 streak")
    func answerResetsStreak() {
        var scheduler = Self.scheduler(
            [Self.queue(6)], pacers: [Self.pacer(maxLimit: 6)], limits: Self.limits(concurrency: 6, budget: 3))
        let starts = scheduler.starts(now: t0).starts
        #expect(starts.count == 6)
        func limited(_ caseIndex: Int32) -> Scheduler.RateLimitVerdict {
            scheduler.rateLimited(
                target: 0, item: Self.item(caseIndex), paced: true, serverPause: nil, sentAt: t0, now: t0)
        }
        #expect(limited(0) == .requeued)
        #expect(limited(1) == .requeued)
        scheduler.answered(
            target: 0, paced: true, fromCache: false, tokens: 0, rateLimitedRetries: 0, sentAt: t0, now: t0)
        #expect(limited(3) == .requeued, "one 429 since the answer")
        #expect(limited(4) == .requeued, "two")
        #expect(
            limited(5)
                == .targetGivenUp(
                    reason: "rate limited (429) 3 times in a row over 0 s without an answer (budget: 3 in a row, 900 s)"
                ),
            "the third 429 since the answer spends the budget")
    }

    @Test("in-flight items of a target given up are dropped: not recorded, not requeued")
    func inFlightOfAbortedDropped() {
        var scheduler = Self.scheduler(
            [Self.queue(5)], pacers: [Self.pacer(maxLimit: 4)], limits: Self.limits(concurrency: 4, budget: 1))
        let starts = scheduler.starts(now: t0).starts
        #expect(starts.count == 4)
        let first = scheduler.rateLimited(
            target: 0, item: Self.item(0), paced: true, serverPause: nil, sentAt: t0, now: t0)
        #expect(
            first
                == .targetGivenUp(
                    reason: "rate limited (429) 1 times in a row over 0 s without an answer (budget: 1 in a row, 900 s)"
                ))
        #expect(
            scheduler.rateLimited(target: 0, item: Self.item(1), paced: true, serverPause: nil, sentAt: t0, now: t0)
                == .dropped)
        #expect(scheduler.queues[0].count == 1, "neither item went back in the queue")
        #expect(!scheduler.isFinished, "two requests are still out")
        scheduler.endedWithoutAnswer(target: 0, item: Self.item(2), paced: true)
        Self.answer(&scheduler, starts[3], sentAt: t0, now: t0)
        #expect(scheduler.inFlight == 0)
        #expect(scheduler.pacers[0].inFlight == 0)
        #expect(scheduler.isFinished)
    }

    // MARK: errors in a row

    @Test("a target is given up after abortAfterConsecutiveErrors errors in a row; any other result resets the count")
    func errorsInARow() {
        var scheduler = Self.scheduler([Self.queue(10), Self.queue(10)], limits: Self.limits(errorsInARow: 3))
        #expect(scheduler.recorded(target: 0, isError: true) == nil)
        #expect(scheduler.recorded(target: 0, isError: true) == nil)
        #expect(scheduler.recorded(target: 1, isError: true) == nil, "each target counts its own")
        #expect(scheduler.recorded(target: 0, isError: false) == nil)
        #expect(scheduler.recorded(target: 0, isError: true) == nil)
        #expect(scheduler.recorded(target: 0, isError: true) == nil)
        #expect(!scheduler.aborted[0])
        #expect(scheduler.recorded(target: 0, isError: true) == 3)
        #expect(scheduler.aborted == [true, false])
        #expect(scheduler.recorded(target: 0, isError: true) == nil, "given up once")
        #expect(Set(scheduler.starts(now: t0).starts.map(\.target)) == [1])
    }

    @Test("abort(target:) says whether the target was given up by this call")
    func abortOnce() {
        var scheduler = Self.scheduler([Self.queue(1)])
        let first = scheduler.abort(target: 0)
        let second = scheduler.abort(target: 0)
        #expect(first)
        #expect(!second)
        #expect(scheduler.aborted == [true])
    }

    // MARK: stopping and finishing

    @Test("after stop() nothing starts; the run is finished once what is in flight has ended")
    func stop() {
        var scheduler = Self.scheduler([Self.queue(4, cached: [3])], limits: Self.limits(concurrency: 2))
        let starts = scheduler.starts(now: t0).starts
        #expect(starts.count == 2)
        scheduler.stop()
        Self.answer(&scheduler, starts[0], sentAt: t0, now: t0)
        let after = scheduler.starts(now: t0 + .seconds(1))
        #expect(after.starts.isEmpty)
        #expect(after.wakeAt == nil)
        #expect(!scheduler.isFinished)
        scheduler.endedWithoutAnswer(target: 0, item: nil, paced: starts[1].paced)
        #expect(scheduler.isFinished)
        #expect(scheduler.queues[0].count == 2, "the rest stays in the queue, for a resume")
    }

    @Test("isFinished: false while work is left or in flight, true once all has ended")
    func isFinished() {
        var scheduler = Self.scheduler([Self.queue(2), Self.queue(1)])
        #expect(!scheduler.isFinished)
        let starts = scheduler.starts(now: t0).starts
        #expect(starts.count == 3)
        #expect(!scheduler.isFinished, "nothing left to start, but three in flight")
        for start in starts.dropLast() { Self.answer(&scheduler, start, sentAt: t0, now: t0) }
        #expect(!scheduler.isFinished)
        scheduler.endedWithoutAnswer(target: starts[2].target, item: starts[2].item, paced: true)
        #expect(scheduler.isFinished)
    }

    // MARK: edges

    @Test("no work at all: empty queues, or no targets, are finished before anything starts")
    func emptyQueues() {
        var empty = Self.scheduler([Self.queue(0), Self.queue(0)])
        #expect(empty.isFinished)
        let (starts, wakeAt) = empty.starts(now: t0)
        #expect(starts.isEmpty)
        #expect(wakeAt == nil)
        var none = Self.scheduler([])
        #expect(none.isFinished)
        #expect(none.starts(now: t0).starts.isEmpty)
    }

    @Test("all targets given up: nothing starts and the run is finished, though work is left")
    func allAborted() {
        var scheduler = Self.scheduler([Self.queue(3, cached: [0]), Self.queue(3)])
        scheduler.abort(target: 0)
        scheduler.abort(target: 1)
        let (starts, wakeAt) = scheduler.starts(now: t0)
        #expect(starts.isEmpty, "not even the cached answers")
        #expect(wakeAt == nil)
        #expect(scheduler.queues.map(\.count) == [3, 3])
        #expect(scheduler.isFinished)
    }

    @Test("the limits are read from the run's settings")
    func limitsFromSettings() {
        let settings = RunSettings(
            outDirectory: "/nonexistent", concurrency: 7, abortAfterConsecutiveErrors: 9, maxRateLimitRequeues: 4,
            rateLimitBudget: 11, rateLimitWait: .seconds(30), toolVersion: "test")
        let limits = Scheduler.Limits(settings)
        #expect(limits.concurrency == 7)
        #expect(limits.abortAfterConsecutiveErrors == 9)
        #expect(limits.maxRateLimitRequeues == 4)
        #expect(limits.rateLimitBudget == 11)
        #expect(limits.rateLimitWait == .seconds(30))
    }
}
