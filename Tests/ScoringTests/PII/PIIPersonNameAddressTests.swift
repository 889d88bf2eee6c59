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

    /// Names after labels, closings, thanks and verbs that ask for someone, a first name alone where it signs or
    /// addresses, surnames in capitals, European titles and letters, and names of many countries.
    @Test(arguments: [
        ("Cheers,\nElizabeth", "Elizabeth"), ("Bot: Thanks, Jennifer. I've escalated it.", "Jennifer"),
        ("Please ask for Krista in billing.", "Krista"), ("звоните на рабочий, спросить Ирину", "Ирину"),
        ("Account holder: DANIELS, Gail", "DANIELS, Gail"), ("Sehr geehrte Frau Nerger, danke", "Frau Nerger"),
        ("Name: Annaliese Röhrdanz", "Annaliese Röhrdanz"),
        (
            "Our contact is Stéphanie Chartier (Lyon).",
            "Stéphanie Chartier"
        ), ("Invoice sent to Czesław Radisch on March 3", "Czesław Radisch"),
        ("Вызовите Жумабаеву Айгерим на встречу", "Жумабаеву Айгерим"),
        ("подпись: Сапаров Бауыржан", "Сапаров Бауыржан"),
        ("Напомните Константиновой Ирине про оплату", "Константиновой Ирине"),
        ("Applicant: Mark Carey, DOB 04/12/1987", "Mark Carey"), ("The parcel was signed for by L. Small.", "L. Small"),
        ("Name: Cilli van der Dussen", "Cilli van der Dussen"),
        ("I spoke with Anne-Rose Vogt yesterday", "Anne-Rose Vogt"),
        ("Письмо от Алины Бойко получено", "Алины Бойко"), ("Письмо от Жанар Ахметовой получено", "Жанар Ахметовой"),
        ("Выдать посылку Даурену Абенову по доверенности", "Даурену Абенову"),
        ("Реквизиты: ИП Бойко В.Г.", "Бойко В.Г."), ("Меня зовут Анна, я по поводу заказа.", "Анна"),
        ("My name is Olivia and I need help.", "Olivia"), ("Dear Olivia,", "Olivia"), ("Спасибо, Наталья!", "Наталья"),
        ("Курьер Алексей позвонит за час.", "Алексей"),
    ])
    func namesAsPeopleWriteThem(text: String, name: String) {
        #expect(PIIDetector(entities: [.personName]).detect(in: text).map(\.text) == [name])
    }

    /// Brands, products, events, transit lines, assistants and public figures named after people, and cues without
    /// a name.
    @Test(arguments: [
        "Tim Hortons gift cards can't be refunded", "Dr Pepper cans are on sale", "My Dr. Martens boots fell apart",
        "Offices are closed on Martin Luther King Jr. Day", "The Victoria Line is delayed",
        "Ask Alexa to reorder towels",
        "ООО \"Иван Петрович\" — поставщик молочной продукции", "Продаю Лада Калина 2012 года",
        "В каком году Юрий Гагарин полетел в космос?", "Thanks for your order", "Please ask for Help Desk",
        "Best regards, The Support Team", "Thanks, Team!", "The Secrets of Homeschooling: Revealed!",
        "Клиент: Метро Маяковская, выход №3", "Клиент: Дед Мороз приедет на утренник", "We moved to B. Then it failed.",
        "Доставка на Красной Площади", "Офис у метро Ивана Франко", "Hi, Wells Fargo declined the transfer",
        "Agent: Johnson & Johnson shampoo is out of stock", "Оператор: Иван-чай в пакетиках закончился",
        "Hi, Main Street Bakery is our partner", "Hi, Ask Alexa to reorder towels", "Hi, Marie Curie won twice",
    ])
    func namedAfterPeopleButNoPerson(text: String) {
        expectNoPII(text, entities: [.personName, .secret])
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

    /// Addresses in the orders and forms people write them: parts in any order, markers after the name, a city
    /// without a marker, a street without one before its house, Zelenograd's buildings, and US/UK/CA/AU/DE/FR lines
    /// across line breaks, post-office boxes and ships.
    @Test(arguments: [
        "455136, Казань, Дежнёва проезд, д. 115А, к. 3", "Самарская обл., город Самара, Комсомольский пр-т, 78, кв 239",
        "Уфа, Школьная 62-208", "Москва, г. Зеленоград, корп. 1752, кв. 73",
        "Береговая наб., 75Б к1 кв.197, г. Екатеринбург", "г.Санкт-Петербург, Театральная пл., дом 68, кв. 201",
        "Респ. Башкортостан, город Уфа, Кривоколенный пер., д. 147А, пом. 39",
        "313 Richard Rapid Apt. 985\nLake Peter, ME 99891", "56 Jordan Oval\nSouth Ricky\nSW1A 1AA",
        "131 Brown Unions, East Michaelton, NT T5M 7X5", "Apt. 106 15 Harper Freeway, Edwardsview, NSW, 2661",
        "P.O. Box 1198, Rodriguezborough, IL 50109", "USNS Mason, FPO AE 08722",
        "rue Jeanne Berger, 76139 Lacombe-sur-Louis", "231, chemin François Le Roux, 47873 BrunVille",
        "Frank-Peter-Rosemann-Weg 8-5\n03948 Germersheim", "332109, город Краснодар, бул. Л.Толстого, д. 6/5 к. 1",
        "Studio 5\nByrne Mill\nBrownmouth\nE8T 5SS", "USCGC Higgins, FPO AP 86557",
    ])
    func addressesAsWritten(address: String) {
        expectPII("Адрес: 1️⃣\(address). Спасибо", entities: [.address], [("1️⃣", "pii.address", address)])
    }

    @Test(arguments: [
        "Итого 2 677 225 руб. 52 коп.", "Ленинградский проспект, 5 минут от метро", "Магазин на Тверской, 12 человек",
        "We ship to Boston, MA 02134 and beyond", "The rue de Rivoli store is closed", "Пункт выдачи: Казань, Пермь",
        "Клиент Иванов Иван Иванович", "Order 12 Main St. mugs, NSW customers only",
    ])
    func numbersAndPlacesThatAreNoAddress(text: String) {
        expectNoPII(text, entities: [.address])
    }

    @Test func aPersonBeforeTheAddressIsNoPartOfIt() {
        let found = PIIDetector(entities: [.personName, .address]).detect(
            in: "Клиент Иванов Иван Иванович, ул. Ленина, д. 5")
        #expect(found.map(\.text) == ["Иванов Иван Иванович", "ул. Ленина, д. 5"])
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
