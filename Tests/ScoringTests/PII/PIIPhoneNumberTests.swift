import Scoring
import Testing

@Suite struct PIIPhoneNumberTests {
    @Test(arguments: [
        "+4915123456789", "+7 (912) 345-67-89", "+7 912 345-67-89", "+79123456789", "+7(8352)42-14-14",
        "+44 20 7946 0958", "+1 415 555 0132", "+33 1 42 68 53 00", "+44 (20) 7123 4567", "+55 11 98456 5666",
        "+380 44 123 4567", "+998 90 123 45 67",
    ])
    func international(number: String) {
        expectPII("Звоните: 1️⃣\(number).", entities: [.phone], [("1️⃣", "pii.phone", number)])
    }

    @Test(arguments: [
        "8 912 345 67 89", "8-800-555-35-35", "8 (912) 345-67-89", "8(8352)42-14-14", "89123456789", "79161234567",
        "8 (800) 123-45-67",
    ])
    func russianNational(number: String) {
        expectPII("Наш телефон 1️⃣\(number), звоните", entities: [.phone], [("1️⃣", "pii.phone", number)])
    }

    @Test(arguments: [
        "(212) 555-0199", "(415)555-0132", "212-555-0199", "212.555.0199", "212 555 0199", "1-800-555-0199",
        "(495) 123-45-67", "020 7946 0958", "090-1234-5678", "09-7625400", "13812345678",
    ])
    func nationalFormats(number: String) {
        expectPII("Call us at 1️⃣\(number) today", entities: [.phone], [("1️⃣", "pii.phone", number)])
    }

    /// Shapes that are phones only as people write them or when named one: `8 ddd ddd dd dd` with any area code (the
    /// way Russian numbers are printed), a trunk `0` and a one-digit area code in parentheses, solid runs right after
    /// a phone word, Belarusian solid `80…`, local numbers after `номер`.
    @Test(arguments: [
        ("Курьер не дозвонился на 1️⃣8 176 199 08 59, просьба связаться", "8 176 199 08 59"),
        ("ph. 1️⃣(02) 8063 5423", "(02) 8063 5423"), ("Одесса, тел. 1️⃣0930045124", "0930045124"),
        ("тел. 1️⃣82356390045", "82356390045"), ("белорусский номер 1️⃣80290680861", "80290680861"),
        ("Киев, номер 1️⃣458 56 30", "458 56 30"), ("звоните на рабочий 1️⃣591-61-14, спросить Ирину", "591-61-14"),
        ("my number there is 1️⃣0238278901", "0238278901"),
        ("Reach our Paris office at 1️⃣06.51.46.32.53", "06.51.46.32.53"), ("Киев, номер 1️⃣0738971580", "0738971580"),
    ])
    func writtenAsPeopleDo(text: String, number: String) {
        // named a phone, any grouping of 7–15 digits is one, even where no national plan has it
        expectPII("tel 1️⃣12-415-555-01", entities: [.phone], [("1️⃣", "pii.phone", "12-415-555-01")])
        expectPII("Please call me at 1️⃣(03).6018.1590", entities: [.phone], [("1️⃣", "pii.phone", "(03).6018.1590")])
        expectPII(text, entities: [.phone, .inn], [("1️⃣", "pii.phone", number)])
    }

    /// Codes written in groups like phones: a word naming the code makes them no phone.
    @Test(arguments: [
        "USPS tracking 9063 6526 4971 0296 1401 92", "EIN 02-5527879 (business tax id)", "Part no. 485-84-6926 fits",
        "serial 212-555-0199", "0930045124", "номер заказа 458 56 30", "Invoice INV-0837-03182 is due",
        "Пользователь 0930045124", "whitelist my IP 192.168.20.58 please",
    ])
    func groupedCodesAreNotPhones(text: String) {
        expectNoPII(text, entities: [.phone, .ssn])
    }

    @Test func severalNumbersInOneSentence() {
        expectPII(
            "My US number is 1️⃣(415) 555-0132, and my international one is 2️⃣+1 415 555 0132", entities: [.phone],
            [("1️⃣", "pii.phone", "(415) 555-0132"), ("2️⃣", "pii.phone", "+1 415 555 0132")])
        expectPII(
            "Телефоны: 1️⃣+7 912 345-67-89, 2️⃣8 800 555 35 35 и 3️⃣8(8352)42-14-14.", entities: [.phone],
            [
                ("1️⃣", "pii.phone", "+7 912 345-67-89"), ("2️⃣", "pii.phone", "8 800 555 35 35"),
                ("3️⃣", "pii.phone", "8(8352)42-14-14"),
            ])
    }

    @Test func aTrailingNumberIsNotSwallowed() {
        expectPII("1️⃣+7 912 345 67 89 10 раз", entities: [.phone], [("1️⃣", "pii.phone", "+7 912 345 67 89")])
        expectPII("1️⃣+44 20 7946 0958 12 times", entities: [.phone], [("1️⃣", "pii.phone", "+44 20 7946 0958")])
    }

    @Test(arguments: [
        "Дата: 2024-01-15", "Дата: 15.01.2024", "в 12:30", "версия 1.2.3", "1 000 000 рублей",
        "в 2023 году 15 000 клиентов",
        "заказ №89123456789", "order #89123456789", "+7 912 345", "+791234567890123", "+12", "2024-415-555-0199",
        "ISBN 978-5-17-118366-3", "tel415-555-0132", "555-0132", "112-555-0199", "(112) 555-0199", "+0 123 456 7890",
        "+28 123 456 789", "123456789012", "85123456789", "8 512 3456789", "01-02-2024", "+7 (912 345-67-89",
        "7 (912) 34",
    ])
    func rejects(text: String) {
        expectNoPII(text, entities: [.phone])
    }

    /// Phones as people write them: extensions, call prefixes instead of `+`, a trunk `(0)`, Belarusian `8 0xx`,
    /// Ukrainian and German area codes in parentheses, a spaced slash.
    @Test(arguments: [
        "(415)555-0142x31", "731.555.0199", "415-555-0142 x084", "415.555.0142 ext. 12", "001-212-555-0107",
        "001-212-555-0107x1234", "8-10-49-30-12345678", "8 10 44 20 7946 0958", "00 49 30 12345678", "0049 89 1234567",
        "+44 (0)20 7946 0958", "+44(0)1614960550", "+33 (0)6 12 34 56 78", "8 (912) 345-67-89 доб. 123",
        "+7 (495) 123-45-67, доб. 45", "8 029 123-45-67", "(050) 923-35-72", "(089) 5895473", "089 / 189595",
        "+375 29 123-45-67", "+380 50 123 45 67", "+7 701 123 45 67",
    ])
    func writtenAsPeopleDo(number: String) {
        expectPII("Звоните: 1️⃣\(number) завтра", entities: [.phone], [("1️⃣", "pii.phone", number)])
    }

    @Test(arguments: ["тел. 478-5520", "Позвоните по телефону 863-62-79", "tel. 20-82-05", "Phone 446-59-18"])
    func localNumbersAfterAPhoneWord(text: String) throws {
        let found = PIIDetector(entities: [.phone]).detect(in: text)
        #expect(found.map(\.text) == [String(try #require(text.split(separator: " ").last))])
    }

    @Test(arguments: [
        "Артикул 478-5520", "счёт 544-50-71", "в 20-82-05", "Room 446-59-18", "x 415-555-0142x", "555-0142 x 3",
        "00 00 12345678", "8-10-00-30-12345678", "415-555-0142xyz", "(001) 345-67-89", "(150) 923-35-72",
        "tel 2024-01-15", "tel: 15.01.2024", "phone 12 345", "тел. 1-2-3-4-5-6-7",
    ])
    func notPhones(text: String) {
        expectNoPII(text, entities: [.phone])
    }

    @Test func anExtensionNeedsDigitsAndEndsAtAWord() {
        expectPII("1️⃣415-555-0142 ext. 12a", entities: [.phone], [("1️⃣", "pii.phone", "415-555-0142")])
        expectPII("1️⃣415-555-0142 доб.", entities: [.phone], [("1️⃣", "pii.phone", "415-555-0142")])
    }
}
