import EvalCore
import Testing

@testable import Scoring

/// `SectionsCheck`'s label scan by scalars against the character-by-character definition it stands in for.
@Suite("Sections: the label scan by scalar against the character walk")
struct SectionsScanTests {
    /// Lines from the pieces where the two walks could part: colons at and around the 80-character limit, dashes
    /// between spaces or not, markup, whitespace-only labels, combining marks and emoji before and after the end.
    static func generatedLines(count: Int) -> [String] {
        let pieces = [
            "Коротко", "Next step", ":", "：", " ", "\t", "\u{A0}", "\u{2003}", "—", "–", "-", " — ", " - ", "*", "_",
            "`",
            "#", "[", "]", "a", "д", "7", "1.", "ё", "\u{301}", "👋", "\u{200D}", "é", "Ω", "\u{212A}",
            String(repeating: "я", count: 39), String(repeating: "b", count: 40), String(repeating: " ", count: 20),
        ]
        var generator = SplitMix64(seed: 80)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                .joined()
        }
    }

    static func same(_ line: Substring, dash: Bool) -> Bool {
        let reference = SectionsCheck.plainLabelByCharacter(line, dash: dash)
        guard let decided = SectionsCheck.plainLabelByScalar(line, dash: dash) else { return true }
        switch (decided, reference) {
        case (nil, nil): return true
        case (let found?, let expected?):
            return found.label == expected.label && found.marker == expected.marker
                && found.label.startIndex == expected.label.startIndex
                && found.marker.endIndex == expected.marker.endIndex
        default: return false
        }
    }

    @Test("the scalar scan finds the label the character walk finds, on every shipped line and generated lines")
    func sameLabels() throws {
        var lines = try LanguageScanTests.shippedTexts().flatMap { Markdown.lines($0) }
        lines += Self.generatedLines(count: 20_000).map { Substring($0) }
        var decided = 0
        var found = 0
        for line in lines {
            for dash in [false, true] {
                #expect(Self.same(line, dash: dash), "\(line.debugDescription) dash \(dash)")
                if let result = SectionsCheck.plainLabelByScalar(line, dash: dash) {
                    decided += 1
                    if result != nil { found += 1 }
                }
            }
        }
        // Most lines are decided by scalars, labels included; more than a thousand went to the character walk.
        #expect(decided > lines.count && decided < lines.count * 2 - 1_000 && found > 1_000, "\(decided) \(found)")
    }

    @Test("a label's key by scalar is the key by character, on every shipped line and generated labels")
    func sameKeys() throws {
        var labels = try LanguageScanTests.shippedTexts().flatMap { Markdown.lines($0) }
        labels += Self.generatedLines(count: 20_000).map { Substring($0) }
        labels += ["1. Коротко", "2) Next STEP:", " 3.Итог ", "«Коротко»", "ΣΟΦΙΑ", "İ", "—", "", "12", "1. ", "Ǆ ДЖ"]
        var byScalar = 0
        for label in labels {
            let reference = SectionsCheck.keyByCharacter(label)
            if let key = SectionsCheck.keyByScalar(label) {
                byScalar += 1
                #expect(key == reference, "\(label.debugDescription)")
            }
            #expect(SectionsCheck.key(label) == reference)
        }
        #expect(byScalar > labels.count / 2 && byScalar < labels.count - 1_000, "\(byScalar) of \(labels.count)")
    }

    @Test("a line is a thematic break by its first scalar exactly when it is one character by character")
    func sameBreaks() throws {
        var lines = try LanguageScanTests.shippedTexts().flatMap { Markdown.lines($0) }
        lines += Self.generatedLines(count: 10_000).map { Substring($0) }
        lines += ["---", " * * *", "___\u{301}", "-\u{301}--", "a---", "\u{2003}---", "—", "", "*", "- - -  "]
        var breaks = 0
        for line in lines {
            let expected = Markdown.isThematicBreakByCharacter(line)
            #expect(Markdown.isThematicBreak(line) == expected, "\(line.debugDescription)")
            if expected { breaks += 1 }
        }
        #expect(breaks >= 3)
    }

    @Test("PII's letters-and-digits key by scalar is the key by character, on every shipped text and generated lines")
    func sameWordKeys() throws {
        let texts = try LanguageScanTests.shippedTexts() + Self.generatedLines(count: 10_000) + ["ΣΑΣ", "İ", "Straße"]
        for text in texts {
            #expect(PIIKeySet.words(of: text) == PIIKeySet.wordsByCharacter(of: text), "\(text.debugDescription)")
        }
    }

    @Test(
        "a scalar that could join the one before leaves the decision to the character walk",
        arguments: ["Коротко\u{301}: текст", "Итог:\u{301} да", "a -\u{301} b", "👋 Коротко: да"])
    func undecided(line: String) {
        #expect(SectionsCheck.plainLabelByScalar(Substring(line), dash: true) == nil)
    }
}

@Suite("Quoting a finding's text")
struct QuotingTests {
    @Test("short plain text is quoted as it is; breaks, tabs, joined scalars and long text as the definition says")
    func quotedAsDefined() {
        var texts = SectionsScanTests.generatedLines(count: 3_000)
        texts += ["", "a\r\nb", "\t", "é\u{301}", String(repeating: "ж", count: 80), String(repeating: "ж", count: 81)]
        for text in texts {
            for limit in [3, 80] {
                #expect(quoted(text, limit: limit) == quotedByCharacter(text, limit: limit), "\(text.debugDescription)")
                #expect(quoted(Substring(text), limit: limit) == quotedByCharacter(text, limit: limit))
            }
        }
    }
}
