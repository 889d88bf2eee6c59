/// A stable 64-bit FNV-1a hash, printed as 16 hex digits: the same bytes give the same hash on every machine and
/// every run (Swift's `Hasher` is seeded per process, so it cannot be used for content hashes that are stored).
public enum StableHash {
    public static func hash(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let value = hash(bytes)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A fast 64-bit fingerprint of `bytes`, eight at a time (each word folded in by a 128-bit multiply, as wyhash
    /// mixes): for noticing in memory that bytes read again differ from the bytes read before. Never stored: FNV-1a
    /// above is the stable hash; this one is about ten times faster on long lines.
    public static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        func mix(_ value: UInt64, _ key: UInt64) -> UInt64 {
            let (high, low) = value.multipliedFullWidth(by: key)
            return high ^ low
        }
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = mix(hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self), 0xA076_1D64_78BD_642F)
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        return mix(mix(hash ^ tail, 0xE703_7ED1_A0B4_28DB), 0x8EBC_6AF0_9C88_C6E3)
    }
}
