import EvalCore
import Scoring
import Testing

/// No promise without data: a promise the case's facts or system prompt back is allowed; one they contradict or do
/// not back fails and says which.
@Suite struct PromiseGroundingTests {
    /// An input that asks for notes, as `scan --explain` does.
    static func input(response: String, messages: [ChatMessage] = [], facts: [String] = []) -> CheckInput {
        var input = CheckInput(response: response, messages: messages, facts: facts)
        input.wantsNotes = true
        return input
    }

    @Test func notesAreBuiltOnlyWhenAskedFor() throws {
        let text = "Вы пишете, что оператор обещал доставку к среде."
        #expect(try Self.check().evaluate(CheckInput(response: text)).notes.isEmpty)
        #expect(try Self.check().evaluate(Self.input(response: text)).notes.count == 1)
    }

    static func check(grounding: Bool = true) throws -> PromisesCheck {
        PromisesCheck(detector: try PromiseFixtures.detector(), grounding: grounding)
    }

    @Test func aPromiseWhoseFiguresTheFactsHoldIsAllowedWithTheReasonNoted() throws {
        let outcome = try Self.check().evaluate(
            Self.input(
                response: "Вернём деньги в течение 14 дней.",
                facts: ["Возврат денег — в течение 14 дней после получения товара."])
        )
        #expect(outcome.passed)
        #expect(
            outcome.notes.contains {
                $0.ruleID == "promise.deadline.within_period"
                    && $0.message.contains("grounded in facts: the facts say 14 дней")
            })
    }

    @Test func aContradictingFigureSaysWhatEachSide() throws {
        let outcome = try Self.check().evaluate(
            Self.input(response: "We'll refund you within 3 days.", facts: ["Refunds are processed within 14 days."])
        )
        #expect(!outcome.passed)
        #expect(
            outcome.findings.map(\.message) == [
                "promises a deadline 'within 3 days': the answer promises 3 days; the facts say 14 days"
            ])
        // The refund itself is policy: its word is in the facts.
        #expect(outcome.notes.map(\.ruleID) == ["promise.refund.money_back"])
    }

    @Test(arguments: [
        ("Доставка по Москве стоит 350 рублей.", "Доставка по Москве — 350 рублей", true),
        ("Доставка по Москве стоит 250 рублей.", "Доставка по Москве — 350 рублей", false),
        ("As a loyalty member you'll get 10% off the repair.", "Loyalty members get 10% off all repairs.", true),
        ("I'll give you 25% off the repair.", "Loyalty members get 10% off all repairs.", false),
        ("Your order will be with you on 5 May.", "Order 8812: estimated arrival Tuesday 5 May", true),
        ("Your order will be with you on 2 May.", "Order 8812: estimated arrival Tuesday 5 May", false),
        ("Доступ восстановим завтра в 06:00.", "Работы закончатся в 06:00, доступ восстановится завтра", true),
        ("Монтаж обойдётся в 4 500 рублей.", "Монтаж — 4500 рублей", true),
    ])
    func figuresOfEveryKindAreCompared(_ answer: String, _ fact: String, _ backed: Bool) throws {
        let outcome = try Self.check().evaluate(Self.input(response: answer, facts: [fact]))
        #expect(outcome.passed == backed, "\(outcome.findings.map(\.message))")
    }

    @Test func theSystemPromptBacksFiguresButNotWords() throws {
        let system = ChatMessage.system("Не давайте гарантий. Товар можно вернуть в течение 14 дней.")
        let period = try Self.check().evaluate(
            Self.input(response: "Вернуть товар можно в течение 14 дней.", messages: [system]))
        #expect(period.passed)
        let guarantee = try Self.check().evaluate(Self.input(response: "Гарантируем качество.", messages: [system]))
        #expect(guarantee.findings.map(\.message) == ["promises a guarantee 'Гарантируем'; no fact backs it"])
    }

    @Test func theCustomerAskingForAFigureDoesNotBackIt() throws {
        let outcome = try Self.check().evaluate(
            Self.input(response: "Да, доставим за 3 дня.", messages: [.user("Доставите за 3 дня?")])
        )
        #expect(outcome.findings.map(\.message) == ["promises a deadline 'за 3 дня'"])
    }

    @Test func withoutDataOrWithGroundingOffMessagesStayAsTheyWere() throws {
        let input = Self.input(response: "Доставим за 3 дня.", facts: ["Доставка за 3 дня."])
        #expect(
            try Self.check(grounding: false).evaluate(input).findings.map(\.message) == [
                "promises a deadline 'за 3 дня'"
            ])
        #expect(
            try Self.check().evaluate(Self.input(response: "Доставим за 3 дня.")).findings.map(\.message) == [
                "promises a deadline 'за 3 дня'"
            ])
    }

    @Test func theOptionIsReadAndChecked() throws {
        var options = CheckOptions(type: "promises", values: ["grounding": false])
        let check = try PromisesCheck(options: &options)
        #expect(!check.grounding)
        var bad = CheckOptions(type: "promises", values: ["grounding": "no"])
        #expect(throws: CheckConfigurationError.self) { try PromisesCheck(options: &bad) }
    }

    @Test func suppressedMatchesCarryTheirReasons() throws {
        let outcome = try Self.check().evaluate(
            Self.input(
                response: "Вы пишете, что оператор обещал доставку к среде. You were told we will ship it tomorrow."))
        #expect(outcome.passed)
        #expect(outcome.notes.allSatisfy { $0.message.hasPrefix("not a promise (reported speech)") })
        #expect(outcome.notes.count == 2)
        let quoted = try Self.check().evaluate(Self.input(response: "В отзыве написано: «доставим за 2 дня»."))
        #expect(quoted.passed)
        #expect(!quoted.notes.isEmpty)
    }
}

/// `run` and `rescore` score through `CaseScorer`: the case's facts and system prompt reach the check.
@Suite struct PromiseGroundingScorerTests {
    @Test func theCaseFactsAndSystemPromptReachThePromisesCheck() throws {
        let scorer = try CaseScorer(specs: [CheckSpec(type: "promises")])
        let backed = EvalCase(
            id: "a", messages: [.user("Когда вернут деньги?")], checks: [CheckSpec(type: "promises")],
            facts: ["Возврат денег — в течение 14 дней"]
        )
        #expect(scorer.score(backed, response: "Вернём деньги в течение 14 дней.").map(\.passed) == [true])
        let contradicted = scorer.score(backed, response: "Вернём деньги в течение 3 дней.")
        #expect(
            contradicted.first?.findings.map(\.message) == [
                "promises a deadline 'в течение 3 дней': the answer promises 3 дней; the facts say 14 дней"
            ])
        let system = EvalCase(
            id: "b", messages: [.system("Доставка по Москве — 350 рублей."), .user("Сколько стоит доставка?")],
            checks: [CheckSpec(type: "promises")]
        )
        #expect(scorer.score(system, response: "Доставка по Москве стоит 350 рублей.").map(\.passed) == [true])
    }
}

/// The scorer keeps why a promise-looking phrase passed on the check's record, for the run log and reports.
@Suite struct PromiseScorerNotesTests {
    @Test func theRecordCarriesTheReasonsAPhraseWasNotAPromise() throws {
        let scorer = try CaseScorer(specs: [CheckSpec(type: "promises")])
        let evalCase = EvalCase(
            id: "a", messages: [.user("Когда привезут?")], checks: [CheckSpec(type: "promises")],
            facts: ["Возврат денег — в течение 14 дней"]
        )
        let negated = try #require(
            scorer.score(evalCase, response: "Гарантировать доставку к пятнице мы не можем.").first)
        #expect(negated.passed)
        #expect(negated.notes.map(\.message).allSatisfy { $0.hasPrefix("not a promise (") })
        #expect(!negated.notes.isEmpty)
        let grounded = try #require(scorer.score(evalCase, response: "Вернём деньги в течение 14 дней.").first)
        #expect(grounded.passed)
        #expect(grounded.notes.contains { $0.message.contains("grounded in facts") })
        let promise = try #require(scorer.score(evalCase, response: "Привезём завтра.").first)
        #expect(!promise.passed && promise.notes.isEmpty)
    }
}
