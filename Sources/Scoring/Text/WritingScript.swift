/// The script a letter is written in, as far as the `language` check cares: Cyrillic, Latin, or something else.
public enum WritingScript: String, Sendable, Hashable, CaseIterable {
    case cyrillic = "Cyrillic"
    case latin = "Latin"
    case other

    /// The script of a letter; nil for anything that is not a letter (digits, punctuation, spaces, emoji).
    public init?(_ character: Character) {
        guard character.isLetter, let scalar = character.unicodeScalars.first else { return nil }
        self = WritingScript(scalar)
    }

    /// The script of a scalar by its Unicode block.
    public init(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x0400...0x052F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F, 0x1E030...0x1E08F:
            self = .cyrillic
        case 0x0041...0x005A, 0x0061...0x007A, 0x00AA, 0x00BA, 0x00C0...0x00D6, 0x00D8...0x00F6, 0x00F8...0x024F,
            0x0250...0x02AF, 0x1D00...0x1D7F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xAB30...0xAB6F,
            0xFB00...0xFB06, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
            self = .latin
        default:
            self = .other
        }
    }
}
