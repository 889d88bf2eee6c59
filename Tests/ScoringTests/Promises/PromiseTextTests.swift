import EvalCore
import Scoring
import Testing

/// Reading the text: spans are UTF-8 byte offsets into the response as written, whatever its case, letters, spaces
/// and invisible characters.
@Suite struct PromiseTextTests {
    @Test func spansAreBytesOfTheOriginalText() throws {
        let text = "🙂 Мы ГАРАНТИРУЕМ возврат"
        let found = try PromiseFixtures.detector().detect(in: text)
        #expect(found.map(\.span) == [TextSpan(start: 10, end: 32)])  // "🙂 " is 5 bytes, "Мы " 5 more
        #expect(found.map(\.text) == ["ГАРАНТИРУЕМ"])
    }

    @Test func yoIsReadAsYe() throws {
        try expectPromises("Курьер ⟦привезёт заказ завтра⟧.", ["promise.deadline.on_day"])
        try expectPromises("Курьер ⟦привезет заказ завтра⟧.", ["promise.deadline.on_day"])
        try expectPromises("Замену сделаем ⟦за НАШ СЧЁТ⟧.", ["promise.fee_waiver.not_charged"])
    }

    @Test func thousandsMayBeGroupedWithAnySpace() throws {
        for space in [" ", "\u{00A0}", "\u{202F}"] {
            try expectPromises("Подписка ⟦стоит 1\(space)500 ₽⟧.", ["promise.price.amount"])
        }
    }

    @Test func invisibleCharactersDoNotHideAWord() throws {
        try expectPromises("Мы ⟦гаран\u{200B}тируем⟧ возврат.", ["promise.guarantee.explicit"])
        try expectPromises("Мы ⟦гаран\u{00AD}тируем⟧ возврат.", ["promise.guarantee.explicit"])
    }

    @Test func aDashBeforeAPriceIsReadAsPartOfIt() throws {
        try expectPromises("Пульт ⟦— 850 рублей⟧, могу добавить его в заказ.", ["promise.price.amount"])
        try expectPromises("Замена экрана ⟦– 12 900 ₽⟧.", ["promise.price.amount"])
        try expectNoPromise("Пульт — хорошая модель.")
        try expectNoPromise("Платёж — 850 рублей — был списан 2 мая.")
    }

    @Test func lineBreaksEndSentences() throws {
        try expectNoPromise("Хотите, доставим\nзавтра?")
        try expectPromises("- Доставка ⟦бесплатно⟧\r\n- Не все тарифы доступны онлайн", ["promise.price.free"])
        try expectNoPromise("- Доставка бесплатно не все тарифы")
    }

    @Test func aPeriodBeforeALowercaseWordIsAnAbbreviation() throws {
        try expectPromises("Подписка ⟦стоит 500 руб. в месяц⟧.", ["promise.price.amount"])
        try expectPromises("Это ⟦стоит 500 руб⟧. Не переживайте.", ["promise.price.amount"])
    }

    @Test func emptyAndPunctuationOnlyTextHasNoPromises() throws {
        try expectNoPromise("")
        try expectNoPromise(" .,!? — … \n")
        try expectNoPromise("%$₽")
    }
}
