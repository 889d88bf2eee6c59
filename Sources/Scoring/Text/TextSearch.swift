public import EvalCore

/// Finds literal text in a response and says where, in UTF-8 byte offsets of the original response.
///
/// Matching is done character by character (grapheme clusters), so a match never starts or ends inside a letter:
/// «е» does not match inside «ё», whether «ё» is written precomposed or as «е» plus a combining diaeresis.
/// Characters compare by canonical equivalence. With `ignoreCase`, each character is lowercased with Unicode's full
/// mapping first, so «Коротко» matches «КОРОТКО» and «коротко»; the span is still the response's own bytes.
public struct TextSearch: Sendable {
    public let text: String
    public let ignoreCase: Bool
    /// The comparison key of each character of `text` (see `Keys`).
    let keys: [UInt32]
    /// The UTF-8 offset of each character's start, and one more: the end of the text.
    let offsets: [Int]
    /// The keys given to characters outside the fast ranges, by their (lowercased) text.
    private let interned: [String: UInt32]

    public init(_ text: String, ignoreCase: Bool = false) {
        self.init(text, ignoreCase: ignoreCase, byCharacter: false)
    }

    /// `byCharacter` walks the text's characters (grapheme breaking). Otherwise it walks the scalars while each is a
    /// character of its own (`PlainText.standsAlone`; CR LF is taken as one), which gives the same keys and
    /// offsets, and starts again by character at the first scalar that is not (tests compare the two walks).
    init(_ text: String, ignoreCase: Bool, byCharacter: Bool) {
        self.text = text
        self.ignoreCase = ignoreCase
        var keys: [UInt32] = []
        var offsets: [Int] = []
        var interned: [String: UInt32] = [:]
        keys.reserveCapacity(text.utf8.count)
        offsets.reserveCapacity(text.utf8.count + 1)
        var offset = 0
        var walkCharacters = byCharacter
        if !walkCharacters {
            let scalars = text.unicodeScalars
            var index = scalars.startIndex
            while index < scalars.endIndex {
                let scalar = scalars[index]
                guard PlainText.standsAlone(scalar) else {
                    walkCharacters = true
                    break
                }
                var next = scalars.index(after: index)
                offsets.append(offset)
                if scalar == "\r", next < scalars.endIndex, scalars[next] == "\n" {
                    // CR LF is one character.
                    keys.append(Keys.key("\r\n", ignoreCase: ignoreCase, interned: &interned))
                    offset += 2
                    next = scalars.index(after: next)
                } else {
                    keys.append(
                        Keys.quick(scalar, ignoreCase: ignoreCase)
                            ?? Keys.key(Character(scalar), ignoreCase: ignoreCase, interned: &interned))
                    offset += UTF8.width(scalar)
                }
                index = next
            }
        }
        if walkCharacters {
            keys.removeAll(keepingCapacity: true)
            offsets.removeAll(keepingCapacity: true)
            interned.removeAll()
            offset = 0
            for character in text {
                offsets.append(offset)
                keys.append(Keys.key(character, ignoreCase: ignoreCase, interned: &interned))
                offset += character.utf8.count
            }
        }
        offsets.append(offset)
        self.keys = keys
        self.offsets = offsets
        self.interned = interned
    }

    /// Whether every scalar of `text` is a character of its own (CR LF aside), as `LanguageScan` takes it: then the
    /// text is keyed scalar by scalar to its end, without grapheme breaking.
    static func isSimple(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(PlainText.standsAlone)
    }

    /// Comparison keys: two characters have the same key exactly when their texts (lowercased with `ignoreCase`)
    /// are equal as Swift compares strings, by canonical equivalence. Without building a string per character:
    /// ASCII and the basic Cyrillic block (U+0400–U+045F), nearly all of ru and en text, are keyed by their
    /// (lowercase) scalar value directly; any other character's text is looked up in `fast` first (so a
    /// decomposed «й» or the Kelvin sign gets the key of its precomposed or ASCII equivalent: `String`'s hashing
    /// and equality are by canonical equivalence), then interned with a number above every scalar value.
    private enum Keys {
        static let fast: [String: UInt32] = {
            var table: [String: UInt32] = [:]
            for value in UInt32(0)..<0x80 { table[String(Unicode.Scalar(UInt8(value)))] = value }
            for value in UInt32(0x400)..<0x460 { table[String(Unicode.Scalar(value)!)] = value }
            return table
        }()
        static let sentinel = UInt32.max

        /// The key of a character in the fast ranges; nil for any other.
        @inline(__always)
        static func quick(_ character: Character, ignoreCase: Bool) -> UInt32? {
            let scalars = character.unicodeScalars
            guard scalars.count == 1, let scalar = scalars.first else { return nil }
            return quick(scalar, ignoreCase: ignoreCase)
        }

        /// `quick` for a character of one scalar.
        @inline(__always)
        static func quick(_ scalar: Unicode.Scalar, ignoreCase: Bool) -> UInt32? {
            guard let lowered = BasicScalars.lowercase(scalar) else { return nil }
            return ignoreCase ? lowered.value : scalar.value
        }

        static func text(_ character: Character, ignoreCase: Bool) -> String {
            ignoreCase ? character.lowercased() : String(character)
        }

        static func key(_ character: Character, ignoreCase: Bool, interned: inout [String: UInt32]) -> UInt32 {
            if let key = quick(character, ignoreCase: ignoreCase) { return key }
            let text = text(character, ignoreCase: ignoreCase)
            if let key = interned[text] { return key }
            let key = fast[text] ?? 0x11_0000 + UInt32(interned.count)
            interned[text] = key
            return key
        }

        /// A needle's key: as above, but never interned anew (a character the text lacks matches nothing).
        static func lookup(_ character: Character, ignoreCase: Bool, interned: [String: UInt32]) -> UInt32 {
            if let key = quick(character, ignoreCase: ignoreCase) { return key }
            let text = text(character, ignoreCase: ignoreCase)
            return interned[text] ?? fast[text] ?? sentinel
        }
    }

    private func pattern(_ needle: String) -> [UInt32] {
        needle.map { Keys.lookup($0, ignoreCase: ignoreCase, interned: interned) }
    }

    private func matches(_ pattern: [UInt32], at position: Int) -> Bool {
        for (offset, key) in pattern.enumerated() where keys[position + offset] != key { return false }
        return true
    }

    /// Every non-overlapping occurrence of `needle`, left to right. An empty needle occurs nowhere.
    public func spans(of needle: String) -> [TextSpan] {
        let pattern = pattern(needle)
        guard !pattern.isEmpty, pattern.count <= keys.count else { return [] }
        var spans: [TextSpan] = []
        var position = 0
        while position <= keys.count - pattern.count {
            if matches(pattern, at: position) {
                spans.append(TextSpan(start: offsets[position], end: offsets[position + pattern.count]))
                position += pattern.count
            } else {
                position += 1
            }
        }
        return spans
    }

    /// The first occurrence of `needle`, if any.
    public func firstSpan(of needle: String) -> TextSpan? {
        let pattern = pattern(needle)
        guard !pattern.isEmpty, pattern.count <= keys.count else { return nil }
        for position in 0...(keys.count - pattern.count) where matches(pattern, at: position) {
            return TextSpan(start: offsets[position], end: offsets[position + pattern.count])
        }
        return nil
    }

    public func contains(_ needle: String) -> Bool {
        firstSpan(of: needle) != nil
    }

    /// Whether the text starts with `prefix` (compared as `contains` compares). An empty prefix always matches.
    public func hasPrefix(_ prefix: String) -> Bool {
        let pattern = pattern(prefix)
        return pattern.count <= keys.count && matches(pattern, at: 0)
    }

    /// Whether the text ends with `suffix` (compared as `contains` compares). An empty suffix always matches.
    public func hasSuffix(_ suffix: String) -> Bool {
        let pattern = pattern(suffix)
        return pattern.count <= keys.count && matches(pattern, at: keys.count - pattern.count)
    }
}
