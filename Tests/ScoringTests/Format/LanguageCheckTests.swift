import EvalCore
import Scoring
import Testing

@Suite struct FormatLanguageCheckTests {
    @Test func russianPassesDespiteATrackingNumber() throws {
        let answer = "**Коротко:** заказ в пути.\n**Следующий шаг:** отследите его по номеру RU123456789."
        #expect(try ContentFormatFixtures.evaluate("language", ["expected": "ru"], answer) == .pass)
    }

    @Test func englishInARussianAnswerFailsWithTheLongestForeignRun() throws {
        let answer = MarkedAnswer("1️⃣Your order is on its way. Курьер приедет завтра.")
        #expect(
            try ContentFormatFixtures.evaluate("language", ["expected": "ru"], answer.text).findings == [
                answer.finding(
                    "format.language",
                    "answer is 50% Cyrillic, expected ru (at least 80%)",
                    at: 1,
                    "Your order is on its way"
                )
            ]
        )
        #expect(
            try ContentFormatFixtures.evaluate("language", ["expected": "ru", "min_ratio": 0.5], answer.text) == .pass)
    }

    @Test func theLongestRunIsChosenAndSharesRoundDown() throws {
        let answer = MarkedAnswer("Hi! Заказ в пути, 1️⃣tracking number is ready. Спасибо.")
        #expect(
            try ContentFormatFixtures.evaluate("language", ["expected": "ru", "min_ratio": 0.725], answer.text).findings
                == [
                    answer.finding(
                        "format.language",
                        "answer is 42% Cyrillic, expected ru (at least 72.5%)",
                        at: 1,
                        "tracking number is ready"
                    )
                ]
        )
    }

    @Test func codeURLsAndEmailsAreIgnored() throws {
        let answer = """
            Проверьте статус на https://shop.example/orders/track?id=abc или напишите на support@shop.example.
            ```bash
            curl https://api.example/v1/orders --header "Authorization: Bearer token"
            ```
            Используйте поле `order_status` и www.shop.example/help.
            """
        #expect(try ContentFormatFixtures.evaluate("language", ["expected": "ru", "min_ratio": 1], answer) == .pass)
    }

    @Test func english() throws {
        #expect(
            try ContentFormatFixtures.evaluate("language", ["expected": "en"], "Your order is on its way. Thanks!")
                == .pass)
        let answer = MarkedAnswer("1️⃣Ваш заказ в пути. Thanks!")
        #expect(
            try ContentFormatFixtures.evaluate("language", ["expected": "en"], answer.text).findings == [
                answer.finding(
                    "format.language", "answer is 31% Latin, expected en (at least 80%)", at: 1, "Ваш заказ в пути")
            ]
        )
    }

    @Test func anAnswerWithoutLettersPasses() throws {
        #expect(try ContentFormatFixtures.evaluate("language", ["expected": "ru"], "12345 👍") == .pass)
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("language", [:])
                == "check 'language' needs option 'expected' (one of 'ru', 'en')")
        #expect(
            ContentFormatFixtures.configurationError("language", ["expected": "de"])
                == "option 'expected' of check 'language' expects one of 'ru', 'en', found 'de'"
        )
        #expect(
            ContentFormatFixtures.configurationError("language", ["expected": "ru", "min_ratio": 1.5])
                == "option 'min_ratio' of check 'language' expects a number from 0 to 1, found 1.5"
        )
        #expect(
            ContentFormatFixtures.configurationError("language", ["expected": "ru", "min_ratio": "high"])
                == "option 'min_ratio' of check 'language' expects a number, found string"
        )
    }
}
