import EvalCore
import Scoring
import Testing

@Suite struct FormatLengthCheckTests {
    func length(_ options: [String: JSONValue], _ response: String) throws -> CheckOutcome {
        try ContentFormatFixtures.evaluate("length", options, response)
    }

    func count(_ unit: String, _ response: String) throws -> Int {
        var options = CheckOptions(type: "length", values: ["unit": .string(unit), "min": 0])
        return try LengthCheck(options: &options).units(in: response).count
    }

    @Test func wordsInAnyScript() throws {
        let answer = MarkedAnswer("Что-то пошло не так: заказ №12345 задержится на 3.5 дня, 1️⃣don't worry.")
        #expect(try count("words", answer.text) == 12)
        #expect(try length(["unit": "words", "max": 12], answer.text) == .pass)
        #expect(
            try length(["unit": "words", "max": 10], answer.text).findings == [
                answer.finding("format.length", "has 12 words, more than the maximum 10", at: 1, "don't worry")
            ]
        )
        #expect(
            try length(["unit": "words", "min": 13], answer.text)
                == .fail(Finding(ruleID: "format.length", message: "has 12 words, fewer than the minimum 13"))
        )
        #expect(
            try length(["unit": "words", "min": 2], "Да.").findings.map(\.message) == [
                "has 1 word, fewer than the minimum 2"
            ])
    }

    @Test func charactersAreUserPerceivedAndTrimmed() throws {
        let answer = MarkedAnswer("  Приве1️⃣т!  \n")
        #expect(try count("characters", answer.text) == 7)
        #expect(
            try length(["unit": "characters", "max": 5], answer.text).findings == [
                answer.finding("format.length", "has 7 characters, more than the maximum 5", at: 1, "т!")
            ]
        )
        #expect(try count("characters", "👍🏽 ok") == 4)
    }

    @Test func sentencesMindDecimalsAbbreviationsAndContinuations() throws {
        let russian = MarkedAnswer(
            "Заказ в пути. Курьер приедет через 3.5 дня, т.е. в пятницу! 1️⃣Стоимость 500 руб. в месяц. Что дальше? Ждите SMS…"
        )
        #expect(try count("sentences", russian.text) == 5)
        #expect(
            try length(["unit": "sentences", "max": 2], russian.text).findings == [
                russian.finding(
                    "format.length",
                    "has 5 sentences, more than the maximum 2",
                    at: 1,
                    "Стоимость 500 руб. в месяц. Что дальше? Ждите SMS…"
                )
            ]
        )
        #expect(try count("sentences", "See e.g. Apple Pay. Mr. Smith will call. Done!") == 3)
        #expect(try count("sentences", "He said \"wait.\" Then he left...") == 2)
        #expect(
            try length(["unit": "sentences", "min": 3], "One. Two.").findings.map(\.message) == [
                "has 2 sentences, fewer than the minimum 3"
            ])
    }

    @Test func listItemsHeadingsAndParagraphsEndSentences() throws {
        #expect(try count("sentences", "Что сделать:\n1. Откройте приложение\n2. Нажмите «Отследить»") == 3)
        #expect(try count("sentences", "## Итог\nЗаказ в пути") == 2)
        #expect(try count("sentences", "Привет\n\nЗаказ в пути") == 2)
        #expect(try count("sentences", "**Коротко:** заказ в пути.\n**Подробно:** у курьера.") == 2)
    }

    @Test func paragraphs() throws {
        let answer = MarkedAnswer(
            "Коротко: заказ в пути.\n\nПодробно: посылка у курьера.\n   \n1️⃣Следующий шаг: ждите SMS.\n")
        #expect(try count("paragraphs", answer.text) == 3)
        #expect(
            try length(["unit": "paragraphs", "max": 2], answer.text).findings == [
                answer.finding(
                    "format.length", "has 3 paragraphs, more than the maximum 2", at: 1, "Следующий шаг: ждите SMS.")
            ]
        )
        #expect(
            try length(["unit": "paragraphs", "min": 4], answer.text).findings.map(\.message) == [
                "has 3 paragraphs, fewer than the minimum 4"
            ])
    }

    @Test func bullets() throws {
        let answer = MarkedAnswer(
            """
            Что сделать:
            - Откройте приложение
            * Нажмите «Заказы»
              + Выберите заказ
            • Нажмите «Отследить»
            1. Проверьте статус
            1️⃣2) Дождитесь SMS
            **Важно:** не сообщайте код.
            ---
            ```
            - not a bullet
            ```
            """
        )
        #expect(try count("bullets", answer.text) == 6)
        #expect(
            try length(["unit": "bullets", "max": 5], answer.text).findings == [
                answer.finding("format.length", "has 6 bullets, more than the maximum 5", at: 1, "2) Дождитесь SMS")
            ]
        )
        #expect(
            try length(["unit": "bullets", "min": 2], "- Only one step").findings.map(\.message) == [
                "has 1 bullet, fewer than the minimum 2"
            ])
        #expect(try length(["unit": "bullets", "max": 0], "Plain text, no list.") == .pass)
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("length", ["max": 3])
                == "check 'length' needs option 'unit' (one of 'words', 'characters', 'sentences', 'paragraphs', 'bullets')"
        )
        #expect(
            ContentFormatFixtures.configurationError("length", ["unit": "слова", "max": 3])
                == "option 'unit' of check 'length' expects one of 'words', 'characters', 'sentences', 'paragraphs', 'bullets', found 'слова'"
        )
        #expect(
            ContentFormatFixtures.configurationError("length", ["unit": "words"])
                == "check 'length' needs option 'min' or 'max' (an integer)")
        #expect(
            ContentFormatFixtures.configurationError("length", ["unit": "words", "min": -1])
                == "option 'min' of check 'length' must not be negative, found -1"
        )
        #expect(
            ContentFormatFixtures.configurationError("length", ["unit": "words", "min": 5, "max": 3])
                == "option 'min' of check 'length' (5) is more than option 'max' (3)"
        )
        #expect(
            ContentFormatFixtures.configurationError("length", ["unit": "words", "max": "300"])
                == "option 'max' of check 'length' expects an integer, found string"
        )
        #expect(
            ContentFormatFixtures.configurationError("length", ["unit": "words", "max": 2.5])
                == "option 'max' of check 'length' expects an integer, found number"
        )
    }
}
