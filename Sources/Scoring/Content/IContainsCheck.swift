import EvalCore

/// `{"type": "icontains", "value": "коротко"}`: the answer contains the text in any case. Unicode-aware:
/// «Коротко» matches «КОРОТКО».
public struct IContainsCheck: Check {
    public static let type = "icontains"
    public static let version = 1
    public static let summary = "the answer contains a text, in any letter case"

    public let value: String

    public init(value: String) {
        self.value = value
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        self.init(value: try options.nonEmptyString("value"))
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        TextSearch(input.response, ignoreCase: true).contains(value) ? .pass : .fail(Self.missing(value))
    }

    static func missing(_ value: String) -> Finding {
        Finding(ruleID: "content.icontains", message: "missing expected text \(quoted(value)) in any case", text: value)
    }
}
