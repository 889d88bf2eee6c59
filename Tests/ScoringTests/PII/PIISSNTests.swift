import Scoring
import Testing

@Suite struct PIISSNTests {
    @Test(arguments: ["123-45-6789", "078-05-1123", "078 05 1123", "078.05.1123"])
    func validNumbers(number: String) {
        expectPII("SSN: 1️⃣\(number).", entities: [.ssn], [("1️⃣", "pii.ssn", number)])
        expectPII("abc 1️⃣\(number) abc", entities: [.ssn], [("1️⃣", "pii.ssn", number)])
    }

    @Test(arguments: [
        "000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000", "078-05-1120",
        "219-09-9999", "123456789", "078-051121", "693-09.4444", "123-45-6789-1", "1-123-45-6789", "+123-45-6789",
    ])
    func rejects(text: String) {
        expectNoPII(text, entities: [.ssn])
    }
}
