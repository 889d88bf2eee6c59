import EvalCore
import Foundation
import Testing

/// `PlainText`'s byte-compared search against `String`'s character search, and its scalar classes against
/// `Character` and Unicode normalization.
@Suite("Plain text: byte search where it is character search")
struct PlainTextTests {
    /// Pieces where byte and character search could part: CR LF, combining marks, singletons, repeats for overlaps.
    static let pieces = [
        "a", "aa", "b", "ab", "7", "+7", "916", " ", "\n", "\r", "\r\n", "\t", "д", "дд", "ё", "е", "é", "e",
        "\u{301}", "K", "\u{212A}", ";", "\u{37E}", "Ω", "\u{2126}", "Å", "\u{212B}", "·", "\u{387}", "\u{2001}",
        "\u{2003}", "•", "—", "👋", "и\u{306}", "й", "@", "x@y.z", "4111 1111", "\u{200D}", "🇷🇺",
    ]

    /// Texts of `length` pieces, a joining or singleton piece in about one text of three.
    static func generated(count: Int, seed: UInt64, length: ClosedRange<Int>) -> [String] {
        var generator = SplitMix64(seed: seed)
        let plain = pieces.filter { PlainText.isPlain($0) }
        let other = pieces.filter { !PlainText.isPlain($0) }
        return (0..<count).map { _ in
            (0..<Int.random(in: length, using: &generator)).map { _ in
                Int.random(in: 0..<40, using: &generator) == 0
                    ? other.randomElement(using: &generator)! : plain.randomElement(using: &generator)!
            }.joined()
        }
    }

    @Test("on plain text, byte search finds what String's and Foundation's searches find; other text is left to them")
    func sameAsCharacterSearch() {
        let texts = Self.generated(count: 3_000, seed: 7, length: 0...30)
        // Half of the needles are a piece of their text, so that there is something to find.
        var generator = SplitMix64(seed: 8)
        let needles = zip(texts, Self.generated(count: 3_000, seed: 9, length: 1...3)).map { text, other in
            let scalars = Array(text.unicodeScalars)
            guard scalars.count > 2, Bool.random(using: &generator) else { return other }
            let start = Int.random(in: 0..<(scalars.count - 1), using: &generator)
            let end = Int.random(in: (start + 1)...min(scalars.count, start + 4), using: &generator)
            return String(String.UnicodeScalarView(scalars[start..<end]))
        }
        var found = 0
        var plain = 0
        for (text, needle) in zip(texts, needles) {
            let both = PlainText.isPlain(text) && PlainText.isPlain(needle)
            let ranges = PlainText.ranges(of: needle, in: text)
            let contained = PlainText.bytesContain(needle, in: text)
            #expect((ranges != nil) == both && (contained != nil) == both, "\(needle.debugDescription)")
            guard both else { continue }
            plain += 1
            let expected = text.ranges(of: needle)
            if !expected.isEmpty { found += 1 }
            let place = "\(needle.debugDescription) in \(text.debugDescription)"
            #expect(ranges == expected, "\(place)")
            // Foundation's search, which masking and quoting use.
            #expect(contained == (text.range(of: needle) != nil), "\(place)")
        }
        // The comparison covers matches and misses on plain text, and leaves the rest alone.
        #expect(found > 200 && plain > 500 && plain < texts.count - 500, "\(found) found, \(plain) plain")
    }

    @Test("overlapping occurrences are taken left to right, as String takes them")
    func overlaps() {
        let text = "aaaaa ааааа"
        #expect(PlainText.ranges(of: "aa", in: text) == text.ranges(of: "aa"))
        #expect(PlainText.ranges(of: "аа", in: text)?.count == 2)
        #expect(PlainText.ranges(of: "", in: text) == nil)
        #expect(PlainText.ranges(of: "b", in: "") == [])
        #expect(PlainText.bytesContain("", in: text) == nil)
        #expect(PlainText.ranges(of: "e", in: "e\u{301}") == nil)
    }

    @Test(
        "a character match never splits CR LF; Foundation's search does",
        arguments: [("\r", "a\r\nb"), ("\n", "a\r\nb"), ("a\r", "a\r\n"), ("\nb", "\r\nb")])
    func crlf(needle: String, text: String) {
        #expect(PlainText.ranges(of: needle, in: text) == [])
        #expect(text.ranges(of: needle).isEmpty)
        #expect(PlainText.bytesContain(needle, in: text) == true)
        #expect(text.range(of: needle) != nil)
    }

    @Test("a scalar that stands alone is a character of its own beside the others, below U+3001")
    func standsAlone() {
        let partners: [Unicode.Scalar] = ["a", "д", "—", "€", "\u{2003}", "Ω"]
        for value in UInt32(0)..<0x3001 {
            guard let scalar = Unicode.Scalar(value), PlainText.standsAlone(scalar) else { continue }
            for partner in partners where !(scalar == "\r" && partner == "\n") {
                var pair = String.UnicodeScalarView()
                pair.append(scalar)
                pair.append(partner)
                #expect(String(pair).count == 2, "U+\(String(value, radix: 16))")
            }
        }
    }

    @Test("a plain scalar is its own only canonical spelling, below U+3001")
    func plainScalarsAreNormalized() {
        var singletons = 0
        for value in UInt32(0)..<0x3001 {
            guard let scalar = Unicode.Scalar(value), PlainText.standsAlone(scalar) else { continue }
            let text = String(Character(scalar))
            let composed = Array(text.precomposedStringWithCanonicalMapping.unicodeScalars)
            if PlainText.isPlain(scalar) {
                #expect(composed == [scalar], "U+\(String(value, radix: 16))")
            } else {
                singletons += 1
                #expect(composed != [scalar], "U+\(String(value, radix: 16)) is left out without need")
            }
        }
        #expect(singletons == 8)
    }
}
