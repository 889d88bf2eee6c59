public import EvalCore

/// Where a span starts as a person counts it: line and column, both from 1, the column in characters (grapheme
/// clusters: `é` written as e and a combining accent is one column, so is an emoji). Lines break at LF, CRLF and CR.
/// Every report shows a span this way (`2:5`); the JSON keeps the UTF-8 offsets as well, for tools.
public struct TextPosition: Sendable, Hashable, Encodable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position of the end of `text` (the place right after its last character).
    public init(after text: some StringProtocol) {
        var line = 1
        var column = 1
        for character in text {
            if character == "\n" || character == "\r\n" || character == "\r" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.init(line: line, column: column)
    }

    /// Where `span` starts in `answer`; nil when it does not fit the answer or starts inside a character's bytes.
    public init?(_ span: TextSpan, in answer: String) {
        guard span.start <= span.end, let before = TextSpan(start: 0, end: span.start).text(in: answer) else {
            return nil
        }
        self.init(after: before)
    }

    /// `2:5`.
    public var description: String { "\(line):\(column)" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A short piece of an answer around a finding, for reports that do not show the whole answer (Markdown, JUnit, the
/// terminal summary): up to `context` characters before the finding's span, the span itself (`match`, cut to
/// `maximumMatch`), up to `context` after. A finding without a span (something absent: a missing section, a pattern
/// that never matched) gets the start of the answer, with an empty `match`.
///
/// A piece of personal data or a secret that a `pii` finding flagged is never cut in two: the window's ends move so
/// as to leave it out whole, and a span edge that falls inside one widens the match to take it whole, so masking (which
/// replaces whole occurrences) hides it in every part.
public struct Excerpt: Sendable, Hashable, Encodable {
    public var before: String
    public var match: String
    public var after: String
    /// Text of the answer precedes `before` / follows `after` (shown as `…`).
    public var cutBefore: Bool
    public var cutAfter: Bool

    enum CodingKeys: String, CodingKey {
        case before, match, after
        case cutBefore = "cut_before"
        case cutAfter = "cut_after"
    }

    public static let context = 60
    public static let maximumMatch = 120

    public init(before: String, match: String, after: String, cutBefore: Bool, cutAfter: Bool) {
        self.before = before
        self.match = match
        self.after = after
        self.cutBefore = cutBefore
        self.cutAfter = cutAfter
    }

    /// The excerpt of `answer` around `span` (the start of the answer when `span` is nil or does not fit it), never
    /// cutting one of `sensitive` in two; nil for an empty answer.
    public init?(around span: TextSpan?, in answer: String, sensitive: [SensitiveText] = []) {
        guard !answer.isEmpty else { return nil }
        let utf8 = answer.utf8
        var lower = answer.startIndex
        var upper = answer.startIndex
        var hasMatch = false
        if let span, span.start <= span.end, span.end <= utf8.count,
            TextSpan(start: 0, end: span.end).text(in: answer) != nil,
            TextSpan(start: 0, end: span.start).text(in: answer) != nil
        {
            lower = utf8.index(utf8.startIndex, offsetBy: span.start)
            upper = utf8.index(utf8.startIndex, offsetBy: span.end)
            hasMatch = true
        }
        // Every occurrence of each sensitive piece, as ranges of the answer.
        let pieces = sensitive.flatMap { item in item.text.isEmpty ? [] : answer.occurrences(of: item.text) }
        // A match edge inside a piece widens the match to hold the piece whole.
        var widened = true
        while widened {
            widened = false
            for piece in pieces
            where piece.lowerBound < lower && lower < piece.upperBound
                || piece.lowerBound < upper && upper < piece.upperBound
            {
                lower = min(lower, piece.lowerBound)
                upper = max(upper, piece.upperBound)
                widened = true
            }
        }
        var matchEnd = upper
        if answer.distance(from: lower, to: upper) > Self.maximumMatch {
            matchEnd = answer.index(lower, offsetBy: Self.maximumMatch)
            for piece in pieces where piece.lowerBound < matchEnd && matchEnd < piece.upperBound {
                matchEnd = piece.lowerBound
            }
        }
        let afterLength = hasMatch ? Self.context : 2 * Self.context
        var start = answer.index(lower, offsetBy: -Self.context, limitedBy: answer.startIndex) ?? answer.startIndex
        var end = answer.index(upper, offsetBy: afterLength, limitedBy: answer.endIndex) ?? answer.endIndex
        for piece in pieces {
            if piece.lowerBound < start, start < piece.upperBound { start = piece.upperBound }
            if piece.lowerBound < end, end < piece.upperBound { end = piece.lowerBound }
        }
        start = min(start, lower)
        end = max(end, upper)
        let matchCut = matchEnd < upper
        self.init(
            before: String(answer[start..<lower]), match: String(answer[lower..<matchEnd]) + (matchCut ? "…" : ""),
            after: matchCut ? "" : String(answer[upper..<end]), cutBefore: start > answer.startIndex,
            cutAfter: matchCut || end < answer.endIndex)
    }

    /// The excerpt as one line of plain text with the match between `open` and `close` (nothing around an empty
    /// match); line breaks as `⏎`, tabs as spaces, other control characters dropped; `…` where the answer goes on.
    public func line(open: String = "⟦", close: String = "⟧") -> String {
        let core =
            match.isEmpty
            ? Self.flat(before) + Self.flat(after)
            : Self.flat(before) + open + Self.flat(match) + close + Self.flat(after)
        return (cutBefore ? "…" : "") + core + (cutAfter ? "…" : "")
    }

    /// Text on one line: line breaks as `⏎`, tabs as a space, other control characters dropped.
    static func flat(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\n", "\r\n", "\r": result += "⏎"
            case "\t": result += " "
            default:
                if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) { continue }
                result.append(character)
            }
        }
        return result
    }

    /// The excerpt with every occurrence of each sensitive piece masked in each part (personal data unless
    /// `showPII`, secrets always).
    func masked(_ sensitive: [SensitiveText], showPII: Bool) -> Excerpt {
        var copy = self
        copy.before = PIIMask.apply(before, sensitive: sensitive, showPII: showPII)
        copy.match = PIIMask.apply(match, sensitive: sensitive, showPII: showPII)
        copy.after = PIIMask.apply(after, sensitive: sensitive, showPII: showPII)
        return copy
    }
}

extension Finding {
    /// The finding's span when it fits `answer` and covers the text the finding quotes (any text, when it quotes
    /// none); nil otherwise: such a span is not highlighted or placed, and reports fall back to its offsets.
    func placedSpan(in answer: String) -> TextSpan? {
        guard let span, let covered = span.text(in: answer), text.map({ $0.isEmpty || $0 == covered }) ?? true else {
            return nil
        }
        return span
    }
}
