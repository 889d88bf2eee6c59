import EvalCore
import Testing

@Suite("Stable hash and the line fingerprint")
struct StableHashTests {
    @Test("FNV-1a gives its published values")
    func fnv() {
        #expect(StableHash.hash([UInt8]()) == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.hash(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.hex(Array("foobar".utf8)) == "85944171f73967e8")
    }

    @Test("the fingerprint tells apart every one-byte change, length change and swap of a generated line")
    func fingerprintSeesChanges() {
        var generator = SplitMix64(seed: 42)
        var seen = Set<UInt64>()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let print = bytes.withUnsafeBytes(StableHash.fingerprint)
            #expect(bytes.withUnsafeBytes(StableHash.fingerprint) == print)
            #expect(seen.insert(print).inserted)
            var longer = bytes
            longer.append(0)
            #expect(longer.withUnsafeBytes(StableHash.fingerprint) != print)
            for position in bytes.indices {
                var changed = bytes
                changed[position] ^= UInt8(1) << UInt8(position % 8)
                #expect(changed.withUnsafeBytes(StableHash.fingerprint) != print, "length \(length) at \(position)")
                if position > 0, bytes[position] != bytes[position - 1] {
                    changed = bytes
                    changed.swapAt(position, position - 1)
                    #expect(changed.withUnsafeBytes(StableHash.fingerprint) != print)
                }
            }
        }
    }
}
