import EvalCore

/// `{"type": "not-regex", "pattern": "за \\d+ дн", "ignore_case": true}`: no part of the answer matches the
/// regular expression. Every non-empty match is a finding with its span.
public struct NotRegexCheck: Check {
    public static let type = "not-regex"
    public static let version = 1
    public static let summary = "no part of the answer matches a regular expression (option ignore_case)"

    public let pattern: TextPattern

    public init(pattern: TextPattern) {
        self.pattern = pattern
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let ignoreCase = try options.ignoreCase()
        self.init(pattern: try options.pattern("pattern", ignoreCase: ignoreCase))
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let response = input.response
        let findings = pattern.matches(in: response).filter { !$0.isEmpty }.map {
            Self.forbidden(pattern.pattern, span: TextSpan($0, in: response), text: String(response[$0]))
        }
        return .failing(on: findings)
    }

    static func forbidden(_ pattern: String, span: TextSpan, text: String) -> Finding {
        Finding(
            ruleID: "content.not-regex",
            message: "forbidden pattern \(quoted(pattern)) matches \(quoted(text))",
            span: span,
            text: text
        )
    }
}
