import Scoring
import Testing

@Suite struct PIIIBANTests {
    @Test(arguments: [
        "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB29NWBK60161331926819",
        "GB29 NWBK 6016 1331 9268 19",
        "AL47-2121-1009-0000-0002-3569-8741", "NO9386011117947", "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
        "BR97 0036 0305 0000 1000 9795 493P 1", "de89 3704 0044 0532 0130 00", "gb29nwbk60161331926819",
    ])
    func validNumbers(iban: String) {
        expectPII("Реквизиты: IBAN 1️⃣\(iban), банк получателя", entities: [.iban], [("1️⃣", "pii.iban", iban)])
    }

    @Test func aWordAfterTheNumberIsNotPartOfIt() {
        expectPII(
            "this is an iban 1️⃣VG96 VPVG 0000 0123 4567 8901 X in a sentence", entities: [.iban],
            [("1️⃣", "pii.iban", "VG96 VPVG 0000 0123 4567 8901")])
        expectPII(
            "1️⃣AL47212110090000000235698741, 2️⃣AL47212110090000000235698741", entities: [.iban],
            [("1️⃣", "pii.iban", "AL47212110090000000235698741"), ("2️⃣", "pii.iban", "AL47212110090000000235698741")])
    }

    @Test(arguments: [
        "DE89 3704 0044 0532 0130 01",  // mod-97 fails
        "DE89 3704 0044 0532 0130",  // too short for DE
        "DE8937040044053201300012",  // too long for DE
        "DE89 3704 0044 0532 0130 00 12",  // grouping continues past the length
        "de89 3704 0044 0532 0130 01",  // lower-case, mod-97 fails
        "GI75 aWBK 0000 0000 7099 453",  // mixed case
        "gB29NWBK60161331926819", "Gb29nwbk60161331926819",
        "AL47/2121/1009/0000/0002/3569/8741",  // slashes
        "HR12 001 0051 8630 0016 A",  // not in groups of four
        "DE89 37040044 0532 0130 00",
        "DE89-3704 0044 0532 0130 00",  // mixed separators
        "AB150120690000003111141",  // no such country
        "XDE89370400440532013000",  // glued to a letter
    ])
    func rejects(text: String) {
        expectNoPII(text, entities: [.iban])
    }
}
