import EvalCore
import Scoring
import Testing

@Suite struct ContentContainsAllCheckTests {
    let answer = """
        **Коротко:** заказ в пути.
        **Подробно:** посылка передана курьеру.
        """

    @Test func passesWhenEveryValueIsThere() throws {
        #expect(
            try ContentFormatFixtures.evaluate("contains-all", ["values": ["Коротко", "Подробно"]], answer) == .pass)
        #expect(
            try ContentFormatFixtures.evaluate(
                "contains-all", ["values": ["order", "courier"]], "Your order is with the courier.")
                == .pass
        )
    }

    @Test func oneFindingPerMissingValue() throws {
        let outcome = try ContentFormatFixtures.evaluate(
            "contains-all",
            ["values": ["Коротко", "Следующий шаг", "Подробно", "Итог"]],
            answer
        )
        #expect(
            outcome
                == CheckOutcome(
                    passed: false,
                    findings: [
                        Finding(
                            ruleID: "content.contains-all", message: "missing expected text 'Следующий шаг'",
                            text: "Следующий шаг"),
                        Finding(ruleID: "content.contains-all", message: "missing expected text 'Итог'", text: "Итог"),
                    ]
                )
        )
    }

    @Test func ignoreCase() throws {
        #expect(
            try ContentFormatFixtures.evaluate("contains-all", ["values": ["коротко", "ПОДРОБНО"]], answer).findings
                .count == 2)
        #expect(
            try ContentFormatFixtures.evaluate(
                "contains-all", ["values": ["коротко", "ПОДРОБНО"], "ignore_case": true], answer)
                == .pass
        )
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("contains-all", ["value": "a"])
                == "check 'contains-all' needs option 'values' (a non-empty list of strings)"
        )
        #expect(
            ContentFormatFixtures.configurationError("contains-all", ["values": true])
                == "option 'values' of check 'contains-all' expects a string or a list of strings, found boolean"
        )
    }
}
