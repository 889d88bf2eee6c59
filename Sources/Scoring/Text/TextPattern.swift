import Foundation

/// A regular expression compiled once and matched many times, concurrently.
///
/// The dialect is ICU's (through `NSRegularExpression`), the one most regex users know: `\d`, `\w`, `\b`, classes,
/// lookahead and lookbehind, `(?i)`, `(?m)`. `\w` and `\b` know Cyrillic. `^` and `$` match at the start and end of
/// the whole text unless the pattern says `(?m)`. Matches are returned as ranges of the searched string.
public struct TextPattern: Sendable {
    /// Why a pattern does not compile: `expected ')'`.
    public struct SyntaxError: Error, Sendable, Hashable {
        public var pattern: String
        public var reason: String
    }

    public let pattern: String
    public let ignoreCase: Bool
    // NSRegularExpression is immutable once built and documented as safe to use from many threads.
    private let expression: NSRegularExpression

    public init(_ pattern: String, ignoreCase: Bool = false) throws(SyntaxError) {
        self.pattern = pattern
        self.ignoreCase = ignoreCase
        do {
            expression = try NSRegularExpression(pattern: pattern, options: ignoreCase ? [.caseInsensitive] : [])
        } catch {
            throw SyntaxError(pattern: pattern, reason: Self.reason(pattern))
        }
    }

    /// ICU reports no reason on Linux ("The value is invalid"); Swift's own regex parser, whose syntax is nearly
    /// the same, usually says what is wrong (`expected ')'`, `range lower bound '2' must be less than or equal to
    /// upper bound '1'`). It only supplies the wording: ICU alone decides whether a pattern is valid.
    private static func reason(_ pattern: String) -> String {
        do {
            _ = try Regex(pattern)
        } catch {
            let wording = String(describing: error)
            if !wording.isEmpty, !wording.contains("operation could not be completed") { return wording }
        }
        return "not a valid ICU regular expression"
    }

    /// Every match, left to right, empty matches included.
    public func matches(in text: String) -> [Range<String.Index>] {
        expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range, in: text)
        }
    }

    /// The first match, if any.
    public func firstMatch(in text: String) -> Range<String.Index>? {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)).flatMap {
            Range($0.range, in: text)
        }
    }
}
