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
    public var kind: SuiteKind
    public var caseID: String
    public var caseHash: String
    public var tags: [String]
    public var verdict: Verdict
    /// Repeats that passed, failed and errored.
    public var passedRepeats: Int
    public var failedRepeats: Int
    public var errorRepeats: Int
    /// Answered repeats that no check judged.
    public var uncheckedRepeats: Int
    /// Repeats with an answer (cached or not), of them cut off by the token limit (`finish_reason: length`), and
    /// served from the response cache.
    public var answers: Int
    public var truncatedRepeats: Int
    public var cachedRepeats: Int
    /// Each check type of the case and whether it passed in the majority of the answered repeats (sorted by type).
    public var checks: [CheckVerdict]
    /// Rule ids of every finding of the failing repeats, sorted, without duplicates.
    public var failingRules: [String]
    /// The findings of the first failing repeat, then its checks' notes (`not a promise (negated): '…'`), a few per
    /// case: what a report quotes.
    public var evidence: [Evidence]
    /// PII and promise rules found in the answered repeats, each with the number of repeats that had it and one
    /// quoted finding (sorted by rule): what the diff compares, by rule, not by the text matched.
    public var risks: [RiskShare]
    /// Error classes of the errored repeats, sorted, without duplicates.
    public var errorClasses: [String]
    /// The message of the first errored repeat's error (as the run log has it, secrets already redacted, cut to
    /// `RunIndex.maximumEvidenceCharacters`); nil when no repeat errored.
    public var errorMessage: String?
    /// The verdicts of the case's judge checks, passed ones too, repeat by repeat (a few per case).
    public var judgeVerdicts: [JudgeVerdict]

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
        self.passedRepeats = passedRepeats
        self.failedRepeats = failedRepeats
        self.errorRepeats = errorRepeats
        self.uncheckedRepeats = uncheckedRepeats
        self.answers = answers ?? (passedRepeats + failedRepeats + uncheckedRepeats)
        self.truncatedRepeats = truncatedRepeats
        self.cachedRepeats = cachedRepeats
        self.checks = checks
        self.failingRules = failingRules
        self.evidence = evidence
        self.risks = risks
        self.errorClasses = errorClasses
        self.errorMessage = errorMessage
        self.judgeVerdicts = judgeVerdicts
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
