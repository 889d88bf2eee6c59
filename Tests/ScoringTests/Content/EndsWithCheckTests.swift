import EvalCore
import Scoring
import Testing

@Suite struct ContentEndsWithCheckTests {
    @Test func ignoresTrailingWhitespace() throws {
        #expect(
            try ContentFormatFixtures.evaluate(
                "ends-with", ["value": "Хорошего дня!"], "Заказ в пути. Хорошего дня!\n\n") == .pass)
        #expect(
            try ContentFormatFixtures.evaluate(
                "ends-with", ["value": "Have a nice day!"], "On its way. Have a nice day! ") == .pass)
    }

    @Test func failsSayingHowTheAnswerEnds() throws {
        let outcome = try ContentFormatFixtures.evaluate(
            "ends-with",
            ["value": "Хорошего дня!"],
            "**Следующий шаг:** дождитесь курьера.\n"
        )
        #expect(
            outcome
                == .fail(
                    Finding(
                        ruleID: "content.ends-with",
                        message: "does not end with 'Хорошего дня!', ends with 'тесь курьера.'",
                        text: "Хорошего дня!"
                    )
                )
        )
    }

    @Test func anEmptyAnswerSaysSo() throws {
        let outcome = try ContentFormatFixtures.evaluate("ends-with", ["value": "Have a nice day!"], "")
        #expect(outcome.findings.map(\.message) == ["does not end with 'Have a nice day!', the answer is empty"])
    }

    @Test func ignoreCase() throws {
        #expect(
            try ContentFormatFixtures.evaluate("ends-with", ["value": "have a nice day"], "Have A Nice Day").passed
                == false)
        #expect(
            try ContentFormatFixtures.evaluate(
                "ends-with", ["value": "have a nice day", "ignore_case": true], "Have A Nice Day") == .pass)
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("ends-with", [:])
                == "check 'ends-with' needs option 'value' (a string)")
    }
}
