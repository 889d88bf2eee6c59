import EvalCore

/// `{"type": "contains-all", "values": ["Коротко", "Подробно"], "ignore_case": false}`: every text, with one
/// finding per missing one.
public struct ContainsAllCheck: Check {
    public static let type = "contains-all"
    public static let version = 1
    public static let summary = "the answer contains every one of several texts (option ignore_case)"

    public let values: [String]
    public let ignoreCase: Bool

    public init(values: [String], ignoreCase: Bool = false) {
        self.values = values
        self.ignoreCase = ignoreCase
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        self.init(values: try options.nonEmptyStrings("values"), ignoreCase: try options.ignoreCase())
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let search = TextSearch(input.response, ignoreCase: ignoreCase)
        return .failing(on: values.filter { !search.contains($0) }.map(Self.missing))
    }

    static func missing(_ value: String) -> Finding {
        Finding(ruleID: "content.contains-all", message: "missing expected text \(quoted(value))", text: value)
    }
}
