public import EvalCore

/// What `evalgate report` says about one run: pass rates by suite, kind, tag and check with their intervals,
/// errors apart from failures, latency and tokens, and the rules that failed most with the evidence.
/// Encoded as JSON with the schema `evalgate.report/1` (see JSONSchema.md).
public struct RunSummary: Sendable, Encodable {
    public static let schemaVersion = "evalgate.report/1"

    public var schema = RunSummary.schemaVersion
    public var run: RunInfo
    public var total: GroupRate
    public var kinds: [GroupRate]
    public var suites: [GroupRate]
    public var tags: [GroupRate]
    public var checks: [GroupRate]
    /// Rules by the number of failed cases they broke, the most first, each with a few quoted examples.
    public var rules: [RuleSummary]
    /// Every failed case with its rules and evidence: golden cases first, each part sorted by (suite, case).
    public var failed: [CaseReport]
    public var errored: [CaseReport]
    /// Answered cases that no check judged: neither passed nor failed.
    public var unchecked: [CaseReport]
    /// Cases whose answered repeats disagreed.
    public var flaky: [CaseReport]
    /// Every case a judge check judged, with each judge's verdict (passed ones too), reason and quote: golden first,
    /// then by (suite, case). Nil (not in the JSON) when the run has no judge verdict.
    public var judgeVerdicts: [JudgedCase]?
    public var latency: LatencyStats
    public var tokens: TokenStats
    public var errors: ErrorStats
    /// Answers, truncated answers (`finish_reason: length`) and cached answers, in total and per suite.
    public var answers: AnswerStats
    public var warnings: [String]
    /// The gap between the `train-sample` and held-out `eval` pass rates; nil without a `train-sample` suite.
    public var overfitting: OverfittingGap?
    /// Every case of the run (not in the JSON): what the JUnit renderer writes.
    public var cases: [CaseOutcome]

    public static func make(_ index: RunIndex, options: ReportOptions = ReportOptions()) -> RunSummary {
        var groups = GroupTally()
        var ruleCases: [String: [CaseOutcome]] = [:]
        for outcome in index.cases {
            groups.add(outcome)
            if outcome.verdict == .failed {
                for rule in outcome.failingRules { ruleCases[rule, default: []].append(outcome) }
            }
        }
        let rules = ruleCases.map { rule, cases in
            RuleSummary(
                rule: rule, cases: cases.count,
                examples: cases.prefix(max(0, options.examplesPerRule)).map { outcome in
                    RuleExample(
                        suite: outcome.suite, caseID: outcome.caseID,
                        evidence: outcome.evidence.first { $0.rule == rule }.map {
                            PIIMask.apply($0, showPII: options.showPII)
                        })
                })
        }
        .sorted { ($1.cases, $0.rule) < ($0.cases, $1.rule) }
        let report = { (outcome: CaseOutcome) in CaseReport(outcome, showPII: options.showPII) }
        let golden = index.cases.filter { $0.kind == .golden }
        let others = index.cases.filter { $0.kind != .golden }
        return RunSummary(
            run: RunInfo(index),
            total: GroupRate(name: "all", counts: groups.total, confidence: options.confidence),
            kinds: groups.rates(groups.kinds, confidence: options.confidence),
            suites: groups.rates(groups.suites, kinds: groups.suiteKinds, confidence: options.confidence),
            tags: groups.rates(groups.tags, confidence: options.confidence),
            checks: groups.rates(groups.checks, confidence: options.confidence),
            rules: Array(rules.prefix(max(0, options.topRules))),
            failed: (golden + others).filter { $0.verdict == .failed }.map(report),
            errored: (golden + others).filter { $0.verdict == .error }.map(report),
            unchecked: (golden + others).filter { $0.verdict == .unchecked }.map(report),
            flaky: (golden + others).filter(\.isFlaky).map(report),
            judgeVerdicts: Optional(
                (golden + others).filter { !$0.judgeVerdicts.isEmpty }.map { JudgedCase($0, showPII: options.showPII) }
            )
            .flatMap { $0.isEmpty ? nil : $0 },
            latency: LatencyStats(sorted: index.latencies),
            tokens: index.tokens,
            errors: ErrorStats(index),
            answers: AnswerStats(index.cases),
            warnings: Self.warnings(index),
            overfitting: OverfittingGap(
                label: index.manifest.target.label, cases: index.cases, confidence: options.confidence),
            cases: index.cases
        )
    }

    /// What a reader must know before trusting the numbers: read warnings, an unfinished run, cases no check
    /// judged, answers cut off by the token limit, a run answered wholly from the response cache.
    static func warnings(_ index: RunIndex) -> [String] {
        var warnings = index.warnings.map(\.description)
        let info = RunInfo(index)
        let unchecked = index.cases.count { $0.verdict == .unchecked }
        if unchecked > 0 {
            warnings.append(
                "'\(info.label)' has \(Format.plural(unchecked, "unchecked case")) (answered, judged by no check): "
                    + "counted apart, neither passed nor failed")
        }
        let answers = AnswerStats(index.cases)
        if answers.truncated > 0 {
            warnings.append(
                "'\(info.label)': \(answers.truncated) of \(Format.plural(answers.answers, "answer")) (\(Format.percent(answers.truncatedRate))) "
                    + "were cut off by the token limit (finish_reason: length) and may fail for that reason alone; raise max_tokens"
            )
        }
        if answers.answers > 0, answers.cached == answers.answers {
            warnings.append(
                "'\(info.label)': all \(Format.plural(answers.answers, "answer")) came from the response cache, no request reached "
                    + "the endpoint: if the model changed under the same name (a new adapter or checkpoint), rerun with --refresh"
            )
        }
        if info.isIncomplete {
            warnings.append(
                "'\(info.label)' has \(info.results) of \(info.expectedResults) expected results (run \(info.outcome)): "
                    + "the missing cases are not counted")
        }
        return warnings
    }

    enum CodingKeys: String, CodingKey {
        case schema, run, total, kinds, suites, tags, checks, rules, failed, errored, unchecked, flaky
        case judgeVerdicts = "judge_verdicts"
        case latency, tokens, errors, answers
        case warnings, overfitting
    }
}

/// How a report is built.
public struct ReportOptions: Sendable, Hashable {
    /// Show PII found in answers as it was written (secrets stay masked).
    public var showPII = false
    /// Of the Wilson intervals.
    public var confidence = 0.95
    /// Rules listed in "top failing rules".
    public var topRules = 10
    /// Quoted cases per rule.
    public var examplesPerRule = 3

    public init(showPII: Bool = false, confidence: Double = 0.95, topRules: Int = 10, examplesPerRule: Int = 3) {
        self.showPII = showPII
        self.confidence = confidence
        self.topRules = topRules
        self.examplesPerRule = examplesPerRule
    }
}

public struct RuleSummary: Sendable, Hashable, Encodable {
    public var rule: String
    /// Failed cases with a finding of this rule.
    public var cases: Int
    public var examples: [RuleExample]
}

public struct RuleExample: Sendable, Hashable, Encodable {
    public var suite: String
    public var caseID: String
    public var evidence: Evidence?

    enum CodingKeys: String, CodingKey {
        case suite
        case caseID = "case"
        case evidence
    }
}

/// One case in a report: its verdict over the repeats, the rules it broke with evidence, its error classes.
public struct CaseReport: Sendable, Hashable, Encodable {
    public var suite: String
    public var kind: SuiteKind
    public var caseID: String
    public var tags: [String]
    public var verdict: CaseOutcome.Verdict
    public var passedRepeats: Int
    public var failedRepeats: Int
    public var errorRepeats: Int
    public var uncheckedRepeats: Int
    public var rules: [String]
    public var evidence: [Evidence]
    public var errorClasses: [String]
    /// The message of the first errored repeat's error.
    public var errorMessage: String?

    public init(_ outcome: CaseOutcome, showPII: Bool) {
        suite = outcome.suite
        kind = outcome.kind
        caseID = outcome.caseID
        tags = outcome.tags
        verdict = outcome.verdict
        passedRepeats = outcome.passedRepeats
        failedRepeats = outcome.failedRepeats
        errorRepeats = outcome.errorRepeats
        uncheckedRepeats = outcome.uncheckedRepeats
        rules = outcome.failingRules
        evidence = outcome.evidence.map { PIIMask.apply($0, showPII: showPII) }
        errorClasses = outcome.errorClasses
        errorMessage = outcome.errorMessage
    }

    public var key: CaseKey { CaseKey(suite: suite, caseID: caseID) }

    enum CodingKeys: String, CodingKey {
        case suite, kind
        case caseID = "case"
        case tags, verdict
        case passedRepeats = "passed_repeats"
        case failedRepeats = "failed_repeats"
        case errorRepeats = "error_repeats"
        case uncheckedRepeats = "unchecked_repeats"
        case rules, evidence
        case errorClasses = "error_classes"
        case errorMessage = "error_message"
    }
}

/// Case verdicts counted per total, kind, suite, tag and check type.
struct GroupTally {
    var total = StatusCounts()
    var kinds: [String: StatusCounts] = [:]
    var suites: [String: StatusCounts] = [:]
    var suiteKinds: [String: SuiteKind] = [:]
    var tags: [String: StatusCounts] = [:]
    var checks: [String: StatusCounts] = [:]

    mutating func add(_ outcome: CaseOutcome) {
        let verdict = outcome.verdict
        total.add(verdict)
        kinds[outcome.kind.rawValue, default: StatusCounts()].add(verdict)
        suites[outcome.suite, default: StatusCounts()].add(verdict)
        suiteKinds[outcome.suite] = outcome.kind
        for tag in Set(outcome.tags) { tags[tag, default: StatusCounts()].add(verdict) }
        for check in outcome.checks {
            checks[check.type, default: StatusCounts()].add(check.passed ? .passed : .failed)
        }
    }

    func rates(_ counts: [String: StatusCounts], kinds: [String: SuiteKind] = [:], confidence: Double) -> [GroupRate] {
        counts.keys.sorted().map { GroupRate(name: $0, kind: kinds[$0], counts: counts[$0]!, confidence: confidence) }
    }
}

extension StatusCounts {
    mutating func add(_ verdict: CaseOutcome.Verdict) {
        switch verdict {
        case .passed: passed += 1
        case .failed: failed += 1
        case .error: errors += 1
        case .unchecked: unchecked += 1
        }
    }
}
