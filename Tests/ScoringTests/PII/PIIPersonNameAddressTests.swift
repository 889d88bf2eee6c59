import EvalCore
import Scoring
import Testing

/// `person_name` and `address`: what marks a name or an address, and what only looks like one.
@Suite struct PIIPersonNameAddressTests {
    @Test(arguments: [
        "Иванов Иван Иванович", "Ивановой Анне Сергеевне", "Петру Ильичу", "Смирновым Олегом Петровичем",
        "Анна Сергеевна Смирнова", "Софии Евгеньевны", "И. И. Иванов", "А. Н. Макарову", "Иванов И.И.",
        "Римского-Корсакова Николая Андреевича", "Нины Кузьминичны",
    ])
    func russianNames(name: String) {
        expectPII("Речь о 1️⃣\(name) в заявлении.", entities: [.personName], [("1️⃣", "pii.person_name", name)])
    }

    @Test(arguments: [
        ("Dear Mr. John Smith, thanks", "Mr. John Smith"), ("Regards,\nMary Johnson", "Mary Johnson"),
        ("Hi, this is Robert Miller from billing", "Robert Miller"), ("Name: Anna Lee", "Anna Lee"),
        ("The parcel is for Susan Clark.", "Susan Clark"), ("Получатель: Петров Сергей", "Петров Сергей"),
        ("Please call Dr Patel today", "Dr Patel"),
    ])
    func cuedNames(text: String, name: String) throws {
        let found = PIIDetector(entities: [.personName]).detect(in: text)
        #expect(found.map(\.text) == [name])
    }

    /// A first name of the gazetteer beside a surname-shaped word, in either order and any case, without a
    /// patronymic or a label; and the `-ич` patronymics of male names in `-а`/`-я`.
    @Test(arguments: [
        ("Передайте, пожалуйста, Ивану Петрову.", "Ивану Петрову"),
        ("Заявку оформила Мария Соколова вчера.", "Мария Соколова"),
        ("Звонил Кузнецов Дмитрий по поводу возврата.", "Кузнецов Дмитрий"),
        ("С уважением, Анна Смирнова", "Анна Смирнова"), ("Письмо от Екатерины Волковой.", "Екатерины Волковой"),
        ("Курьер свяжется с Павлом Морозовым.", "Павлом Морозовым"),
        ("Договор подписал Лукин Фома Ильич.", "Лукин Фома Ильич"),
        ("Встретьтесь с Никитой Саввичем Орловым.", "Никитой Саввичем Орловым"),
    ])
    func russianFirstNameAndSurname(text: String, name: String) {
        let found = PIIDetector(entities: [.personName]).detect(in: text)
        #expect(found.map(\.text) == [name])
    }

    /// Names that are common words at a sentence start, names of streets, stations and prizes, and first names alone.
    @Test(arguments: [
        "Доставим на улицу Льва Толстого завтра.", "Магазин на проспекте Ивана Петрова.",
        "Лауреат премии Андрея Белого.", "Иван, спасибо за ожидание!", "Мария, ваш заказ в пути.",
        "Роман Петрова вышел в мягкой обложке.", "Лада Калина есть в наличии.",
    ])
    func firstNamesThatAreNotPeople(text: String) {
        expectNoPII(text, entities: [.personName])
    }

    @Test(arguments: [
        "Спасибо, что выбрали Сбербанк Онлайн!", "Закажите Ленинградский рассольник со скидкой.",
        "Доставляем в Нижний Новгород и Санкт-Петербург.", "Dear Customer, your order shipped.",
        "Best regards, The Support Team", "Thanks for shopping at Apple Store.", "Try our Fifth Avenue perfume.",
        "Иван сказал, что Москва большая.", "Meet us at Lincoln Center.", "ул. Ленина",
        "Офис в Казани закрыт.", "We ship to Boston, MA in two days.", "Order 12 Apple Watch bands today.",
    ])
    func brandsProductsAndCitiesAreQuiet(text: String) {
        expectNoPII(text, entities: [.personName, .address])
    }

    @Test(arguments: [
        "г. Москва, ул. Тверская, д. 7, кв. 12", "ул. Ленина, д. 5", "пр-т Мира, д. 101/2, корп. 3, кв. 45",
        "с. Псков, ул. Кирпичная, д. 5/1 к. 91, 171338", "улица 8 Марта, дом 3",
        "город Нижний Новгород, пер. Гоголя, 12",
        "1600 Pennsylvania Avenue NW, Washington, DC 20500", "12 Main St., Springfield, IL 62704",
        "Flat 5, Smith Street, London SW1A 1AA", "PSC 7397, Box 7643, APO AA 35348", "Hauptstraße 5, 10115 Berlin",
        "Hans-Herbert-Radisch-Weg 12, 61398 Gotha",
    ])
    func addresses(address: String) {
        expectPII("Адрес: 1️⃣\(address). Спасибо", entities: [.address], [("1️⃣", "pii.address", address)])
    }

    @Test func theStoresOwnAddressIsAllowed() {
        let check = PIICheck(entities: [.address], allow: ["ул. Тверская, д. 7"])
        #expect(check.evaluate(CheckInput(response: "Магазин: г. Москва, ул. Тверская, д. 7.")).passed)
        let other = check.evaluate(CheckInput(response: "Курьер приедет: г. Москва, ул. Арбат, д. 1, кв. 3."))
        #expect(other.findings.map(\.ruleID) == ["pii.address"])
    }

    @Test func namesAndAddressesAreMaskedLikeOtherPersonalData() {
        let outcome = PIICheck().evaluate(CheckInput(response: "Клиент Иванов Иван Иванович, ул. Ленина, д. 5"))
        #expect(outcome.findings.map(\.ruleID) == ["pii.person_name", "pii.address"])
        #expect(outcome.findings.allSatisfy { $0.ruleID.hasPrefix("pii.") })
    }
}
