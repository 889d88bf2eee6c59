import EvalCore
import Scoring
import Testing

/// The shared text utilities under Sources/Scoring/Text, used by the Content and Format checks.
@Suite struct FormatTextUtilitiesTests {
    @Test func searchReportsUTF8SpansOfTheOriginalText() {
        let search = TextSearch("Коротко: КОРОТКО и коротко", ignoreCase: true)
        #expect(
            search.spans(of: "коротко") == [
                TextSpan(start: 0, end: 14), TextSpan(start: 16, end: 30), TextSpan(start: 34, end: 48),
            ]
        )
        #expect(TextSearch("Коротко").spans(of: "коротко").isEmpty)
        #expect(TextSearch("aaaa").spans(of: "aa") == [TextSpan(start: 0, end: 2), TextSpan(start: 2, end: 4)])
        #expect(TextSearch("abc").spans(of: "").isEmpty)
    }

    @Test func searchComparesCanonicallyAndByCharacter() {
        let decomposed = TextSearch("приe\u{0301}м при\u{0435}\u{0308}м")
        #expect(decomposed.contains("приём"))
        #expect(!decomposed.contains("прие"))
        #expect(TextSearch("  Здравствуйте!").hasPrefix("  Зд"))
        #expect(TextSearch("Хорошего дня!", ignoreCase: true).hasSuffix("ДНЯ!"))
    }

    @Test func normalization() {
        #expect(TextNormalization.collapsingWhitespace("  Да,\n\t заказ   в пути ") == "Да, заказ в пути")
        #expect(TextNormalization.strippingPunctuation("«Да!» — e-mail, 100$") == "Да  email 100$")
        #expect(TextNormalization.loose("«Да!» — Заказ\nВ ПУТИ.") == "да заказ в пути")
    }

    @Test func fencedBlocks() {
        let text = "Вот:\n```json\n{\"a\": 1}\n```\nи ещё\n~~~\nоткрыт"
        let blocks = Markdown.fencedBlocks(in: text, lines: Markdown.lines(text))
        #expect(blocks.count == 2)
        #expect(blocks.map { String(text[$0.range]) } == ["```json\n{\"a\": 1}\n```", "~~~\nоткрыт"])
        #expect(blocks.map { String(text[$0.content]) } == ["{\"a\": 1}\n", "открыт"])
        #expect(blocks.map(\.info) == ["json", ""])
        #expect(blocks.map(\.isClosed) == [true, false])
    }

    @Test func scripts() {
        #expect(WritingScript(Character("ж")) == .cyrillic)
        #expect(WritingScript(Character("Ё")) == .cyrillic)
        #expect(WritingScript(Character("é")) == .latin)
        #expect(WritingScript(Character("ß")) == .latin)
        #expect(WritingScript(Character("λ")) == .other)
        #expect(WritingScript(Character("7")) == nil)
        #expect(WritingScript(Character("👍")) == nil)
    }

    @Test func words() {
        let text = "Кое-что: v2.1, т.е. don’t"
        #expect(TextSegmentation.words(in: text).map { String(text[$0]) } == ["Кое-что", "v2.1", "т", "е", "don’t"])
    }
}
