import EvalCore

/// The `language` check's measurement in one pass over the answer's scalars, without regular expressions or
/// grapheme breaking: code (fenced blocks and inline spans), URLs and emails are found by hand-written scanners that
/// match exactly what `Markdown` and the two patterns of `LanguageCheck.ignoredRanges` match.
///
/// It applies to texts whose every scalar is a character of its own (ASCII, Latin, Greek, Cyrillic, general
/// punctuation, currency, letterlike and arrow and math symbols: no combining marks, joiners, emoji or Hangul), CR LF
/// aside. There a scalar count is a character count and every scalar boundary a character boundary, so the result is
/// the one the character-by-character measurement gives. Other texts return nil and are measured that way.
struct LanguageScan {
    private var scalars: [Unicode.Scalar] = []
    /// UTF-8 offset of each scalar, and the text's length at the end.
    private var offsets: [Int] = []

    init?(_ text: String) {
        var text = text
        var simple = true
        text.withUTF8 { bytes in
            // Decoded by hand into buffers of the right size: a String's bytes are valid UTF-8, and the decoder and
            // appends of the standard library cost a third of the whole check.
            var count = 0
            scalars = [Unicode.Scalar](unsafeUninitializedCapacity: bytes.count) { scalarBuffer, scalarCount in
                offsets = [Int](unsafeUninitializedCapacity: bytes.count + 1) { offsetBuffer, offsetCount in
                    var offset = 0
                    while offset < bytes.count {
                        let lead = UInt32(bytes[offset])
                        var value: UInt32
                        let width: Int
                        if lead < 0x80 {
                            (value, width) = (lead, 1)
                        } else if lead < 0xE0 {
                            (value, width) = (lead & 0x1F, 2)
                        } else if lead < 0xF0 {
                            (value, width) = (lead & 0x0F, 3)
                        } else {
                            (value, width) = (lead & 0x07, 4)
                        }
                        for continuation in 1..<width {
                            value = value << 6 | UInt32(bytes[offset + continuation] & 0x3F)
                        }
                        guard let scalar = Unicode.Scalar(value), PlainText.standsAlone(scalar) else {
                            simple = false
                            break
                        }
                        scalarBuffer[count] = scalar
                        offsetBuffer[count] = offset
                        count += 1
                        offset += width
                    }
                    offsetBuffer[count] = offset
                    offsetCount = count + 1
                }
                scalarCount = count
            }
        }
        guard simple else { return nil }
    }

    private static func isNewline(_ value: UInt32) -> Bool {
        (0x0A...0x0D).contains(value) || value == 0x85 || value == 0x2028 || value == 0x2029
    }

    private func isWhitespace(_ index: Int) -> Bool {
        BasicScalars.isWhitespace(scalars[index])
    }

    // MARK: - Lines and code, as Markdown finds them

    /// Lines as scalar ranges, split as `Markdown.lines` splits.
    private func lines() -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        var index = 0
        while index < scalars.count {
            let value = scalars[index].value
            if Self.isNewline(value) {
                lines.append(start..<index)
                index += value == 0x0D && index + 1 < scalars.count && scalars[index + 1].value == 0x0A ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        lines.append(start..<scalars.count)
        return lines
    }

    /// `Markdown.fence`: after spaces and tabs, a run of three or more backticks or tildes.
    private func fence(_ line: Range<Int>) -> (character: UInt32, count: Int, body: Int)? {
        var body = line.lowerBound
        while body < line.upperBound, scalars[body] == " " || scalars[body] == "\t" { body += 1 }
        guard body < line.upperBound, scalars[body] == "`" || scalars[body] == "~" else { return nil }
        let character = scalars[body].value
        var end = body
        while end < line.upperBound, scalars[end].value == character { end += 1 }
        guard end - body >= 3 else { return nil }
        return (character, end - body, body)
    }

    private func isBlank(_ range: Range<Int>) -> Bool { range.allSatisfy(isWhitespace) }

    private func trimmedEnd(_ range: Range<Int>) -> Int {
        var end = range.upperBound
        while end > range.lowerBound, isWhitespace(end - 1) { end -= 1 }
        return end
    }

    /// `Markdown.fencedBlocks`' ranges and which lines they cover.
    private func fencedBlocks(_ lines: [Range<Int>]) -> (ranges: [Range<Int>], fenced: [Bool]) {
        var ranges: [Range<Int>] = []
        var fenced = [Bool](repeating: false, count: lines.count)
        var index = 0
        while index < lines.count {
            guard let open = fence(lines[index]) else {
                index += 1
                continue
            }
            let infoRange = (open.body + open.count)..<lines[index].upperBound
            if open.character == 0x60, infoRange.contains(where: { scalars[$0] == "`" }) {
                index += 1
                continue
            }
            var closing: Int?
            var scan = index + 1
            while scan < lines.count {
                if let close = fence(lines[scan]), close.character == open.character, close.count >= open.count,
                    isBlank((close.body + close.count)..<lines[scan].upperBound)
                {
                    closing = scan
                    break
                }
                scan += 1
            }
            let last = closing ?? lines.count - 1
            let end = closing.map { trimmedEnd(lines[$0]) } ?? scalars.count
            ranges.append(open.body..<end)
            for line in index...last { fenced[line] = true }
            index = last + 1
        }
        return (ranges, fenced)
    }

    /// `Markdown.inlineCode` on one line.
    private func inlineCode(_ line: Range<Int>, into ranges: inout [Range<Int>]) {
        var index = line.lowerBound
        while index < line.upperBound {
            guard scalars[index] == "`" else {
                index += 1
                continue
            }
            var openingEnd = index
            while openingEnd < line.upperBound, scalars[openingEnd] == "`" { openingEnd += 1 }
            let width = openingEnd - index
            var scan = openingEnd
            var closingEnd: Int?
            while scan < line.upperBound {
                if scalars[scan] == "`" {
                    var runEnd = scan
                    while runEnd < line.upperBound, scalars[runEnd] == "`" { runEnd += 1 }
                    if runEnd - scan == width {
                        closingEnd = runEnd
                        break
                    }
                    scan = runEnd
                } else {
                    scan += 1
                }
            }
            if let closingEnd, (openingEnd..<(closingEnd - width)).contains(where: { !isWhitespace($0) }) {
                ranges.append(index..<closingEnd)
                index = closingEnd
            } else {
                index = openingEnd
            }
        }
    }

    // MARK: - URLs and emails, as the patterns match them

    /// ICU's `\w`: alphabetic, marks, decimal digits, connector punctuation, ZWNJ and ZWJ.
    private func isWordCharacter(_ index: Int) -> Bool {
        let scalar = scalars[index]
        if scalar.value < 0x80 {
            // ASCII: letters, digits and the underscore (the one connector punctuation).
            return BasicScalars.isLetter(scalar) || (0x30...0x39).contains(scalar.value) || scalar == "_"
        }
        if BasicScalars.isLetter(scalar) || scalar.value == 0x200C || scalar.value == 0x200D { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    private func hasPrefix(_ prefix: String, at index: Int) -> Bool {
        var position = index
        for scalar in prefix.unicodeScalars {
            guard position < scalars.count, scalars[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    /// `[^\s<>"'«»()\[\]{}]`
    private func isURLCharacter(_ index: Int) -> Bool {
        let scalar = scalars[index]
        switch scalar {
        case "<", ">", "\"", "'", "«", "»", "(", ")", "[", "]", "{", "}": return false
        default: return !isWhitespace(index)
        }
    }

    /// `\b(?:https?|ftp)://[^\s<>"'«»()\[\]{}]+|\bwww\.[^\s<>"'«»()\[\]{}]+`, every match left to right.
    private func urls(into ranges: inout [Range<Int>]) {
        var index = 0
        while index < scalars.count {
            let first = scalars[index]
            guard first == "h" || first == "f" || first == "w", index == 0 || !isWordCharacter(index - 1) else {
                index += 1
                continue
            }
            var bodyStart: Int?
            for prefix in ["https://", "http://", "ftp://", "www."] where hasPrefix(prefix, at: index) {
                bodyStart = index + prefix.unicodeScalars.count
                break
            }
            guard let start = bodyStart else {
                index += 1
                continue
            }
            var end = start
            while end < scalars.count, isURLCharacter(end) { end += 1 }
            if end > start {
                ranges.append(index..<end)
                index = end
            } else {
                index += 1
            }
        }
    }

    /// `\p{L}` or `\p{N}`.
    private func isLetterOrNumber(_ index: Int) -> Bool {
        switch scalars[index].properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// `[\p{L}\p{N}._%+-]`
    private func isLocalCharacter(_ index: Int) -> Bool {
        switch scalars[index] {
        case ".", "_", "%", "+", "-": return true
        default: return isLetterOrNumber(index)
        }
    }

    /// `[\p{L}\p{N}-]`
    private func isDomainCharacter(_ index: Int) -> Bool {
        scalars[index] == "-" || isLetterOrNumber(index)
    }

    /// `[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){1,8}`, every match left to right.
    ///
    /// '@' is in neither class, so a match's local part is the run of local characters just before an '@' (at most
    /// its last 64, and none before where the search resumed), and each label is a whole run of domain characters
    /// ('.' is not one of them): the first label must be 1 to 63 long and end at a '.', each later one takes up to
    /// 63 characters of its run, and at most 8 follow the first.
    private func emails(into ranges: inout [Range<Int>]) {
        var searchFrom = 0
        var at = 0
        while at < scalars.count {
            guard scalars[at] == "@", at > searchFrom else {
                at += 1
                continue
            }
            var start = at
            while start > searchFrom, at - start < 64, isLocalCharacter(start - 1) { start -= 1 }
            guard start < at, let end = domainEnd(after: at) else {
                at += 1
                continue
            }
            ranges.append(start..<end)
            searchFrom = end
            at = end
        }
    }

    /// Where the domain after the '@' at `at` ends, or nil when none follows it.
    private func domainEnd(after at: Int) -> Int? {
        var end = at + 1
        while end < scalars.count, isDomainCharacter(end) { end += 1 }
        guard end > at + 1, end - (at + 1) <= 63, end < scalars.count, scalars[end] == "." else { return nil }
        var labels = 0
        while labels < 8, end < scalars.count, scalars[end] == "." {
            var labelEnd = end + 1
            while labelEnd < scalars.count, labelEnd - (end + 1) < 63, isDomainCharacter(labelEnd) { labelEnd += 1 }
            guard labelEnd > end + 1 else { break }
            end = labelEnd
            labels += 1
        }
        return labels > 0 ? end : nil
    }

    // MARK: - The measurement

    /// Letters outside the ignored ranges, those in `script`, and the longest run of others (as UTF-8 offsets).
    func measure(expecting script: WritingScript) -> (letters: Int, expectedLetters: Int, longest: Range<Int>?) {
        let lines = lines()
        let (blocks, fenced) = fencedBlocks(lines)
        var ignored = blocks
        for (number, line) in lines.enumerated() where !fenced[number] { inlineCode(line, into: &ignored) }
        urls(into: &ignored)
        emails(into: &ignored)
        ignored.sort { $0.lowerBound < $1.lowerBound }

        var nextIgnored = 0
        var letters = 0
        var expectedLetters = 0
        var longest: Range<Int>?
        var longestLength = 0
        var run: Range<Int>?
        func closeRun() {
            if let current = run {
                // Characters, not scalars: CR LF is one.
                var length = current.count
                for index in current.dropLast() where scalars[index] == "\r" && scalars[index + 1] == "\n" {
                    length -= 1
                }
                if length > longestLength {
                    longest = current
                    longestLength = length
                }
            }
            run = nil
        }
        var index = 0
        while index < scalars.count {
            while nextIgnored < ignored.count, ignored[nextIgnored].upperBound <= index { nextIgnored += 1 }
            if nextIgnored < ignored.count, ignored[nextIgnored].contains(index) {
                closeRun()
                index = ignored[nextIgnored].upperBound
                continue
            }
            let scalar = scalars[index]
            if BasicScalars.isLetter(scalar) {
                letters += 1
                if WritingScript(scalar) == script {
                    expectedLetters += 1
                    closeRun()
                } else {
                    run = (run?.lowerBound ?? index)..<(index + 1)
                }
            }
            index += 1
        }
        closeRun()
        return (letters, expectedLetters, longest.map { offsets[$0.lowerBound]..<offsets[$0.upperBound] })
    }
}
