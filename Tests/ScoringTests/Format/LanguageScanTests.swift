import EvalCore
import Foundation
import Testing

@testable import Scoring

/// The single-pass `language` measurement and the byte-level `Markdown.lines` against the character-by-character
/// code they stand in for: the same result on every answer and fixture the project ships, and on generated text
/// made of the pieces where the two could part (URLs, emails, code fences, inline code, CR LF, line separators,
/// scripts, word boundaries, long runs).
@Suite("Language scan and line splitting against the reference")
struct LanguageScanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every text field of the shipped answers, eval sets and scoring fixtures.
    static func shippedTexts() throws -> [String] {
        var files = ["examples/demo/answers.jsonl"]
        for folder in ["EvalSets", "Tests/ScoringTests/Fixtures"] {
            let names = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            files += names.filter { $0.hasSuffix(".jsonl") }.map { folder + "/" + $0 }
        }
        var texts: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .string(let text) where text.count > 1: texts.append(text)
            case .array(let items): items.forEach(collect)
            case .object(let fields): fields.values.forEach(collect)
            default: break
            }
        }
        for file in files {
            let content = try String(contentsOfFile: root.appendingPathComponent(file).path, encoding: .utf8)
            for line in content.split(separator: "\n") {
                if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)) { collect(value) }
            }
        }
        return texts
    }

    /// Random text from the pieces where a scanner and the patterns could disagree.
    static func generatedTexts(count: Int) -> [String] {
        let pieces = [
            "http://", "https://", "ftp://", "www.", "wwww.", "xhttp://", "_www.", "5www.", "@", "@@", ".", "..", "-",
            "_",
            "%", "+", "a", "b7", "Привет", "ё", "ß", "é", "Ω", "Ⅻ", "²", "ª", " ", "  ", "\t", "\n", "\r\n", "\r",
            "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", "\u{A0}", "\u{2003}", "`", "``", "```", "~~~", "````",
            "```json", "~~~~", "«", "»", "(", ")", "[", "]", "{", "}", "<", ">", "\"", "'", ":", "/", "—", "№", "€",
            "→",
            "support@technomarket.example", "x.y@z.w", "a@b@c.d", "Кириллица@почта.рф",
            String(repeating: "a", count: 70), String(repeating: "д", count: 65) + ".", "order_id", "v2.4.1",
        ]
        var generator = SplitMix64(seed: 19)
        return (0..<count).map { _ in
            let length = Int.random(in: 1...40, using: &generator)
            return (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
    }

    /// Texts with scalars that join into one character (combining marks, emoji, joiners, Hangul): the scan must
    /// leave them to the character-by-character measurement.
    static let joiningTexts = [
        "и\u{306}", "Привет 👋", "1️⃣ www.x.y", "e\u{301}@a.b", "a\u{200D}b", "한국어", "🇷🇺 флаг", "\u{483}x", "ок\u{20DD}",
    ]

    static func agree(_ text: String, _ check: LanguageCheck) -> Bool {
        guard let scan = LanguageScan(text) else { return false }
        let measured = scan.measure(expecting: check.expected.script)
        let reference = check.measureByCharacters(text)
        let utf8 = text.utf8
        let longest = measured.longest.map {
            utf8.index(utf8.startIndex, offsetBy: $0.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: $0.upperBound)
        }
        return measured.letters == reference.letters && measured.expectedLetters == reference.expectedLetters
            && longest == reference.longestForeignRun
    }

    @Test("the scan measures every shipped text and generated text exactly as the reference does")
    func sameMeasurement() throws {
        let texts = try Self.shippedTexts() + Self.generatedTexts(count: 4_000)
        #expect(texts.count > 4_000)
        var scanned = 0
        for language in LanguageCheck.Language.allCases {
            let check = LanguageCheck(expected: language)
            for text in texts where LanguageScan(text) != nil {
                scanned += 1
                #expect(Self.agree(text, check), "\(language): \(text.debugDescription)")
            }
        }
        // Nearly all of it is text the scan takes (the shipped Russian and English prose).
        #expect(scanned > texts.count * 3 / 2)
    }

    @Test("text whose scalars join into one character is left to the reference", arguments: joiningTexts)
    func joiningScalars(text: String) {
        #expect(LanguageScan(text) == nil)
        let check = LanguageCheck(expected: .ru)
        #expect(check.measure(text) == check.measureByCharacters(text))
    }

    @Test("URLs, emails and code are left out as the patterns and Markdown leave them out")
    func ignoredShapes() {
        let check = LanguageCheck(expected: .ru)
        for text in [
            "Смотрите https://shop.example/orders?id=1 и www.shop.example/help.",
            "Пишите на support@technomarket.example или a@b@c.com",
            "Код `order_id` и\n```json\n{\"status\": \"shipped\"}\n```\nготово",
            "x@a.b.c.d.e.f.g.h.i.j@k.com и " + String(repeating: "q", count: 70) + "@b.c",
            "~~~\nunclosed english code\n", "````\n```\nstill code\n````\nтекст", "``` `nope` ```\nEnglish",
        ] {
            #expect(Self.agree(text, check), "\(text.debugDescription)")
        }
    }

    @Test("Markdown.lines splits where splitting the characters at newlines does")
    func linesMatchCharacterSplit() throws {
        let texts =
            try Self.shippedTexts() + Self.generatedTexts(count: 2_000) + Self.joiningTexts
            + ["", "\n", "\r\n", "\r\r\n\n", "a\n\u{301}b", "\u{85}\u{2028}\u{2029}", "x\r", "\r\u{301}\n"]
        for text in texts {
            let reference = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            let lines = Markdown.lines(text)
            #expect(lines.map(String.init) == reference.map(String.init), "\(text.debugDescription)")
            #expect(lines.map(\.startIndex) == reference.map(\.startIndex))
        }
    }

    @Test("words by scalar are the words found character by character, or left to them")
    func wordsMatchCharacterSegmentation() throws {
        // The joiners and separators where a word could end in one and go on in the other.
        let wordPieces = [
            "-", "\u{2010}", "'", "\u{2019}", ".", ",", "3", "5,5", "2.", "x", "Я", "ё", "Ω", "²", "Ⅻ", "ª", "_", " ",
            "\r\n", "\r", "\n", "\u{A0}", "«", "»", "—", "№", "ß", "é", "ǅ", "٣",
        ]
        var generator = SplitMix64(seed: 20)
        let generated = (0..<4_000).map { _ in
            (0..<Int.random(in: 1...30, using: &generator)).map { _ in wordPieces.randomElement(using: &generator)! }
                .joined()
        }
        let texts = try Self.shippedTexts() + Self.generatedTexts(count: 2_000) + generated
        var fast = 0
        for text in texts {
            let reference = TextSegmentation.wordsByCharacter(in: text)
            guard let words = TextSegmentation.wordsOfSimpleText(text) else { continue }
            fast += 1
            #expect(words == reference, "\(text.debugDescription)")
            #expect(words.map { String(text[$0]) } == reference.map { String(text[$0]) })
        }
        #expect(fast > texts.count * 9 / 10)
        for text in texts + Self.joiningTexts + ["\u{2014}\u{93E}", "-\u{301}", " \u{345}", "\r\n", ""] {
            let reference = text.contains { $0.isLetter || $0.isNumber }
            #expect(TextSegmentation.containsLetterOrNumber(text[...]) == reference, "\(text.debugDescription)")
        }
        for text in Self.joiningTexts + ["e\u{301}-x", "1\u{20E3}.5"] {
            #expect(TextSegmentation.wordsOfSimpleText(text) == nil, "\(text.debugDescription)")
            #expect(TextSegmentation.words(in: text) == TextSegmentation.wordsByCharacter(in: text))
        }
    }

    @Test("PythonText.isSpace is Python's str.isspace on every code point below U+3001")
    func isSpaceMatchesTheProperty() {
        for value in UInt32(0)..<0x3001 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = scalar.properties.isWhitespace || (0x1C...0x1F).contains(value)
            #expect(PythonText.isSpace(scalar) == expected, "U+\(String(value, radix: 16))")
        }
    }

    @Test("BasicScalars.lowercase is the lowercase mapping wherever it answers")
    func basicLowercaseMatchesTheMapping() {
        var answered = 0
        for value in UInt32(0)..<0x3001 {
            guard let scalar = Unicode.Scalar(value), let lowered = BasicScalars.lowercase(scalar) else { continue }
            answered += 1
            #expect(String(lowered) == scalar.properties.lowercaseMapping, "U+\(String(value, radix: 16))")
        }
        #expect(answered == 0x80 + 0x60)
    }

    @Test(
        "scalar letter, number, whitespace and punctuation tests are Character's on every code point below U+3001 and some above"
    )
    func scalarClassesMatchCharacter() {
        let values = Array(UInt32(0)..<0x3001) + [0xFF10, 0xFF21, 0x1D7CE, 0x1F600, 0x10400, 0x4E00, 0xAC00, 0xFEFF]
        for value in values {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let character = Character(scalar)
            #expect(BasicScalars.isLetter(scalar) == character.isLetter, "U+\(String(value, radix: 16))")
            #expect(BasicScalars.isNumber(scalar) == character.isNumber, "U+\(String(value, radix: 16))")
            #expect(BasicScalars.isWhitespace(scalar) == character.isWhitespace, "U+\(String(value, radix: 16))")
            #expect(BasicScalars.isPunctuation(scalar) == character.isPunctuation, "U+\(String(value, radix: 16))")
        }
    }

    @Test("grounding folds words as lowercased() and ё → е do")
    func groundingFoldsWords() throws {
        var words = try Self.shippedTexts().flatMap { $0.split(whereSeparator: { !$0.isLetter }).map(String.init) }
        words += ["ЁЛКА", "Ёж", "ΣΑΣ", "İstanbul", "Straße", "ǅemal", "e\u{301}TÉ", "ЙОД", "Ѐ", "ѝ", ""]
        #expect(words.count > 10_000)
        for word in words {
            #expect(
                PromiseGrounding.folded(word) == word.lowercased().replacingOccurrences(of: "ё", with: "е"),
                "\(word.debugDescription)")
        }
    }

    @Test("language identification skips the URL patterns and NFC only where they would change nothing")
    func identifierShortcutsChangeNothing() throws {
        var composed = 0
        for value in UInt32(0)..<0x3001 {
            guard let scalar = Unicode.Scalar(value), LanguageIdentifier.isComposed(String(scalar)) else { continue }
            composed += 1
            // Alone and after every letter it could join, the scalar stays as it is.
            for base in ["a", "e", "A", "и", "е", "Е", "\u{2019}"] {
                let text = base + String(scalar)
                #expect(text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars))
            }
        }
        #expect(composed == 0x300 + 0x60 + 0x18)
        #expect(!LanguageIdentifier.isComposed("e\u{301}"))
        #expect(!LanguageIdentifier.isComposed("\u{2126}"))
        let texts = try Self.shippedTexts() + Self.generatedTexts(count: 2_000) + Self.joiningTexts
        for text in texts {
            var reference = text
            for pattern in [
                try TextPattern(#"https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}"#),
                try TextPattern(#"[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}"#),
            ] {
                for range in pattern.matches(in: reference).reversed() { reference.replaceSubrange(range, with: " ") }
            }
            if !LanguageIdentifier.mayHaveURLOrEmail(text) { #expect(reference == text, "\(text.debugDescription)") }
            if LanguageIdentifier.isComposed(text) {
                #expect(text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars))
            }
        }
    }
}
