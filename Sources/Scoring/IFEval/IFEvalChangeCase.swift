public import EvalCore

/// `change_case:capital_word_frequency` — `{"capital_frequency": 3, "capital_relation": "at least"}`: words in
/// all capital letters appear `less than` or `at least` `capital_frequency` times.
///
/// Words are split as NLTK's Treebank tokenizer splits them (see `TreebankWords`): `DON'T` is two words (`DO`,
/// `N'T`), `I'm` has one capital word (`I`), `COVID-19` and `**NOTE` are one.
public struct IFEvalCapitalWordFrequency: IFEvalInstruction {
    public static let id = "change_case:capital_word_frequency"
    public static let version = 1
    public static let summary =
        "IFEval: all-capital words appear `capital_relation` (less than / at least) `capital_frequency` times"

    public let frequency: Int
    public let relation: IFEvalRelation

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        frequency = try options.count("capital_frequency")
        relation = try IFEvalRelation.read("capital_relation", from: &options)
    }

    public func violation(in text: String) -> Finding? {
        let capitals = TreebankWords.tokens(in: text).filter { PythonText.isUpper(text[$0]) }
        guard !relation.holds(capitals.count, frequency) else { return nil }
        let message = relation.message(capitals.count, "capitalized word", frequency)
        if relation == .lessThan, frequency > 0 {
            return Self.finding(message, span: capitals[frequency - 1], in: text)
        }
        return Self.finding(message)
    }
}

/// `change_case:english_capital`: the whole answer is in English and in capital letters (no lowercase letter).
public struct IFEvalEnglishCapital: IFEvalInstruction {
    public static let id = "change_case:english_capital"
    public static let version = 1
    public static let summary = "IFEval: the entire answer is English in capital letters"

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {}

    public func violation(in text: String) -> Finding? {
        guard PythonText.isUpper(text) else {
            if let range = PythonText.firstNotUpper(in: text) {
                return Self.finding("is not all capital letters: '\(text[range])'", span: range, in: text)
            }
            return Self.finding("has no letters to capitalize")
        }
        return LanguageIdentifier.standard.violation(of: "en", in: text, ruleID: Self.ruleID)
    }
}

/// `change_case:english_lowercase`: the whole answer is in English and in lowercase (no capital letter).
public struct IFEvalEnglishLowercase: IFEvalInstruction {
    public static let id = "change_case:english_lowercase"
    public static let version = 1
    public static let summary = "IFEval: the entire answer is English in lowercase letters"

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {}

    public func violation(in text: String) -> Finding? {
        guard PythonText.isLower(text) else {
            if let range = PythonText.firstNotLower(in: text) {
                return Self.finding("is not all lowercase: '\(text[range])'", span: range, in: text)
            }
            return Self.finding("has no lowercase letters")
        }
        return LanguageIdentifier.standard.violation(of: "en", in: text, ruleID: Self.ruleID)
    }
}

/// `language:response_language` — `{"language": "ru"}`: the answer is in the language with this ISO 639-1 code,
/// as `LanguageIdentifier` decides (deterministic and offline). An answer without letters to judge passes, as in
/// the reference.
public struct IFEvalResponseLanguage: IFEvalInstruction {
    public static let id = "language:response_language"
    public static let version = 1
    public static let summary = "IFEval: the entire answer is in `language` (an ISO 639-1 code such as ru, de, hi)"

    public let language: String

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        language = PythonText.strip(try options.requiredText("language"))
        guard LanguageIdentifier.standard.languages.contains(language) else {
            let known = LanguageIdentifier.standard.languages.joined(separator: ", ")
            throw CheckConfigurationError(
                "option 'language' of check '\(options.type)' expects one of \(known), found '\(language)'")
        }
    }

    public func violation(in text: String) -> Finding? {
        LanguageIdentifier.standard.violation(of: language, in: text, ruleID: Self.ruleID)
    }
}

extension LanguageIdentifier {
    /// Nil when `text` is in `language` or has nothing to identify; otherwise a finding naming the language found.
    func violation(of language: String, in text: String, ruleID: String) -> Finding? {
        guard let found = identify(text), found != language else { return nil }
        return Finding(ruleID: ruleID, message: "is in '\(found)', expected '\(language)'", text: language)
    }
}

/// Words as NLTK's Treebank word tokenizer (behind `nltk.word_tokenize`) splits them, as far as capital words
/// are concerned: punctuation is split off, `n't`, `'s`, `'m`, `'d`, `'re`, `'ve`, `'ll` and a closing `'` are
/// words of their own, `cannot` is `can` + `not`; hyphens, slashes, `*` and inner periods stay inside a word.
enum TreebankWords {
    /// Characters that are always words of their own.
    static let separators: Set<Unicode.Scalar> = [
        "\"", "(", ")", "[", "]", "{", "}", "<", ">", ";", "@", "#", "$", "%", "&", "?", "!", "`", "“", "”",
    ]

    static func tokens(in text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        let scalars = text.unicodeScalars
        for field in PythonText.fields(text) {
            var start = field.lowerBound
            var index = field.lowerBound
            func close(at end: String.Index) {
                if start < end { result.append(contentsOf: splitContraction(start..<end, in: text)) }
            }
            while index < field.upperBound {
                let scalar = scalars[index]
                let next = scalars.index(after: index)
                var separate = separators.contains(scalar)
                if scalar == "," || scalar == ":" {
                    // Split unless a digit follows (1,000 and 10:30 stay whole).
                    separate = next >= field.upperBound || scalars[next].properties.numericType != .decimal
                }
                if scalar == "-", next < field.upperBound, scalars[next] == "-" {
                    close(at: index)
                    var end = next
                    while end < field.upperBound, scalars[end] == "-" { end = scalars.index(after: end) }
                    result.append(index..<end)
                    start = end
                    index = end
                    continue
                }
                if separate {
                    close(at: index)
                    result.append(index..<next)
                    start = next
                }
                index = next
            }
            close(at: field.upperBound)
        }
        return result
    }

    /// `DON'T` → `DO`, `N'T`; `it's` → `it`, `'s`; `cannot` → `can`, `not`.
    static func splitContraction(_ range: Range<String.Index>, in text: String) -> [Range<String.Index>] {
        let word = text[range]
        let scalars = word.unicodeScalars
        let count = scalars.count
        func cut(_ suffixLength: Int) -> [Range<String.Index>] {
            let middle = scalars.index(scalars.endIndex, offsetBy: -suffixLength)
            return [range.lowerBound..<middle, middle..<range.upperBound]
        }
        let lowered = word.lowercased()
        if ["cannot", "gonna", "gotta", "wanna", "gimme", "lemme"].contains(lowered) {
            return cut(lowered == "cannot" ? 3 : 2)
        }
        for suffix in ["n't", "'re", "'ve", "'ll"]
        where count > suffix.count && (word.hasSuffix(suffix) || word.hasSuffix(suffix.uppercased())) {
            return cut(suffix.count)
        }
        for suffix in ["'s", "'m", "'d"] where count > suffix.count && lowered.hasSuffix(suffix) {
            return cut(suffix.count)
        }
        if count > 1, word.hasSuffix("'"), !word.hasSuffix("''") { return cut(1) }
        return [range]
    }
}
