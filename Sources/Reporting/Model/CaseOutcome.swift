public import EvalCore

/// A case of one run reduced to what reports need: its verdict over the repeats, the checks and rules that failed
/// with a little evidence, and the risk findings (PII, promises) that the diff compares. The answers themselves are
/// not kept, so that a 100,000-case log fits in a few tens of megabytes.
///
/// **The repeat rule.** A case whose every repeat errored is an `error`. An answer judged by no check at all (a case
/// kept `unchecked` on purpose, or a log written before its checks existed) is *unchecked*, never passed: a case all
/// of whose answers are unchecked is `unchecked`. Otherwise its verdict is the majority of its checked answers: it
/// passes when more than half of them passed (a tie fails), and it is *flaky* when they disagree. Errored and
/// unchecked repeats are not counted as failures.
public struct CaseOutcome: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable, Codable, Comparable {
        case passed
        case failed
        case error
        /// Answered, but no check judged the answer: counted apart, never as passed.
        case unchecked

        private var order: Int {
            switch self {
            case .failed: 0
            case .error: 1
            case .unchecked: 2
            case .passed: 3
            }
        }

        public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.order < rhs.order }
    }

    public var suite: String
    public var caseID: String
    public var caseHash: String
    public var tags: [String]
    /// Each check type of the case and whether it passed in the majority of the answered repeats (sorted by type).
    public var checks: [CheckVerdict]
    /// What only some cases have (failing rules, evidence, risks, errors, judge verdicts), apart: nil for a case that
    /// has none of it, so a passing case takes about a hundred bytes (`RunIndex` shares its tags and checks arrays).
    private var details: Details?
    private var counts: RepeatCounts
    public var kind: SuiteKind
    public var verdict: Verdict

    /// Repeats that passed, failed and errored.
    public var passedRepeats: Int {
        get { Int(counts.passed) }
        set { counts.passed = Int32(clamping: newValue) }
    }
    public var failedRepeats: Int {
        get { Int(counts.failed) }
        set { counts.failed = Int32(clamping: newValue) }
    }
    public var errorRepeats: Int {
        get { Int(counts.errors) }
        set { counts.errors = Int32(clamping: newValue) }
    }
    /// Answered repeats that no check judged.
    public var uncheckedRepeats: Int {
        get { Int(counts.unchecked) }
        set { counts.unchecked = Int32(clamping: newValue) }
    }
    /// Repeats with an answer (cached or not), of them cut off by the token limit (`finish_reason: length`), and
    /// served from the response cache.
    public var answers: Int {
        get { Int(counts.answers) }
        set { counts.answers = Int32(clamping: newValue) }
    }
    public var truncatedRepeats: Int {
        get { Int(counts.truncated) }
        set { counts.truncated = Int32(clamping: newValue) }
    }
    public var cachedRepeats: Int {
        get { Int(counts.cached) }
        set { counts.cached = Int32(clamping: newValue) }
    }
    /// Rule ids of every finding of the failing repeats, sorted, without duplicates.
    public var failingRules: [String] {
        get { details?.failingRules ?? [] }
        set { update(\.failingRules, newValue) }
    }
    /// The findings of the first failing repeat, then its checks' notes (`not a promise (negated): '…'`), a few per
    /// case: what a report quotes.
    public var evidence: [Evidence] {
        get { details?.evidence ?? [] }
        set { update(\.evidence, newValue) }
    }
    /// PII and promise rules found in the answered repeats, each with the number of repeats that had it and one
    /// quoted finding (sorted by rule): what the diff compares, by rule, not by the text matched.
    public var risks: [RiskShare] {
        get { details?.risks ?? [] }
        set { update(\.risks, newValue) }
    }
    /// Error classes of the errored repeats, sorted, without duplicates.
    public var errorClasses: [String] {
        get { details?.errorClasses ?? [] }
        set { update(\.errorClasses, newValue) }
    }
    /// The message of the first errored repeat's error (as the run log has it, secrets already redacted, cut to
    /// `RunIndex.maximumEvidenceCharacters`); nil when no repeat errored.
    public var errorMessage: String? {
        get { details?.errorMessage }
        set { update(\.errorMessage, newValue) }
    }
    /// The verdicts of the case's judge checks, passed ones too, repeat by repeat (a few per case).
    public var judgeVerdicts: [JudgeVerdict] {
        get { details?.judgeVerdicts ?? [] }
        set { update(\.judgeVerdicts, newValue) }
    }

    public var key: CaseKey { CaseKey(suite: suite, caseID: caseID) }
    /// Repeats that checks judged (passed or failed).
    public var answeredRepeats: Int { passedRepeats + failedRepeats }
    /// The answered repeats disagree.
    public var isFlaky: Bool { passedRepeats > 0 && failedRepeats > 0 }

    public init(
        suite: String, kind: SuiteKind, caseID: String, caseHash: String, tags: [String], verdict: Verdict,
        passedRepeats: Int, failedRepeats: Int, errorRepeats: Int, uncheckedRepeats: Int = 0, answers: Int? = nil,
        truncatedRepeats: Int = 0, cachedRepeats: Int = 0, checks: [CheckVerdict] = [],
        failingRules: [String] = [], evidence: [Evidence] = [], risks: [RiskShare] = [], errorClasses: [String] = [],
        errorMessage: String? = nil, judgeVerdicts: [JudgeVerdict] = []
    ) {
        self.suite = suite
        self.kind = kind
        self.caseID = caseID
        self.caseHash = caseHash
        self.tags = tags
        self.verdict = verdict
        self.counts = RepeatCounts(
            passed: Int32(clamping: passedRepeats), failed: Int32(clamping: failedRepeats),
            errors: Int32(clamping: errorRepeats), unchecked: Int32(clamping: uncheckedRepeats),
            answers: Int32(clamping: answers ?? (passedRepeats + failedRepeats + uncheckedRepeats)),
            truncated: Int32(clamping: truncatedRepeats), cached: Int32(clamping: cachedRepeats))
        self.checks = checks
        self.details = Details.make(
            DetailValues(
                failingRules: failingRules, evidence: evidence, risks: risks, errorClasses: errorClasses,
                errorMessage: errorMessage, judgeVerdicts: judgeVerdicts))
    }

    private struct RepeatCounts: Sendable, Hashable {
        var passed: Int32
        var failed: Int32
        var errors: Int32
        var unchecked: Int32
        var answers: Int32
        var truncated: Int32
        var cached: Int32
    }

    private struct DetailValues: Sendable, Hashable {
        var failingRules: [String] = []
        var evidence: [Evidence] = []
        var risks: [RiskShare] = []
        var errorClasses: [String] = []
        var errorMessage: String?
        var judgeVerdicts: [JudgeVerdict] = []

        var isEmpty: Bool {
            failingRules.isEmpty && evidence.isEmpty && risks.isEmpty && errorClasses.isEmpty && errorMessage == nil
                && judgeVerdicts.isEmpty
        }
    }

    /// The rare fields, shared between copies of an outcome (never changed in place: a setter makes a new one).
    private final class Details: Sendable, Hashable {
        let values: DetailValues

        private init(_ values: DetailValues) { self.values = values }

        /// nil when there is nothing to keep.
        static func make(_ values: DetailValues) -> Details? { values.isEmpty ? nil : Details(values) }

        var failingRules: [String] { values.failingRules }
        var evidence: [Evidence] { values.evidence }
        var risks: [RiskShare] { values.risks }
        var errorClasses: [String] { values.errorClasses }
        var errorMessage: String? { values.errorMessage }
        var judgeVerdicts: [JudgeVerdict] { values.judgeVerdicts }

        static func == (lhs: Details, rhs: Details) -> Bool { lhs === rhs || lhs.values == rhs.values }
        func hash(into hasher: inout Hasher) { hasher.combine(values) }
    }

    private mutating func update<Value>(_ field: WritableKeyPath<DetailValues, Value>, _ value: Value) {
        var values = details?.values ?? DetailValues()
        values[keyPath: field] = value
        details = Details.make(values)
    }
}

/// A PII or promise rule on a case: in how many of its answered repeats it was found, and what one of them said.
public struct RiskShare: Sendable, Hashable {
    public var category: RiskCategory
    /// Checked repeats with at least one finding of this rule.
    public var repeats: Int
    /// The first finding of the rule (the lowest repeat).
    public var evidence: Evidence

    public init(category: RiskCategory, repeats: Int, evidence: Evidence) {
        self.category = category
        self.repeats = repeats
        self.evidence = evidence
    }

    public var rule: String { evidence.rule }
}

/// (suite, case): a case's identity across runs.
public struct CaseKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var suite: String
    public var caseID: String

    public init(suite: String, caseID: String) {
        self.suite = suite
        self.caseID = caseID
    }

    public static func < (lhs: CaseKey, rhs: CaseKey) -> Bool {
        (lhs.suite, lhs.caseID) < (rhs.suite, rhs.caseID)
    }

    public var description: String { "\(suite)/\(caseID)" }
}

/// Whether one check type passed on a case.
public struct CheckVerdict: Sendable, Hashable {
    public var type: String
    public var passed: Bool

    public init(type: String, passed: Bool) {
        self.type = type
        self.passed = passed
    }
}

/// A finding as a report quotes it: the rule, the message, the UTF-8 span in the answer and the matched text, where
/// the span starts as line and column, and a short excerpt of the answer around it.
public struct Evidence: Sendable, Hashable, Encodable {
    public var rule: String
    public var message: String
    public var span: TextSpan?
    public var text: String?
    /// Where `span` starts in the answer (line:column); nil without a span or without the answer.
    public var position: TextPosition?
    /// The answer around the span (its start for a finding without a span); nil without the answer.
    public var excerpt: Excerpt?
    /// The repeat the finding comes from (0-based).
    public var repeatIndex: Int
    /// Personal data and secrets that `pii` findings found in the same answer and that this evidence quotes (a
    /// `format.language` finding quoting the whole answer, say): masked wherever they appear. Not in the JSON.
    public var sensitive: [SensitiveText]

    public init(
        rule: String, message: String, span: TextSpan? = nil, text: String? = nil, position: TextPosition? = nil,
        excerpt: Excerpt? = nil, repeatIndex: Int = 0, sensitive: [SensitiveText] = []
    ) {
        self.rule = rule
        self.message = message
        self.span = span
        self.text = text
        self.position = position
        self.excerpt = excerpt
        self.repeatIndex = repeatIndex
        self.sensitive = sensitive
    }

    public init(_ finding: Finding, repeatIndex: Int) {
        self.init(
            rule: finding.ruleID, message: finding.message, span: finding.span, text: finding.text,
            repeatIndex: repeatIndex)
    }

    /// The kind of rule, read from `rule` (not in the JSON: `rule` says it).
    public var category: FindingCategory { FindingCategory(ruleID: rule) }

    /// PII (`pii.*`) and promise (`promise.*`) findings: what must never be new in a candidate.
    public var riskCategory: RiskCategory? { RiskCategory(category) }

    /// Where the evidence is, for a person: `2:5` (line:column), or the UTF-8 offsets when the answer was not at hand;
    /// nil without a span.
    public var location: String? {
        position.map(\.description) ?? span.map { "bytes \($0.start)–\($0.end)" }
    }

    enum CodingKeys: String, CodingKey {
        case rule, message, span, position, text, excerpt
        case repeatIndex = "repeat"
    }
}

/// A piece of an answer that a `pii` finding flagged: masked in every quote of that answer.
public struct SensitiveText: Sendable, Hashable {
    public var text: String
    /// A secret (`pii.secret.*`): masked even with `--show-pii`.
    public var isSecret: Bool

    public init(text: String, isSecret: Bool) {
        self.text = text
        self.isSecret = isSecret
    }

    /// What a `pii` finding (a secret's included) quotes; nil for another category or without text.
    public init?(category: FindingCategory, text: String?) {
        guard category.isSensitive, let text, !text.isEmpty else { return nil }
        self.init(text: text, isSecret: category == .secret)
    }

    /// What a `pii` finding quotes; nil for a finding of another category or without text.
    public init?(_ finding: Finding) {
        self.init(category: finding.category, text: finding.text)
    }
}

/// The findings the gate treats as release risks when a candidate has them and its baseline did not.
public enum RiskCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case pii
    case promise

    /// PII (secrets included) and promises; nil for the other categories.
    public init?(_ category: FindingCategory) {
        switch category {
        case .pii, .secret: self = .pii
        case .promise: self = .promise
        case .format, .content, .judge, .ifeval, .scorer, .other: return nil
        }
    }
}
