import EvalCore

/// Line-level Markdown, as models write it: enough to find headings, list items and code, with exact ranges.
///
/// Every function takes and returns slices of the response (`Substring`s share the response's indices), so a range
/// found here converts directly to a `TextSpan` with `TextSpan(range, in: response)`.
public enum Markdown {
    /// The lines of `text`, without their terminators (`\n`, `\r\n`, `\r`, U+2028, ...). Empty lines are kept, so
    /// line `i` of the result is line `i + 1` of the text as an editor counts them.
    ///
    /// Read byte by byte: a line break (LF, VT, FF, CR, NEL, U+2028, U+2029) is always a character of its own (CR LF
    /// one character), so this splits exactly where `split(whereSeparator: \.isNewline)` over the characters would,
    /// without breaking the whole text into grapheme clusters.
    public static func lines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            var breakEnd: String.Index?
            switch byte {
            case 0x0A, 0x0B, 0x0C:
                breakEnd = utf8.index(after: index)
            case 0x0D:
                let next = utf8.index(after: index)
                breakEnd = next < utf8.endIndex && utf8[next] == 0x0A ? utf8.index(after: next) : next
            case 0xC2:
                // U+0085 NEXT LINE
                let next = utf8.index(after: index)
                if next < utf8.endIndex, utf8[next] == 0x85 { breakEnd = utf8.index(after: next) }
            case 0xE2:
                // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR
                let second = utf8.index(after: index)
                if second < utf8.endIndex, utf8[second] == 0x80 {
                    let third = utf8.index(after: second)
                    if third < utf8.endIndex, utf8[third] == 0xA8 || utf8[third] == 0xA9 {
                        breakEnd = utf8.index(after: third)
                    }
                }
            default:
                break
            }
            if let breakEnd {
                lines.append(text[lineStart..<index])
                lineStart = breakEnd
                index = breakEnd
            } else {
                index = utf8.index(after: index)
            }
        }
        lines.append(text[lineStart..<utf8.endIndex])
        return lines
    }

    public static func isBlank(_ line: Substring) -> Bool {
        line.allSatisfy(\.isWhitespace)
    }

    /// `line` without leading spaces and tabs.
    public static func droppingIndent(_ line: Substring) -> Substring {
        line.drop { $0 == " " || $0 == "\t" }
    }

    /// `text` without trailing whitespace.
    public static func trimmingTrailingWhitespace(_ text: Substring) -> Substring {
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)].isWhitespace { end = text.index(before: end) }
        return text[text.startIndex..<end]
    }

    /// `text` without leading and trailing whitespace.
    public static func trimmingWhitespace(_ text: Substring) -> Substring {
        trimmingTrailingWhitespace(text.drop(while: \.isWhitespace))
    }

    // MARK: - Headings

    /// An ATX heading (`#` to `######`, then a space or the end of the line), indented or not.
    /// `marker` covers the heading from its first `#` to its last non-blank character; `title` is the text between
    /// the opening `#`s and an optional closing run of `#`s, trimmed.
    public static func heading(_ line: Substring) -> (marker: Substring, title: Substring, level: Int)? {
        let body = droppingIndent(line)
        let hashes = body.prefix { $0 == "#" }
        guard (1...6).contains(hashes.count) else { return nil }
        let rest = body[hashes.endIndex...]
        guard rest.isEmpty || rest.first!.isWhitespace else { return nil }
        let marker = trimmingTrailingWhitespace(body)
        var title = trimmingWhitespace(rest)
        // A closing sequence of #s counts only after a space: `## Итог ##`.
        let closing = title.reversed().prefix { $0 == "#" }.count
        if closing > 0 {
            let beforeClosing = title.index(title.endIndex, offsetBy: -closing)
            if beforeClosing == title.startIndex {
                title = title[title.startIndex..<beforeClosing]
            } else if title[title.index(before: beforeClosing)].isWhitespace {
                title = trimmingTrailingWhitespace(title[title.startIndex..<beforeClosing])
            }
        }
        return (marker, title, hashes.count)
    }

    // MARK: - Lists

    /// The marker of a list item (`-`, `*`, `+`, `1.`, `1)`, and `•` when `allowBullet`), when the line is one: the
    /// marker must be followed by whitespace and then some text, so `**bold**` and `---` are not list items.
    public static func listMarker(_ line: Substring, allowBullet: Bool = false) -> Substring? {
        let body = droppingIndent(line)
        guard let first = body.first, !isThematicBreak(body) else { return nil }
        var markerEnd: Substring.Index
        if first == "-" || first == "*" || first == "+" || (allowBullet && first == "•") {
            markerEnd = body.index(after: body.startIndex)
        } else if first.isASCII, first.isNumber {
            let digits = body.prefix { $0.isASCII && $0.isNumber }
            guard digits.count <= 9, digits.endIndex < body.endIndex else { return nil }
            let delimiter = body[digits.endIndex]
            guard delimiter == "." || delimiter == ")" else { return nil }
            markerEnd = body.index(after: digits.endIndex)
        } else {
            return nil
        }
        let rest = body[markerEnd...]
        guard let next = rest.first, next == " " || next == "\t", !isBlank(rest) else { return nil }
        return body[body.startIndex..<markerEnd]
    }

    /// A horizontal rule: three or more `-`, `*` or `_`, possibly spaced (`---`, `* * *`).
    public static func isThematicBreak(_ line: Substring) -> Bool {
        // Nearly every line starts with a character of its own that is neither blank nor a mark: not a break.
        let scalars = line.unicodeScalars
        if let first = scalars.first, PlainText.standsAlone(first), !BasicScalars.isWhitespace(first),
            first != "-", first != "*", first != "_"
        {
            let next = scalars.index(after: scalars.startIndex)
            if next == scalars.endIndex || PlainText.standsAlone(scalars[next]) { return false }
        }
        return isThematicBreakByCharacter(line)
    }

    /// `isThematicBreak` character by character: the definition its shortcut stands in for.
    static func isThematicBreakByCharacter(_ line: Substring) -> Bool {
        var mark: Character?
        var count = 0
        for character in line where !character.isWhitespace {
            if let mark {
                guard character == mark else { return false }
            } else {
                guard character == "-" || character == "*" || character == "_" else { return false }
                mark = character
            }
            count += 1
        }
        return count >= 3
    }

    /// The line without its indentation and its list marker (if any) and the whitespace after the marker.
    public static func droppingListMarker(_ line: Substring, allowBullet: Bool = true) -> Substring {
        guard let marker = listMarker(line, allowBullet: allowBullet) else { return droppingIndent(line) }
        return line[marker.endIndex...].drop { $0 == " " || $0 == "\t" }
    }

    // MARK: - Code

    /// A fenced code block: a line of three or more backticks or tildes (with an optional info string such as
    /// `json`), the lines of code, and a closing line of the same character at least as long. An unclosed block runs
    /// to the end of the text. Fences may be indented (models indent them inside list items).
    public struct FencedBlock: Sendable, Hashable {
        /// From the opening fence's first backtick to the end of the closing fence (or of the text).
        public var range: Range<String.Index>
        /// The code: from the line after the opening fence to the start of the closing fence's line.
        public var content: Range<String.Index>
        /// The opening fence line, trimmed: "```json".
        public var opening: Substring
        /// The info string, trimmed: "json".
        public var info: Substring
        /// The indices (into `lines`) of the opening fence and of the closing fence or the last line.
        public var lines: ClosedRange<Int>
        public var isClosed: Bool
    }

    private static func fence(_ line: Substring) -> (character: Character, count: Int, body: Substring)? {
        let body = droppingIndent(line)
        guard let first = body.first, first == "`" || first == "~" else { return nil }
        let count = body.prefix { $0 == first }.count
        guard count >= 3 else { return nil }
        return (first, count, body)
    }

    /// The fenced code blocks among `lines` (as returned by `lines(_:)` for `text`).
    public static func fencedBlocks(in text: String, lines: [Substring]) -> [FencedBlock] {
        var blocks: [FencedBlock] = []
        var index = 0
        while index < lines.count {
            guard let open = fence(lines[index]) else {
                index += 1
                continue
            }
            let info = trimmingWhitespace(open.body.dropFirst(open.count))
            if open.character == "`", info.contains("`") {
                index += 1
                continue
            }
            var closing: Int?
            var scan = index + 1
            while scan < lines.count {
                if let close = fence(lines[scan]), close.character == open.character, close.count >= open.count,
                    isBlank(close.body.dropFirst(close.count))
                {
                    closing = scan
                    break
                }
                scan += 1
            }
            let contentStart = index + 1 < lines.count ? lines[index + 1].startIndex : lines[index].endIndex
            let last = closing ?? lines.count - 1
            let contentEnd = closing.map { lines[$0].startIndex } ?? text.endIndex
            let end = closing.map { trimmingTrailingWhitespace(lines[$0]).endIndex } ?? text.endIndex
            blocks.append(
                FencedBlock(
                    range: open.body.startIndex..<end,
                    content: contentStart..<max(contentStart, contentEnd),
                    opening: trimmingTrailingWhitespace(open.body),
                    info: info,
                    lines: index...last,
                    isClosed: closing != nil
                )
            )
            index = last + 1
        }
        return blocks
    }

    /// Which of `lines` belong to a fenced code block, fences included.
    public static func fencedLineMask(in text: String, lines: [Substring]) -> [Bool] {
        var mask = Array(repeating: false, count: lines.count)
        for block in fencedBlocks(in: text, lines: lines) {
            for index in block.lines { mask[index] = true }
        }
        return mask
    }

    /// The inline code spans of one line, backticks included: a run of N backticks up to the next run of exactly N.
    public static func inlineCode(in line: Substring) -> [Substring] {
        var spans: [Substring] = []
        var index = line.startIndex
        while index < line.endIndex {
            guard line[index] == "`" else {
                index = line.index(after: index)
                continue
            }
            let opening = line[index...].prefix { $0 == "`" }
            var scan = opening.endIndex
            var closingEnd: Substring.Index?
            while scan < line.endIndex {
                if line[scan] == "`" {
                    let run = line[scan...].prefix { $0 == "`" }
                    if run.count == opening.count {
                        closingEnd = run.endIndex
                        break
                    }
                    scan = run.endIndex
                } else {
                    scan = line.index(after: scan)
                }
            }
            if let closingEnd,
                line[opening.endIndex..<line.index(closingEnd, offsetBy: -opening.count)].contains(where: {
                    !$0.isWhitespace
                })
            {
                spans.append(line[index..<closingEnd])
                index = closingEnd
            } else {
                index = opening.endIndex
            }
        }
        return spans
    }
}
