import EvalCore

/// `{"type": "contains", "value": "Следующий шаг", "ignore_case": false}`: the answer contains the text.
public struct ContainsCheck: Check {
    public static let type = "contains"
    public static let version = 1
    public static let summary = "the answer contains a text (option ignore_case)"

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
        TextSearch(input.response, ignoreCase: ignoreCase).contains(value) ? .pass : .fail(Self.missing(value))
    }

    static func missing(_ value: String) -> Finding {
        Finding(ruleID: "content.contains", message: "missing expected text \(quoted(value))", text: value)
    }
}
