import EvalCore

/// `{"type": "regex", "pattern": "\\d{1,2} (дня|дней)", "ignore_case": false}`: some part of the answer matches
/// the regular expression (ICU syntax; `^`/`$` are the ends of the answer unless the pattern says `(?m)`).
public struct RegexCheck: Check {
    public static let type = "regex"
    public static let version = 1
    public static let summary = "some part of the answer matches a regular expression (option ignore_case)"

    public let pattern: TextPattern

    public init(pattern: TextPattern) {
        self.pattern = pattern
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let ignoreCase = try options.ignoreCase()
        self.init(pattern: try options.pattern("pattern", ignoreCase: ignoreCase))
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        pattern.firstMatch(in: input.response) != nil ? .pass : .fail(Self.noMatch(pattern.pattern))
    }

    static func noMatch(_ pattern: String) -> Finding {
        Finding(ruleID: "content.regex", message: "no match for pattern \(quoted(pattern))", text: pattern)
    }
}
