import Scoring
import Testing

@Suite struct PIIPassportRUTests {
    @Test(arguments: [
        "45 08 123456", "4508 123456", "4508123456", "4508 № 123456", "4508 №123456", "45 08 номер 123456",
    ])
    func nearTheWordPassport(number: String) {
        expectPII("Паспорт: 1️⃣\(number), выдан ОВД", entities: [.passportRU], [("1️⃣", "pii.passport_ru", number)])
    }

    @Test func otherContextWords() {
        expectPII(
            "серия и номер: 1️⃣4508 123456", entities: [.passportRU], [("1️⃣", "pii.passport_ru", "4508 123456")])
        expectPII(
            "Passport no. 1️⃣4508 123456 was issued", entities: [.passportRU],
            [("1️⃣", "pii.passport_ru", "4508 123456")])
        expectPII(
            "1️⃣4508 123456 — это ваш паспорт", entities: [.passportRU], [("1️⃣", "pii.passport_ru", "4508 123456")])
    }

    @Test(arguments: [
        "Заказ 4508 123456 отправлен", "номер 4508123456", "4508 123456",
        "паспорт 4508 12345",  // five digits
        "паспорт 4508 1234567", "паспорт 45081234567", "паспорт 0000 000000", "паспорт 4508-123456-7",
        "Паспорт выдан давно, и ещё очень много слов подряд здесь, потом 4508 123456",
    ])
    func rejects(text: String) {
        expectNoPII(text, entities: [.passportRU])
    }

    @Test func aPassportNumberWinsOverAnINNOfTheSameDigits() {
        // 7707083893 is also a valid INN; next to «паспорт» it is read as a passport.
        expectPII("паспорт 1️⃣7707083893", [("1️⃣", "pii.passport_ru", "7707083893")])
        expectPII("ИНН 1️⃣7707083893", [("1️⃣", "pii.inn", "7707083893")])
    }
}
