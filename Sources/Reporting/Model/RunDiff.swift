public import EvalCore

/// What `evalgate diff` says about a candidate against its baseline, case by case: regressed, fixed, still failing,
/// flaky, errored; the change in pass rate per suite, kind and tag with a paired test (exact McNemar), a paired
/// bootstrap interval and the smallest change the cases could detect; PII and promise findings new in the
/// candidate; the forgetting view; latency, tokens and errors. JSON schema `evalgate.diff/1` (see JSONSchema.md).
///
/// Only cases answered in both runs with the same content are compared (*paired*). A case with an error in either
/// run is listed apart, never as regressed or fixed; so is a case that no check judged in either run (unchecked).
/// Two runs whose settings differ (`ManifestDifference`) are compared only when those differences are allowed; the
/// allowed ones are listed first in every report. Golden cases come first in every case list.
public struct RunDiff: Sendable, Encodable {
    public static let schemaVersion = "evalgate.diff/1"

    public var schema = RunDiff.schemaVersion
    public var base: RunInfo
    public var candidate: RunInfo
    /// The settings in which the runs differ, each allowed by `DiffOptions.allowedDifferences`: what a reader must
    /// know before trusting any number below.
    public var differences: [ManifestDifference]
    /// The two runs were scored by different scorers: differences may come from the scorer, not the model.
    public var scorerChanged: Bool
    /// Suites whose content differs (only possible with `allowChangedSets`); their changed cases are not compared.
    public var setChanges: [SuiteChange]
    public var total: GroupDelta
    public var kinds: [GroupDelta]
    public var suites: [GroupDelta]
    public var tags: [GroupDelta]
    public var regressed: [CaseChange]
    public var fixed: [CaseChange]
    public var stillFailing: [CaseChange]
    public var flaky: [CaseChange]
    public var errored: [CaseChange]
    /// Cases that no check judged in either run: neither passed nor failed, never paired.
    public var unchecked: [CaseChange]
    /// In one run's log and not in the other's although the eval set is the same: an unfinished run.
    public var missing: [CaseChange]
    public var newFindings: [NewFinding]
    public var forgetting: Forgetting?
    public var latency: Pair<LatencyStats>
    public var tokens: Pair<TokenStats>
    public var errors: Pair<ErrorStats>
    /// Answers, truncated answers and cached answers of each run, in total and per suite.
    public var answers: Pair<AnswerStats>
    public var warnings: [String]
    public var statistics: StatisticsInfo
    /// The candidate's cases (not in the JSON): what the JUnit renderer writes.
    public var candidateCases: [CaseOutcome]

    enum CodingKeys: String, CodingKey {
        case schema, base, candidate, differences
        case scorerChanged = "scorer_changed"
        case setChanges = "set_changes"
        case total, kinds, suites, tags, regressed, fixed
        case stillFailing = "still_failing"
        case flaky, errored, unchecked, missing
        case newFindings = "new_findings"
        case forgetting, latency, tokens, errors, answers, warnings, statistics
    }
}

/// How a diff is built.
public struct DiffOptions: Sendable, Hashable {
    /// Settings that may differ between the runs (`--allow-differences`); any other difference refuses the diff.
    /// With `.suites`, only the unchanged cases of a changed suite are paired.
    public var allowedDifferences: Set<DifferenceKind> = []
    /// Compare runs whose eval sets differ: `allowedDifferences` holds `.suites`.
    public var allowChangedSets: Bool {
        get { allowedDifferences.contains(.suites) }
        set { if newValue { allowedDifferences.insert(.suites) } else { allowedDifferences.remove(.suites) } }
    }
    public var showPII = false
    /// Level of the paired test that marks a change significant, and of the detectable-effect estimate.
    public var alpha = 0.05
    /// Power of the detectable-effect estimate.
    public var power = 0.8
    public var resamples = 2000
    /// Of the bootstrap; each group's generator starts from this seed mixed with the group's name.
    public var seed: UInt64 = 1

    public init(
        allowChangedSets: Bool = false, allowedDifferences: Set<DifferenceKind> = [], showPII: Bool = false,
        alpha: Double = 0.05,
        power: Double = 0.8, resamples: Int = 2000, seed: UInt64 = 1
    ) {
        self.allowedDifferences = allowedDifferences
        if allowChangedSets { self.allowedDifferences.insert(.suites) }
        self.showPII = showPII
        self.alpha = alpha
        self.power = power
        self.resamples = resamples
        self.seed = seed
    }
}

/// The statistical settings a diff used, printed with it so that its numbers can be reproduced.
public struct StatisticsInfo: Sendable, Hashable, Encodable {
    public var alpha: Double
    public var power: Double
    public var resamples: Int
    public var seed: UInt64
    public var confidence: Double
}

public struct Pair<Value: Sendable & Hashable & Encodable>: Sendable, Hashable, Encodable {
    public var base: Value
    public var candidate: Value
}

/// A suite whose eval-set content hash differs between the runs, and the cases that differ.
public struct SuiteChange: Sendable, Hashable, Encodable {
    public var suite: String
    /// nil when the suite is not in that run.
    public var baseHash: String?
    public var candidateHash: String?
    /// Case ids in both runs with different content.
    public var changed: [String]
    public var onlyInBase: [String]
    public var onlyInCandidate: [String]

    enum CodingKeys: String, CodingKey {
        case suite
        case baseHash = "base_hash"
        case candidateHash = "candidate_hash"
        case changed
        case onlyInBase = "only_in_base"
        case onlyInCandidate = "only_in_candidate"
    }

    /// `suite 'x': 2 cases changed ('a', 'b'), 1 only in the candidate ('c')`.
    public var summary: String { "suite '\(suite)': " + details }

    /// `2 cases changed ('a', 'b'), 1 only in the candidate ('c')`.
    public var details: String {
        var parts: [String] = []
        func list(_ ids: [String]) -> String {
            let shown = ids.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            return ids.count > 5 ? shown + ", …" : shown
        }
        if baseHash == nil { parts.append("only in the candidate") }
        if candidateHash == nil { parts.append("only in the baseline") }
        if baseHash != nil, candidateHash != nil {
            if !changed.isEmpty {
                parts.append("\(changed.count) case\(changed.count == 1 ? "" : "s") changed (\(list(changed)))")
            }
            if !onlyInBase.isEmpty { parts.append("\(onlyInBase.count) only in the baseline (\(list(onlyInBase)))") }
            if !onlyInCandidate.isEmpty {
                parts.append("\(onlyInCandidate.count) only in the candidate (\(list(onlyInCandidate)))")
            }
            if parts.isEmpty { parts.append("the suite's defaults or case order changed") }
        }
        return parts.joined(separator: ", ")
    }
}

/// The change in pass rate of a group (all, a kind, a suite, a tag) over its paired cases.
public struct GroupDelta: Sendable, Hashable, Encodable {
    public var name: String
    public var kind: SuiteKind?
    /// Cases answered in both runs.
    public var paired: Int
    public var base: GroupRate
    public var candidate: GroupRate
    /// candidate − base pass rate over the paired cases (a fraction).
    public var delta: Double
    /// Passed in the baseline, failed in the candidate.
    public var regressed: Int
    /// Failed in the baseline, passed in the candidate.
    public var fixed: Int
    /// Cases of the group with an error in either run.
    public var errors: Int
    /// Cases of the group that no check judged in either run.
    public var unchecked: Int
    /// Exact McNemar, two-sided.
    public var pValue: Double
    public var bootstrap: PairedBootstrap
    /// The smallest change in pass rate this many paired cases could detect (at the diff's alpha and power).
    public var detectable: Double

    /// A drop that the paired test finds at level `alpha` and that is at least `minEffect` big.
    public func isSignificantRegression(alpha: Double, minEffect: Double = 0) -> Bool {
        delta < 0 && pValue < alpha && -delta >= minEffect
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, paired, base, candidate, delta, regressed, fixed, errors, unchecked
        case pValue = "p_value"
        case bootstrap
        case detectable = "detectable_change"
    }
}

/// A case in one of the diff's lists, with both runs' verdicts and the evidence that explains the change.
public struct CaseChange: Sendable, Hashable, Encodable {
    public var suite: String
    public var kind: SuiteKind
    public var caseID: String
    public var tags: [String]
    public var base: Side?
    public var candidate: Side?
    /// The candidate's evidence (the baseline's for a fixed case).
    public var evidence: [Evidence]

    public struct Side: Sendable, Hashable, Encodable {
        public var verdict: CaseOutcome.Verdict
        public var passed: Int
        public var failed: Int
        public var errors: Int
        public var unchecked: Int
        public var rules: [String]
        public var errorClasses: [String]
        /// The message of the first errored repeat's error.
        public var errorMessage: String?

        init(_ outcome: CaseOutcome) {
            verdict = outcome.verdict
            passed = outcome.passedRepeats
            failed = outcome.failedRepeats
            errors = outcome.errorRepeats
            unchecked = outcome.uncheckedRepeats
            rules = outcome.failingRules
            errorClasses = outcome.errorClasses
            errorMessage = outcome.errorMessage
        }

        enum CodingKeys: String, CodingKey {
            case verdict, passed, failed, errors, unchecked, rules
            case errorClasses = "error_classes"
            case errorMessage = "error_message"
        }
    }

    init(base: CaseOutcome?, candidate: CaseOutcome?, evidenceFrom source: CaseOutcome?, showPII: Bool) {
        let any = (candidate ?? base)!
        suite = any.suite
        kind = any.kind
        caseID = any.caseID
        tags = any.tags
        self.base = base.map(Side.init)
        self.candidate = candidate.map(Side.init)
        evidence = (source?.evidence ?? []).map { PIIMask.apply($0, showPII: showPII) }
    }

    public var key: CaseKey { CaseKey(suite: suite, caseID: caseID) }

    enum CodingKeys: String, CodingKey {
        case suite, kind
        case caseID = "case"
        case tags, base, candidate, evidence
    }
}

/// A PII or promise rule found in a candidate's answers to a case when none of the baseline's answers to the same
/// case (any of its repeats) had a finding of that rule. Compared by rule, not by the text matched: "fee is 2.5%"
/// where the baseline said "fee is 1.5%" is the same promise. With repeats, `repeats` of `answeredRepeats` says how
/// often the candidate had it.
public struct NewFinding: Sendable, Hashable, Encodable {
    public var suite: String
    public var kind: SuiteKind
    public var caseID: String
    public var category: RiskCategory
    /// The first finding of the rule in the candidate.
    public var evidence: Evidence
    /// The candidate's checked repeats with a finding of the rule, of `answeredRepeats`.
    public var repeats: Int
    public var answeredRepeats: Int
    /// The baseline's checked repeats of the case (none of which had the rule).
    public var baseAnsweredRepeats: Int

    public var rule: String { evidence.rule }
    /// repeats / answeredRepeats.
    public var share: Double { answeredRepeats == 0 ? 0 : Double(repeats) / Double(answeredRepeats) }

    enum CodingKeys: String, CodingKey {
        case suite, kind
        case caseID = "case"
        case category, rule, evidence, repeats
        case answeredRepeats = "answered_repeats"
        case baseAnsweredRepeats = "base_answered_repeats"
        case share
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(suite, forKey: .suite)
        try container.encode(kind, forKey: .kind)
        try container.encode(caseID, forKey: .caseID)
        try container.encode(category, forKey: .category)
        try container.encode(rule, forKey: .rule)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(repeats, forKey: .repeats)
        try container.encode(answeredRepeats, forKey: .answeredRepeats)
        try container.encode(baseAnsweredRepeats, forKey: .baseAnsweredRepeats)
        try container.encode(rounded(share), forKey: .share)
    }
}

/// The forgetting view: `base` suites are the canary for skills an adapter or checkpoint must not lose.
public struct Forgetting: Sendable, Hashable, Encodable {
    /// The candidate improved on some target (non-base) tags or suites while regressing on base skills.
    public var detected: Bool
    /// Target tags and suites whose pass rate rose.
    public var improved: [GroupDelta]
    /// Base suites and base tags (tags of base-suite cases) whose pass rate fell.
    public var regressed: [GroupDelta]
    /// The base cases that regressed.
    public var cases: [CaseChange]
    /// One plain sentence.
    public var summary: String
}
