import Scoring
import Testing

@Suite struct PIIINNTests {
    @Test(arguments: ["7707083893", "500100732259", "0274062111", "183501166447", "005826107187"])
    func validNumbers(number: String) {
        expectPII("ИНН организации: 1️⃣\(number).", entities: [.inn], [("1️⃣", "pii.inn", number)])
        expectPII("Taxpayer id 1️⃣\(number)", entities: [.inn], [("1️⃣", "pii.inn", number)])
        expectPII("1️⃣\(number)", entities: [.inn], [("1️⃣", "pii.inn", number)])
    }

    @Test(arguments: [
        "1234567890", "1234567895", "123456789037", "123456789101", "0000000000", "000000000000", "77070838930",
        "77 07 08 38 93", "7707-083893", "ИНН7707083893X", "+7707083893",
    ])
    func rejects(text: String) {
        expectNoPII(text, entities: [.inn])
    }
}
