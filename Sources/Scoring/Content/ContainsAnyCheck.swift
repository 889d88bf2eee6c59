import EvalCore

/// `{"type": "contains-any", "values": ["Коротко", "Кратко"], "ignore_case": true}`: at least one of the texts.
public struct ContainsAnyCheck: Check {
    public static let type = "contains-any"
    public static let version = 1
    public static let summary = "the answer contains at least one of several texts (option ignore_case)"

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
        return values.contains(where: search.contains) ? .pass : .fail(Self.missingAll(values))
    }

    /// The finding's text lists the alternatives, one per line.
    static func missingAll(_ values: [String]) -> Finding {
        Finding(
            ruleID: "content.contains-any",
            message: "missing all of the expected texts \(values.map { quoted($0) }.joined(separator: ", "))",
            text: values.joined(separator: "\n")
        )
    }
}
