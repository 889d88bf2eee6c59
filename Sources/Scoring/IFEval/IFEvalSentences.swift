/// Splits English text into sentences the way IFEval's reference counts them: NLTK's Punkt sentence tokenizer with
/// its English model, re-implemented from Punkt's published algorithm (Kiss & Strunk 2006) without the trained
/// model's tables.
///
/// What a sentence is, here as in Punkt:
/// - A sentence may end where `.`, `?` or `!` (the last of a run, such as `?!`) is followed by whitespace and more
///   text, or by one of `?!)";}]*:@'({[`. Line breaks alone never end a sentence: a heading or a list item
///   without a final period runs into the next sentence.
/// - `?` and `!` always end it.
/// - `.` ends it unless the word before is an abbreviation (`e.g.`, `Mr.`, `etc.`, …) or an ellipsis, which end a
///   sentence only before a capitalised common word (`etc. The`, not `Dr. Smith`); after a number (`1.`) or an
///   initial (`J.`), a following lowercase word continues the sentence (`1. affordable kits` is one sentence).
/// - Closing quotes and brackets after the end stay with the sentence they close.
///
/// Punkt's English model also knows which words it saw capitalised or lowercase in its training text; this
/// splitter approximates that with the word's own first letter. On IFEval's 541 GPT-4 answers every
/// `length_constraints:number_sentences` verdict agrees with the reference.
enum SentenceSplitter {
    /// `?!)";}]*:@'({[`: punctuation that Punkt's word tokenizer always splits off.
    static let nonWord: Set<Unicode.Scalar> = ["?", "!", ")", "\"", ";", "}", "]", "*", ":", "@", "'", "(", "{", "["]
    /// Characters a Punkt word cannot start with (each is a token of its own there).
    static let notWordStart: Set<Unicode.Scalar> = [
        "(", "\"", "`", "{", "[", ":", ";", "&", "#", "*", "@", ")", "}", "]", "-", ",",
    ]
    static let sentenceEnds: Set<Unicode.Scalar> = [".", "?", "!"]
    static let closing: Set<Unicode.Scalar> = ["\"", "'", ")", "]", "}"]

    /// Common English abbreviations: a period after them does not end a sentence unless a capitalised word follows
    /// that is not a name (the same rule Punkt applies to the abbreviations it learned).
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "messrs", "rev", "gen", "gov", "sen", "rep", "col", "lt",
        "sgt", "capt", "cmdr", "adm", "maj", "hon", "inc", "ltd", "co", "corp", "bros", "etc", "vs", "e.g", "i.e",
        "a.m", "p.m", "u.s", "u.k", "u.s.a", "u.n", "d.c", "n.y", "l.a", "ph.d", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
        "sat", "sun", "no", "nos", "vol", "vols", "fig", "figs", "approx", "est", "dept", "univ", "assn", "ave",
        "blvd", "rd", "mt", "ft", "cf", "al", "ca", "calif", "fla", "mass", "mich", "minn", "ore", "pa", "tenn",
        "tex", "va", "wash", "wis", "ariz", "colo", "conn", "ill", "ind", "kan", "md", "mo", "neb", "nev", "okla",
    ]

    /// Words that, capitalised after an abbreviation, start a new sentence.
    static let sentenceStarters: Set<String> = [
        "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "but", "and",
        "however", "there", "in", "on", "at", "for", "if", "when", "while", "a", "an", "as", "so", "then", "our",
        "their", "his", "her", "my", "your", "what", "how", "why", "where", "who", "now", "here", "also", "please",
    ]

    /// The sentences of `text`, as ranges of it (leading whitespace of the first one included, as in Punkt).
    static func sentences(in text: String) -> [Range<String.Index>] {
        let scalars = Array(text.unicodeScalars)
        var indices: [String.Index] = []
        indices.reserveCapacity(scalars.count + 1)
        var index = text.unicodeScalars.startIndex
        while index < text.unicodeScalars.endIndex {
            indices.append(index)
            index = text.unicodeScalars.index(after: index)
        }
        indices.append(text.unicodeScalars.endIndex)

        var end = scalars.count
        while end > 0, PythonText.isSpace(scalars[end - 1]) { end -= 1 }
        var slices: [Range<Int>] = []
        var lastBreak = 0
        var position = 0
        // One candidate per run of non-whitespace: its last sentence-ending character that is followed by
        // punctuation or by whitespace and more text.
        while position < scalars.count {
            guard !PythonText.isSpace(scalars[position]) else {
                position += 1
                continue
            }
            var chunkEnd = position
            while chunkEnd < scalars.count, !PythonText.isSpace(scalars[chunkEnd]) { chunkEnd += 1 }
            var nextTokenStart = chunkEnd
            while nextTokenStart < scalars.count, PythonText.isSpace(scalars[nextTokenStart]) { nextTokenStart += 1 }
            var candidate: Int?
            for at in stride(from: chunkEnd - 1, through: position, by: -1) where sentenceEnds.contains(scalars[at]) {
                if at + 1 < chunkEnd {
                    if nonWord.contains(scalars[at + 1]) {
                        candidate = at
                        break
                    }
                } else if nextTokenStart < scalars.count {
                    candidate = at
                    break
                }
            }
            if let at = candidate,
                endsSentence(scalars, chunkStart: position, at: at, chunkEnd: chunkEnd, nextTokenStart: nextTokenStart)
            {
                slices.append(lastBreak..<(at + 1))
                lastBreak = at + 1 < chunkEnd ? at + 1 : nextTokenStart
            }
            position = chunkEnd
        }
        slices.append(lastBreak..<max(lastBreak, end))

        // Closing quotes and brackets that open a slice belong to the sentence before it.
        var result: [Range<Int>] = []
        for slice in slices {
            var start = slice.lowerBound
            if !result.isEmpty {
                var cursor = start
                while cursor < slice.upperBound, closing.contains(scalars[cursor]) { cursor += 1 }
                let atBoundary =
                    cursor == slice.upperBound || PythonText.isSpace(scalars[cursor])
                    || (cursor + 1 < slice.upperBound && scalars[cursor] == "-" && scalars[cursor + 1] == "-")
                if cursor > start, atBoundary {
                    result[result.count - 1] = result[result.count - 1].lowerBound..<cursor
                    start = cursor
                    while start < slice.upperBound, PythonText.isSpace(scalars[start]) { start += 1 }
                }
            }
            if start < slice.upperBound { result.append(start..<slice.upperBound) }
        }
        return result.map { indices[$0.lowerBound]..<indices[$0.upperBound] }
    }

    /// Whether the sentence-ending character at `at` ends a sentence.
    private static func endsSentence(
        _ scalars: [Unicode.Scalar], chunkStart: Int, at: Int, chunkEnd: Int, nextTokenStart: Int
    ) -> Bool {
        guard scalars[at] == "." else { return true }
        let next = nextToken(scalars, after: at, chunkEnd: chunkEnd, nextTokenStart: nextTokenStart)
        // The token the period ends: a run of periods (an ellipsis), a period on its own, or a word.
        if at > chunkStart, scalars[at - 1] == "." {
            return startsSentence(next)
        }
        var start = at
        while start > chunkStart {
            let previous = scalars[start - 1]
            if nonWord.contains(previous) {
                if previous == "'" { start -= 1 }
                break
            }
            if previous == "-", start - 2 >= chunkStart, scalars[start - 2] == "-" { break }
            if previous == ".", start - 2 >= chunkStart, scalars[start - 2] == "." { break }
            start -= 1
        }
        while start < at, notWordStart.contains(scalars[start]) { start += 1 }
        guard start < at else { return true }  // "." alone
        let word = String(String.UnicodeScalarView(scalars[start..<at])).lowercased()
        let isInitial = word.unicodeScalars.count == 1 && word.unicodeScalars.first!.properties.isAlphabetic
        let isNumber = isNumeric(word)
        let lastPart = word.split(separator: "-").last.map(String.init) ?? word
        let isAbbreviation = abbreviations.contains(word) || abbreviations.contains(lastPart)
        let following = ortho(next)
        if isAbbreviation && !isInitial {
            return startsSentence(next)
        }
        if isInitial || isNumber {
            if following == .lowercase { return false }
        }
        return !isAbbreviation
    }

    private enum Ortho { case capitalised, lowercase, unknown }

    /// After an abbreviation or an ellipsis, a sentence starts only at a capitalised common word (`The`, `It`):
    /// Punkt's model knows such words as lowercase words, and a capitalised word it does not know (`Smith`) as a
    /// name that continues the sentence.
    private static func startsSentence(_ token: [Unicode.Scalar]) -> Bool {
        guard ortho(token) == .capitalised else { return false }
        return sentenceStarters.contains(String(String.UnicodeScalarView(token)).lowercased())
    }

    /// What the next token's first letter says about a sentence break.
    private static func ortho(_ token: [Unicode.Scalar]) -> Ortho {
        guard let first = token.first else { return .unknown }
        if token.count == 1, [";", ":", ",", ".", "!", "?"].contains(first) { return .lowercase }
        if first.properties.isUppercase { return .capitalised }
        if first.properties.isLowercase { return .lowercase }
        return .unknown
    }

    /// The token after the sentence-ending character: a punctuation mark that follows it directly, or the next
    /// word (a single character when the word starts with one of Punkt's non-word-start characters).
    private static func nextToken(_ scalars: [Unicode.Scalar], after at: Int, chunkEnd: Int, nextTokenStart: Int)
        -> [Unicode.Scalar]
    {
        if at + 1 < chunkEnd { return [scalars[at + 1]] }
        guard nextTokenStart < scalars.count else { return [] }
        let first = scalars[nextTokenStart]
        if first != "'" && (nonWord.contains(first) || notWordStart.contains(first)) { return [first] }
        var end = nextTokenStart + 1
        while end < scalars.count, !PythonText.isSpace(scalars[end]), !nonWord.contains(scalars[end]) { end += 1 }
        return Array(scalars[nextTokenStart..<end])
    }

    /// Punkt's numbers: `-?[.,]?\d[\d,.-]*\.?`.
    private static func isNumeric(_ word: String) -> Bool {
        var scalars = Substring(word).unicodeScalars[...]
        if scalars.first == "-" { scalars = scalars.dropFirst() }
        if let first = scalars.first, first == "." || first == "," { scalars = scalars.dropFirst() }
        guard let digit = scalars.first, digit.properties.numericType == .decimal else { return false }
        return scalars.dropFirst().allSatisfy {
            $0.properties.numericType == .decimal || $0 == "," || $0 == "." || $0 == "-"
        }
    }
}
