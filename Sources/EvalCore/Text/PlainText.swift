/// Text where comparing and counting characters needs no grapheme breaking and no normalization: every scalar is a
/// character of its own next to any other such scalar (CR LF aside) and has no other canonically equivalent
/// spelling. ru and en prose is such text (ASCII, Latin, Greek, Cyrillic, general punctuation, currency, letterlike
/// and arrow symbols). There a scalar boundary is a character boundary (but inside CR LF), and two such texts are
/// canonically equivalent, which is what `String`'s `==` and character search compare, exactly when their bytes are
/// equal. Code that takes a shortcut on this checks it first and falls back to the character-by-character way.
public enum PlainText {
    /// Scalars that are a grapheme cluster of their own next to any other such scalar (CR LF aside): no combining
    /// marks, joiners, variation selectors, emoji, Hangul or prepended marks.
    @inlinable
    public static func standsAlone(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x300, 0x370..<0x483, 0x48A..<0x530, 0x2000..<0x200C, 0x200E..<0x2065, 0x2066..<0x2070,
            0x20A0..<0x20C1, 0x2100..<0x2300:
            return true
        default:
            return false
        }
    }

    /// A scalar that stands alone and is its own only canonical spelling: the singletons of those ranges (the Kelvin,
    /// ohm and ångström signs, the Greek question mark, ano teleia and numeral sign, the en and em quads) decompose
    /// to another scalar, so text holding one can equal text that does not byte for byte.
    @inlinable
    public static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        guard standsAlone(scalar) else { return false }
        switch scalar.value {
        case 0x374, 0x37E, 0x387, 0x2000, 0x2001, 0x2126, 0x212A, 0x212B: return false
        default: return true
        }
    }

    /// Every scalar of `text` is plain.
    public static func isPlain(_ text: some StringProtocol) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 } || text.unicodeScalars.allSatisfy(isPlain)
    }

    /// Every occurrence of `needle` in `text`, left to right and not overlapping, as `text.ranges(of: needle)` finds
    /// them (comparing characters), found by comparing bytes; nil unless both texts are plain and `needle` is not
    /// empty (the standard library finds an empty range at every character then).
    public static func ranges(of needle: String, in text: String) -> [Range<String.Index>]? {
        guard !needle.isEmpty, isPlain(needle), isPlain(text) else { return nil }
        let bytes = Array(needle.utf8)
        let utf8 = text.utf8
        return utf8.withContiguousStorageIfAvailable { haystack in
            var ranges: [Range<String.Index>] = []
            var from = 0
            while let start = ByteSearch.firstOffset(of: bytes, in: haystack, from: from) {
                let end = start + bytes.count
                // A character never starts or ends between the CR and the LF of a CR LF.
                let splitsBefore = start > 0 && haystack[start - 1] == 0x0D && haystack[start] == 0x0A
                let splitsAfter = end < haystack.count && haystack[end - 1] == 0x0D && haystack[end] == 0x0A
                if splitsBefore || splitsAfter {
                    from = start + 1
                    continue
                }
                ranges.append(utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end))
                from = end
            }
            return ranges
        }
    }

    /// Whether the bytes of `needle` (not empty) are somewhere in `text`; nil unless both texts are plain. On plain
    /// text this is what Foundation's search finds (`contains`, `range(of:)`, `replacingOccurrences`), which
    /// compares UTF-16 units up to canonical equivalence and so also finds a CR or an LF of a CR LF.
    public static func bytesContain(_ needle: String, in text: String) -> Bool? {
        guard !needle.isEmpty, isPlain(needle), isPlain(text) else { return nil }
        let bytes = Array(needle.utf8)
        return text.utf8.withContiguousStorageIfAvailable { ByteSearch.firstOffset(of: bytes, in: $0, from: 0) != nil }
    }
}
