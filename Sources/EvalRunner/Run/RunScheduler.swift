import EvalCore

/// The run loop's decisions, without its I/O: which item starts next on which target (cached answers first, then
/// round-robin through each target's pacer, within the run's concurrency), when the loop must wake for the next
/// start, and what an ended request means (a 429 goes back in the queue, or gives the case or the whole target up
/// once its budget is spent; errors in a row give the target up). A value over instants passed in, so its rules are
/// tested without a clock or a sleep; `Runner.run()` owns the task group, the logs and the progress around it.
///
/// `Entry` is where a cached answer is (`ResponseCache.Entry` in a run): the scheduler only hands it back with the
/// item it belongs to.
struct RunScheduler<Entry: Sendable>: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// The bounds of the run (from `RunSettings`).
    struct Limits: Sendable {
        /// Requests in flight across all targets.
        var concurrency: Int
        /// Errors in a row (recorded results) after which a target is given up.
        var abortAfterConsecutiveErrors: Int
        /// 429s in a row a target may get without an answer before it is given up.
        var rateLimitBudget: Int
        /// How long a target (or one case) may stay rate limited before it is given up.
        var rateLimitWait: Duration
        /// Times one case refused with 429 goes back in the queue before it is recorded as an error.
        var maxRateLimitRequeues: Int
    }

    /// An item to start now: `entry` is its cache entry when it is answered from the cache, outside the pacer.
    struct Start: Sendable {
        var target: Int
        var item: WorkItem
        var entry: Entry?

        /// Whether it went through its target's pacer (it did unless it is expected from the cache).
        var paced: Bool { entry == nil }
    }

    /// What a request refused with 429 (after the client's retries) comes to.
    enum RateLimitVerdict: Sendable, Equatable {
        /// Back in its target's queue, to be sent again once the pacer allows.
        case requeued
        /// Recorded as an error with this note: the case was requeued as often or as long as allowed.
        case caseGivenUp(note: String)
        /// Recorded as an error with this reason, and the target given up: its 429s in a row spent the budget.
        case targetGivenUp(reason: String)
        /// Not recorded: its target was given up while it was in flight (a resume runs it).
        case dropped
    }

    let limits: Limits
    private(set) var queues: [WorkQueue<Entry>]
    private(set) var pacers: [TargetPacer]
    /// Started items that have not ended yet, across all targets.
    private(set) var inFlight = 0
    /// Targets given up: nothing more of theirs starts.
    private(set) var aborted: [Bool]
    /// No more starts at all (the run was interrupted or its log could not be written).
    private(set) var stopped = false
    /// Where the round-robin through the paced queues goes on.
    private var nextTarget = 0
    /// Each target's 429s since its last answer from the endpoint; nil while answers come.
    private var streaks: [RateLimitStreak?]
    /// Each target's error results in a row.
    private var errorsInARow: [Int]
    private var requeues: [RequeueKey: Requeued] = [:]

    init(queues: [WorkQueue<Entry>], pacers: [TargetPacer], limits: Limits) {
        precondition(queues.count == pacers.count, "one pacer per queue")
        self.queues = queues
        self.pacers = pacers
        self.limits = limits
        self.aborted = queues.map { _ in false }
        self.streaks = queues.map { _ in nil }
        self.errorsInARow = queues.map { _ in 0 }
    }

    /// Whether the run is over: nothing in flight, and nothing left that may start.
    var isFinished: Bool {
        inFlight == 0 && (stopped || !queues.indices.contains { !aborted[$0] && queues[$0].hasWork })
    }

    /// No more starts (requests in flight still end and are fed back).
    mutating func stop() { stopped = true }

    /// Gives a target up: none of its remaining items start. Returns false when it was given up already.
    @discardableResult
    mutating func abort(target index: Int) -> Bool {
        guard !aborted[index] else { return false }
        aborted[index] = true
        return true
    }

    /// The items that may start at `now`, in order, and the instant at which a paced start not allowed yet will
    /// be (nil when none waits on time: only completions can free a start). Each one returned counts as in flight
    /// until it is fed back with `answered`, `endedWithoutAnswer` or `rateLimited`.
    mutating func starts(now: Instant) -> (starts: [Start], wakeAt: Instant?) {
        guard !stopped else { return ([], nil) }
        var starts: [Start] = []
        var wakeAt: Instant?
        // Cached answers first, round-robin, bounded only by the global limit.
        var cachedLeft = true
        while inFlight < limits.concurrency, cachedLeft {
            cachedLeft = false
            for index in queues.indices where inFlight < limits.concurrency && !aborted[index] {
                guard let (item, entry) = queues[index].nextCached() else { continue }
                cachedLeft = true
                inFlight += 1
                starts.append(Start(target: index, item: item, entry: entry))
            }
        }
        while inFlight < limits.concurrency {
            var picked: Int?
            for offset in queues.indices {
                let index = (nextTarget + offset) % queues.count
                guard !aborted[index], queues[index].hasUncachedWork,
                    let allowed = pacers[index].nextAllowedStart(now: now)
                else { continue }
                if allowed <= now {
                    picked = index
                    break
                }
                wakeAt = min(wakeAt ?? allowed, allowed)
            }
            guard let index = picked, let item = queues[index].next() else { break }
            nextTarget = (index + 1) % queues.count
            pacers[index].started(now: now)
            inFlight += 1
            starts.append(Start(target: index, item: item))
        }
        return (starts, wakeAt)
    }

    /// A started item was answered (by the endpoint, or from the cache when `fromCache`); an answer from the
    /// endpoint ends its target's run of 429s.
    mutating func answered(
        target index: Int, paced: Bool, fromCache: Bool, tokens: Int, rateLimitedRetries: Int, sentAt: Instant,
        now: Instant
    ) {
        inFlight -= 1
        if paced {
            pacers[index].finished(tokens: tokens, rateLimitedRetries: rateLimitedRetries, sentAt: sentAt, now: now)
        }
        if !fromCache { streaks[index] = nil }
    }

    /// A started item ended without an answer and not with a 429: an endpoint error (`item` given: its count of
    /// requeues is forgotten), a case that could not be read again, or a request cancelled by the run's interruption.
    mutating func endedWithoutAnswer(target index: Int, item: WorkItem?, paced: Bool) {
        inFlight -= 1
        if paced { pacers[index].endedWithoutAnswer() }
        if let item { requeues[RequeueKey(target: index, item: item)] = nil }
    }

    /// A started item was refused with 429 after the client's retries; `serverPause` is what the server asked for.
    /// Bounded per case and per target, by count and by time: a quota that never comes back ends the run instead
    /// of requeueing forever. `.targetGivenUp` gives the target up here.
    mutating func rateLimited(
        target index: Int, item: WorkItem, paced: Bool, serverPause: Duration?, sentAt: Instant, now: Instant
    ) -> RateLimitVerdict {
        inFlight -= 1
        // The server says how long to stay away; the pacer's own doubling pause when it does not. A cached answer
        // that vanished before it was read went to the endpoint unpaced: nothing to undo.
        if paced { pacers[index].rateLimited(sentAt: sentAt, now: now, retryAfter: serverPause) }
        let key = RequeueKey(target: index, item: item)
        guard !aborted[index] else {
            // Given up while this request was out: it stays missing, to be run by a resume.
            requeues[key] = nil
            return .dropped
        }
        var streak = streaks[index] ?? RateLimitStreak(since: now)
        streak.count += 1
        streaks[index] = streak
        var caseState = requeues[key] ?? Requeued(since: now)
        let targetWaited = now - streak.since
        let caseWaited = now - caseState.since
        // A pause the server asks for that would end past the budget gives up now rather than wait for it.
        let waitAsked = serverPause ?? .zero
        if streak.count >= limits.rateLimitBudget || targetWaited + waitAsked >= limits.rateLimitWait {
            var reason =
                "rate limited (429) \(streak.count) times in a row over \(targetWaited.formattedSeconds) without an answer"
            if waitAsked > .zero {
                reason += ", the server asking to wait \(waitAsked.formattedSeconds) more"
            }
            reason += " (budget: \(limits.rateLimitBudget) in a row, \(limits.rateLimitWait.formattedSeconds))"
            requeues[key] = nil
            aborted[index] = true
            return .targetGivenUp(reason: reason)
        }
        if caseState.count >= limits.maxRateLimitRequeues || caseWaited >= limits.rateLimitWait {
            requeues[key] = nil
            return .caseGivenUp(
                note: "still rate limited after \(caseState.count) requeues over \(caseWaited.formattedSeconds)"
                    + " (budget: \(limits.maxRateLimitRequeues) requeues, \(limits.rateLimitWait.formattedSeconds))")
        }
        // Back in the paced queue; not a request of its own until it ends.
        caseState.count += 1
        requeues[key] = caseState
        queues[index].putBack(item)
        return .requeued
    }

    /// A result of the target was written to its log. Returns the errors in a row when this one gives the target
    /// up (`abortAfterConsecutiveErrors` of them), else nil.
    mutating func recorded(target index: Int, isError: Bool) -> Int? {
        guard isError else {
            errorsInARow[index] = 0
            return nil
        }
        errorsInARow[index] += 1
        guard errorsInARow[index] >= limits.abortAfterConsecutiveErrors, abort(target: index) else { return nil }
        return errorsInARow[index]
    }
}

extension RunScheduler.Limits {
    init(_ settings: RunSettings) {
        self.init(
            concurrency: settings.concurrency, abortAfterConsecutiveErrors: settings.abortAfterConsecutiveErrors,
            rateLimitBudget: settings.rateLimitBudget, rateLimitWait: settings.rateLimitWait,
            maxRateLimitRequeues: settings.maxRateLimitRequeues)
    }
}

/// One (suite, case, repeat) to run, by index: 12 bytes, so a queue of 100,000 is about a megabyte.
struct WorkItem: Sendable, Hashable {
    var suite: Int32
    var caseIndex: Int32
    var repeatIndex: Int32
}

/// A target's remaining work in plan order (suite by suite, case by case, repeats together), with requeued items first.
/// `Entry` is where the answer of an item set aside as cached is.
struct WorkQueue<Entry: Sendable>: Sendable {
    private var items: [WorkItem]
    private var head = 0
    private var returned: [WorkItem] = []
    /// Items whose answer is in the response cache, with where it is: run first, outside the pacer.
    private var cached: [(item: WorkItem, entry: Entry)] = []
    private var cachedHead = 0

    init(items: [WorkItem]) {
        self.items = items
    }

    init(suites: [any CaseSource], repeats: Int, skipping done: Set<ResultKey>) {
        var items: [WorkItem] = []
        for (suiteIndex, suite) in suites.enumerated() {
            for caseIndex in 0..<suite.caseCount {
                for repeatIndex in 0..<repeats {
                    if !done.isEmpty,
                        done.contains(
                            ResultKey(suite: suite.name, caseID: suite.caseID(at: caseIndex), repeatIndex: repeatIndex))
                    {
                        continue
                    }
                    items.append(
                        WorkItem(suite: Int32(suiteIndex), caseIndex: Int32(caseIndex), repeatIndex: Int32(repeatIndex))
                    )
                }
            }
        }
        self.init(items: items)
    }

    var hasWork: Bool { hasUncachedWork || cachedHead < cached.count }
    /// Work that goes to the endpoint through the target's pacer.
    var hasUncachedWork: Bool { !returned.isEmpty || head < items.count }
    var count: Int { returned.count + items.count - head + cached.count - cachedHead }

    /// Moves the items `lookUp` finds a cache entry for to the cached list, keeping the order of both.
    mutating func setAsideCached(_ lookUp: (WorkItem) -> Entry?) {
        var remaining: [WorkItem] = []
        for item in items[head...] {
            if let entry = lookUp(item) { cached.append((item, entry)) } else { remaining.append(item) }
        }
        items = remaining
        head = 0
    }

    mutating func nextCached() -> (WorkItem, Entry)? {
        guard cachedHead < cached.count else { return nil }
        defer { cachedHead += 1 }
        return cached[cachedHead]
    }

    mutating func next() -> WorkItem? {
        if let item = returned.popLast() { return item }
        guard head < items.count else { return nil }
        defer { head += 1 }
        return items[head]
    }

    mutating func putBack(_ item: WorkItem) {
        returned.append(item)
    }
}

private struct RequeueKey: Hashable, Sendable {
    var target: Int
    var item: WorkItem
}

/// A case refused with 429: how often it went back in the queue, and since when it has been refused.
private struct Requeued: Sendable {
    var count = 0
    var since: ContinuousClock.Instant
}

/// A target's 429s since its last answer.
private struct RateLimitStreak: Sendable {
    var count = 0
    var since: ContinuousClock.Instant
}
