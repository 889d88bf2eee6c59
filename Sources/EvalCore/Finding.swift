/// A half-open range of UTF-8 byte offsets into a response: `start..<end`.
/// Byte offsets (not characters) so that any tool, in any language, can cut the same text out of the stored answer.
public struct TextSpan: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// The span of `range` within `text`.
    public init(_ range: Range<String.Index>, in text: String) {
        let utf8 = text.utf8
        start = utf8.distance(from: utf8.startIndex, to: range.lowerBound)
        end = start + utf8.distance(from: range.lowerBound, to: range.upperBound)
    }

    public var length: Int { end - start }

    /// The text this span covers in `text`; nil when the span does not fit or cuts a character in half.
    public func text(in text: String) -> String? {
        let utf8 = text.utf8
        guard start >= 0, start <= end, end <= utf8.count else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: start)
        let upper = utf8.index(lower, offsetBy: end - start)
        return String(utf8[lower..<upper])
    }

    public static func < (lhs: TextSpan, rhs: TextSpan) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    public var description: String { "\(start)..<\(end)" }
}

/// What kind of rule a finding is of: the first part of its rule id (`pii.email` is `pii`, `pii.secret.openai` is
/// `secret`). Reports read it to mask personal data and to tell release risks (new PII, new promises) apart. Nothing
/// stores it: a finding's rule id says it, and `init(ruleID:)` reads it, for the logs of every version alike.
public enum FindingCategory: String, Sendable, Hashable, Codable, CaseIterable {
    /// Personal data (`pii.*`): masked in reports unless `--show-pii`.
    case pii
    /// A secret (`pii.secret.*`: an API key, a token, a private key): masked even with `--show-pii`.
    case secret
    /// A promise the answer makes (`promise.*`).
    case promise
    /// The answer's form (`format.*`: JSON, sections, length, language, markdown).
    case format
    /// The answer's content against expected text (`content.*`).
    case content
    /// A judge's verdict (`judge.*`).
    case judge
    /// An IFEval instruction (`ifeval.*`).
    case ifeval
    /// The scorer itself (`scorer.*`: a case it could not score).
    case scorer
    /// A rule id of no known kind (a label file's, a newer version's).
    case other

    /// The category a rule id says: the one place a rule id is read for it (findings of run logs and label files).
    public init(ruleID: String) {
        guard let dot = ruleID.firstIndex(of: ".") else {
            self = .other
            return
        }
        let first = ruleID[..<dot]
        if first == "pii" {
            self = ruleID[ruleID.index(after: dot)...].hasPrefix("secret") ? .secret : .pii
        } else {
            self = FindingCategory(rawValue: String(first)).flatMap { $0 == .secret ? nil : $0 } ?? .other
        }
    }

    /// Personal data or a secret: what reports mask wherever an answer is quoted.
    public var isSensitive: Bool { self == .pii || self == .secret }
}

/// Why a check failed, with the evidence: which rule, where in the response, and the exact text.
/// A reviewer must never have to rerun anything to see why a case failed.
public struct Finding: Sendable, Hashable, Codable {
    /// A stable rule id, e.g. `pii.email`, `promise.deadline`, `format.sections.missing`.
    public var ruleID: String
    /// Lowercase, no final period, the offending text in quotes: `promises a deadline 'за 3 дня'`.
    public var message: String
    /// Where the evidence is in the response; nil when the finding is about something absent
    /// (a missing section, an expected phrase that never appears).
    public var span: TextSpan?
    /// The matched text (the response's own bytes at `span`), or the expected text for absences.
    public var text: String?

    public init(ruleID: String, message: String, span: TextSpan? = nil, text: String? = nil) {
        self.ruleID = ruleID
        self.message = message
        self.span = span
        self.text = text
    }

    /// The kind of rule, read from the rule id: never stored, so a finding of a run log of any version has the
    /// same category as the one the run made.
    public var category: FindingCategory { FindingCategory(ruleID: ruleID) }

    enum CodingKeys: String, CodingKey {
        case ruleID = "rule"
        case message, span, text
    }
}
