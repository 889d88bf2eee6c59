import Scoring
import Testing

@Suite struct PIISNILSTests {
    @Test(arguments: ["112-233-445 95", "112-233-445-95", "112 233 445 95", "11223344595", "087-654-303 00"])
    func validNumbers(number: String) {
        expectPII("СНИЛС: 1️⃣\(number)", entities: [.snils], [("1️⃣", "pii.snils", number)])
        expectPII("1️⃣\(number)", entities: [.snils], [("1️⃣", "pii.snils", number)])
    }

    @Test func legacyNumbersOnlyNextToTheirName() {
        expectPII("СНИЛС 1️⃣001-001-998", entities: [.snils], [("1️⃣", "pii.snils", "001-001-998")])
        expectPII("SNILS: 1️⃣001001997", entities: [.snils], [("1️⃣", "pii.snils", "001001997")])
        expectPII("СНИЛС 1️⃣001-001-998 00", entities: [.snils], [("1️⃣", "pii.snils", "001-001-998 00")])
        expectNoPII("001-001-998", entities: [.snils])
        expectNoPII("001001998", entities: [.snils])
        expectNoPII("СНИЛС 001-001-999", entities: [.snils])  // above the legacy range, and nine digits
    }

    @Test(arguments: [
        "112-233-445 94", "67237412306", "77150100", "78fffffff", "000-000-000 00", "112-233-44595", "112-233-445.95",
    ])
    func rejects(text: String) {
        expectNoPII("СНИЛС \(text)", entities: [.snils])
    }

    @Test func aSolidRunThatIsAlsoAPhoneIsAPhoneUnlessSNILSIsNamed() {
        // 89123456726 passes both the SNILS checksum and the Russian phone shape.
        expectPII("тел. 1️⃣89123456726", [("1️⃣", "pii.phone", "89123456726")])
        expectPII("1️⃣89123456726", [("1️⃣", "pii.phone", "89123456726")])
        expectPII("СНИЛС 1️⃣89123456726", [("1️⃣", "pii.snils", "89123456726")])
    }
}
