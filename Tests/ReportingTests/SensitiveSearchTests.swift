import EvalCore
import Testing

@testable import Reporting

// No Foundation import: `contains` and `ranges(of:)` here are the standard library's, as in the code the helpers
// replaced.

@Suite("Finding quoted personal data: the byte search against the character search it stands in for")
struct SensitiveSearchTests {
    static let pieces = [
        "a", "aa", "7", "+7 916", " ", "\n", "\r", "\r\n", "\t", "д", "ё", "é", "\u{301}", "K", "\u{212A}", "👋",
        "🇷", "🇺", "\u{200D}", "Иван", "x@y.z", "•",
    ]

    static func text(_ generator: inout SplitMix64, length: ClosedRange<Int>) -> String {
        (0..<Int.random(in: length, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    @Test("quotes and occurrences find what contains and ranges(of:) find, CR LF, joined scalars and empty pieces too")
    func sameAsCharacterSearch() {
        var generator = SplitMix64(seed: 27)
        var found = 0
        for _ in 0..<4_000 {
            let text = Self.text(&generator, length: 0...20)
            let piece = Self.text(&generator, length: 0...2)
            #expect(text.quotes(piece) == text.contains(piece), "\(piece.debugDescription) in \(text.debugDescription)")
            #expect(text.occurrences(of: piece) == text.ranges(of: piece))
            if text.contains(piece) { found += 1 }
        }
        #expect(found > 400 && found < 3_600)
        #expect(!"a\r\nb".quotes("\n") && !"x\r\ny".quotes("x\r") && !"e\u{301}".quotes("\u{301}"))
        #expect("Иван Петров".quotes("Иван") && "a".quotes("") == "a".contains(""))
    }
}
