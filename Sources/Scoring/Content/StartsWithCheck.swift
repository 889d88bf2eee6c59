import EvalCore

/// `{"type": "starts-with", "value": "Здравствуйте", "ignore_case": false}`: the answer, leading whitespace
/// ignored, starts with the text.
public struct StartsWithCheck: Check {
    public static let type = "starts-with"
    public static let version = 1
    public static let summary = "the answer starts with a text, leading whitespace ignored (option ignore_case)"

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
        guard !TextSearch(String(trimmed), ignoreCase: ignoreCase).hasPrefix(value) else { return .pass }
        return .fail(Self.wrongStart(value, found: trimmed.prefix(value.count)))
    }

    static func wrongStart(_ value: String, found: Substring) -> Finding {
        Finding(
            ruleID: "content.starts-with",
            message: "does not start with \(quoted(value)), "
                + (found.isEmpty ? "the answer is empty" : "starts with \(quoted(found))"),
            text: value
        )
    }
}
