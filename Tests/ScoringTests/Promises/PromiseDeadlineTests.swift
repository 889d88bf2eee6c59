import EvalCore
import Scoring
import Testing

/// Deadlines: periods (`за 3 дня`, `within 24 hours`), dates (`до пятницы`, `by Friday`), days (`завтра доставим`,
/// `we'll ship it tomorrow`). Each positive input marks the exact span that must be reported.
@Suite struct PromiseDeadlineTests {
    static let russian: [(String, [String])] = [
        ("Мы сделаем всё ⟦за 3 дня⟧.", ["promise.deadline.within_period"]),
        ("Курьер доставит заказ ⟦до пятницы⟧.", ["promise.deadline.by_date"]),
        ("⟦Завтра доставим⟧ ваш заказ.", ["promise.deadline.on_day"]),
        ("Документы придут на почту ⟦в течение 24 часов⟧.", ["promise.deadline.within_period"]),
        ("Ответим на обращение ⟦в течение недели⟧.", ["promise.deadline.within_period"]),
        ("Карту перевыпустим ⟦за 2 рабочих дня⟧.", ["promise.deadline.within_period"]),
        ("Перезвоним ⟦через час⟧.", ["promise.deadline.within_period"]),
        ("Заказ ⟦привезём в среду⟧.", ["promise.deadline.on_day"]),
        ("Документы будут готовы ⟦к понедельнику⟧.", ["promise.deadline.by_date"]),
        ("Мы решим вопрос ⟦до конца дня⟧.", ["promise.deadline.by_date"]),
        ("Возврат средств ⟦займёт 5 рабочих дней⟧.", ["promise.deadline.within_period"]),
        ("Деньги поступят ⟦не позднее 15 марта⟧.", ["promise.deadline.by_date"]),
        ("Оператор ⟦свяжется с вами сегодня⟧.", ["promise.deadline.on_day"]),
        ("Новую карту ⟦отправим на следующей неделе⟧.", ["promise.deadline.on_day"]),
        ("Средства ⟦зачислятся мгновенно⟧.", ["promise.deadline.on_day"]),
        ("Заявка будет рассмотрена ⟦в течение 3-х дней⟧.", ["promise.deadline.within_period"]),
        ("Доставка займёт ⟦от 2 до 4 дней⟧.", ["promise.deadline.within_period"]),
        ("Ответим ⟦до 18:00⟧.", ["promise.deadline.by_date"]),
        ("Посылка придёт ⟦через 2–3 дня⟧.", ["promise.deadline.within_period"]),
        ("Всё будет готово ⟦не позднее вторника⟧.", ["promise.deadline.by_date"]),
        (
            "Мы всё сделаем ⟦в течение трёх дней⟧, а ⟦до пятницы⟧ пришлём отчёт.",
            ["promise.deadline.within_period", "promise.deadline.by_date"]
        ),
    ]

    static let english: [(String, [String])] = [
        (
            "⟦We'll process your refund⟧ ⟦within 24 hours⟧.",
            ["promise.refund.money_back", "promise.deadline.within_period"]
        ),
        ("Your new card will arrive ⟦in 2 business days⟧.", ["promise.deadline.within_period"]),
        ("We'll send the documents ⟦by Friday⟧.", ["promise.deadline.by_date"]),
        ("⟦We'll ship it tomorrow⟧.", ["promise.deadline.on_day"]),
        ("The transfer ⟦takes 3 days⟧.", ["promise.deadline.within_period"]),
        ("A specialist ⟦will call you back on Monday⟧.", ["promise.deadline.on_day"]),
        ("We'll fix it ⟦by end of day⟧.", ["promise.deadline.by_date"]),
        ("Your card will be issued ⟦by March 15⟧.", ["promise.deadline.by_date"]),
        ("You'll get an answer ⟦no later than Monday⟧.", ["promise.deadline.by_date"]),
        ("We will respond ⟦within an hour⟧.", ["promise.deadline.within_period"]),
        ("Your order ⟦ships tomorrow⟧.", ["promise.deadline.on_day"]),
        ("The funds ⟦will be credited immediately⟧.", ["promise.deadline.on_day"]),
        ("Delivery takes ⟦no more than 5 business days⟧.", ["promise.deadline.within_period"]),
        ("We'll call you back ⟦by 5 pm⟧.", ["promise.deadline.by_date"]),
        ("You'll hear back from us ⟦in a couple of days⟧.", ["promise.deadline.within_period"]),
        ("Your replacement card ⟦will arrive this Friday⟧.", ["promise.deadline.on_day"]),
        ("It'll be resolved ⟦within the next 48 hours⟧.", ["promise.deadline.within_period"]),
        ("Refunds are processed ⟦within 5 business days⟧.", ["promise.deadline.within_period"]),
        ("⟦We'll have it fixed by tomorrow⟧.", ["promise.deadline.on_day"]),
        ("⟦We’ll ship it tomorrow⟧ — the typographic apostrophe reads like a plain one.", ["promise.deadline.on_day"]),
    ]

    static let russianNegatives = [
        "Обычно доставка занимает 3 дня.",
        "Доставка может занять до 5 рабочих дней.",
        "Сроки доставки зависят от региона, ориентировочно 3–5 дней.",
        "Мы не можем гарантировать доставку до пятницы.",
        "Как правило, мы отвечаем в течение суток.",
        "Отменить бронь можно за 2 дня до заезда.",
        "Заявка была создана 3 дня назад.",
        "Мы работаем с понедельника до пятницы.",
        "Поддержка работает с 9:00 до 18:00.",
        "Хотите, мы перезвоним завтра?",
        "Вчера мы отправили вам письмо.",
        "Постараемся доставить заказ в пятницу.",
        "Примерно через неделю карта будет готова.",
        "Срок зависит от банка-получателя.",
        "В субботу и воскресенье офис закрыт.",
    ]

    static let englishNegatives = [
        "Transfers usually take 3 business days.",
        "It can take up to 5 business days.",
        "Delivery times vary by region.",
        "We can't promise it will arrive by Friday.",
        "Your payment was made 3 days ago.",
        "Please cancel at least 2 days before your trip.",
        "Could you send us the form by Friday?",
        "It will probably arrive tomorrow.",
        "Processing time is estimated at 3 to 5 days.",
        "We shipped your card yesterday.",
        "Refunds may take 5-7 business days.",
        "Please call us tomorrow.",
        "Our office is open Monday to Friday.",
        "I'm not able to confirm when it will arrive.",
        "The estimated delivery date is Friday.",
    ]

    @Test(arguments: russian)
    func russianDeadlines(_ marked: String, _ rules: [String]) throws {
        try expectPromises(marked, rules)
    }

    @Test(arguments: english)
    func englishDeadlines(_ marked: String, _ rules: [String]) throws {
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

    @Test func findingsSayWhatWasPromised() throws {
        let found = try PromiseFixtures.detector().detect(in: "Сделаем за 3 дня.")
        #expect(found.map(\.message) == ["promises a deadline 'за 3 дня'"])
        #expect(found.map(\.finding.ruleID) == ["promise.deadline.within_period"])
    }

    @Test func weekdaysAreReadInEveryCase() throws {
        for (phrase, day) in [
            ("до", "пятницы"), ("к", "понедельнику"), ("ко", "вторнику"), ("до", "среды"), ("к", "субботе"),
            ("до", "воскресенья"),
        ] {
            try expectPromises("Сделаем ⟦\(phrase) \(day)⟧.", ["promise.deadline.by_date"])
        }
        for day in ["в среду", "в пятницу", "во вторник", "в четверг", "в субботу", "в воскресенье", "в понедельник"] {
            try expectPromises("Курьер ⟦привезёт заказ \(day)⟧.", ["promise.deadline.on_day"])
        }
    }

    @Test func numbersAreDigitsOrWords() throws {
        for (count, unit) in [
            ("3", "часа"), ("три", "часа"), ("пару", "часов"), ("несколько", "часов"), ("2-3", "часа"), ("1,5", "часа"),
            ("полтора", "часа"),
        ] {
            try expectPromises("Ответим ⟦за \(count) \(unit)⟧.", ["promise.deadline.within_period"])
        }
        for count in ["2", "two", "forty-eight", "24"] {
            try expectPromises("We'll reply ⟦within \(count) hours⟧.", ["promise.deadline.within_period"])
        }
    }
}
