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
}
