import EvalCore
import Foundation
import Scoring
import Testing

/// The shapes that decide a verdict beyond a phrase, each from both sides: a commitment reaching across a comma into
/// its purpose clause, conditions (a policy under a condition is not a promise; an action promised under one, or an
/// offer on the customer's consent, is), the customer's own rights and tasks, and facts about the past or a bill.
@Suite struct PromiseShapeTests {
    /// The categories found in `text`.
    static func kinds(_ text: String) throws -> Set<String> {
        Set(try PromiseFixtures.detector().detect(in: text).map(\.category.rawValue))
    }

    @Test(arguments: [
        ("Прослежу, чтобы деньги вернулись вам сегодня.", ["refund", "deadline"]),
        ("Я лично проконтролирую, чтобы вся сумма вернулась на карту.", ["refund"]),
        ("I'll make sure, that the money comes back to your card.", ["refund"]),
        ("I'll make sure, that the engineer calls you tomorrow.", ["deadline"]),
    ])
    func aCommitmentReachesAcrossACommaIntoItsPurpose(_ text: String, _ expected: [String]) throws {
        #expect(try Self.kinds(text) == Set(expected), "\(text)")
    }

    @Test(arguments: [
        "Напишите нам, чтобы деньги вернулись сегодня.",
        "Сохраните чек, чтобы деньги вернулись на карту.",
        "Я прослежу. Чтобы деньги вернулись, пришлите чек.",
        "Keep the receipt, so that the money comes back to your card.",
        "Let us know, so that the money comes back to your card.",
    ])
    func otherClausesDoNotJoin(_ text: String) throws {
        try expectNoPromise(text)
    }

    /// A term stated under a condition is policy; an action promised under one, or an offer on the customer's
    /// consent (`если хотите`, "if you'd like"), is a promise.
    @Test(
        arguments: [
            ("Если отмените до 18:00, штрафа не будет.", []),
            ("Установка бесплатна, если перейдёте на новый тариф до конца месяца.", []),
            ("If you cancel before 6 pm, there's no fee.", []),
            ("Installation is free if you upgrade this month.", []),
            ("Если посылка не придёт к пятнице, вернём деньги полностью.", ["refund"]),
            ("Если оплатить заказ до 15:00, курьер привезёт его сегодня.", ["deadline"]),
            ("If the parcel is lost, we'll refund you in full.", ["refund"]),
            ("Если хотите, можем вернуть деньги за доставку.", ["refund"]),
            ("При желании отменим штраф за просрочку.", ["fee_waiver"]),
            ("If you'd like, we can waive the early cancellation fee.", ["fee_waiver"]),
            ("Should you wish, we can refund the difference.", ["refund"]),
        ] as [(String, [String])])
    func conditionsMakePolicyButNotOffers(_ text: String, _ expected: [String]) throws {
        #expect(try Self.kinds(text) == Set(expected), "\(text)")
    }

    /// A period for what the customer may or must do is their right or their task, not the company's promise.
    @Test(
        arguments: [
            ("Товар надлежащего качества можно вернуть в течение 14 дней.", []),
            ("Отказаться от заказа можно в течение 7 дней после получения.", []),
            ("Unused items can be returned within 30 days.", []),
            ("Пожалуйста, подайте документы до 30 июня.", []),
            ("Please submit the form by 30 June.", []),
            ("Деньги вернём в течение 14 дней.", ["refund", "deadline"]),
            ("We'll refund you within 30 days.", ["refund", "deadline"]),
            ("Документы подготовим до 30 июня.", ["deadline"]),
            ("We'll send the form by 30 June.", ["deadline"]),
            ("Забрать заказ можно будет в пятницу.", ["deadline"]),
        ] as [(String, [String])])
    func theCustomersRightsAndTasksAreNotPromises(_ text: String, _ expected: [String]) throws {
        #expect(try Self.kinds(text) == Set(expected), "\(text)")
    }

    /// A refund, a discount or a date that is a fact about the past or about a bill is not a promise; a past
    /// participle before a promised action does not make the action past.
    @Test(
        arguments: [
            ("Возврат 1 250 рублей был отправлен на карту 11 марта.", []),
            ("Скидка 10% по промокоду уже учтена в сумме.", []),
            ("Счёт от 12 марта оплачен полностью.", []),
            ("Прошлый платёж — 399 рублей.", []),
            ("The invoice dated 1 April shows a balance of $212.00.", []),
            ("The $129.00 payment on 3 June covered your subscription.", []),
            ("The bug is fixed and will not come back.", ["certainty"]),
            ("Оплаченные 500 рублей вернём на карту.", ["refund"]),
            ("Отправим уже завтра утром.", ["deadline"]),
            ("The $35 will come back to you.", ["refund"]),
        ] as [(String, [String])])
    func factsAboutThePastAndBillsAreNotPromises(_ text: String, _ expected: [String]) throws {
        #expect(try Self.kinds(text) == Set(expected), "\(text)")
    }

    /// A figureless promise is backed by its topic in the facts, as the packs' `topics` name it.
    @Test func topicsComeFromThePacks() throws {
        func pack(topics: String) throws -> PromisePack {
            try PromisePack(
                data: Array(
                    """
                    {"name": "t", "topics": {\(topics)},
                     "rules": [{"id": "refund.back", "category": "refund", "patterns": ["вернём деньги"]}]}
                    """.utf8
                ),
                source: "t.json"
            )
        }
        var input = CheckInput(response: "Вернём деньги.", facts: ["Деньги назад — в любой момент."])
        input.wantsNotes = true
        let withTopic = PromisesCheck(
            detector: try PromiseDetector(packs: [try pack(topics: #""refund": ["деньги назад"]"#)]))
        #expect(withTopic.evaluate(input).passed)
        #expect(
            withTopic.evaluate(input).notes.map(\.message) == [
                "not a promise (grounded in facts: the facts cover a refund): 'Вернём деньги'"
            ])
        let withoutTopic = PromisesCheck(detector: try PromiseDetector(packs: [try pack(topics: "")]))
        #expect(
            withoutTopic.evaluate(input).findings.map(\.message) == [
                "promises a refund 'Вернём деньги'; no fact backs it"
            ])
    }

    @Test(arguments: [
        (#""topics": {"refnd": ["x"]}"#, "topics.refnd: expected a category, one of"),
        (#""topics": {"refund": []}"#, "topics.refund: expected a non-empty list of strings"),
        (#""topics": ["refund"]"#, "topics: expected an object of lists by category, found"),
        (#""joins": [{"lead": ["прослежу"]}]"#, "joins[0].into: expected a non-empty list of strings"),
        (#""joins": [{"lead": ["@nope"], "into": ["чтобы"]}]"#, "joins[0].lead[0] '@nope'"),
        (
            #""joins": [{"lead": ["a"], "into": ["b"], "before": 0}]"#,
            "joins[0].before: expected a number of words from 1 to 8, found 0"
        ),
        (#""joins": [{"lead": ["a"], "into": ["b"], "after": 2}]"#, #"unknown field "joins[0].after""#),
        (#""contexts": [{"reason": "r", "patterns": ["если"], "keep": ["@nope"]}]"#, "contexts[0].keep[0] '@nope'"),
    ])
    func badJoinsKeepsAndTopicsAreLocatedErrors(_ fragment: String, _ expected: String) throws {
        let json =
            #"{"name": "t", "#
            + fragment + #", "rules": [{"id": "refund.back", "category": "refund", "patterns": ["вернём"]}]}"#
        do {
            _ = try PromisePack(data: Array(json.utf8), source: "t.json")
            Issue.record("expected an error for \(fragment)")
        } catch {
            #expect(error.message.hasPrefix("invalid promise pack 't.json': "), "\(error.message)")
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}
