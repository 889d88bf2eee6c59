import EvalCore
import Scoring
import Testing

@Suite struct IFEvalLengthTests {
    @Test func wordsAreRunsOfLettersDigitsAndUnderscores() throws {
        let answer = MarkedAnswer("Don't stop: 3 1️⃣snake_case words, ok?")
        let lessThan: [String: JSONValue] = ["num_words": 5, "relation": "less than"]
        // 7 words (Don, t, stop, 3, snake_case, words, ok): the excess runs from the 5th word to the last.
        #expect(
            try IFEvalFixtures.outcome("length_constraints:number_words", lessThan, answer.text).findings == [
                answer.finding(
                    "ifeval.length_constraints.number_words", "has 7 words, expected less than 5", at: 1,
                    "snake_case words, ok")
            ])
        #expect(
            try IFEvalFixtures.passes(
                "length_constraints:number_words", ["num_words": 7, "relation": "at least"], answer.text))
        #expect(
            try !IFEvalFixtures.passes(
                "length_constraints:number_words", ["num_words": 8, "relation": "at least"], answer.text))
    }

    @Test func sentencesAsPunktCountsThem() throws {
        let count: (String) throws -> Bool = { text in
            try IFEvalFixtures.passes(
                "length_constraints:number_sentences", ["num_sentences": 3, "relation": "less than"], text)
        }
        #expect(try count("One. Two!"))
        #expect(try !count("One. Two! Three?"))
        // Abbreviations do not end sentences.
        #expect(try count("Dr. Smith met Mr. Jones, e.g. at noon. Then he left."))
        #expect(try count("1. affordable kits: cheap.\n2. mobile clinics: useful."))  // "1." before a lowercase word
        #expect(try count("# Title\n- item one\n- item two"))  // line breaks alone never end a sentence
        #expect(try count("He said \"Stop.\" She stopped."))
        #expect(try count("Pi is 3.14 today. Yes."))
        let answer = MarkedAnswer("One. Two. 1️⃣Three. Four.")
        #expect(
            try IFEvalFixtures.outcome(
                "length_constraints:number_sentences", ["num_sentences": 3, "relation": "less than"], answer.text
            ).findings == [
                answer.finding(
                    "ifeval.length_constraints.number_sentences", "has 4 sentences, expected less than 3", at: 1,
                    "Three. Four.")
            ])
        #expect(
            IFEvalFixtures.configurationError(
                "length_constraints:number_sentences", ["num_sentences": 2.5, "relation": "at least"])
                == "option 'num_sentences' of check 'ifeval:length_constraints:number_sentences' expects an integer, found number"
        )
    }

    @Test func paragraphsAreSeparatedByThreeAsterisks() throws {
        let options: [String: JSONValue] = ["num_paragraphs": 2]
        #expect(
            try IFEvalFixtures.passes("length_constraints:number_paragraphs", options, "First.\n***\nSecond.\n***\n"))
        let answer = MarkedAnswer("First.\n***\nSecond.\n***\n1️⃣Third.")
        #expect(
            try IFEvalFixtures.outcome("length_constraints:number_paragraphs", options, answer.text).findings == [
                answer.finding(
                    "ifeval.length_constraints.number_paragraphs", "has 3 paragraphs separated by '***', expected 2",
                    at: 1, "Third.")
            ])
        #expect(
            try IFEvalFixtures.outcome("length_constraints:number_paragraphs", options, "First.\n***\n\n***\nSecond.")
                .findings.map(\.message)
                == ["has an empty paragraph between two '***' dividers"])
        #expect(
            IFEvalFixtures.configurationError("length_constraints:number_paragraphs", [:])
                == "check 'ifeval:length_constraints:number_paragraphs' needs option 'num_paragraphs' (an integer)")
    }

    @Test func nthParagraphFirstWord() throws {
        let options: [String: JSONValue] = ["num_paragraphs": 3, "nth_paragraph": 2, "first_word": "Summary"]
        #expect(
            try IFEvalFixtures.passes(
                "length_constraints:nth_paragraph_first_word", options, "Intro.\n\n\"Summary, first.\n\nEnd."))
        let answer = MarkedAnswer("Intro.\n\n1️⃣Overview: first.\n\nEnd.")
        #expect(
            try IFEvalFixtures.outcome("length_constraints:nth_paragraph_first_word", options, answer.text).findings
                == [
                    answer.finding(
                        "ifeval.length_constraints.nth_paragraph_first_word",
                        "paragraph 2 starts with 'Overview:', expected 'summary'", at: 1, "Overview:")
                ])
        #expect(
            try IFEvalFixtures.outcome("length_constraints:nth_paragraph_first_word", options, "Intro.\n\nSummary.")
                .findings.map(\.message)
                == ["has 2 paragraphs separated by blank lines, expected 3"])
        #expect(
            IFEvalFixtures.configurationError(
                "length_constraints:nth_paragraph_first_word",
                ["num_paragraphs": 2, "nth_paragraph": 3, "first_word": "a"])
                == "option 'nth_paragraph' of check 'ifeval:length_constraints:nth_paragraph_first_word' (3) is more than option 'num_paragraphs' (2)"
        )
        #expect(
            IFEvalFixtures.configurationError(
                "length_constraints:nth_paragraph_first_word", ["num_paragraphs": 2, "nth_paragraph": 1])
                == "check 'ifeval:length_constraints:nth_paragraph_first_word' needs option 'first_word' (a string)")
    }
}
