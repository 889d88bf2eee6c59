import Scoring
import Testing

/// Prices: amounts with a currency (`стоит 500 ₽`, `costs $49`), discounts (`скидка 20%`, `50% off`), free services
/// (`бесплатно`, `free of charge`, `no extra fee`).
@Suite struct PromisePriceTests {
    static let russian: [(String, [String])] = [
        ("Подписка ⟦стоит 500 ₽ в месяц⟧.", ["promise.price.amount"]),
        ("⟦Всего за 990 рублей⟧ вы получите годовой доступ.", ["promise.price.amount"]),
        ("Доставка ⟦бесплатно⟧.", ["promise.price.free"]),
        ("Мы дарим вам ⟦скидку 20%⟧.", ["promise.price.discount"]),
        ("⟦Стоимость обслуживания — 99 руб⟧. Списывается раз в месяц.", ["promise.price.amount"]),
        ("Переводы между своими счетами ⟦без комиссии⟧.", ["promise.fee_waiver.not_charged"]),
        ("Замену сделаем ⟦за наш счёт⟧.", ["promise.fee_waiver.not_charged"]),
        ("Вам доступно ⟦15% скидки⟧ на следующий заказ.", ["promise.price.discount"]),
        ("⟦Комиссия составит 1%⟧.", ["promise.price.amount"]),
        ("⟦Кешбэк 5%⟧ на все покупки.", ["promise.price.discount"]),
        ("Перевыпуск карты ⟦бесплатный⟧.", ["promise.price.free"]),
        ("Мы ⟦не берём комиссию⟧ за пополнение.", ["promise.fee_waiver.not_charged"]),
        ("⟦Тариф обойдётся вам в 1 500 ₽⟧.", ["promise.price.amount"]),
        ("Мы ⟦предоставим вам скидку⟧ на продление.", ["promise.price.discount"]),
        (
            "Доставка ⟦бесплатная⟧, а ⟦скидка 10%⟧ действует ⟦до конца месяца⟧.",
            ["promise.price.free", "promise.price.discount", "promise.deadline.by_date"]
        ),
        ("Годовой ⟦тариф стоит 12 000 руб. в год⟧.", ["promise.price.amount"]),
        ("Пополнение ⟦без дополнительной платы⟧.", ["promise.fee_waiver.not_charged"]),
        ("⟦Комиссия за снятие наличных в банкоматах партнёров не взимается⟧.", ["promise.fee_waiver.not_charged"]),
        ("Годовой доступ ⟦всего за 990 ₽⟧.", ["promise.price.amount"]),
    ]

    static let english: [(String, [String])] = [
        ("It ⟦costs $49⟧.", ["promise.price.amount"]),
        ("Use the code to get ⟦50% off⟧.", ["promise.price.discount"]),
        ("We'll replace the card ⟦free of charge⟧.", ["promise.price.free"]),
        ("There is ⟦no extra fee⟧ for this transfer.", ["promise.fee_waiver.not_charged"]),
        ("The Premium ⟦plan is $9.99 per month⟧.", ["promise.price.amount"]),
        ("The ⟦fee is only 2%⟧.", ["promise.price.amount"]),
        ("We'll give you a ⟦20% discount⟧.", ["promise.price.discount"]),
        ("Top-ups are completely ⟦free⟧.", ["promise.price.free"]),
        ("We ⟦won't charge⟧ you for the replacement.", ["promise.fee_waiver.not_charged"]),
        ("We'll ⟦waive the fee⟧ this time.", ["promise.fee_waiver.not_charged"]),
        ("International transfers ⟦cost 5 USD⟧.", ["promise.price.amount"]),
        ("Enjoy ⟦5% cashback⟧ on all purchases.", ["promise.price.discount"]),
        ("You'll ⟦pay just €9.99⟧.", ["promise.price.amount"]),
        ("Card delivery is ⟦at no cost⟧ to you.", ["promise.price.free"]),
        ("Express shipping ⟦costs $1,200⟧ for the whole pallet.", ["promise.price.amount"]),
    ]

    static let russianNegatives = [
        "Стоимость зависит от региона.",
        "Цена может измениться.",
        "Ваш баланс составляет 1 200 ₽.",
        "Сколько стоит подписка?",
        "Это не бесплатно.",
        "Бесплатная доставка не предусмотрена.",
        "Скидки на этот товар не предусмотрены.",
        "Размер комиссии зависит от тарифа.",
        "Звоните на бесплатный номер 8-800-000-00-00.",
        "Обычно доставка бесплатная, но зависит от региона.",
        "На вашем счёте осталось 500 ₽.",
        "Актуальные тарифы смотрите в приложении.",
        "За месяц вы потратили 5 000 ₽ на такси.",
        "Вы внесли только 500 ₽, остальное спишется позже.",
    ]

    static let englishNegatives = [
        "Feel free to contact us anytime.",
        "This service is not free.",
        "Is delivery free?",
        "Prices depend on your region.",
        "Your balance is $120.",
        "The fee may vary depending on the card.",
        "We can't offer a discount right now.",
        "Card replacement isn't free of charge.",
        "Please check the fees section in the app.",
        "You may get up to 50% off during the sale.",
        "Your daily limit is $500.",
        "You only withdrew $20 from the ATM.",
        "The ATM just gave you £10 instead of £50.",
        "You mentioned you thought transfers were free.",
    ]

    @Test(arguments: russian)
    func russianPrices(_ marked: String, _ rules: [String]) throws {
        try expectPromises(marked, rules)
    }

    @Test(arguments: english)
    func englishPrices(_ marked: String, _ rules: [String]) throws {
        try expectPromises(marked, rules)
    }

    @Test(arguments: russianNegatives)
    func russianNonPromises(_ text: String) throws {
        try expectNoPromise(text)
    }

    @Test(arguments: englishNegatives)
    func englishNonPromises(_ text: String) throws {
        try expectNoPromise(text)
    }

    @Test func everyCurrencyIsRead() throws {
        for amount in [
            "500 ₽", "500 руб", "500 рублей", "500 р", "$500", "500 USD", "€500", "500 EUR", "500 евро",
            "5 тыс. рублей",
        ] {
            try expectPromises("Подписка ⟦стоит \(amount)⟧.", ["promise.price.amount"])
        }
    }

    @Test func findingsSayWhatWasPromised() throws {
        let found = try PromiseFixtures.detector().detect(in: "Подписка стоит 500 ₽.")
        #expect(found.map(\.message) == ["promises a price 'стоит 500 ₽'"])
    }
}
