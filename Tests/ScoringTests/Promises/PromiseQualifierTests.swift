import Scoring
import Testing

/// Negation and hedging: the same promise, stated, negated and hedged. Negators count within the clause, before the
/// promise or after it (Russian puts `не` after the verb: `гарантировать этого не можем`); hedges count anywhere in
/// the sentence; a bound right before the number (`до 5 дней`, `up to 5 days`) is an estimate, not a promise.
@Suite struct PromiseQualifierTests {
    /// (promise, the same promise negated or hedged)
    static let russianPairs: [(String, String)] = [
        ("Мы ⟦гарантируем⟧ возврат.", "Мы не гарантируем возврат."),
        ("Мы можем ⟦гарантировать⟧ возврат.", "Мы не можем гарантировать возврат."),
        ("⟦Гарантировать⟧ это можем.", "Гарантировать этого не можем."),
        ("⟦Гарантировать⟧ мы это можем.", "Гарантировать мы этого не можем."),
        ("Доставка ⟦занимает 3 дня⟧.", "Обычно доставка занимает 3 дня."),
        ("Ответ ⟦займёт 2 дня⟧.", "Как правило, ответ займёт 2 дня."),
        ("Доставка ⟦займёт 5 дней⟧.", "Доставка займёт до 5 дней."),
        ("Доставка ⟦займёт 5 дней⟧.", "Доставка займёт около 5 дней."),
        ("Привезём ⟦через неделю⟧.", "Ориентировочно привезём через неделю."),
        ("Перевод ⟦займёт 2 часа⟧.", "Перевод может занять 2 часа."),
        ("⟦Срок доставки — 3 дня⟧.", "Срок доставки зависит от региона, примерно 3 дня."),
        ("⟦Обещаю⟧: ⟦доставим завтра⟧.", "Не могу обещать, что доставим завтра."),
        ("Доставка ⟦бесплатная⟧.", "Доставка не бесплатная."),
        ("Доставка ⟦бесплатная⟧.", "Бесплатной доставки нет."),
        ("Мы ⟦точно пришлём⟧ документы.", "Мы точно не пришлём документы."),
        ("Курьер доставит ⟦до пятницы⟧.", "Курьер, скорее всего, доставит до пятницы."),
    ]

    static let englishPairs: [(String, String)] = [
        ("We ⟦guarantee⟧ delivery.", "We cannot guarantee delivery."),
        ("We ⟦guarantee⟧ delivery.", "We can't guarantee delivery."),
        ("We ⟦guarantee⟧ delivery.", "We don't guarantee delivery."),
        ("Delivery is ⟦guaranteed⟧.", "Delivery is not guaranteed."),
        ("It ⟦takes 3 days⟧.", "It usually takes 3 days."),
        ("It ⟦takes 3 days⟧.", "It typically takes 3 days."),
        ("It ⟦takes 5 days⟧.", "It may take 5 days."),
        ("It ⟦takes 5 days⟧.", "It takes up to 5 days."),
        ("Delivery ⟦takes 3 days⟧.", "Estimated delivery takes 3 days."),
        ("Delivery ⟦takes 3 days⟧.", "Delivery takes approximately 3 days."),
        ("The card ⟦will arrive on Monday⟧.", "The card will likely arrive on Monday."),
        ("We ⟦will send it today⟧.", "We will try to send it today."),
        ("Delivery is ⟦free⟧.", "Delivery isn't free."),
        ("⟦I promise⟧: ⟦we'll ship it tomorrow⟧.", "I can't promise we'll ship it tomorrow."),
        ("It ⟦takes 3 days⟧.", "It takes 3 days, depending on your bank."),
    ]

    @Test(arguments: russianPairs)
    func russianNegationAndHedging(_ promise: String, _ qualified: String) throws {
        let rules = try PromiseFixtures.detector().detect(in: PromiseMarkedText(promise).text).map(\.ruleID)
        try expectPromises(promise, rules)
        #expect(!rules.isEmpty, "no promise in: \(promise)")
        try expectNoPromise(qualified)
    }

    @Test(arguments: englishPairs)
    func englishNegationAndHedging(_ promise: String, _ qualified: String) throws {
        let rules = try PromiseFixtures.detector().detect(in: PromiseMarkedText(promise).text).map(\.ruleID)
        try expectPromises(promise, rules)
        #expect(!rules.isEmpty, "no promise in: \(promise)")
        try expectNoPromise(qualified)
    }

    /// A negation in another clause, after a conjunction that starts a new thought, or inside a fixed phrase is not
    /// about the promise.
    @Test func negationOutsideThePromiseIsIgnored() throws {
        try expectPromises("⟦Гарантируем⟧, что не будет задержек.", ["promise.guarantee.explicit"])
        try expectPromises("Не волнуйтесь, деньги ⟦придут завтра⟧.", ["promise.deadline.on_day"])
        try expectPromises("Не волнуйтесь мы ⟦пришлём документы завтра⟧.", ["promise.deadline.on_day"])
        try expectPromises("Курьер приедет ⟦не позднее пятницы⟧.", ["promise.deadline.by_date"])
        try expectPromises("Перевод дойдёт ⟦не более чем за 3 дня⟧.", ["promise.deadline.within_period"])
        try expectPromises("We ⟦guarantee⟧ that it won't be late.", ["promise.guarantee.explicit"])
        try expectPromises("Don't worry, ⟦we'll ship it tomorrow⟧.", ["promise.deadline.on_day"])
        try expectPromises("No problem — ⟦we'll ship it tomorrow⟧.", ["promise.deadline.on_day"])
        try expectPromises("You'll get it ⟦no later than Friday⟧.", ["promise.deadline.by_date"])
        try expectPromises(
            "Not one customer has ever had to wait: ⟦we'll ship it tomorrow⟧.", ["promise.deadline.on_day"])
    }

    /// A hedge in another sentence does not qualify this one.
    @Test func hedgesStayInTheirSentence() throws {
        try expectPromises("Обычно мы отвечаем быстро. Ваш заказ ⟦доставим завтра⟧.", ["promise.deadline.on_day"])
        try expectPromises("Usually it's quick. ⟦We'll ship it tomorrow⟧.", ["promise.deadline.on_day"])
    }

    /// "Up to N days" states a ceiling, not a date: it is read as an estimate. A range or "no later than" is a promise.
    @Test func upToIsAnEstimateButARangeIsAPromise() throws {
        try expectNoPromise("Refunds can take up to 10 business days.")
        try expectNoPromise("Возврат может занять до 10 рабочих дней.")
        try expectNoPromise("Возврат займёт до 10 рабочих дней.")
        try expectPromises("Возврат займёт ⟦от 3 до 10 рабочих дней⟧.", ["promise.deadline.within_period"])
        try expectPromises("Refunds take ⟦no more than 10 business days⟧.", ["promise.deadline.within_period"])
    }

    /// A condition the customer must meet (`если оплатите до 15:00`) is not a promise; the promise that follows it in
    /// its own clause still is.
    @Test func conditionsAreNotPromises() throws {
        try expectPromises("Если оплатить заказ до 15:00, курьер ⟦привезёт его сегодня⟧.", ["promise.deadline.on_day"])
        try expectPromises("If you pay by Friday, ⟦we'll ship it on Monday⟧.", ["promise.deadline.on_day"])
        try expectPromises(
            "⟦We'll refund⟧ you ⟦within 5 days⟧ if the item is returned.",
            ["promise.refund.money_back", "promise.deadline.within_period"])
        try expectNoPromise("При условии оплаты до пятницы.")
    }

    @Test func questionsAreNotPromises() throws {
        try expectNoPromise("Хотите, мы доставим заказ завтра?")
        try expectNoPromise("Would you like us to ship it tomorrow?")
        try expectPromises("Хотите ускорить? ⟦Доставим завтра⟧.", ["promise.deadline.on_day"])
    }
}
