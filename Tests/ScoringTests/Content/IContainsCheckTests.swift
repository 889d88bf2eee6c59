import EvalCore
import Scoring
import Testing

@Suite struct ContentIContainsCheckTests {
    @Test func matchesInAnyCase() throws {
        #expect(
            try ContentFormatFixtures.evaluate("icontains", ["value": "Коротко"], "**КОРОТКО:** заказ в пути.") == .pass
        )
        #expect(
            try ContentFormatFixtures.evaluate("icontains", ["value": "коротко"], "Коротко: заказ в пути.") == .pass)
        #expect(
            try ContentFormatFixtures.evaluate("icontains", ["value": "Next Step"], "NEXT STEP: wait for the courier.")
                == .pass)
        #expect(try ContentFormatFixtures.evaluate("icontains", ["value": "ёлка"], "ЁЛКА") == .pass)
    }

    @Test func failsWithTheExpectedText() throws {
        let outcome = try ContentFormatFixtures.evaluate(
            "icontains", ["value": "Следующий шаг"], "**Коротко:** заказ в пути.")
        #expect(
            outcome
                == .fail(
                    Finding(
                        ruleID: "content.icontains",
                        message: "missing expected text 'Следующий шаг' in any case",
                        text: "Следующий шаг"
                    )
                )
        )
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("icontains", [:])
                == "check 'icontains' needs option 'value' (a string)")
        #expect(
            ContentFormatFixtures.configurationError("icontains", ["value": "a", "ignore_case": false])
                == #"unknown field "ignore_case" in check 'icontains'"#
        )
    }
}
