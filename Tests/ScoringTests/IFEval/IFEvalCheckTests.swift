import EvalCore
import Scoring
import Testing

/// What every IFEval check shares: names, rule ids, the mode option, loose variants, empty answers.
@Suite struct IFEvalCheckTests {
    @Test func all25InstructionsAreRegisteredUnderTheirIDs() {
        let names = CheckRegistry.standard.names.filter { $0.hasPrefix("ifeval:") }
        #expect(names.count == 25)
        #expect(names.contains("ifeval:punctuation:no_comma"))
        #expect(names.contains("ifeval:language:response_language"))
        #expect(IFEvalInstructions.checks.map { $0.type }.sorted() == names)
        #expect(IFEvalInstructions.isIFEval("ifeval:startend:quotation"))
        #expect(!IFEvalInstructions.isIFEval("length"))
        #expect(IFEvalNoComma.ruleID == "ifeval.punctuation.no_comma")
    }

    @Test func modeIsStrictOrLoose() throws {
        #expect(
            IFEvalFixtures.configurationError("punctuation:no_comma", ["mode": "lenient"])
                == "option 'mode' of check 'ifeval:punctuation:no_comma' expects one of 'strict', 'loose', found 'lenient'"
        )
        #expect(
            IFEvalFixtures.configurationError("punctuation:no_comma", ["mode": 1])
                == "option 'mode' of check 'ifeval:punctuation:no_comma' expects a string, found integer")
        #expect(
            IFEvalFixtures.configurationError("punctuation:no_comma", ["commas": 0])
                == #"unknown field "commas" in check 'ifeval:punctuation:no_comma'"#)
        #expect(IFEvalFixtures.configurationError("punctuation:no_comma", ["mode": "loose"]) == nil)
    }

    @Test func looseForgivesAFirstLineALastLineAndAsterisks() throws {
        let answer = "Sure, here it is:\nNo commas here at all\nHope that helps, bye"
        #expect(try !IFEvalFixtures.passes("punctuation:no_comma", [:], answer))
        #expect(try IFEvalFixtures.passes("punctuation:no_comma", ["mode": "loose"], answer))
        let failing = try IFEvalFixtures.outcome(
            "punctuation:no_comma", ["mode": "loose"], "One, two\nthree, four\nfive, six")
        // The evidence is in the answer as it is: every variant failed, this one included.
        #expect(
            failing.findings == [
                Finding(
                    ruleID: "ifeval.punctuation.no_comma", message: "has 3 commas", span: TextSpan(start: 3, end: 4),
                    text: ",")
            ])
        // `*` removed: emphasis around a quoted answer is forgiven.
        #expect(try !IFEvalFixtures.passes("startend:quotation", [:], "*\"Hello there\"*"))
        #expect(try IFEvalFixtures.passes("startend:quotation", ["mode": "loose"], "*\"Hello there\"*"))
        #expect(
            IFEvalCheck<IFEvalNoComma>.looseVariants(of: "first\n*mid*\n last ") == [
                "first\n*mid*\n last ", "first\nmid\n last ", "*mid*\n last", "first\n*mid*", "*mid*", "mid\n last",
                "first\nmid", "mid",
            ])
    }

    @Test func anEmptyAnswerFollowsNoInstruction() throws {
        for mode in ["strict", "loose"] {
            let outcome = try IFEvalFixtures.outcome("punctuation:no_comma", ["mode": .string(mode)], "  \n ")
            #expect(outcome == .fail(Finding(ruleID: "ifeval.punctuation.no_comma", message: "the answer is empty")))
        }
    }

    @Test func relationsAreLessThanOrAtLeast() {
        #expect(
            IFEvalFixtures.configurationError(
                "length_constraints:number_words", ["num_words": 10, "relation": "at most"])
                == "option 'relation' of check 'ifeval:length_constraints:number_words' expects one of 'less than', 'at least', found 'at most'"
        )
        #expect(
            IFEvalFixtures.configurationError("length_constraints:number_words", ["num_words": 10])
                == "check 'ifeval:length_constraints:number_words' needs option 'relation' (one of 'less than', 'at least')"
        )
        #expect(
            IFEvalFixtures.configurationError("length_constraints:number_words", ["relation": "at least"])
                == "check 'ifeval:length_constraints:number_words' needs option 'num_words' (an integer)")
        #expect(
            IFEvalFixtures.configurationError(
                "length_constraints:number_words", ["num_words": "ten", "relation": "at least"])
                == "option 'num_words' of check 'ifeval:length_constraints:number_words' expects an integer, found string"
        )
        #expect(
            IFEvalFixtures.configurationError(
                "length_constraints:number_words", ["num_words": -1, "relation": "at least"])
                == "option 'num_words' of check 'ifeval:length_constraints:number_words' must be at least 0, found -1")
        #expect(
            IFEvalFixtures.configurationError(
                "length_constraints:number_words", ["num_words": .null, "relation": "at least"])
                == "check 'ifeval:length_constraints:number_words' needs option 'num_words' (an integer)")
    }
}
