import EvalCore
import Scoring
import Testing

@Suite struct ContentIdealCheckTests {
    let ideal = "Заказ в пути, курьер привезёт его завтра."

    @Test func normalizedByDefault() throws {
        #expect(
            try ContentFormatFixtures.evaluate("ideal", [:], "заказ в пути  курьер привезёт его завтра", ideal: ideal)
                == .pass)
        #expect(
            try ContentFormatFixtures.evaluate("ideal", [:], "The order ships TODAY!", ideal: "the order ships today")
                == .pass)
        let outcome = try ContentFormatFixtures.evaluate("ideal", [:], "Заказ в пути.", ideal: ideal)
        #expect(
            outcome
                == .fail(
                    Finding(
                        ruleID: "content.ideal",
                        message: "differs from the ideal answer 'Заказ в пути, курьер привезёт его завтра.'",
                        text: ideal
                    )
                )
        )
    }

    @Test func exact() throws {
        #expect(try ContentFormatFixtures.evaluate("ideal", ["match": "exact"], ideal, ideal: ideal) == .pass)
        #expect(
            try ContentFormatFixtures.evaluate("ideal", ["match": "exact"], ideal + "\n", ideal: ideal).passed == false)
        #expect(try ContentFormatFixtures.evaluate("ideal", ["match": "exact"], "Yes", ideal: "yes").passed == false)
    }

    @Test func contains() throws {
        let answer = "**Коротко:** заказ в пути — курьер привезёт его завтра!\n**Следующий шаг:** ждите SMS."
        #expect(try ContentFormatFixtures.evaluate("ideal", ["match": "contains"], answer, ideal: ideal) == .pass)
        let outcome = try ContentFormatFixtures.evaluate(
            "ideal", ["match": "contains"], "Order shipped.", ideal: "order delivered")
        #expect(
            outcome
                == .fail(
                    Finding(
                        ruleID: "content.ideal",
                        message: "does not contain the ideal answer 'order delivered'",
                        text: "order delivered"
                    )
                )
        )
    }

    @Test func aCaseWithoutAnIdealFails() throws {
        let outcome = try ContentFormatFixtures.evaluate("ideal", [:], "Заказ в пути.")
        #expect(outcome == .fail(Finding(ruleID: "content.ideal.absent", message: "the case has no ideal answer")))
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("ideal", ["match": "fuzzy"])
                == "option 'match' of check 'ideal' expects one of 'exact', 'normalized', 'contains', found 'fuzzy'"
        )
        #expect(
            ContentFormatFixtures.configurationError("ideal", ["value": "x"])
                == #"unknown field "value" in check 'ideal'"#)
    }

    @Test func anyOfSeveralIdealsIsAccepted() throws {
        let check = try CheckRegistry.standard.make(CheckSpec(type: "ideal"))
        let ideals = ["apple", "an apple"]
        #expect(check.evaluate(CheckInput(response: "An apple.", ideals: ideals)).passed)
        #expect(check.evaluate(CheckInput(response: "apple", ideals: ideals)).passed)
        let outcome = check.evaluate(CheckInput(response: "a pear", ideals: ideals))
        #expect(!outcome.passed)
        #expect(outcome.findings.first?.text == "apple")
    }
}
