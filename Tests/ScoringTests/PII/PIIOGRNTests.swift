import Scoring
import Testing

@Suite struct PIIOGRNTests {
    @Test(arguments: ["1027700132195", "1022500001325", "5077746887312", "1047796885861"])
    func companies(number: String) {
        expectPII("ОГРН 1️⃣\(number)", entities: [.ogrn], [("1️⃣", "pii.ogrn", number)])
        expectPII("registration 1️⃣\(number).", entities: [.ogrn], [("1️⃣", "pii.ogrn", number)])
    }

    @Test(arguments: ["304500116000157", "385768585948949"])
    func soleTraders(number: String) {
        expectPII("ОГРНИП: 1️⃣\(number)", entities: [.ogrnip], [("1️⃣", "pii.ogrnip", number)])
        expectNoPII("ОГРНИП: \(number)", entities: [.ogrn])
    }

    @Test(arguments: [
        "1022500001328",  // checksum
        "0022500001325",  // starts with 0
        "8934422763457",  // not a company sign
        "1712345678901",  // a millisecond timestamp: checksum passes, year 71 does not exist
        "985768585948944",  // an OGRNIP must start with 3
        "507774688731", "1027700132195-5",
    ])
    func rejects(text: String) {
        expectNoPII(text, entities: [.ogrn, .ogrnip])
    }
}
