/// Character classes of one scalar without Unicode property lookups for ASCII and the basic Cyrillic block
/// (U+0400–U+045F, every letter of Russian), where nearly all ru and en text lies; other scalars ask their
/// properties. Each answers as `Character(scalar)` would (`LanguageScanTests` checks every code point below U+3001).
enum BasicScalars {
    /// `Character(scalar).isLetter`: the scalar's Alphabetic property (every scalar of U+0400–U+045F is a letter).
    @inline(__always)
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
        if (0x400...0x45F).contains(value) { return true }
        return scalar.properties.isAlphabetic
    }

    /// `Character(scalar).isNumber`: the scalar has a numeric type (none in U+0400–U+045F).
    @inline(__always)
    static func isNumber(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (0x30...0x39).contains(value) }
        if (0x400...0x45F).contains(value) { return false }
        return scalar.properties.numericType != nil
    }

    /// `Character(scalar).isWhitespace`: Unicode's White_Space property, whose 25 scalars are listed here (the
    /// property lookup costs more than the rest of a scan).
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// `Character(scalar).isPunctuation`: general category P (ASCII without the lookup: `$+<=>^`|~` are symbols).
    @inline(__always)
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            switch value {
            case 0x21...0x23, 0x25...0x2A, 0x2C...0x2F, 0x3A, 0x3B, 0x3F, 0x40, 0x5B...0x5D, 0x5F, 0x7B, 0x7D:
                return true
            default: return false
            }
        }
        if (0x400...0x45F).contains(value) { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// A letter or a number.
    @inline(__always)
    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || isNumber(scalar)
    }

    /// The lowercase mapping of an ASCII or U+0400–U+045F scalar (one scalar there), without the property lookup,
    /// which builds a string per scalar; nil for every other scalar.
    @inline(__always)
    static func lowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        switch value {
        case 0x41...0x5A, 0x410...0x42F: return Unicode.Scalar(value + 0x20)
        case 0x400...0x40F: return Unicode.Scalar(value + 0x50)
        case 0..<0x80, 0x430...0x45F: return scalar
        default: return nil
        }
    }
}
