import Testing

@testable import EvalCore

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

@Suite("UTF-8 validation of a source line")
struct SourceUTF8Tests {
    @Test("the fast validation and the parser agree on where valid UTF-8 ends, on generated good and bad bytes")
    func sameOffsets() {
        var generator = SplitMix64(seed: 8)
        let pieces: [[UInt8]] = [
            Array("a{\"id\":".utf8), Array("Привет".utf8), Array("€👋".utf8), [0xC0, 0x80], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF], [0xF0, 0x9F, 0x91], [0xC2, 0xA0], [0x00],
        ]
        var invalid = 0
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...8, using: &generator)).flatMap { _ in
                Int.random(in: 0..<4, using: &generator) == 0
                    ? pieces.randomElement(using: &generator)! : Array(pieces[0...2].randomElement(using: &generator)!)
            }
            // A lazy collection has no contiguous storage: only the parser reads it.
            let parsed = SourceText.firstInvalidUTF8Offset(bytes.lazy.map { $0 })
            #expect(SourceText.firstInvalidUTF8Offset(bytes) == parsed, "\(bytes)")
            #expect((parsed == nil) == (String(validating: bytes, as: UTF8.self) != nil))
            if parsed != nil { invalid += 1 }
        }
        #expect(invalid > 500 && invalid < 4_500)
    }
}
