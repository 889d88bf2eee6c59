import EvalCore

/// `{"type": "length", "unit": "words", "min": 20, "max": 300}`: the answer's length is within limits.
///
/// Units (see `TextSegmentation` for the exact rules):
/// - `words`: runs of letters and digits in any script, hyphenated and apostrophised words counting once;
/// - `characters`: user-perceived characters (`Character`s), leading and trailing whitespace excluded;
/// - `sentences`: split after `.`, `!`, `?`, `…` followed by a space, minding decimals, abbreviations
///   (`т.е.`, `e.g.`), lowercase continuations, list items and headings;
/// - `paragraphs`: blocks separated by blank lines;
/// - `bullets`: lines starting with `-`, `*`, `+`, `•`, `1.` or `1)` and a space, outside code blocks.
/// Over the maximum, the finding spans the excess: from the first unit past the limit to the end of the last one.
public struct LengthCheck: Check {
    public static let type = "length"
    public static let version = 1
    public static let summary =
        "the answer has at least min and at most max words, characters, sentences, paragraphs or bullets"

    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case words, characters, sentences, paragraphs, bullets

        var singular: String { String(rawValue.dropLast()) }
    }

    public let unit: Unit
    public let min: Int?
    public let max: Int?

    public init(unit: Unit, min: Int? = nil, max: Int? = nil) throws(CheckConfigurationError) {
        guard min != nil || max != nil else {
            throw CheckConfigurationError("check '\(Self.type)' needs option 'min' or 'max' (an integer)")
        }
        for (key, value) in [("min", min), ("max", max)] {
            if let value, value < 0 {
                throw CheckConfigurationError(
                    "option '\(key)' of check '\(Self.type)' must not be negative, found \(value)")
            }
        }
        if let min, let max, min > max {
            throw CheckConfigurationError(
                "option 'min' of check '\(Self.type)' (\(min)) is more than option 'max' (\(max))")
        }
        self.unit = unit
        self.min = min
        self.max = max
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let allowed = Unit.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        guard let name = try options.optionalString("unit") else {
            throw CheckConfigurationError("check '\(Self.type)' needs option 'unit' (one of \(allowed))")
        }
        guard let unit = Unit(rawValue: name) else {
            throw CheckConfigurationError(
                "option 'unit' of check '\(Self.type)' expects one of \(allowed), found '\(name)'")
        }
        try self.init(unit: unit, min: try options.optionalInt("min"), max: try options.optionalInt("max"))
    }

    /// The units counted in `text`, in order.
    public func units(in text: String) -> [Range<String.Index>] {
        switch unit {
        case .words: return TextSegmentation.words(in: text)
        case .sentences: return TextSegmentation.sentences(in: text)
        case .paragraphs: return TextSegmentation.paragraphs(in: text)
        case .bullets: return TextSegmentation.bulletItems(in: text)
        case .characters:
            let trimmed = Markdown.trimmingWhitespace(text[...])
            return trimmed.indices.map { $0..<trimmed.index(after: $0) }
        }
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let response = input.response
        let units = units(in: response)
        if let max, units.count > max {
            let excess = units[max].lowerBound..<units[units.count - 1].upperBound
            return .fail(
                Self.tooLong(
                    units.count, unit, max: max, span: TextSpan(excess, in: response), text: String(response[excess])))
        }
        if let min, units.count < min {
            return .fail(Self.tooShort(units.count, unit, min: min))
        }
        return .pass
    }

    static func tooLong(_ count: Int, _ unit: Unit, max: Int, span: TextSpan, text: String) -> Finding {
        Finding(
            ruleID: "format.length",
            message: "has \(counted(count, unit.singular)), more than the maximum \(max)",
            span: span,
            text: text
        )
    }

    static func tooShort(_ count: Int, _ unit: Unit, min: Int) -> Finding {
        Finding(ruleID: "format.length", message: "has \(counted(count, unit.singular)), fewer than the minimum \(min)")
    }
}
