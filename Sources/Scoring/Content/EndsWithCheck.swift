import EvalCore

/// `{"type": "ends-with", "value": "Хорошего дня!", "ignore_case": false}`: the answer, trailing whitespace
/// ignored, ends with the text.
public struct EndsWithCheck: Check {
    public static let type = "ends-with"
    public static let version = 1
    public static let summary = "the answer ends with a text, trailing whitespace ignored (option ignore_case)"

    public let value: String
    public let ignoreCase: Bool

    public init(value: String, ignoreCase: Bool = false) {
        self.value = value
        self.ignoreCase = ignoreCase
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        self.init(value: try options.nonEmptyString("value"), ignoreCase: try options.ignoreCase())
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let trimmed = Markdown.trimmingWhitespace(input.response[...])
        guard !TextSearch(String(trimmed), ignoreCase: ignoreCase).hasSuffix(value) else { return .pass }
        return .fail(Self.wrongEnd(value, found: trimmed.suffix(value.count)))
    }

    static func wrongEnd(_ value: String, found: Substring) -> Finding {
        Finding(
            ruleID: "content.ends-with",
            message: "does not end with \(quoted(value)), "
                + (found.isEmpty ? "the answer is empty" : "ends with \(quoted(found))"),
            text: value
        )
    }
}
