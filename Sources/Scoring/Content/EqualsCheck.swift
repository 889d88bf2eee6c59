import EvalCore

/// `{"type": "equals", "value": "Да", "ignore_case": false, "normalize_whitespace": true,
/// "strip_punctuation": false}`: the whole answer is the text. By default surrounding whitespace is ignored and
/// inner runs of whitespace compare as one space; `strip_punctuation` removes punctuation from both sides first.
public struct EqualsCheck: Check {
    public static let type = "equals"
    public static let version = 1
    public static let summary =
        "the whole answer equals a text (options ignore_case, normalize_whitespace, strip_punctuation)"

    public let value: String
    public let ignoreCase: Bool
    public let normalizeWhitespace: Bool
    public let stripPunctuation: Bool

    public init(
        value: String, ignoreCase: Bool = false, normalizeWhitespace: Bool = true, stripPunctuation: Bool = false
    ) {
        self.value = value
        self.ignoreCase = ignoreCase
        self.normalizeWhitespace = normalizeWhitespace
        self.stripPunctuation = stripPunctuation
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        self.init(
            value: try options.string("value"),
            ignoreCase: try options.ignoreCase(),
            normalizeWhitespace: try options.bool("normalize_whitespace", default: true),
            stripPunctuation: try options.bool("strip_punctuation", default: false)
        )
    }

    private func normalized(_ text: String) -> String {
        TextNormalization.normalized(
            text,
            ignoreCase: ignoreCase,
            collapseWhitespace: normalizeWhitespace,
            stripPunctuation: stripPunctuation
        )
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        normalized(input.response) == normalized(value) ? .pass : .fail(Self.notEqual(value, found: input.response))
    }

    static func notEqual(_ value: String, found: String) -> Finding {
        Finding(ruleID: "content.equals", message: "expected \(quoted(value)), found \(quoted(found))", text: value)
    }
}
