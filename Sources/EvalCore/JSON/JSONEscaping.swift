/// EvalCore's one JSON string escaper: every hand-written JSON writer (`CanonicalJSON`, the scripted endpoint's
/// responses) is declared on it, so that they all write the same bytes for the same text.
///
/// It escapes only what JSON requires: `"` and `\` as `\"` and `\\`, the control characters with a short form as
/// `\n`, `\r`, `\t`, `\b`, `\f`, the others as `\u00XX` (lowercase hex); everything else, non-ASCII included, is
/// copied as UTF-8.
public enum JSONEscaping {
    /// Hands `write` the inside of the JSON string literal of `utf8` (without its quotes), piece by piece: runs
    /// that need no escape whole, then each escape.
    @inlinable
    public static func escape(_ utf8: UnsafeBufferPointer<UInt8>, into write: (UnsafeBufferPointer<UInt8>) -> Void) {
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { write(UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            runStart = index + 1
            let short: StaticString
            switch byte {
            case UInt8(ascii: "\""): short = #"\""#
            case UInt8(ascii: "\\"): short = #"\\"#
            case 0x0A: short = #"\n"#
            case 0x0D: short = #"\r"#
            case 0x09: short = #"\t"#
            case 0x08: short = #"\b"#
            case 0x0C: short = #"\f"#
            default:
                let hex: StaticString = "0123456789abcdef"
                var sequence: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0x0F)]
                )
                withUnsafeBytes(of: &sequence) { write($0.assumingMemoryBound(to: UInt8.self)) }
                continue
            }
            write(UnsafeBufferPointer(start: short.utf8Start, count: short.utf8CodeUnitCount))
        }
        if runStart < utf8.count { write(UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }

}
