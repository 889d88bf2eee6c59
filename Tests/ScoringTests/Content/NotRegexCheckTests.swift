import EvalCore
import Scoring
import Testing

@Suite struct ContentNotRegexCheckTests {
    let pattern = #"за \d+ (дня|дней|день)"#

    @Test func passesWithoutAMatch() throws {
        #expect(
            try ContentFormatFixtures.evaluate("not-regex", ["pattern": .string(pattern)], "Сроки уточнит курьер.")
                == .pass)
        #expect(
            try ContentFormatFixtures.evaluate("not-regex", ["pattern": #"\bguarantee"#], "We will do our best.")
                == .pass)
    }

    @Test func reportsEveryMatchWithItsSpan() throws {
        let answer = MarkedAnswer("Вернём деньги 1️⃣за 3 дня, а товар доставим 2️⃣за 10 дней.")
        let outcome = try ContentFormatFixtures.evaluate("not-regex", ["pattern": .string(pattern)], answer.text)
        #expect(
            outcome.findings == [
                answer.finding(
                    "content.not-regex", "forbidden pattern '\(pattern)' matches 'за 3 дня'", at: 1, "за 3 дня"),
                answer.finding(
                    "content.not-regex", "forbidden pattern '\(pattern)' matches 'за 10 дней'", at: 2, "за 10 дней"),
            ]
        )
    }

    @Test func ignoreCaseInEnglish() throws {
        let answer = MarkedAnswer("1️⃣Guaranteed delivery, we 2️⃣guarantee it.")
        let options: [String: JSONValue] = ["pattern": #"guarantee\w*"#, "ignore_case": true]
        #expect(
            try ContentFormatFixtures.evaluate("not-regex", options, answer.text).findings == [
                answer.finding(
                    "content.not-regex", #"forbidden pattern 'guarantee\w*' matches 'Guaranteed'"#, at: 1, "Guaranteed"),
                answer.finding(
                    "content.not-regex", #"forbidden pattern 'guarantee\w*' matches 'guarantee'"#, at: 2, "guarantee"),
            ]
        )
    }

    @Test func emptyMatchesAreNotEvidence() throws {
        #expect(try ContentFormatFixtures.evaluate("not-regex", ["pattern": "x*"], "Заказ в пути.") == .pass)
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("not-regex", ["pattern": "[я-а]"])
                == "option 'pattern' of check 'not-regex' is not a valid regular expression '[я-а]': "
                + "character 'я' must compare less than or equal to 'а'"
        )
        #expect(
            ContentFormatFixtures.configurationError("not-regex", ["pattern": ""])
                == "option 'pattern' of check 'not-regex' must not be empty")
    }
}
