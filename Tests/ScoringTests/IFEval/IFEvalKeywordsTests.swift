import EvalCore
import Scoring
import Testing

@Suite struct IFEvalKeywordsTests {
    @Test func existenceFindsEveryKeywordInAnyCase() throws {
        let options: [String: JSONValue] = ["keywords": ["climate", "Energy"]]
        #expect(try IFEvalFixtures.passes("keywords:existence", options, "CLIMATE change and renewable energy."))
        // Inside words too.
        #expect(try IFEvalFixtures.passes("keywords:existence", options, "Microclimates store energy."))
        #expect(
            try IFEvalFixtures.outcome("keywords:existence", options, "Only the climate.").findings == [
                Finding(ruleID: "ifeval.keywords.existence", message: "does not mention 'Energy'", text: "Energy")
            ])
        #expect(
            IFEvalFixtures.configurationError("keywords:existence", [:])
                == "check 'ifeval:keywords:existence' needs option 'keywords' (a non-empty list of strings)")
        #expect(
            IFEvalFixtures.configurationError("keywords:existence", ["keywords": [1]])
                == "option 'keywords' of check 'ifeval:keywords:existence' expects a list of strings, found integer")
    }

    @Test func forbiddenWordsAreWholeWordsInAnyCase() throws {
        let answer = MarkedAnswer("Feel free to call. 1️⃣Reschedule anytime.")
        let options: [String: JSONValue] = ["forbidden_words": ["reschedule", "freedom"]]
        #expect(
            try IFEvalFixtures.outcome("keywords:forbidden_words", options, answer.text).findings == [
                answer.finding(
                    "ifeval.keywords.forbidden_words", "uses the forbidden word 'reschedule'", at: 1, "Reschedule")
            ])
        #expect(try IFEvalFixtures.passes("keywords:forbidden_words", options, "Rescheduled visits bring freedoms."))
        #expect(
            IFEvalFixtures.configurationError("keywords:forbidden_words", ["forbidden_words": []])
                == "check 'ifeval:keywords:forbidden_words' needs option 'forbidden_words' (a non-empty list of strings)"
        )
    }

    @Test func frequencyCountsOccurrencesInAnyCase() throws {
        let answer = MarkedAnswer("Flesh and flesh and 1️⃣FLESH.")
        let atLeast: [String: JSONValue] = ["keyword": "flesh", "frequency": 3, "relation": "at least"]
        #expect(try IFEvalFixtures.passes("keywords:frequency", atLeast, answer.text))
        #expect(
            try IFEvalFixtures.outcome("keywords:frequency", atLeast, "Flesh and bone.").findings == [
                Finding(
                    ruleID: "ifeval.keywords.frequency", message: "mentions 'flesh' 1 time, expected at least 3",
                    text: "flesh")
            ])
        let lessThan: [String: JSONValue] = ["keyword": "flesh", "frequency": 3, "relation": "less than"]
        #expect(
            try IFEvalFixtures.outcome("keywords:frequency", lessThan, answer.text).findings == [
                answer.finding(
                    "ifeval.keywords.frequency", "mentions 'flesh' 3 times, expected less than 3", at: 1, "FLESH")
            ])
        #expect(
            IFEvalFixtures.configurationError(
                "keywords:frequency", ["keyword": "  ", "frequency": 1, "relation": "at least"])
                == "option 'keyword' of check 'ifeval:keywords:frequency' must not be empty")
    }

    @Test func letterFrequencyCountsEitherCase() throws {
        let answer = MarkedAnswer("Lil1️⃣ly loves lemons")  // the third l is the first one too many
        let options: [String: JSONValue] = ["letter": "l", "let_frequency": 3, "let_relation": "less than"]
        #expect(
            try IFEvalFixtures.outcome("keywords:letter_frequency", options, answer.text).findings == [
                answer.finding("ifeval.keywords.letter_frequency", "has 5 'l', expected less than 3", at: 1, "l")
            ])
        #expect(
            try IFEvalFixtures.passes(
                "keywords:letter_frequency", ["letter": "L", "let_frequency": 5, "let_relation": "at least"],
                answer.text))
        // Not a letter: the reference draws a random letter instead; here the character itself is counted.
        #expect(
            try IFEvalFixtures.passes(
                "keywords:letter_frequency", ["letter": "#", "let_frequency": 2, "let_relation": "at least"], "#a #b"))
        #expect(
            IFEvalFixtures.configurationError(
                "keywords:letter_frequency", ["letter": "ab", "let_frequency": 1, "let_relation": "at least"])
                == "option 'letter' of check 'ifeval:keywords:letter_frequency' expects one letter, found 'ab'")
        #expect(
            IFEvalFixtures.configurationError("keywords:letter_frequency", ["letter": "a", "let_frequency": 1])
                == "check 'ifeval:keywords:letter_frequency' needs option 'let_relation' (one of 'less than', 'at least')"
        )
    }
}
