import EvalCore
import Scoring
import Testing

@Suite struct FormatSectionsCheckTests {
    let names: JSONValue = ["Коротко", "Подробно", "Следующий шаг"]

    func sections(_ options: [String: JSONValue], _ response: String) throws -> [SectionsCheck.Section] {
        var options = CheckOptions(type: "sections", values: options)
        return try SectionsCheck(options: &options).locate(in: response)
    }

    @Test func boldLabelsWithExactSpans() throws {
        let answer = MarkedAnswer(
            """
            1️⃣**Коротко:** заказ в пути.
            2️⃣**Подробно:** посылка передана курьеру 12 марта.
            3️⃣**Следующий шаг:** дождитесь SMS с кодом.
            """
        )
        let found = try sections(["names": names], answer.text)
        #expect(
            found.map(\.span) == [
                answer.span(1, "**Коротко:**"), answer.span(2, "**Подробно:**"), answer.span(3, "**Следующий шаг:**"),
            ])
        #expect(found.map(\.text) == ["**Коротко:**", "**Подробно:**", "**Следующий шаг:**"])
        #expect(found.map(\.style) == [.bold, .bold, .bold])
        #expect(try ContentFormatFixtures.evaluate("sections", ["names": names], answer.text) == .pass)
    }

    @Test func headingsLabelsAndListItems() throws {
        let answer = MarkedAnswer(
            """
            1️⃣## Коротко
            Заказ в пути.

            - 2️⃣**Подробно**: посылка у курьера.
              3️⃣Следующий шаг: ждите SMS.
            """
        )
        let found = try sections(["names": names], answer.text)
        #expect(found.map(\.text) == ["## Коротко", "**Подробно**:", "Следующий шаг:"])
        #expect(
            found.map(\.span) == [
                answer.span(1, "## Коротко"), answer.span(2, "**Подробно**:"), answer.span(3, "Следующий шаг:"),
            ])
        #expect(found.map(\.style) == [.heading, .bold, .label])
    }

    @Test func namesMatchInAnyCaseWithNumbersAndPunctuation() throws {
        let answer = MarkedAnswer(
            """
            1️⃣### 1. КОРОТКО ###
            Заказ в пути.
            2️⃣__подробно.__
            Посылка у курьера.
            1. 3️⃣**Следующий шаг** — ждите SMS.
            """
        )
        let found = try sections(["names": names], answer.text)
        #expect(found.map(\.text) == ["### 1. КОРОТКО ###", "__подробно.__", "**Следующий шаг**"])
        #expect(
            found.map(\.span) == [
                answer.span(1, "### 1. КОРОТКО ###"), answer.span(2, "__подробно.__"),
                answer.span(3, "**Следующий шаг**"),
            ])
    }

    @Test func missingSections() throws {
        let answer = "**Коротко:** заказ в пути.\nПодробности: посылка у курьера."
        let outcome = try ContentFormatFixtures.evaluate("sections", ["names": names], answer)
        #expect(
            outcome
                == CheckOutcome(
                    passed: false,
                    findings: [
                        Finding(
                            ruleID: "format.sections.missing", message: "missing section 'Подробно'", text: "Подробно"),
                        Finding(
                            ruleID: "format.sections.missing", message: "missing section 'Следующий шаг'",
                            text: "Следующий шаг"),
                    ]
                )
        )
    }

    @Test func outOfOrderSectionsPointAtTheirHeading() throws {
        let answer = MarkedAnswer(
            """
            **Коротко:** заказ в пути.
            1️⃣**Следующий шаг:** дождитесь SMS.
            **Подробно:** посылка у курьера.
            """
        )
        let outcome = try ContentFormatFixtures.evaluate("sections", ["names": names], answer.text)
        #expect(
            outcome.findings == [
                answer.finding(
                    "format.sections.order",
                    "section 'Следующий шаг' is out of order, expected after 'Подробно'",
                    at: 1,
                    "**Следующий шаг:**"
                )
            ]
        )
        #expect(try ContentFormatFixtures.evaluate("sections", ["names": names, "order": false], answer.text) == .pass)
    }

    @Test func theFewestSectionsAreFlagged() throws {
        // The first section written last: only it is out of place.
        let answer = MarkedAnswer("## Details\nText.\n## Next step\nText.\n1️⃣## Summary\nText.")
        let outcome = try ContentFormatFixtures.evaluate(
            "sections", ["names": ["Summary", "Details", "Next step"]], answer.text)
        #expect(
            outcome.findings == [
                answer.finding(
                    "format.sections.order", "section 'Summary' is out of order, expected before 'Details'", at: 1,
                    "## Summary")
            ]
        )
    }

    @Test func styleRestrictsHowSectionsAreWritten() throws {
        let answer =
            "## Summary\nThe order ships today.\n**Details:** it left the warehouse.\nNext step: wait for an SMS."
        let englishNames: JSONValue = ["Summary", "Details", "Next step"]
        #expect(try ContentFormatFixtures.evaluate("sections", ["names": englishNames], answer) == .pass)
        let headings = try ContentFormatFixtures.evaluate(
            "sections", ["names": englishNames, "style": "heading"], answer)
        #expect(headings.findings.map(\.message) == ["missing section 'Details'", "missing section 'Next step'"])
        let bold = try ContentFormatFixtures.evaluate("sections", ["names": englishNames, "style": "bold"], answer)
        #expect(bold.findings.map(\.message) == ["missing section 'Summary'", "missing section 'Next step'"])
        let labels = try ContentFormatFixtures.evaluate("sections", ["names": englishNames, "style": "label"], answer)
        #expect(labels.findings.map(\.message) == ["missing section 'Summary'", "missing section 'Details'"])
    }

    @Test func codeAndMentionsInTextDoNotCount() throws {
        let answer = """
            Разделы «Коротко» и «Подробно» будут ниже.
            ```
            ## Коротко
            ```
            Коротко говоря, заказ в пути.
            """
        let outcome = try ContentFormatFixtures.evaluate("sections", ["names": ["Коротко"]], answer)
        #expect(outcome.findings.map(\.message) == ["missing section 'Коротко'"])
    }

    @Test func badOptions() {
        #expect(
            ContentFormatFixtures.configurationError("sections", [:])
                == "check 'sections' needs option 'names' (a non-empty list of strings)"
        )
        #expect(
            ContentFormatFixtures.configurationError("sections", ["names": ["Коротко", "коротко:"]])
                == "option 'names' of check 'sections' lists 'коротко:' twice"
        )
        #expect(
            ContentFormatFixtures.configurationError("sections", ["names": ["Коротко", "**"]])
                == "option 'names' of check 'sections' has an empty name: '**'"
        )
        #expect(
            ContentFormatFixtures.configurationError("sections", ["names": names, "style": "underline"])
                == "option 'style' of check 'sections' expects one of 'any', 'heading', 'bold', 'italic', 'label', found 'underline'"
        )
        #expect(
            ContentFormatFixtures.configurationError("sections", ["names": names, "style": ["bold", "caps"]])
                == "option 'style' of check 'sections' expects one of 'any', 'heading', 'bold', 'italic', 'label', found 'caps'"
        )
        #expect(
            ContentFormatFixtures.configurationError("sections", ["names": names, "style": []])
                == "check 'sections' needs option 'style' (one of 'any', 'heading', 'bold', 'italic', 'label', or a list of them)"
        )
        #expect(
            ContentFormatFixtures.configurationError("sections", ["names": names, "dash": "yes"])
                == "option 'dash' of check 'sections' expects true or false, found string"
        )
        #expect(
            ContentFormatFixtures.configurationError("sections", ["names": names, "order": "yes"])
                == "option 'order' of check 'sections' expects true or false, found string"
        )
    }

    // MARK: empty sections, italic labels, dashes

    @Test func emptySectionsFailWithTheirOwnRuleAtTheirHeading() throws {
        let answer = MarkedAnswer(
            """
            **Коротко:** заказ в пути.
            1️⃣**Подробно:**
            2️⃣**Следующий шаг:** —
            """
        )
        let outcome = try ContentFormatFixtures.evaluate("sections", ["names": names], answer.text)
        #expect(
            outcome.findings == [
                answer.finding("format.sections.empty", "section 'Подробно' is empty", at: 1, "**Подробно:**"),
                answer.finding(
                    "format.sections.empty", "section 'Следующий шаг' is empty", at: 2, "**Следующий шаг:**"),
            ]
        )
        #expect(!outcome.passed)
    }

    @Test(
        "whitespace, a dash or an ellipsis is no content; one letter or digit is",
        arguments: [
            ("Коротко:   \n\t\nПодробно: текст", true),
            ("Коротко: -\nПодробно: текст", true),
            ("Коротко: ...\nПодробно: текст", true),
            ("Коротко: …\n\nПодробно: текст", true),
            ("## Коротко\n\n---\n## Подробно\nтекст", true),
            ("Коротко: 5\nПодробно: текст", false),
            ("## Коротко\n\nЗаказ в пути.\n## Подробно\nтекст", false),
            ("Коротко: да\nПодробно: текст", false),
        ]
    )
    func placeholdersAreEmpty(answer: String, empty: Bool) throws {
        let found = try sections(["names": ["Коротко", "Подробно"]], answer)
        #expect(found.map(\.isEmpty) == [empty, false])
    }

    @Test func theLastSectionRunsToTheEndAndItsContentIsSpanned() throws {
        let answer = MarkedAnswer("## Коротко\n1️⃣Заказ в пути.\n## Подробно2️⃣\n   ")
        let found = try sections(["names": ["Коротко", "Подробно"]], answer.text)
        #expect(found.map(\.isEmpty) == [false, true])
        let content = try #require(found.first?.content)
        #expect(content.text(in: answer.text) == "\nЗаказ в пути.\n")
        #expect(found.last?.content.start == answer.span(2, "").start)
        let outcome = try ContentFormatFixtures.evaluate("sections", ["names": ["Коротко", "Подробно"]], answer.text)
        #expect(outcome.findings.map(\.ruleID) == ["format.sections.empty"])
    }

    @Test func italicLabelsCountWhenTheStyleAllowsThem() throws {
        let answer = MarkedAnswer(
            """
            1️⃣*Коротко:* заказ в пути.
            - 2️⃣_Подробно_: посылка у курьера.
            3️⃣**Следующий шаг:** ждите SMS.
            """
        )
        let found = try sections(["names": names], answer.text)
        #expect(found.map(\.text) == ["*Коротко:*", "_Подробно_:", "**Следующий шаг:**"])
        #expect(found.map(\.style) == [.italic, .italic, .bold])
        #expect(
            found.map(\.span) == [
                answer.span(1, "*Коротко:*"), answer.span(2, "_Подробно_:"), answer.span(3, "**Следующий шаг:**"),
            ])
        #expect(try ContentFormatFixtures.evaluate("sections", ["names": names], answer.text) == .pass)
        #expect(
            try ContentFormatFixtures.evaluate("sections", ["names": names, "style": ["bold", "italic"]], answer.text)
                == .pass)
        let boldOnly = try ContentFormatFixtures.evaluate("sections", ["names": names, "style": "bold"], answer.text)
        #expect(boldOnly.findings.map(\.message) == ["missing section 'Коротко'", "missing section 'Подробно'"])
        let italicOnly = try ContentFormatFixtures.evaluate(
            "sections", ["names": names, "style": "italic"], answer.text)
        #expect(italicOnly.findings.map(\.message) == ["missing section 'Следующий шаг'"])
        // A bullet list item is not an italic label.
        #expect(try sections(["names": ["Коротко"]], "* Коротко: заказ в пути.").map(\.style) == [.label])
    }

    @Test func aDashInsteadOfAColonCountsWhenTheOptionSaysSo() throws {
        let answer = MarkedAnswer(
            """
            1️⃣Коротко — заказ в пути.
            2️⃣Подробно – посылка у курьера.
            3️⃣Следующий шаг -
            """
        )
        let without = try ContentFormatFixtures.evaluate("sections", ["names": names], answer.text)
        #expect(
            without.findings.map(\.ruleID) == [
                "format.sections.missing", "format.sections.missing", "format.sections.missing",
            ])
        let found = try sections(["names": names, "dash": true], answer.text)
        #expect(
            found.map(\.span) == [
                answer.span(1, "Коротко —"), answer.span(2, "Подробно –"), answer.span(3, "Следующий шаг -"),
            ])
        let outcome = try ContentFormatFixtures.evaluate("sections", ["names": names, "dash": true], answer.text)
        #expect(
            outcome.findings == [
                answer.finding("format.sections.empty", "section 'Следующий шаг' is empty", at: 3, "Следующий шаг -")
            ])
        // A hyphen inside a word is not a dash: «Коротко-говоря» is no label.
        #expect(try sections(["names": ["Коротко"], "dash": true], "Коротко-говоря, всё хорошо").isEmpty)
        // A colon before the dash still ends the label there.
        #expect(try sections(["names": ["Коротко"], "dash": true], "Коротко: да — и нет").map(\.text) == ["Коротко:"])
    }
}
