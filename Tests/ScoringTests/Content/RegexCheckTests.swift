import EvalCore
import Scoring
import Testing

@Suite struct ContentRegexCheckTests {
    @Test func passesWhenSomePartMatches() throws {
        let options: [String: JSONValue] = ["pattern": #"заказ №\d{6}"#]
        #expect(try ContentFormatFixtures.evaluate("regex", options, "Ваш заказ №123456 в пути.") == .pass)
        #expect(
            try ContentFormatFixtures.evaluate(
                "regex", ["pattern": #"(?m)^Next step:"#], "Summary: ok\nNext step: wait") == .pass)
    }

    @Test func failsWithThePattern() throws {
        let outcome = try ContentFormatFixtures.evaluate(
            "regex", ["pattern": #"заказ №\d{6}"#], "Ваш заказ №12345 в пути.")
        #expect(
            outcome
                == .fail(
                    Finding(
                        ruleID: "content.regex", message: #"no match for pattern 'заказ №\d{6}'"#,
                        text: #"заказ №\d{6}"#))
        )
        // Without (?m), ^ is the start of the answer.
        #expect(
            try ContentFormatFixtures.evaluate("regex", ["pattern": "^Next step:"], "Summary: ok\nNext step: wait")
                .passed == false)
    }

    @Test func ignoreCaseKnowsCyrillic() throws {
        #expect(try ContentFormatFixtures.evaluate("regex", ["pattern": "коротко:"], "КОРОТКО: да").passed == false)
        #expect(
            try ContentFormatFixtures.evaluate("regex", ["pattern": "коротко:", "ignore_case": true], "КОРОТКО: да")
                == .pass)
        #expect(try ContentFormatFixtures.evaluate("regex", [#"pattern"#: #"^\w+:"#], "Коротко: да") == .pass)
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("regex", [:]) == "check 'regex' needs option 'pattern' (a string)")
        #expect(
            ContentFormatFixtures.configurationError("regex", ["pattern": "(заказ"])
                == "option 'pattern' of check 'regex' is not a valid regular expression '(заказ': expected ')'"
        )
        #expect(
            ContentFormatFixtures.configurationError("regex", ["pattern": "a{2,1}"])
                == "option 'pattern' of check 'regex' is not a valid regular expression 'a{2,1}': "
                + "range lower bound '2' must be less than or equal to upper bound '1'"
        )
    }
}
