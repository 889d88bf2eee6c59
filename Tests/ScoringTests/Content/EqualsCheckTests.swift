import EvalCore
import Scoring
import Testing

@Suite struct ContentEqualsCheckTests {
    @Test func normalizesWhitespaceByDefault() throws {
        #expect(
            try ContentFormatFixtures.evaluate("equals", ["value": "Да, заказ в пути"], "  Да,   заказ\nв пути \n")
                == .pass)
        #expect(try ContentFormatFixtures.evaluate("equals", ["value": "Yes"], "Yes\n") == .pass)
        let strict: [String: JSONValue] = ["value": "Yes", "normalize_whitespace": false]
        #expect(try ContentFormatFixtures.evaluate("equals", strict, "Yes\n").passed == false)
        #expect(try ContentFormatFixtures.evaluate("equals", strict, "Yes") == .pass)
    }

    @Test func failsWithWhatWasFound() throws {
        let outcome = try ContentFormatFixtures.evaluate(
            "equals", ["value": "Да"], "Нет, к сожалению.\nЗаказ задерживается.")
        #expect(
            outcome
                == .fail(
                    Finding(
                        ruleID: "content.equals",
                        message: #"expected 'Да', found 'Нет, к сожалению.\nЗаказ задерживается.'"#,
                        text: "Да"
                    )
                )
        )
    }

    @Test func ignoreCaseAndStripPunctuation() throws {
        #expect(try ContentFormatFixtures.evaluate("equals", ["value": "да"], "ДА").passed == false)
        #expect(try ContentFormatFixtures.evaluate("equals", ["value": "да", "ignore_case": true], "ДА") == .pass)
        #expect(try ContentFormatFixtures.evaluate("equals", ["value": "Да"], "«Да!»").passed == false)
        #expect(
            try ContentFormatFixtures.evaluate("equals", ["value": "Да", "strip_punctuation": true], "«Да!»") == .pass)
        let loose: [String: JSONValue] = ["value": "yes it is", "strip_punctuation": true, "ignore_case": true]
        #expect(try ContentFormatFixtures.evaluate("equals", loose, "Yes, it is.") == .pass)
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("equals", [:]) == "check 'equals' needs option 'value' (a string)")
        #expect(
            ContentFormatFixtures.configurationError("equals", ["value": "Да", "normalize_whitespace": "no"])
                == "option 'normalize_whitespace' of check 'equals' expects true or false, found string"
        )
    }
}
