import Scoring
import Testing

/// Guarantees: in words (`гарантируем`, `I promise`) and as certainty (`обязательно вернём`, `100% sure`).
@Suite struct PromiseGuaranteeTests {
    static let russian: [(String, [String])] = [
        ("Мы ⟦гарантируем⟧ возврат денег.", ["promise.guarantee.explicit"]),
        ("⟦Гарантирую⟧, что проблема ⟦не повторится⟧.", ["promise.guarantee.explicit", "promise.certainty.assured"]),
        ("Заказ будет ⟦гарантированно⟧ доставлен.", ["promise.guarantee.explicit"]),
        ("⟦Обещаю⟧, всё решим.", ["promise.guarantee.explicit"]),
        ("⟦Обязательно пришлём⟧ документы.", ["promise.certainty.assured"]),
        ("Заказ ⟦точно будет⟧ у вас.", ["promise.certainty.assured"]),
        ("⟦Без сомнений⟧, вопрос решим.", ["promise.certainty.assured"]),
        ("Документы ⟦придут на 100%⟧.", ["promise.certainty.assured"]),
        ("Да, ⟦100%⟧.", ["promise.certainty.assured"]),
        ("⟦Можете быть уверены⟧, заказ приедет вовремя.", ["promise.certainty.assured"]),
        ("⟦Даём гарантию⟧ на ремонт.", ["promise.guarantee.explicit"]),
        ("⟦Я уверен⟧, что всё получится.", ["promise.certainty.assured"]),
        ("Мы ⟦ГАРАНТИРУЕМ⟧ сохранность данных.", ["promise.guarantee.explicit"]),
        (
            "Мы не только ⟦гарантируем⟧ возврат, но и ⟦компенсируем⟧ доставку.",
            ["promise.guarantee.explicit", "promise.compensation.goodwill"]
        ),
        ("⟦Гарантируем⟧ возврат ⟦за 3 дня⟧.", ["promise.guarantee.explicit", "promise.deadline.within_period"]),
    ]

    static let english: [(String, [String])] = [
        ("We ⟦guarantee⟧ a ⟦full refund⟧.", ["promise.guarantee.explicit", "promise.refund.money_back"]),
        ("Your money is ⟦guaranteed⟧.", ["promise.guarantee.explicit"]),
        ("⟦I promise⟧ we'll fix it.", ["promise.guarantee.explicit"]),
        ("⟦Rest assured⟧, your data is safe.", ["promise.certainty.assured"]),
        ("I ⟦assure you⟧ the charge will be reversed.", ["promise.certainty.assured"]),
        ("⟦You have my word⟧.", ["promise.certainty.assured"]),
        ("The order ⟦will certainly⟧ be processed.", ["promise.certainty.assured"]),
        ("I'm ⟦100% sure⟧ the parcel is on its way.", ["promise.certainty.assured"]),
        ("⟦Without a doubt⟧, we'll sort it out.", ["promise.certainty.assured"]),
        ("It will arrive ⟦for sure⟧.", ["promise.certainty.assured"]),
        ("⟦You can count on⟧ us.", ["promise.certainty.assured"]),
        ("We ⟦will definitely⟧ fix this.", ["promise.certainty.assured"]),
        ("We ⟦guarantee⟧ that it ⟦won't happen again⟧.", ["promise.guarantee.explicit", "promise.certainty.assured"]),
        ("Your card ⟦will definitely⟧ arrive ⟦by Friday⟧.", ["promise.certainty.assured", "promise.deadline.by_date"]),
    ]

    static let russianNegatives = [
        "Мы не можем гарантировать сроки.",
        "Не гарантируем доставку в праздничные дни.",
        "Гарантировать этого не можем.",
        "Гарантировать, к сожалению, мы этого не можем.",
        "Гарантийный ремонт проводится в сервисном центре.",
        "Обязательно укажите номер заказа.",
        "Я не уверен на 100%.",
        "Точно сказать не могу.",
        "Требуется 100% предоплата.",
        "Не могу обещать, что всё решится быстро.",
    ]

    static let englishNegatives = [
        "We cannot guarantee delivery times.",
        "I can't promise anything.",
        "There is no guarantee the transfer will succeed.",
        "Delivery dates are not guaranteed.",
        "I'm not 100% sure.",
        "Make sure to enter the code.",
        "Are you sure you want to cancel?",
        "We don't guarantee exchange rates.",
        "I can't say for sure.",
    ]

    @Test(arguments: russian)
    func russianGuarantees(_ marked: String, _ rules: [String]) throws {
        try expectPromises(marked, rules)
    }

    @Test(arguments: english)
    func englishGuarantees(_ marked: String, _ rules: [String]) throws {
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

    @Test func everyFormOfTheVerbIsOneStem() throws {
        for form in ["гарантирую", "гарантируем", "гарантирует", "гарантированно", "гарантировано", "гарантируют"] {
            try expectPromises("Банк ⟦\(form)⟧ возврат.", ["promise.guarantee.explicit"])
        }
    }

    @Test func findingsSayWhatWasPromised() throws {
        let found = try PromiseFixtures.detector().detect(in: "Мы гарантируем возврат за 3 дня")
        #expect(found.map(\.message) == ["promises a guarantee 'гарантируем'", "promises a deadline 'за 3 дня'"])
    }
}
