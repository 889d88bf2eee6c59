import Foundation

/// The normalised words of a text, as contamination checks compare them: Unicode NFKC, case-folded, `ё` read as `е`,
/// punctuation, symbols and whitespace only separating words (`e-mail, E‑MAIL` → `e mail e mail`). A word is a run of
/// letters, digits and combining marks. Each word is kept as a 64-bit hash of its folded UTF-8 bytes; `ranges` says
/// where each word stands in `text` (UTF-8 offsets), so an overlap can be shown as it was written.
///
/// Texts of ASCII and basic Cyrillic (U+0400–U+045F, all of them NFKC-stable) are folded byte by byte without
/// building any string — the path a training file of a gigabyte takes; any other text is NFKC-normalised first and
/// its scalars classified by their Unicode properties. Both paths give the same words for the same text.
public struct WordTokens: Sendable {
    /// The text the ranges point into: the text given, or its NFKC form when that differs.
    public var text: String
    public var hashes: [UInt64]
    public var ranges: [Range<Int>]

    public init(_ text: String) {
        var hashes: [UInt64] = []
        var ranges: [Range<Int>] = []
        self.text = WordTokens.tokenize(text, into: &hashes, ranges: &ranges)
        self.hashes = hashes
        self.ranges = ranges
    }

    /// The words of `text` from `from` up to (not including) `to`, as written.
    public func span(words: Range<Int>) -> String {
        guard !words.isEmpty, words.upperBound <= ranges.count else { return "" }
        let utf8 = Array(text.utf8)
        return String(
            decoding: utf8[ranges[words.lowerBound].lowerBound..<ranges[words.upperBound - 1].upperBound], as: UTF8.self
        )
    }

    /// Appends the word hashes of `text` to `hashes` (and, when `ranges` is given, each word's UTF-8 range in the text
    /// returned); returns the text the ranges point into.
    @discardableResult
    public static func tokenize(_ text: String, into hashes: inout [UInt64], ranges: inout [Range<Int>]) -> String {
        var copy = text
        let done = copy.withUTF8 { bytes in fold(bytes, general: false, into: &hashes, ranges: &ranges) }
        if done { return copy }
        let normalized = text.precomposedStringWithCompatibilityMapping
        var again = normalized
        _ = again.withUTF8 { bytes in fold(bytes, general: true, into: &hashes, ranges: &ranges) }
        return normalized
    }

    /// The word hashes only: the training side's path, which needs no ranges.
    public static func hashes(of text: String, into hashes: inout [UInt64]) {
        var none: [Range<Int>] = []
        var copy = text
        let done = copy.withUTF8 { bytes in fold(bytes, general: false, into: &hashes, ranges: &none, keepRanges: false)
        }
        if done { return }
        var normalized = text.precomposedStringWithCompatibilityMapping
        _ = normalized.withUTF8 { bytes in fold(bytes, general: true, into: &hashes, ranges: &none, keepRanges: false) }
    }

    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    /// A word's hash, finished so that words differing in one byte differ in many bits.
    @inline(__always) static func finish(_ hash: UInt64) -> UInt64 {
        var z = hash
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Folds the words of `bytes`; false when `general` is off and a scalar needs the general path (the words
    /// appended so far are then removed).
    private static func fold(
        _ bytes: UnsafeBufferPointer<UInt8>, general: Bool, into hashes: inout [UInt64], ranges: inout [Range<Int>],
        keepRanges: Bool = true
    ) -> Bool {
        let startCount = hashes.count
        let startRanges = ranges.count
        var hash = offset
        var wordStart = -1
        var index = 0
        let count = bytes.count
        @inline(__always) func add(_ byte: UInt8) {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        @inline(__always) func endWord(at end: Int) {
            if wordStart >= 0 {
                hashes.append(finish(hash))
                if keepRanges { ranges.append(wordStart..<end) }
                wordStart = -1
                hash = offset
            }
        }
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte &- 0x61 < 26 || byte &- 0x30 < 10 {
                    if wordStart < 0 { wordStart = index }
                    add(byte)
                } else if byte &- 0x41 < 26 {
                    if wordStart < 0 { wordStart = index }
                    add(byte | 0x20)
                } else {
                    endWord(at: index)
                }
                index += 1
                continue
            }
            // Basic Cyrillic: two bytes, D0 80 … D1 9F.
            if byte == 0xD0 || byte == 0xD1, index + 1 < count {
                let scalar = (UInt32(byte & 0x1F) << 6) | UInt32(bytes[index + 1] & 0x3F)
                if scalar >= 0x400, scalar <= 0x45F {
                    if wordStart < 0 { wordStart = index }
                    appendScalar(foldCyrillic(scalar), add)
                    index += 2
                    continue
                }
            }
            guard general else {
                hashes.removeSubrange(startCount...)
                ranges.removeSubrange(startRanges...)
                return false
            }
            // The general path: decode one scalar and classify it by its properties.
            let (scalarValue, length) = decode(bytes, at: index)
            guard let scalar = Unicode.Scalar(scalarValue) else {
                endWord(at: index)
                index += max(length, 1)
                continue
            }
            if isWordScalar(scalar) {
                if wordStart < 0 { wordStart = index }
                for folded in scalar.properties.lowercaseMapping.unicodeScalars {
                    let value = folded.value == 0x451 ? 0x435 : folded.value
                    appendScalar(value, add)
                }
            } else {
                endWord(at: index)
            }
            index += length
        }
        endWord(at: count)
        return true
    }

    @inline(__always) static func foldCyrillic(_ scalar: UInt32) -> UInt32 {
        switch scalar {
        case 0x401, 0x451: return 0x435  // Ё ё → е
        case 0x400...0x40F: return scalar + 0x50
        case 0x410...0x42F: return scalar + 0x20
        default: return scalar
        }
    }

    @inline(__always) static func appendScalar(_ value: UInt32, _ add: (UInt8) -> Void) {
        if value < 0x80 {
            add(UInt8(value))
        } else if value < 0x800 {
            add(UInt8(0xC0 | (value >> 6)))
            add(UInt8(0x80 | (value & 0x3F)))
        } else if value < 0x10000 {
            add(UInt8(0xE0 | (value >> 12)))
            add(UInt8(0x80 | ((value >> 6) & 0x3F)))
            add(UInt8(0x80 | (value & 0x3F)))
        } else {
            add(UInt8(0xF0 | (value >> 18)))
            add(UInt8(0x80 | ((value >> 12) & 0x3F)))
            add(UInt8(0x80 | ((value >> 6) & 0x3F)))
            add(UInt8(0x80 | (value & 0x3F)))
        }
    }

    /// A letter, a digit or a combining mark (the last so that an accent the NFKC form could not compose stays in
    /// its word).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// The scalar at `index` of valid UTF-8 (Swift strings always are) and its length in bytes.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let byte = bytes[index]
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        guard index + length <= bytes.count else { return (0xFFFD, 1) }
        var value = UInt32(byte) & (length == 1 ? 0x7F : length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<max(length, 1) { value = (value << 6) | UInt32(bytes[index + offset] & 0x3F) }
        return (value, length)
    }

    /// The hash of `count` words from `start`: one n-gram.
    @inline(__always) static func gram(_ hashes: UnsafeBufferPointer<UInt64>, start: Int, count: Int) -> UInt64 {
        var hash: UInt64 = 0x9e37_79b9_7f4a_7c15
        for index in start..<start + count { hash = (hash ^ hashes[index]) &* prime &+ 0x2545_f491_4f6c_dd1d }
        return finish(hash)
    }

    /// The hash of a whole word sequence (a normalised duplicate has the same one).
    static func sequence(_ hashes: some Collection<UInt64>) -> UInt64 {
        var hash: UInt64 = 0x27d4_eb2f_1656_67c5
        for value in hashes { hash = (hash ^ value) &* prime }
        return finish(hash ^ UInt64(hashes.count))
    }
}
