import EvalCore
import Scoring
import Testing

@Suite struct IFEvalFormatTests {
    @Test func placeholdersAreSquareBracketsOnOneLine() throws {
        let options: [String: JSONValue] = ["num_placeholders": 2]
        #expect(
            try IFEvalFixtures.passes("detectable_content:number_placeholders", options, "Dear [name], at [address]."))
        #expect(
            try IFEvalFixtures.outcome(
                "detectable_content:number_placeholders", options, "Dear [name], see [the\nnext] line."
            ).findings == [
                Finding(
                    ruleID: "ifeval.detectable_content.number_placeholders",
                    message: "has 1 placeholder in square brackets, expected at least 2", text: "[...]")
            ])
        #expect(
            IFEvalFixtures.configurationError("detectable_content:number_placeholders", ["num_placeholders": "2"])
                == "option 'num_placeholders' of check 'ifeval:detectable_content:number_placeholders' expects an integer, found string"
        )
    }

    @Test func postscriptMarkers() throws {
        #expect(
            try IFEvalFixtures.passes(
                "detectable_content:postscript", ["postscript_marker": "P.S."], "Bye.\n\np. s. See you"))
        #expect(
            try IFEvalFixtures.passes(
                "detectable_content:postscript", ["postscript_marker": "P.P.S"], "Bye.\nP.P.S. Later"))
        #expect(
            try IFEvalFixtures.passes(
                "detectable_content:postscript", ["postscript_marker": "Note:"], "Bye.\nnote: later"))
        #expect(
            try IFEvalFixtures.outcome("detectable_content:postscript", ["postscript_marker": "P.S."], "Bye. PS later")
                .findings == [
                    Finding(
                        ruleID: "ifeval.detectable_content.postscript",
                        message: "has no postscript starting with 'P.S.'", text: "P.S.")
                ])
        #expect(
            IFEvalFixtures.configurationError("detectable_content:postscript", [:])
                == "check 'ifeval:detectable_content:postscript' needs option 'postscript_marker' (a string)")
    }

    @Test func constrainedResponse() throws {
        #expect(try IFEvalFixtures.passes("detectable_format:constrained_response", [:], "Well... My answer is maybe."))
        #expect(try !IFEvalFixtures.passes("detectable_format:constrained_response", [:], "my answer is yes."))
    }

    @Test func jsonWithOrWithoutAFence() throws {
        #expect(try IFEvalFixtures.passes("detectable_format:json_format", [:], "```json\n{\"a\": [1, 2]}\n```"))
        #expect(try IFEvalFixtures.passes("detectable_format:json_format", [:], " [true] "))
        let answer = MarkedAnswer("```JSON\n{\"a\": 1,1️⃣}\n```")
        #expect(
            try IFEvalFixtures.outcome("detectable_format:json_format", [:], answer.text).findings == [
                answer.finding("ifeval.detectable_format.json_format", "is not valid JSON: invalid JSON", at: 1, "}")
            ])
        #expect(
            IFEvalFixtures.configurationError("detectable_format:json_format", ["schema": "x"])
                == #"unknown field "schema" in check 'ifeval:detectable_format:json_format'"#)
    }

    @Test func multipleSections() throws {
        let options: [String: JSONValue] = ["section_spliter": "SECTION", "num_sections": 2]
        #expect(
            try IFEvalFixtures.passes("detectable_format:multiple_sections", options, "SECTION 1\nIntro\nSECTION2\nEnd")
        )
        #expect(
            try IFEvalFixtures.outcome(
                "detectable_format:multiple_sections", options, "SECTION 1\nIntro\nSection 2\nEnd"
            ).findings == [
                Finding(
                    ruleID: "ifeval.detectable_format.multiple_sections",
                    message: "has 1 section marked 'SECTION N', expected at least 2", text: "SECTION 2")
            ])
        #expect(
            IFEvalFixtures.configurationError("detectable_format:multiple_sections", ["section_spliter": "Section"])
                == "check 'ifeval:detectable_format:multiple_sections' needs option 'num_sections' (an integer)")
    }

    @Test func bulletLists() throws {
        let answer = MarkedAnswer("Intro\n* one\n  - two\n**bold** line\n1️⃣* three")
        #expect(try IFEvalFixtures.passes("detectable_format:number_bullet_lists", ["num_bullets": 3], answer.text))
        #expect(
            try IFEvalFixtures.outcome("detectable_format:number_bullet_lists", ["num_bullets": 2], answer.text)
                .findings == [
                    answer.finding(
                        "ifeval.detectable_format.number_bullet_lists", "has 3 bullet points, expected exactly 2",
                        at: 1, "* three")
                ])
        #expect(try !IFEvalFixtures.passes("detectable_format:number_bullet_lists", ["num_bullets": 4], answer.text))
    }

    @Test func highlightedSections() throws {
        let options: [String: JSONValue] = ["num_highlights": 2]
        #expect(
            try IFEvalFixtures.passes("detectable_format:number_highlighted_sections", options, "*one* and **two**"))
        #expect(
            try !IFEvalFixtures.passes(
                "detectable_format:number_highlighted_sections", options, "*one* and * * and *\nbroken*"))
        #expect(
            try IFEvalFixtures.outcome("detectable_format:number_highlighted_sections", options, "plain").findings.map(
                \.message)
                == ["has 0 highlighted sections, expected at least 2"])
    }

    @Test func titles() throws {
        #expect(try IFEvalFixtures.passes("detectable_format:title", [:], "<<Poem of Joy>>\nText"))
        #expect(try !IFEvalFixtures.passes("detectable_format:title", [:], "<< >> and <<\nsplit>>"))
        #expect(
            try IFEvalFixtures.outcome("detectable_format:title", [:], "No title").findings == [
                Finding(
                    ruleID: "ifeval.detectable_format.title", message: "has no title in double angular brackets",
                    text: "<<title>>")
            ])
    }
}
