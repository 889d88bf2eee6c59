import EvalCore
import Scoring
import Testing

@Suite struct ContentContainsAnyCheckTests {
    @Test func passesWhenAnyValueIsThere() throws {
        let options: [String: JSONValue] = ["values": ["Коротко", "Кратко", "Summary"]]
        #expect(try ContentFormatFixtures.evaluate("contains-any", options, "Кратко: заказ в пути.") == .pass)
        #expect(
            try ContentFormatFixtures.evaluate("contains-any", options, "Summary: the order is on its way.") == .pass)
        // A single string is a list of one.
        #expect(try ContentFormatFixtures.evaluate("contains-any", ["values": "Кратко"], "Кратко: да") == .pass)
    }

    @Test func failsWhenNoneIsThere() throws {
        let outcome = try ContentFormatFixtures.evaluate(
            "contains-any",
            ["values": ["Коротко", "Кратко"]],
            "КОРОТКО: заказ в пути."
        )
        #expect(
            outcome
                == .fail(
                    Finding(
                        ruleID: "content.contains-any",
                        message: "missing all of the expected texts 'Коротко', 'Кратко'",
                        text: "Коротко\nКратко"
                    )
                )
        )
    }

    @Test func ignoreCase() throws {
        let options: [String: JSONValue] = ["values": ["Коротко", "Кратко"], "ignore_case": true]
        #expect(try ContentFormatFixtures.evaluate("contains-any", options, "КОРОТКО: заказ в пути.") == .pass)
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("contains-any", [:])
                == "check 'contains-any' needs option 'values' (a non-empty list of strings)"
        )
        #expect(
            ContentFormatFixtures.configurationError("contains-any", ["values": []])
                == "check 'contains-any' needs option 'values' (a non-empty list of strings)"
        )
        #expect(
            ContentFormatFixtures.configurationError("contains-any", ["values": ["a", 1]])
                == "option 'values' of check 'contains-any' expects a list of strings, found integer"
        )
        #expect(
            ContentFormatFixtures.configurationError("contains-any", ["values": ["a", ""]])
                == "option 'values' of check 'contains-any' must not contain an empty string"
        )
    }
}
