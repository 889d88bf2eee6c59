import EvalCore

/// `{"type": "not-contains", "values": ["гарантия", "100%"], "ignore_case": true}` (or `value`): none of the
/// texts appears. Every occurrence is a finding with its span.
public struct NotContainsCheck: Check {
    public static let type = "not-contains"
    public static let version = 1
    public static let summary = "the answer contains none of the forbidden texts (option ignore_case)"

    public let values: [String]
    public let ignoreCase: Bool

    public init(values: [String], ignoreCase: Bool = false) {
        self.values = values
        self.ignoreCase = ignoreCase
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let hasValue = options.has("value")
        let hasValues = options.has("values")
        if hasValue && hasValues {
            throw CheckConfigurationError("check '\(Self.type)' takes option 'value' or 'values', not both")
        }
        if !hasValue && !hasValues {
            throw CheckConfigurationError(
                "check '\(Self.type)' needs option 'value' or 'values' (a string or a non-empty list of strings)"
            )
        }
        self.init(
            values: try options.nonEmptyStrings(hasValue ? "value" : "values"), ignoreCase: try options.ignoreCase())
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let search = TextSearch(input.response, ignoreCase: ignoreCase)
        // Longest first at each start; a match inside another one ("гарант" in "гарантия") is not reported again.
        let matches = values.flatMap(search.spans(of:)).sorted { ($0.start, -$0.end) < ($1.start, -$1.end) }
        var reported: [TextSpan] = []
        for span in matches where !reported.contains(where: { $0.start <= span.start && span.end <= $0.end }) {
            reported.append(span)
        }
        return .failing(on: reported.map { Self.forbidden(span: $0, in: input.response) })
    }

    static func forbidden(span: TextSpan, in response: String) -> Finding {
        let text = span.text(in: response) ?? ""
        return Finding(
            ruleID: "content.not-contains", message: "contains forbidden text \(quoted(text))", span: span, text: text)
    }
}
