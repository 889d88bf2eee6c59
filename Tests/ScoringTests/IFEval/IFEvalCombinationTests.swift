import EvalCore
import Scoring
import Testing

@Suite struct IFEvalCombinationTests {
    @Test func repeatPromptWordForWord() throws {
        let options: [String: JSONValue] = ["prompt_to_repeat": "Write a poem about cats."]
        #expect(
            try IFEvalFixtures.passes("combination:repeat_prompt", options, "  write a POEM about cats.\n\nCats purr."))
        let answer = MarkedAnswer("Write a 1️⃣song about cats.")
        #expect(
            try IFEvalFixtures.outcome("combination:repeat_prompt", options, answer.text).findings == [
                answer.finding(
                    "ifeval.combination.repeat_prompt", "does not start by repeating the request word for word", at: 1,
                    "song")
            ])
        #expect(
            IFEvalFixtures.configurationError("combination:repeat_prompt", [:])
                == "check 'ifeval:combination:repeat_prompt' needs option 'prompt_to_repeat' (a string)")
    }

    @Test func twoDifferentResponses() throws {
        #expect(try IFEvalFixtures.passes("combination:two_responses", [:], "Yes.\n******\nNo."))
        #expect(
            try IFEvalFixtures.outcome("combination:two_responses", [:], "Yes.\n******\n Yes. ").findings.map(\.message)
                == ["gives the same answer twice"])
        #expect(
            try IFEvalFixtures.outcome("combination:two_responses", [:], "A\n******\nB\n******\nC").findings.map(
                \.message)
                == ["has 3 answers separated by '******', expected 2"])
        #expect(
            try IFEvalFixtures.outcome("combination:two_responses", [:], "A\n******\n\n******\nB").findings.map(
                \.message)
                == ["has an empty answer between two '******' separators"])
    }

    @Test func endPhrase() throws {
        let options: [String: JSONValue] = ["end_phrase": "Any other questions?"]
        #expect(try IFEvalFixtures.passes("startend:end_checker", options, "\"Done. any other questions?\"\n"))
        let answer = MarkedAnswer("Done.\n1️⃣Any other questions? Thanks")
        #expect(
            try IFEvalFixtures.outcome("startend:end_checker", options, answer.text).findings == [
                answer.finding(
                    "ifeval.startend.end_checker", "does not end with 'Any other questions?'", at: 1,
                    "Any other questions? Thanks")
            ])
        #expect(
            IFEvalFixtures.configurationError("startend:end_checker", ["end_phrase": ""])
                == "option 'end_phrase' of check 'ifeval:startend:end_checker' must not be empty")
    }

    @Test func quotation() throws {
        #expect(try IFEvalFixtures.passes("startend:quotation", [:], "  \"All of it.\"\n"))
        #expect(try !IFEvalFixtures.passes("startend:quotation", [:], "\""))
        let answer = MarkedAnswer("\"Almost.1️⃣”")
        #expect(
            try IFEvalFixtures.outcome("startend:quotation", [:], answer.text).findings == [
                answer.finding("ifeval.startend.quotation", "is not wrapped in double quotation marks", at: 1, "”")
            ])
    }

    @Test func noComma() throws {
        #expect(try IFEvalFixtures.passes("punctuation:no_comma", [:], "No commas here; none。"))
        let answer = MarkedAnswer("One1️⃣, two, three")
        #expect(
            try IFEvalFixtures.outcome("punctuation:no_comma", [:], answer.text).findings == [
                answer.finding("ifeval.punctuation.no_comma", "has 2 commas", at: 1, ",")
            ])
    }
}
