import EvalCore

/// `{"type": "ideal", "match": "normalized"}`: the answer matches the case's `ideal` answer.
///
/// - `exact`: the same text (canonically equivalent Unicode), nothing trimmed;
/// - `normalized` (default): equal once both are case-folded, stripped of punctuation and whitespace-collapsed;
/// - `contains`: the normalized answer contains the normalized ideal.
/// Any of several ideal answers (OpenAI-evals style lists) is accepted.
/// A case without an ideal answer fails with a finding that says so: the eval set, not the model, needs fixing.
public struct IdealCheck: Check {
    public static let type = "ideal"
    public static let version = 1
    public static let summary = "the answer matches the case's ideal answer (option match: exact, normalized, contains)"

    public enum Match: String, Sendable, CaseIterable {
        case exact, normalized, contains
    }

    public let match: Match

    public init(match: Match = .normalized) {
        self.match = match
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let name = try options.choice("match", of: Match.allCases.map(\.rawValue), default: Match.normalized.rawValue)
        self.init(match: Match(rawValue: name) ?? .normalized)
    }

    /// Passes when the answer matches any of the case's ideal answers; the finding names the first.
    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        guard let first = input.ideals.first else { return .fail(Self.noIdeal()) }
        switch match {
        case .exact:
            return input.ideals.contains(input.response) ? .pass : .fail(Self.differs(first))
        case .normalized:
            let answer = TextNormalization.loose(input.response)
            return input.ideals.contains { TextNormalization.loose($0) == answer } ? .pass : .fail(Self.differs(first))
        case .contains:
            let answer = TextNormalization.loose(input.response)
            return input.ideals.contains { answer.contains(TextNormalization.loose($0)) }
                ? .pass : .fail(Self.notContained(first))
        }
    }

    static func noIdeal() -> Finding {
        Finding(ruleID: "content.ideal.absent", message: "the case has no ideal answer")
    }

    static func differs(_ ideal: String) -> Finding {
        Finding(ruleID: "content.ideal", message: "differs from the ideal answer \(quoted(ideal))", text: ideal)
    }

    static func notContained(_ ideal: String) -> Finding {
        Finding(ruleID: "content.ideal", message: "does not contain the ideal answer \(quoted(ideal))", text: ideal)
    }
}
