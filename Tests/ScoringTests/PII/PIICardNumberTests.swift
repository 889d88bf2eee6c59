import Scoring
import Testing

@Suite struct PIICardNumberTests {
    @Test(arguments: [
        "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5500 0055 5555 5559", "2200 7001 2345 6781",
        "2202200000000008", "3782 822463 10005", "378282246310005", "30569309025904", "6011000400000000",
        "3528000700000000", "122000000000003", "4276 3800 1234 5679",
    ])
    func validNumbers(number: String) {
        expectPII("Номер карты: 1️⃣\(number).", entities: [.card], [("1️⃣", "pii.card", number)])
        expectPII("card 1️⃣\(number)", entities: [.card], [("1️⃣", "pii.card", number)])
    }

    @Test func threeCardsInARow() {
        expectPII(
            "1️⃣4012888888881881 2️⃣4012-8888-8888-1881 3️⃣4012 8888 8888 1881", entities: [.card],
            [
                ("1️⃣", "pii.card", "4012888888881881"), ("2️⃣", "pii.card", "4012-8888-8888-1881"),
                ("3️⃣", "pii.card", "4012 8888 8888 1881"),
            ])
    }

    @Test(arguments: [
        "4012-8888-8888-1882",  // Luhn fails
        "1748503543012",  // Luhn-valid, but a 13-digit run starting with 1 is a timestamp, not a card
        "1712345678901",  // a millisecond timestamp
        "9876543210123456",  // no network starts with 9
        "36168002586008",  // Luhn fails
        "4111 1111-1111 1111",  // mixed separators
        "41111 11111 11111 1",  // not grouped as cards are
        "4111.1111.1111.1111",  // dots
        "+4111111111111111",  // a phone-like plus
        "ab4111111111111111",  // glued to a word
        "4111111111111111-42",  // part of a longer code
        "2100 0000 0000 0005",  // 2 outside Mir and Mastercard ranges
        "0000 0000 0000 0000",
    ])
    func rejects(text: String) {
        expectNoPII(text, entities: [.card])
    }

    @Test func anExtraGroupAfterACardIsLeftOut() {
        expectPII("1️⃣4111 1111 1111 1111 1 шт.", entities: [.card], [("1️⃣", "pii.card", "4111 1111 1111 1111")])
    }
}
