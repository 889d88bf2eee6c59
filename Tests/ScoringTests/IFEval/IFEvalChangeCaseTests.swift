import EvalCore
import Scoring
import Testing

@Suite struct IFEvalChangeCaseTests {
    @Test func capitalWordsAreCountedAfterTreebankSplitting() throws {
        let atLeast: (Int) -> [String: JSONValue] = {
            ["capital_frequency": .int(Int64($0)), "capital_relation": "at least"]
        }
        // DON'T → DO + N'T; I'm → I; COVID-19 and **NOTE are one word each; "Ok" is not capitals.
        let text = "DON'T panic. I'm fine, COVID-19 **NOTE: Ok"
        #expect(try IFEvalFixtures.passes("change_case:capital_word_frequency", atLeast(5), text))
        #expect(try !IFEvalFixtures.passes("change_case:capital_word_frequency", atLeast(6), text))
        let answer = MarkedAnswer("AN APPLE 1️⃣A DAY")
        #expect(
            try IFEvalFixtures.outcome(
                "change_case:capital_word_frequency", ["capital_frequency": 3, "capital_relation": "less than"],
                answer.text
            ).findings == [
                answer.finding(
                    "ifeval.change_case.capital_word_frequency", "has 4 capitalized words, expected less than 3", at: 1,
                    "A")
            ])
        #expect(
            IFEvalFixtures.configurationError(
                "change_case:capital_word_frequency", ["capital_frequency": 3, "capital_relation": "at most"])
                == "option 'capital_relation' of check 'ifeval:change_case:capital_word_frequency' expects one of 'less than', 'at least', found 'at most'"
        )
    }

    @Test func englishCapitalLetters() throws {
        #expect(
            try IFEvalFixtures.passes(
                "change_case:english_capital", [:], "THE WEATHER IS NICE TODAY, LET'S GO TO THE BEACH."))
        let answer = MarkedAnswer("THE WEATHER IS 1️⃣Nice TODAY.")
        #expect(
            try IFEvalFixtures.outcome("change_case:english_capital", [:], answer.text).findings == [
                answer.finding(
                    "ifeval.change_case.english_capital", "is not all capital letters: 'Nice'", at: 1, "Nice")
            ])
        // All capitals but not English: a word in capitals shows only its first letter to the identifier (as in
        // langdetect), and "YES" alone is not enough to call it English.
        #expect(
            try IFEvalFixtures.outcome(
                "change_case:english_capital", [:],
                "DAS WETTER IST HEUTE SCHÖN, WIR GEHEN ZUM STRAND UND SCHWIMMEN IM MEER."
            ).passed == false)
        #expect(try !IFEvalFixtures.passes("change_case:english_capital", [:], "YES"))
    }

    @Test func englishLowercase() throws {
        #expect(try IFEvalFixtures.passes("change_case:english_lowercase", [:], "what are the two young boys holding?"))
        let answer = MarkedAnswer("what are the 1️⃣Two boys holding?")
        #expect(
            try IFEvalFixtures.outcome("change_case:english_lowercase", [:], answer.text).findings == [
                answer.finding("ifeval.change_case.english_lowercase", "is not all lowercase: 'Two'", at: 1, "Two")
            ])
        #expect(
            try IFEvalFixtures.outcome(
                "change_case:english_lowercase", [:], "das wetter ist heute schön und wir gehen zum strand."
            ).findings == [
                Finding(
                    ruleID: "ifeval.change_case.english_lowercase", message: "is in 'de', expected 'en'", text: "en")
            ])
    }
}
