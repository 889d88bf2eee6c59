public import EvalCore

/// A case of one run reduced to what reports need: its verdict over the repeats, the checks and rules that failed
/// with a little evidence, and the risk findings (PII, promises) that the diff compares. The answers themselves are
/// not kept, so that a 100,000-case log fits in a few tens of megabytes.
///
/// **The repeat rule.** A case whose every repeat errored is an `error`. Otherwise its verdict is the majority of
/// its answered repeats: it passes when more than half of them passed (a tie fails), and it is *flaky* when its
/// answered repeats disagree. Errored repeats are not counted as failures.
public struct CaseOutcome: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable, Codable, Comparable {
        case passed
        case failed
        case error

        private var order: Int {
            switch self {
            case .failed: 0
            case .error: 1
            case .passed: 2
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
    /// Each check type of the case and whether it passed in the majority of the answered repeats (sorted by type).
    public var checks: [CheckVerdict]
    /// Rule ids of every finding of the failing repeats, sorted, without duplicates.
    public var failingRules: [String]
    /// The findings of the first failing repeat, a few per case: what a report quotes.
    public var evidence: [Evidence]
    /// PII and promise findings of every answered repeat, one per (rule, text).
    public var riskFindings: [Evidence]
    /// Error classes of the errored repeats, sorted, without duplicates.
    public var errorClasses: [String]

    public var key: CaseKey { CaseKey(suite: suite, caseID: caseID) }
    public var answeredRepeats: Int { passedRepeats + failedRepeats }
    /// The answered repeats disagree.
    public var isFlaky: Bool { passedRepeats > 0 && failedRepeats > 0 }

    public init(
        suite: String, kind: SuiteKind, caseID: String, caseHash: String, tags: [String], verdict: Verdict,
        passedRepeats: Int, failedRepeats: Int, errorRepeats: Int, checks: [CheckVerdict] = [],
        failingRules: [String] = [], evidence: [Evidence] = [], riskFindings: [Evidence] = [], errorClasses: [String] = []
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
        self.checks = checks
        self.failingRules = failingRules
        self.evidence = evidence
        self.riskFindings = riskFindings
        self.errorClasses = errorClasses
    }
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

/// A finding as a report quotes it: the rule, the message, the UTF-8 span in the answer and the matched text.
public struct Evidence: Sendable, Hashable, Encodable {
    public var rule: String
    public var message: String
    public var span: TextSpan?
    public var text: String?
    /// The repeat the finding comes from (0-based).
    public var repeatIndex: Int
    /// Personal data and secrets that `pii` findings found in the same answer and that this evidence quotes (a
    /// `format.language` finding quoting the whole answer, say): masked wherever they appear. Not in the JSON.
    public var sensitive: [SensitiveText]

    public init(
        rule: String, message: String, span: TextSpan? = nil, text: String? = nil, repeatIndex: Int = 0,
        sensitive: [SensitiveText] = []
    ) {
        self.rule = rule
        self.message = message
        self.span = span
        self.text = text
        self.repeatIndex = repeatIndex
        self.sensitive = sensitive
    }

    public init(_ finding: Finding, repeatIndex: Int) {
        self.init(rule: finding.ruleID, message: finding.message, span: finding.span, text: finding.text, repeatIndex: repeatIndex)
    }

    /// PII (`pii.*`) and promise (`promise.*`) findings: what must never be new in a candidate.
    public var riskCategory: RiskCategory? { RiskCategory(rule: rule) }

    enum CodingKeys: String, CodingKey {
        case rule, message, span, text
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
}

/// The findings the gate treats as release risks when a candidate has them and its baseline did not.
public enum RiskCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case pii
    case promise

    public init?(rule: String) {
        if rule.hasPrefix("pii.") {
            self = .pii
        } else if rule.hasPrefix("promise.") {
            self = .promise
        } else {
            return nil
        }
    }
}
