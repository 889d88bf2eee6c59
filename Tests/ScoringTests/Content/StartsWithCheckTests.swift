import EvalCore
import Scoring
import Testing

@Suite struct ContentStartsWithCheckTests {
    @Test func ignoresLeadingWhitespace() throws {
        #expect(
            try ContentFormatFixtures.evaluate(
                "starts-with", ["value": "Здравствуйте"], "\n  Здравствуйте! Заказ в пути.") == .pass)
        #expect(
            try ContentFormatFixtures.evaluate("starts-with", ["value": "Hello"], " Hello! Your order is on its way.")
                == .pass)
    }

    @Test func failsSayingHowTheAnswerStarts() throws {
        let outcome = try ContentFormatFixtures.evaluate(
            "starts-with", ["value": "Здравствуйте"], "Привет! Ваш заказ в пути.")
        #expect(
            outcome
                == .fail(
                    Finding(
                        ruleID: "content.starts-with",
                        message: "does not start with 'Здравствуйте', starts with 'Привет! Ваш '",
                        text: "Здравствуйте"
                    )
                )
        )
        let english = try ContentFormatFixtures.evaluate("starts-with", ["value": "Hello"], "Hi!")
        #expect(english.findings.map(\.message) == ["does not start with 'Hello', starts with 'Hi!'"])
    }

    @Test func anEmptyAnswerSaysSo() throws {
        let outcome = try ContentFormatFixtures.evaluate("starts-with", ["value": "Здравствуйте"], " \n")
        #expect(outcome.findings.map(\.message) == ["does not start with 'Здравствуйте', the answer is empty"])
    }

    @Test func ignoreCase() throws {
        #expect(
            try ContentFormatFixtures.evaluate("starts-with", ["value": "здравствуйте"], "ЗДРАВСТВУЙТЕ!").passed
                == false)
        #expect(
            try ContentFormatFixtures.evaluate(
                "starts-with", ["value": "здравствуйте", "ignore_case": true], "ЗДРАВСТВУЙТЕ!") == .pass)
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("starts-with", ["value": 1])
                == "option 'value' of check 'starts-with' expects a string, found integer")
    }
}
