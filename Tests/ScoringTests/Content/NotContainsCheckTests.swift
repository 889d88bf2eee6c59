import EvalCore
import Scoring
import Testing

@Suite struct ContentNotContainsCheckTests {
    @Test func passesWithoutForbiddenText() throws {
        #expect(try ContentFormatFixtures.evaluate("not-contains", ["value": "гарантия"], "Заказ в пути.") == .pass)
        #expect(
            try ContentFormatFixtures.evaluate(
                "not-contains", ["values": ["guarantee", "refund"]], "Your order is on its way.") == .pass)
    }

    @Test func reportsEveryOccurrenceWithItsSpan() throws {
        let answer = MarkedAnswer("Это 1️⃣гарантия качества. Мы даём 2️⃣гарантия возврата — 3️⃣100% результат.")
        let outcome = try ContentFormatFixtures.evaluate("not-contains", ["values": ["100%", "гарантия"]], answer.text)
        #expect(
            outcome.findings == [
                answer.finding("content.not-contains", "contains forbidden text 'гарантия'", at: 1, "гарантия"),
                answer.finding("content.not-contains", "contains forbidden text 'гарантия'", at: 2, "гарантия"),
                answer.finding("content.not-contains", "contains forbidden text '100%'", at: 3, "100%"),
            ]
        )
        #expect(!outcome.passed)
    }

    @Test func ignoreCaseReportsTheAnswersOwnText() throws {
        let answer = MarkedAnswer("1️⃣ГАРАНТИЯ! We 2️⃣Guarantee it.")
        let options: [String: JSONValue] = ["values": ["гарантия", "guarantee"], "ignore_case": true]
        #expect(
            try ContentFormatFixtures.evaluate("not-contains", options, answer.text).findings == [
                answer.finding("content.not-contains", "contains forbidden text 'ГАРАНТИЯ'", at: 1, "ГАРАНТИЯ"),
                answer.finding("content.not-contains", "contains forbidden text 'Guarantee'", at: 2, "Guarantee"),
            ]
        )
        #expect(try ContentFormatFixtures.evaluate("not-contains", ["value": "гарантия"], answer.text) == .pass)
    }

    @Test func aMatchInsideALongerOneIsReportedOnce() throws {
        let answer = MarkedAnswer("Это 1️⃣гарантия, а не 2️⃣гарант.")
        #expect(
            try ContentFormatFixtures.evaluate("not-contains", ["values": ["гарант", "гарантия"]], answer.text).findings
                == [
                    answer.finding("content.not-contains", "contains forbidden text 'гарантия'", at: 1, "гарантия"),
                    answer.finding("content.not-contains", "contains forbidden text 'гарант'", at: 2, "гарант"),
                ]
        )
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("not-contains", [:])
                == "check 'not-contains' needs option 'value' or 'values' (a string or a non-empty list of strings)"
        )
        #expect(
            ContentFormatFixtures.configurationError("not-contains", ["value": "a", "values": ["b"]])
                == "check 'not-contains' takes option 'value' or 'values', not both"
        )
        #expect(
            ContentFormatFixtures.configurationError("not-contains", ["values": 3])
                == "option 'values' of check 'not-contains' expects a string or a list of strings, found integer"
        )
    }
}
