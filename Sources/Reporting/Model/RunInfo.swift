public import EvalCore

/// Which run a number comes from: enough of the manifest and the session ends to trace a report to its run.
public struct RunInfo: Sendable, Hashable, Encodable {
    public var label: String
    public var model: String
    public var baseURL: String
    public var runID: String
    public var startedAt: String
    /// The last session's end; nil when no session ended (the process was killed).
    public var endedAt: String?
    /// `complete`, `interrupted`, `aborted`, or `unfinished` when no session ended.
    public var outcome: String
    public var toolVersion: String
    public var scorerVersion: String
    public var repeats: Int
    public var seed: Int64?
    /// Result lines in the log.
    public var results: Int
    /// Result lines a complete run has.
    public var expectedResults: Int
    public var suites: [SuiteInfo]

    public init(_ index: RunIndex) {
        let manifest = index.manifest
        label = manifest.target.label
        model = manifest.target.model
        baseURL = manifest.target.baseURL
        runID = manifest.runID
        startedAt = manifest.startedAt
        endedAt = index.ends.last?.endedAt
        outcome = index.ends.last?.outcome.rawValue ?? "unfinished"
        toolVersion = manifest.toolVersion
        scorerVersion = manifest.scorerVersion
        repeats = manifest.repeats
        seed = manifest.seed
        results = index.resultCounts.total
        expectedResults = manifest.expectedResults
        suites = manifest.suites.map {
            SuiteInfo(name: $0.name, kind: $0.kind, contentHash: $0.contentHash, caseCount: $0.caseCount)
        }
        .sorted { $0.name < $1.name }
    }

    /// The run has fewer results than its manifest expects.
    public var isIncomplete: Bool { results < expectedResults }

    enum CodingKeys: String, CodingKey {
        case label, model
        case baseURL = "base_url"
        case runID = "run_id"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case outcome
        case toolVersion = "tool_version"
        case scorerVersion = "scorer_version"
        case repeats, seed, results
        case expectedResults = "expected_results"
        case suites
    }
}

public struct SuiteInfo: Sendable, Hashable, Encodable {
    public var name: String
    public var kind: SuiteKind
    public var contentHash: String
    public var caseCount: Int

    enum CodingKeys: String, CodingKey {
        case name, kind
        case contentHash = "content_hash"
        case caseCount = "case_count"
    }
}

/// A pass rate over cases with its Wilson interval. Errors and unchecked cases are counted apart: the rate is
/// passed / (passed + failed).
public struct GroupRate: Sendable, Hashable, Encodable {
    public var name: String
    /// For suites: the suite's kind.
    public var kind: SuiteKind?
    public var passed: Int
    public var failed: Int
    public var errors: Int
    /// Answered, but judged by no check: never counted as passed.
    public var unchecked: Int
    /// nil when no case was answered.
    public var rate: Double?
    public var interval: WilsonInterval?

    public init(name: String, kind: SuiteKind? = nil, counts: StatusCounts, confidence: Double = 0.95) {
        self.name = name
        self.kind = kind
        passed = counts.passed
        failed = counts.failed
        errors = counts.errors
        unchecked = counts.unchecked
        if counts.answered > 0 {
            rate = rounded(Double(counts.passed) / Double(counts.answered))
            let wilson = WilsonInterval(successes: counts.passed, trials: counts.answered, confidence: confidence)
            interval = WilsonInterval(lower: rounded(wilson.lower), upper: rounded(wilson.upper))
        }
    }

    public var cases: Int { passed + failed + errors + unchecked }

    enum CodingKeys: String, CodingKey {
        case name, kind, passed, failed, errors, unchecked, cases, rate
        case low = "ci_low"
        case high = "ci_high"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encode(passed, forKey: .passed)
        try container.encode(failed, forKey: .failed)
        try container.encode(errors, forKey: .errors)
        try container.encode(unchecked, forKey: .unchecked)
        try container.encode(cases, forKey: .cases)
        try container.encodeIfPresent(rate, forKey: .rate)
        try container.encodeIfPresent(interval?.lower, forKey: .low)
        try container.encodeIfPresent(interval?.upper, forKey: .high)
    }
}

/// Latency percentiles (nearest rank: the p-th percentile of n sorted values is the ⌈p·n/100⌉-th) in milliseconds.
public struct LatencyStats: Sendable, Hashable, Encodable {
    public var count: Int
    public var p50: Double?
    public var p95: Double?
    public var max: Double?

    public init(sorted values: [Double]) {
        count = values.count
        p50 = Self.percentile(50, of: values).map(rounded)
        p95 = Self.percentile(95, of: values).map(rounded)
        max = values.last.map(rounded)
    }

    public static func percentile(_ p: Double, of sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }
}

/// Errored results of a run, by class.
public struct ErrorStats: Sendable, Hashable, Encodable {
    public var results: Int
    public var errors: Int
    /// errors / results.
    public var rate: Double
    public var classes: [ErrorClassCount]

    public init(_ index: RunIndex) {
        results = index.resultCounts.total
        errors = index.resultCounts.errors
        rate = rounded(index.resultCounts.errorRate)
        classes = index.errorClasses.map { ErrorClassCount(errorClass: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.errorClass) < ($0.count, $1.errorClass) }
    }
}

public struct ErrorClassCount: Sendable, Hashable, Encodable {
    public var errorClass: String
    public var count: Int

    enum CodingKeys: String, CodingKey {
        case errorClass = "class"
        case count
    }
}

/// Six decimals: enough for any rate, and stable text in JSON.
func rounded(_ value: Double) -> Double {
    (value * 1_000_000).rounded() / 1_000_000
}

/// The answers of a run: how many came back, how many the token limit cut off (`finish_reason: length`: such an
/// answer reads as a model failure although the limit, not the model, ended it), and how many the response cache
/// served instead of the endpoint. In total and per suite.
public struct AnswerStats: Sendable, Hashable, Encodable {
    /// Results with an answer (cached or not).
    public var answers: Int
    public var truncated: Int
    /// truncated / answers; 0 without answers.
    public var truncatedRate: Double
    public var cached: Int
    /// Per suite, sorted by name.
    public var suites: [SuiteAnswers]

    public init(_ cases: [CaseOutcome]) {
        var bySuite: [String: SuiteAnswers] = [:]
        // Cases come sorted by suite: each run of one suite's cases is summed before its entry is looked up.
        var run: SuiteAnswers?
        func flush() {
            guard let run else { return }
            var entry = bySuite[run.name] ?? SuiteAnswers(name: run.name, answers: 0, truncated: 0, cached: 0)
            entry.answers += run.answers
            entry.truncated += run.truncated
            entry.cached += run.cached
            bySuite[run.name] = entry
        }
        for outcome in cases {
            if run?.name != outcome.suite {
                flush()
                run = SuiteAnswers(name: outcome.suite, answers: 0, truncated: 0, cached: 0)
            }
            run!.answers += outcome.answers
            run!.truncated += outcome.truncatedRepeats
            run!.cached += outcome.cachedRepeats
        }
        flush()
        suites = bySuite.values.sorted { $0.name < $1.name }
        answers = suites.reduce(0) { $0 + $1.answers }
        truncated = suites.reduce(0) { $0 + $1.truncated }
        cached = suites.reduce(0) { $0 + $1.cached }
        truncatedRate = answers == 0 ? 0 : rounded(Double(truncated) / Double(answers))
    }

    enum CodingKeys: String, CodingKey {
        case answers, truncated
        case truncatedRate = "truncated_rate"
        case cached, suites
    }
}

/// The answers of one suite of a run.
public struct SuiteAnswers: Sendable, Hashable, Encodable {
    public var name: String
    public var answers: Int
    public var truncated: Int
    public var cached: Int
}
