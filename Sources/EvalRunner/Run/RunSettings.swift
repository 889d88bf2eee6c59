public import EvalCore

/// How a run goes: where logs go, how many answers per case, how hard to push, what to do with an existing log.
public struct RunSettings: Sendable {
    /// What to do when a target's log already exists.
    public enum ExistingLog: String, Sendable, Hashable {
        /// Finish what is missing when the log is of the same run; refuse when it is of another.
        case resumeOrCreate
        /// As `resumeOrCreate`, but the log must exist (`--resume`).
        case resumeOnly
        /// Start over; the old log is kept beside the new one with a `.replaced-<time>` suffix (`--fresh`).
        case fresh
    }

    /// The folder that gets one `<label>.jsonl` per target.
    public var outDirectory: String
    public var repeats: Int
    /// Repeat `r` is sent with `seed + r`; nil leaves the params' own seed (if any) alone.
    public var seed: Int64?
    /// Requests in flight across all targets.
    public var concurrency: Int
    /// nil: no cache.
    public var cache: ResponseCache?
    /// A target whose share of errors among its results ends above this makes the run exit 3.
    public var maxErrorRate: Double
    /// After this many errors in a row a target is given up (the endpoint is down); its log says `aborted`.
    public var abortAfterConsecutiveErrors: Int
    /// A case refused with 429 even after the client's retries goes back in the queue at most this many times.
    public var maxRateLimitRequeues: Int
    /// How long a target pauses after such a 429; doubles with each one in a row.
    public var rateLimitPause: Duration
    /// A target refused with 429 this many times in a row (requeues included, no answer in between) is given up:
    /// an exhausted quota ends the run with exit 3 instead of requeueing forever.
    public var rateLimitBudget: Int
    /// The longest a case, or a target, may stay rate limited without an answer: from a case's first 429, and from
    /// the first 429 of a target's run of 429s. Past it the case is recorded as an `http_429` error, or the target
    /// is given up.
    public var rateLimitWait: Duration
    public var existingLog: ExistingLog
    /// New logs readable by everyone (0644) instead of their owner only (0600).
    public var sharedLogs: Bool = false
    /// The share of the cases this run is (`--shard I/N`), recorded in the manifest; the suites given are already
    /// narrowed to it (`RunShard.select`). A log is only continued by the same shard.
    public var shard: RunShard?
    /// When continuing a log, run again the cases whose answer was an endpoint error; the new line supersedes the
    /// old one (the last line for a key is its result).
    public var retryErrors: Bool
    /// When continuing a log, run every case again (`--refresh`): each new line supersedes the old one.
    public var rerunAll: Bool
    public var toolVersion: String
    public var progress: ProgressStyle
    public var progressOutput: @Sendable (String) -> Void

    public init(
        outDirectory: String,
        repeats: Int = 1,
        seed: Int64? = nil,
        concurrency: Int = 16,
        cache: ResponseCache? = nil,
        maxErrorRate: Double = 0.1,
        abortAfterConsecutiveErrors: Int = 25,
        maxRateLimitRequeues: Int = 5,
        rateLimitPause: Duration = .seconds(1),
        rateLimitBudget: Int = 100,
        rateLimitWait: Duration = .seconds(900),
        existingLog: ExistingLog = .resumeOrCreate,
        retryErrors: Bool = false,
        rerunAll: Bool = false,
        toolVersion: String,
        progress: ProgressStyle = .off,
        progressOutput: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.outDirectory = outDirectory
        self.repeats = repeats
        self.seed = seed
        self.concurrency = concurrency
        self.cache = cache
        self.maxErrorRate = maxErrorRate
        self.abortAfterConsecutiveErrors = abortAfterConsecutiveErrors
        self.maxRateLimitRequeues = maxRateLimitRequeues
        self.rateLimitPause = rateLimitPause
        self.rateLimitBudget = rateLimitBudget
        self.rateLimitWait = rateLimitWait
        self.existingLog = existingLog
        self.retryErrors = retryErrors
        self.rerunAll = rerunAll
        self.toolVersion = toolVersion
        self.progress = progress
        self.progressOutput = progressOutput
    }
}

/// What a run did, per target.
public struct RunOutcome: Sendable, Hashable {
    public struct Target: Sendable, Hashable {
        public var label: String
        public var logPath: String
        public var outcome: RunEnd.Outcome
        /// Results in the log now, and how many were there before this session.
        public var results: Int
        public var resumed: Int
        public var expected: Int
        public var passed: Int
        public var failed: Int
        public var errors: Int
        /// Answers of cases kept without checks (`unchecked`): neither passed nor failed.
        public var unchecked: Int = 0
        /// Requests sent this session (cache hits and 429 requeues are not requests of their own).
        public var requests: Int
        public var cacheHits: Int
        /// Errors this session by class, e.g. `["http_500": 3]`.
        public var errorClasses: [String: Int]
        /// Why the target was given up (`outcome == .aborted`), in one line.
        public var abortReason: String?

        public var errorRate: Double { results == 0 ? 0 : Double(errors) / Double(results) }
    }

    public var targets: [Target]
    /// Stopped by cancellation (Ctrl-C): every log can be resumed.
    public var interrupted: Bool
    /// Things the user should know that did not stop the run (a repaired log tail...).
    public var notes: [String]
    /// Things that may make the run's verdicts wrong: a target answered wholly from the cache, cached answers of
    /// another server fingerprint, a target's param overriding a suite's.
    public var warnings: [String] = []
}
