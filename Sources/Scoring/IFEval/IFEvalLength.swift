public import EvalCore

/// `length_constraints:number_words` — `{"num_words": 300, "relation": "at least"}`: the answer has `less than`
/// or `at least` `num_words` words, a word being a run of letters, digits and `_` in any script (`don't` is two).
public struct IFEvalNumberWords: IFEvalInstruction {
    public static let id = "length_constraints:number_words"
    public static let version = 1
    public static let summary = "IFEval: the answer has `relation` (less than / at least) `num_words` words"

    public let numWords: Int
    public let relation: IFEvalRelation

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        numWords = try options.count("num_words")
        relation = try IFEvalRelation.read("relation", from: &options)
    }

    public func violation(in text: String) -> Finding? {
        let words = PythonText.words(text)
        guard !relation.holds(words.count, numWords) else { return nil }
        let message = relation.message(words.count, "word", numWords)
        if relation == .lessThan, numWords > 0 {
            return Self.finding(
                message, span: words[numWords - 1].lowerBound..<words[words.count - 1].upperBound, in: text)
        }
        return Self.finding(message)
    }
}

/// `length_constraints:number_sentences` — `{"num_sentences": 5, "relation": "less than"}`: the answer has
/// `less than` or `at least` `num_sentences` sentences, counted as Punkt counts them (see `SentenceSplitter`).
public struct IFEvalNumberSentences: IFEvalInstruction {
    public static let id = "length_constraints:number_sentences"
    public static let version = 1
    public static let summary = "IFEval: the answer has `relation` (less than / at least) `num_sentences` sentences"

    public let numSentences: Int
    public let relation: IFEvalRelation

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        numSentences = try options.count("num_sentences")
        relation = try IFEvalRelation.read("relation", from: &options)
    }

    public func violation(in text: String) -> Finding? {
        let sentences = SentenceSplitter.sentences(in: text)
        guard !relation.holds(sentences.count, numSentences) else { return nil }
        let message = relation.message(sentences.count, "sentence", numSentences)
        if relation == .lessThan, numSentences > 0 {
            let from = sentences[numSentences - 1].lowerBound
            return Self.finding(message, span: from..<sentences[sentences.count - 1].upperBound, in: text)
        }
        return Self.finding(message)
    }
}

/// `length_constraints:number_paragraphs` — `{"num_paragraphs": 4}`: exactly `num_paragraphs` paragraphs separated
/// by the Markdown divider `***` (one whitespace character on either side belongs to the divider). Empty text
/// before the first or after the last divider is not a paragraph; an empty paragraph between two dividers fails.
public struct IFEvalNumberParagraphs: IFEvalInstruction {
    public static let id = "length_constraints:number_paragraphs"
    public static let version = 1
    public static let summary = "IFEval: exactly `num_paragraphs` paragraphs separated by `***`"

    public let numParagraphs: Int

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        numParagraphs = try options.count("num_paragraphs")
    }

    /// The text between dividers, in order (what `re.split(r"\s?\*\*\*\s?", text)` returns).
    static func pieces(of text: String) -> [Range<String.Index>] {
        let scalars = text.unicodeScalars
        var pieces: [Range<String.Index>] = []
        var pieceStart = scalars.startIndex
        var index = scalars.startIndex
        func stars(at position: String.Index) -> String.Index? {
            var cursor = position
            for _ in 0..<3 {
                guard cursor < scalars.endIndex, scalars[cursor] == "*" else { return nil }
                cursor = scalars.index(after: cursor)
            }
            return cursor
        }
        while index < scalars.endIndex {
            var dividerEnd: String.Index?
            if PythonText.isSpace(scalars[index]) {
                dividerEnd = stars(at: scalars.index(after: index))
            }
            if dividerEnd == nil { dividerEnd = stars(at: index) }
            if var end = dividerEnd {
                if end < scalars.endIndex, PythonText.isSpace(scalars[end]) { end = scalars.index(after: end) }
                pieces.append(pieceStart..<index)
                pieceStart = end
                index = end
            } else {
                index = scalars.index(after: index)
            }
        }
        pieces.append(pieceStart..<scalars.endIndex)
        return pieces
    }

    public func violation(in text: String) -> Finding? {
        let pieces = Self.pieces(of: text)
        var paragraphs: [Range<String.Index>] = []
        for (index, piece) in pieces.enumerated() {
            if PythonText.stripped(text[piece]).isEmpty {
                if index == 0 || index == pieces.count - 1 { continue }
                return Self.finding(
                    "has an empty paragraph between two '***' dividers",
                    span: pieces[index - 1].upperBound..<piece.upperBound, in: text)
            }
            paragraphs.append(piece)
        }
        guard paragraphs.count != numParagraphs else { return nil }
        let message =
            "has \(paragraphs.count) paragraph\(paragraphs.count == 1 ? "" : "s") separated by '***', expected \(numParagraphs)"
        if paragraphs.count > numParagraphs, numParagraphs > 0 {
            return Self.finding(
                message, span: paragraphs[numParagraphs].lowerBound..<paragraphs[paragraphs.count - 1].upperBound,
                in: text)
        }
        return Self.finding(message)
    }
}

/// `length_constraints:nth_paragraph_first_word` — `{"num_paragraphs": 3, "nth_paragraph": 2, "first_word":
/// "summary"}`: exactly `num_paragraphs` paragraphs separated by a blank line (`\n\n`), and paragraph
/// `nth_paragraph` starts with `first_word` (any case; quotes before it and punctuation after it are ignored).
///
/// As in the reference, the count leaves out empty pieces but `nth_paragraph` counts them.
public struct IFEvalNthParagraphFirstWord: IFEvalInstruction {
    public static let id = "length_constraints:nth_paragraph_first_word"
    public static let version = 1
    public static let summary =
        "IFEval: exactly `num_paragraphs` paragraphs separated by blank lines, paragraph `nth_paragraph` starting with `first_word`"

    public let numParagraphs: Int
    public let nthParagraph: Int
    public let firstWord: String

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        numParagraphs = try options.count("num_paragraphs", minimum: 1)
        nthParagraph = try options.count("nth_paragraph", minimum: 1)
        firstWord = try options.requiredText("first_word").lowercased()
        guard nthParagraph <= numParagraphs else {
            throw CheckConfigurationError(
                "option 'nth_paragraph' of check '\(options.type)' (\(nthParagraph)) is more than option 'num_paragraphs' (\(numParagraphs))"
            )
        }
    }

    /// The pieces of `text` between `"\n\n"` separators.
    static func pieces(of text: String) -> [Range<String.Index>] {
        let scalars = text.unicodeScalars
        var pieces: [Range<String.Index>] = []
        var pieceStart = scalars.startIndex
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let next = scalars.index(after: index)
            if scalars[index] == "\n", next < scalars.endIndex, scalars[next] == "\n" {
                pieces.append(pieceStart..<index)
                pieceStart = scalars.index(after: next)
                index = pieceStart
            } else {
                index = next
            }
        }
        pieces.append(pieceStart..<scalars.endIndex)
        return pieces
    }

    /// The first word of a paragraph as the reference reads it: quotes stripped from its start, cut at the first
    /// `.`, `,`, `?`, `!`, `'` or `"`, lowercased.
    static func firstWord(of paragraph: Substring) -> (word: String, range: Range<String.Index>)? {
        let scalars = paragraph.unicodeScalars
        guard let start = scalars.firstIndex(where: { !PythonText.isSpace($0) }) else { return nil }
        let end = scalars[start...].firstIndex(where: PythonText.isSpace) ?? scalars.endIndex
        var word = scalars[start..<end]
        while word.first == "'" { word = word.dropFirst() }
        while word.first == "\"" { word = word.dropFirst() }
        let stops: Set<Unicode.Scalar> = [".", ",", "?", "!", "'", "\""]
        let lowered = word.prefix { !stops.contains($0) }.map { String($0).lowercased() }.joined()
        return (lowered, start..<end)
    }

    public func violation(in text: String) -> Finding? {
        let pieces = Self.pieces(of: text)
        let count = pieces.filter { !PythonText.stripped(text[$0]).isEmpty }.count
        guard nthParagraph <= count else {
            return Self.finding(
                "has \(count) paragraph\(count == 1 ? "" : "s"), expected \(numParagraphs) with paragraph \(nthParagraph) starting with '\(firstWord)'"
            )
        }
        let paragraph = PythonText.stripped(text[pieces[nthParagraph - 1]])
        guard let (word, range) = Self.firstWord(of: paragraph) else {
            return Self.finding("paragraph \(nthParagraph) is empty, expected it to start with '\(firstWord)'")
        }
        if word != firstWord {
            return Self.finding(
                "paragraph \(nthParagraph) starts with '\(text[range])', expected '\(firstWord)'", span: range, in: text
            )
        }
        guard count == numParagraphs else {
            return Self.finding(
                "has \(count) paragraph\(count == 1 ? "" : "s") separated by blank lines, expected \(numParagraphs)")
        }
        return nil
    }
}
