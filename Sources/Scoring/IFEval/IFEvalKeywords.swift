public import EvalCore

/// `keywords:existence` — `{"keywords": ["climate", "energy"]}`: every keyword appears, in any case, anywhere
/// (inside longer words too: the reference searches, it does not match whole words).
public struct IFEvalKeywordExistence: IFEvalInstruction {
    public static let id = "keywords:existence"
    public static let version = 1
    public static let summary = "IFEval: every one of `keywords` appears (any case)"

    public let keywords: [String]

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        keywords = try options.strings("keywords")
    }

    public func violation(in text: String) -> Finding? {
        let absent = keywords.sorted().filter { PythonText.occurrences(of: $0, in: text).isEmpty }
        guard let first = absent.first else { return nil }
        return Self.missing("does not mention \(absent.map { "'\($0)'" }.joined(separator: ", "))", expected: first)
    }
}

/// `keywords:forbidden_words` — `{"forbidden_words": ["reschedule", "free"]}`: none of the words appears as a
/// whole word, in any case.
public struct IFEvalForbiddenWords: IFEvalInstruction {
    public static let id = "keywords:forbidden_words"
    public static let version = 1
    public static let summary = "IFEval: none of `forbidden_words` appears as a whole word (any case)"

    public let forbiddenWords: [String]

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        forbiddenWords = try options.strings("forbidden_words")
    }

    public func violation(in text: String) -> Finding? {
        for word in Set(forbiddenWords).sorted() {
            if let range = Self.wholeWord(word, in: text) {
                return Self.finding("uses the forbidden word '\(word)'", span: range, in: text)
            }
        }
        return nil
    }

    /// The first occurrence of `word` with a word boundary (`\b`) on both sides.
    static func wholeWord(_ word: String, in text: String) -> Range<String.Index>? {
        guard let first = word.unicodeScalars.first, let last = word.unicodeScalars.last else { return nil }
        let scalars = text.unicodeScalars
        let firstIsWord = PythonText.isWordCharacter(first)
        let lastIsWord = PythonText.isWordCharacter(last)
        for range in PythonText.occurrences(of: word, in: text) {
            let before =
                range.lowerBound > scalars.startIndex
                && PythonText.isWordCharacter(scalars[scalars.index(before: range.lowerBound)])
            let after = range.upperBound < scalars.endIndex && PythonText.isWordCharacter(scalars[range.upperBound])
            if before != firstIsWord && after != lastIsWord { return range }
        }
        return nil
    }
}

/// `keywords:frequency` — `{"keyword": "flesh", "frequency": 3, "relation": "at least"}`: the keyword appears
/// `less than` or `at least` `frequency` times, in any case, counting occurrences inside longer words too.
public struct IFEvalKeywordFrequency: IFEvalInstruction {
    public static let id = "keywords:frequency"
    public static let version = 1
    public static let summary = "IFEval: `keyword` appears `relation` (less than / at least) `frequency` times"

    public let keyword: String
    public let frequency: Int
    public let relation: IFEvalRelation

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        keyword = PythonText.strip(try options.requiredText("keyword"))
        frequency = try options.count("frequency")
        relation = try IFEvalRelation.read("relation", from: &options)
    }

    public func violation(in text: String) -> Finding? {
        let found = PythonText.occurrences(of: keyword, in: text)
        guard !relation.holds(found.count, frequency) else { return nil }
        let message =
            "mentions '\(keyword)' \(found.count) time\(found.count == 1 ? "" : "s"), expected \(relation.rawValue) \(frequency)"
        if relation == .lessThan, found.count >= frequency, frequency > 0 {
            return Self.finding(message, span: found[frequency - 1], in: text)
        }
        return Self.missing(message, expected: keyword)
    }
}

/// `keywords:letter_frequency` — `{"letter": "l", "let_frequency": 6, "let_relation": "less than"}`: the letter
/// appears (in either case) `less than` or `at least` `let_frequency` times.
///
/// The reference replaces a non-letter (`#`, `!`: IFEval keys 1122 and 1129) with a random letter; here the
/// character given is counted, so the verdict is deterministic.
public struct IFEvalLetterFrequency: IFEvalInstruction {
    public static let id = "keywords:letter_frequency"
    public static let version = 1
    public static let summary = "IFEval: `letter` appears `let_relation` (less than / at least) `let_frequency` times"

    public let letter: Unicode.Scalar
    public let frequency: Int
    public let relation: IFEvalRelation

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let given = PythonText.strip(try options.string("letter")).lowercased()
        guard given.unicodeScalars.count == 1, let scalar = given.unicodeScalars.first else {
            throw CheckConfigurationError(
                "option 'letter' of check '\(options.type)' expects one letter, found '\(given)'")
        }
        letter = scalar
        frequency = try options.count("let_frequency")
        relation = try IFEvalRelation.read("let_relation", from: &options)
    }

    public func violation(in text: String) -> Finding? {
        let found = PythonText.occurrences(of: String(letter), in: text)
        guard !relation.holds(found.count, frequency) else { return nil }
        let message = "has \(found.count) '\(letter)', expected \(relation.rawValue) \(frequency)"
        if relation == .lessThan, found.count >= frequency, frequency > 0 {
            return Self.finding(message, span: found[frequency - 1], in: text)
        }
        return Self.missing(message, expected: String(letter))
    }
}
