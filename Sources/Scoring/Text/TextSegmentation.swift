import EvalCore

/// Splits an answer into the units the `length` check counts: words, sentences, paragraphs and bullet items.
/// Each function returns the units' ranges in the text, trimmed of surrounding whitespace, in order.
public enum TextSegmentation {
    // MARK: - Words

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// Runs of letters and digits in any script («заказ», "order", "2024"). A hyphen or apostrophe between two such
    /// characters joins them («что-то», "don't" are one word each); so does a `.` or `,` between two digits
    /// ("3.5", «1,5»). Everything else separates words, so «т.е.» is two words and `snake_case` two as well.
    public static func words(in text: String) -> [Range<String.Index>] {
        wordsOfSimpleText(text) ?? wordsByCharacter(in: text)
    }

    /// `words(in:)` character by character: the reference, and the way for text with scalars that join.
    static func wordsByCharacter(in text: String) -> [Range<String.Index>] {
        let characters = Array(text)
        let indices = Array(text.indices) + [text.endIndex]
        var words: [Range<String.Index>] = []
        var position = 0
        while position < characters.count {
            guard isWordCharacter(characters[position]) else {
                position += 1
                continue
            }
            let start = position
            position += 1
            while position < characters.count {
                if isWordCharacter(characters[position]) {
                    position += 1
                } else if position + 1 < characters.count,
                    joins(characters[position - 1], characters[position], characters[position + 1])
                {
                    position += 2
                } else {
                    break
                }
            }
            words.append(indices[start]..<indices[position])
        }
        return words
    }

    private static func joins(_ before: Character, _ joiner: Character, _ after: Character) -> Bool {
        guard isWordCharacter(after) else { return false }
        switch joiner {
        case "-", "\u{2010}", "'", "\u{2019}": return true
        case ".", ",": return before.isNumber && after.isNumber
        default: return false
        }
    }

    /// `words(in:)` by scalar, without grapheme breaking, for text whose every scalar is a character of its own (CR LF
    /// aside: both are separators either way), as `LanguageScan` takes it; nil for other text. There a character's
    /// `isLetter` and `isNumber` are its scalar's Alphabetic and numeric type, so the words are the same ranges.
    static func wordsOfSimpleText(_ text: String) -> [Range<String.Index>]? {
        let scalars = text.unicodeScalars
        var words: [Range<String.Index>] = []
        var start: String.Index?
        var previous: Unicode.Scalar = " "
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            guard PlainText.standsAlone(scalar) else { return nil }
            let next = scalars.index(after: index)
            if BasicScalars.isWord(scalar) {
                if start == nil { start = index }
            } else if let begun = start {
                // A joiner between two word characters continues the word; the word character after it is next.
                let joined = next < scalars.endIndex && joins(previous, scalar, scalars[next])
                if !joined {
                    words.append(begun..<index)
                    start = nil
                }
            }
            previous = scalar
            index = next
        }
        if let begun = start { words.append(begun..<scalars.endIndex) }
        return words
    }

    /// Whether `text` has a letter or a digit (a character whose first scalar is Alphabetic or numeric), by scalar
    /// while every scalar is a character of its own, character by character from the first that is not.
    static func containsLetterOrNumber(_ text: Substring) -> Bool {
        for scalar in text.unicodeScalars {
            // Every scalar so far stood alone, so this one starts a character: its properties are the character's.
            guard PlainText.standsAlone(scalar) else { return text.contains(where: isWordCharacter) }
            if BasicScalars.isWord(scalar) { return true }
        }
        return false
    }

    private static func joins(_ before: Unicode.Scalar, _ joiner: Unicode.Scalar, _ after: Unicode.Scalar) -> Bool {
        guard BasicScalars.isWord(after) else { return false }
        switch joiner {
        case "-", "\u{2010}", "'", "\u{2019}": return true
        case ".", ",": return BasicScalars.isNumber(before) && BasicScalars.isNumber(after)
        default: return false
        }
    }

    // MARK: - Paragraphs

    /// Blocks of non-blank lines separated by one or more blank lines.
    public static func paragraphs(in text: String) -> [Range<String.Index>] {
        paragraphLines(Markdown.lines(text)).map { lines in
            let block = Markdown.trimmingWhitespace(text[lines[0].startIndex..<lines[lines.count - 1].endIndex])
            return block.startIndex..<block.endIndex
        }
    }

    private static func paragraphLines(_ lines: [Substring]) -> [[Substring]] {
        var paragraphs: [[Substring]] = []
        var current: [Substring] = []
        for line in lines {
            if Markdown.isBlank(line) {
                if !current.isEmpty { paragraphs.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs
    }

    // MARK: - Bullets

    /// Lines that are list items: starting (after indentation) with `-`, `*`, `+` or `•` and a space, or with a
    /// number and `.` or `)` and a space (`1.`, `2)`). Lines inside fenced code blocks are not counted. Each range runs
    /// from the marker to the end of the line.
    public static func bulletItems(in text: String) -> [Range<String.Index>] {
        let lines = Markdown.lines(text)
        let fenced = Markdown.fencedLineMask(in: text, lines: lines)
        return lines.indices.compactMap { index in
            guard !fenced[index], let marker = Markdown.listMarker(lines[index], allowBullet: true) else { return nil }
            return marker.startIndex..<Markdown.trimmingTrailingWhitespace(lines[index]).endIndex
        }
    }

    // MARK: - Sentences

    /// Abbreviations after which a `.` never ends a sentence. Others (`т.д.`, `руб.`, `etc.`) end one unless the next
    /// word starts with a lowercase letter, which covers «и т.д. и т.п.» and «100 руб. в месяц».
    private static let abbreviations: Set<String> = [
        "т.е", "т.к", "т.н", "напр", "см", "ул", "им", "e.g", "i.e", "mr", "mrs", "ms", "dr", "prof", "vs", "cf",
        "approx",
    ]

    private static func isTerminator(_ character: Character) -> Bool {
        character == "." || character == "!" || character == "?" || character == "…"
    }

    private static func isCloser(_ character: Character) -> Bool {
        switch character {
        case "\"", "'", "»", "”", "’", ")", "]", "*", "_": return true
        default: return false
        }
    }

    /// Sentences, for `length` with `unit: sentences`.
    ///
    /// A sentence ends at a run of `.`, `!`, `?` or `…` (closing quotes, brackets and Markdown emphasis may follow)
    /// that is followed by whitespace or the end of the text, except when:
    /// - the next word starts with a lowercase letter («т.е. вот», «руб. в месяц», "etc. and"): the text continues;
    /// - the word before a single `.` is a known abbreviation (`т.е.`, `т.к.`, `напр.`, `см.`, `e.g.`, `i.e.`,
    ///   `Mr.`, `Dr.`, ...);
    /// - the `.` closes a list number at the start of an item ("1. Оплатите").
    /// A `.` with no space after it never ends a sentence, so decimals (3.5) and dotted abbreviations written without
    /// spaces (т.е.) stay inside. Paragraph breaks (blank lines), list items and headings also end a sentence, even
    /// without punctuation. Only pieces containing a letter or digit count.
    /// Not handled: initials («А. С. Пушкин» is split after each initial), quoted sentences inside sentences.
    public static func sentences(in text: String) -> [Range<String.Index>] {
        let characters = Array(text)
        let indices = Array(text.indices) + [text.endIndex]
        let position = { (index: String.Index) -> Int in
            // Units start and end on character boundaries, so the index is in `indices`.
            var low = 0
            var high = indices.count - 1
            while low < high {
                let middle = (low + high) / 2
                if indices[middle] < index { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var sentences: [Range<String.Index>] = []
        for item in sentenceItems(Markdown.lines(text)) {
            let low = position(item.startIndex)
            let high = position(item.endIndex)
            var start = low
            var cursor = low
            while cursor < high {
                guard isTerminator(characters[cursor]) else {
                    cursor += 1
                    continue
                }
                var afterRun = cursor
                while afterRun < high, isTerminator(characters[afterRun]) { afterRun += 1 }
                var afterClosers = afterRun
                while afterClosers < high, isCloser(characters[afterClosers]) { afterClosers += 1 }
                if afterClosers == high || characters[afterClosers].isWhitespace,
                    endsSentence(characters, start: start, run: cursor..<afterRun, next: afterClosers, limit: high)
                {
                    appendSentence(indices[start]..<indices[afterClosers], in: text, to: &sentences)
                    start = afterClosers
                }
                cursor = afterClosers
            }
            appendSentence(indices[start]..<indices[high], in: text, to: &sentences)
        }
        return sentences
    }

    private static func endsSentence(_ characters: [Character], start: Int, run: Range<Int>, next: Int, limit: Int)
        -> Bool
    {
        var following = next
        while following < limit, characters[following].isWhitespace { following += 1 }
        if following < limit, characters[following].isLowercase { return false }
        guard run.count == 1, characters[run.lowerBound] == "." else { return true }
        var wordStart = run.lowerBound
        while wordStart > start, characters[wordStart - 1].isLetter || characters[wordStart - 1] == "." {
            wordStart -= 1
        }
        let word = String(characters[wordStart..<run.lowerBound]).lowercased()
        if abbreviations.contains(word) { return false }
        // "1." opening a numbered item.
        let before = characters[start..<run.lowerBound].drop(while: \.isWhitespace)
        if !before.isEmpty, before.allSatisfy({ $0.isASCII && $0.isNumber }) { return false }
        return true
    }

    private static func appendSentence(
        _ range: Range<String.Index>, in text: String, to sentences: inout [Range<String.Index>]
    ) {
        let trimmed = Markdown.trimmingWhitespace(text[range])
        guard trimmed.contains(where: isWordCharacter) else { return }
        sentences.append(trimmed.startIndex..<trimmed.endIndex)
    }

    /// Pieces of text that no sentence crosses: paragraphs, cut again before each list item and around each heading.
    private static func sentenceItems(_ lines: [Substring]) -> [Substring] {
        var items: [Substring] = []
        for paragraph in paragraphLines(lines) {
            var first = paragraph[0]
            var last = paragraph[0]
            for (offset, line) in paragraph.enumerated().dropFirst() {
                let isHeading = Markdown.heading(line) != nil
                let afterHeading = Markdown.heading(paragraph[offset - 1]) != nil
                if isHeading || afterHeading || Markdown.listMarker(line, allowBullet: true) != nil {
                    items.append(line.base[first.startIndex..<last.endIndex])
                    first = line
                }
                last = line
            }
            items.append(first.base[first.startIndex..<last.endIndex])
        }
        return items
    }
}
