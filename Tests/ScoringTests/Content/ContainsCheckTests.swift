import EvalCore
import Scoring
import Testing

@Suite struct ContentContainsCheckTests {
    let answer = """
        **Коротко:** заказ в пути.
        **Следующий шаг:** дождитесь SMS от курьера.
        """

    @Test func passesWhenTheTextIsThere() throws {
        #expect(try ContentFormatFixtures.evaluate("contains", ["value": "Следующий шаг"], answer) == .pass)
        #expect(try ContentFormatFixtures.evaluate("contains", ["value": "SMS"], answer) == .pass)
        #expect(
            try ContentFormatFixtures.evaluate("contains", ["value": "next step"], "Your next step: wait.") == .pass)
    }

    @Test func isCaseSensitiveByDefault() throws {
        let outcome = try ContentFormatFixtures.evaluate("contains", ["value": "следующий шаг"], answer)
        #expect(
            outcome
                == .fail(
                    Finding(
                        ruleID: "content.contains",
                        message: "missing expected text 'следующий шаг'",
                        text: "следующий шаг"
                    )
                )
        )
        let english = try ContentFormatFixtures.evaluate("contains", ["value": "Next step"], "Your next step: wait.")
        #expect(english.findings.map(\.message) == ["missing expected text 'Next step'"])
    }

    @Test func ignoreCaseFoldsCyrillicAndLatin() throws {
        #expect(
            try ContentFormatFixtures.evaluate("contains", ["value": "СЛЕДУЮЩИЙ ШАГ", "ignore_case": true], answer)
                == .pass)
        #expect(try ContentFormatFixtures.evaluate("contains", ["value": "sms", "ignore_case": true], answer) == .pass)
    }

    @Test func aLetterIsNeverMatchedInsideAnother() throws {
        // «ё» written as «е» + a combining diaeresis: «е» alone must not match its first half.
        let decomposed = "Ваш заказ уже при\u{0435}\u{0308}м."
        #expect(try ContentFormatFixtures.evaluate("contains", ["value": "прие"], decomposed).passed == false)
        #expect(try ContentFormatFixtures.evaluate("contains", ["value": "приём"], decomposed) == .pass)
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("contains", [:])
                == "check 'contains' needs option 'value' (a string)")
        #expect(
            ContentFormatFixtures.configurationError("contains", ["value": ""])
                == "option 'value' of check 'contains' must not be empty")
        #expect(
            ContentFormatFixtures.configurationError("contains", ["value": ["a", "b"]])
                == "option 'value' of check 'contains' expects a string, found array"
        )
        #expect(
            ContentFormatFixtures.configurationError("contains", ["value": "a", "ignore_case": "yes"])
                == "option 'ignore_case' of check 'contains' expects true or false, found string"
        )
        #expect(
            ContentFormatFixtures.configurationError("contains", ["valeu": "a", "value": "a"])
                == #"unknown field "valeu" in check 'contains'; did you mean 'value'?"#)
    }
}
