import EvalCore
import Testing

@testable import Scoring

/// `TextSearch` keys characters by number instead of by a string per character. Here it is compared with the plain
/// definition (each character's text, lowercased with `ignoreCase`, compared as Swift compares strings: canonical
/// equivalence) on generated texts made of the characters where the two could part: precomposed and decomposed
/// letters, canonical singletons (Kelvin sign, Ångström sign, Greek question mark), letters whose lowercase is longer
/// (İ, ẞ), CR LF, emoji, Cyrillic of every case.
@Suite("TextSearch agrees with the string-by-string definition")
struct TextSearchDifferentialTests {
    static let pieces: [String] = [
        "a", "A", "k", "K", "\u{212A}", "å", "Å", "\u{212B}", "a\u{030A}", ";", "\u{037E}", "`", "\u{1FEF}",
        "й", "Й", "и\u{0306}", "И\u{0306}", "ё", "Ё", "е\u{0308}", "ѐ", "Ѐ", "ж", "Ж", "я", "Я", "ї", "Ї", "İ",
        "i\u{0307}", "i", "I", "ß", "ẞ", "ss", "\r\n", "\r", "\n", " ", "😀", "👍🏽", "«", "»", "—", "Ω", "\u{2126}",
        "ω", "e\u{0301}", "é", "É",
    ]

    /// The definition `TextSearch` had before: a string key per character.
    static func referenceSpans(_ text: String, _ needle: String, ignoreCase: Bool) -> [TextSpan] {
        func key(_ character: Character) -> String { ignoreCase ? character.lowercased() : String(character) }
        let keys = text.map(key)
        var offsets: [Int] = []
        var offset = 0
        for character in text {
            offsets.append(offset)
            offset += character.utf8.count
        }
        offsets.append(offset)
        let pattern = needle.map(key)
        guard !pattern.isEmpty, pattern.count <= keys.count else { return [] }
        var spans: [TextSpan] = []
        var position = 0
        while position <= keys.count - pattern.count {
            if (0..<pattern.count).allSatisfy({ keys[position + $0] == pattern[$0] }) {
                spans.append(TextSpan(start: offsets[position], end: offsets[position + pattern.count]))
                position += pattern.count
            } else {
                position += 1
            }
        }
        return spans
    }

    /// A random run of `pieces`, as many as `length` draws.
    static func text(of pieces: [String], length: ClosedRange<Int>, using random: inout SplitMix64) -> String {
        (0..<Int.random(in: length, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    @Test("spans, contains, prefix and suffix", arguments: [1 as UInt64, 2, 3, 4])
    func agrees(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        func text(_ range: ClosedRange<Int>) -> String { Self.text(of: Self.pieces, length: range, using: &random) }
        var found = 0
        for _ in 0..<400 {
            let haystack = text(0...30)
            for _ in 0..<5 {
                let needle = text(1...3)
                for ignoreCase in [false, true] {
                    let search = TextSearch(haystack, ignoreCase: ignoreCase)
                    let expected = Self.referenceSpans(haystack, needle, ignoreCase: ignoreCase)
                    found += expected.count
                    #expect(
                        search.spans(of: needle) == expected,
                        "\(haystack.debugDescription) \(needle.debugDescription) \(ignoreCase)")
                    #expect(search.firstSpan(of: needle) == expected.first)
                    // The first match found from the left is at 0 exactly when the text starts with the needle.
                    #expect(search.hasPrefix(needle) == (expected.first?.start == 0))
                }
            }
        }
        #expect(found > 500)
    }

    /// Characters of one scalar each (with the canonical singletons among them) and CR LF: texts made only of these
    /// are keyed scalar by scalar.
    static let simplePieces: [String] = [
        "a", "A", "k", "K", "\u{212A}", "å", "Å", "\u{212B}", ";", "\u{037E}", "`", "й", "Й", "ё", "Ё", "ѐ", "Ѐ", "ж",
        "Ж", "я", "Я", "ї", "Ї", "İ", "i", "I", "ß", "\r\n", "\r", "\n", " ", "«", "»", "—", "Ω", "\u{2126}", "ω", "é",
        "É", "ǅ", "Σ", "ς", "σ", "€", "№", "\u{A0}", "\t", "1",
    ]

    @Test("texts whose every scalar is a character are keyed by scalar as by character", arguments: [5 as UInt64, 6])
    func scalarKeysAgree(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        func text(_ range: ClosedRange<Int>) -> String {
            Self.text(of: Self.simplePieces, length: range, using: &random)
        }
        var found = 0
        for _ in 0..<400 {
            let haystack = text(0...40)
            #expect(TextSearch.isSimple(haystack))
            for ignoreCase in [false, true] {
                let search = TextSearch(haystack, ignoreCase: ignoreCase)
                let reference = TextSearch(haystack, ignoreCase: ignoreCase, byCharacter: true)
                #expect(search.keys == reference.keys, "\(haystack.debugDescription) \(ignoreCase)")
                #expect(search.offsets == reference.offsets)
                for _ in 0..<3 {
                    let needle = text(1...3)
                    let expected = Self.referenceSpans(haystack, needle, ignoreCase: ignoreCase)
                    found += expected.count
                    #expect(
                        search.spans(of: needle) == expected, "\(haystack.debugDescription) \(needle.debugDescription)")
                }
            }
        }
        #expect(found > 300)
        for text in ["e\u{301}", "👍", "a\u{200D}b", "한"] { #expect(!TextSearch.isSimple(text)) }
    }
}
