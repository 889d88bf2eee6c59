/// The UTF-8 bytes of a text being scanned for personal data. Reads outside the text give 0, so detectors can look a
/// few bytes ahead or behind without checking bounds first; 0 is never part of anything they look for.
struct PIIBytes {
    let base: UnsafePointer<UInt8>
    let count: Int

    @inline(__always) subscript(_ index: Int) -> UInt8 {
        index >= 0 && index < count ? base[index] : 0
    }

    /// Whether `literal` starts at `index` (a literal of one non-ASCII character has no UTF-8 pointer: compare its
    /// bytes instead).
    func hasPrefix(_ literal: StaticString, at index: Int) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard index >= 0, index + length <= count else { return false }
        let bytes = literal.utf8Start
        for offset in 0..<length where base[index + offset] != bytes[offset] { return false }
        return true
    }

    /// Whether `word` starts at `index`, exactly or (`ignoringCase`) with ASCII letters in either case (`word` in
    /// lower case then).
    func hasPrefix(_ word: [UInt8], at index: Int, ignoringCase: Bool = false) -> Bool {
        guard index >= 0, index + word.count <= count else { return false }
        for (offset, byte) in word.enumerated() {
            let found = base[index + offset]
            if found != byte && !(ignoringCase && PIIASCII.lower(found) == byte) { return false }
        }
        return true
    }

    /// The end of the run of bytes from `start` that satisfy `accepts`, stopping after `limit` bytes.
    @inline(__always) func run(from start: Int, limit: Int = .max, while accepts: (UInt8) -> Bool) -> Int {
        var end = start
        let stop = limit == .max ? count : min(count, start + limit)
        while end < stop && accepts(base[end]) { end += 1 }
        return end
    }

    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
    }

    /// Whether any of `keywords` (lowercase UTF-8) occurs within `characters` characters of `start..<end`, ignoring
    /// the case of ASCII and Cyrillic letters: where detectors look for the context words (`паспорт`, `СНИЛС`) that
    /// make an ambiguous number an identifier.
    func mentions(_ keywords: [[UInt8]], around start: Int, _ end: Int, characters: Int = 40) -> Bool {
        var lower = start
        var seen = 0
        while lower > 0 && seen < characters {
            lower -= 1
            if base[lower] & 0xC0 != 0x80 { seen += 1 }
        }
        var upper = end
        seen = 0
        while upper < count && seen < characters {
            upper += 1
            while upper < count && base[upper] & 0xC0 == 0x80 { upper += 1 }
            seen += 1
        }
        return contains(keywords, from: lower, to: upper)
    }

    /// Whether one of `words` (lowercase UTF-8) occurs within `start..<end`, case ignored as in `mentions`.
    func contains(_ words: [[UInt8]], from start: Int, to end: Int) -> Bool {
        guard start < end else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: end - start) { window in
            let length = foldCase(start, end, into: window)
            return words.contains { PIIBytes.search($0, in: window, length: length) }
        }
    }

    /// Whether one of the `count` words just before `index` is in `words` (lowercase UTF-8), ignoring case; spaces,
    /// colons, commas and parentheses between words are skipped.
    func isPreceded(byOneOf words: [[UInt8]], before index: Int, count: Int) -> Bool {
        let lower = max(0, index - 64)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: index - lower) { window in
            var end = foldCase(lower, index, into: window)
            for _ in 0..<count {
                var gap = 0
                while end > 0 && gap < 3 {
                    let byte = window[end - 1]
                    guard byte == 0x20 || byte == 0x3A || byte == 0x28 || byte == 0x2C else { break }
                    end -= 1
                    gap += 1
                }
                var start = end
                while start > 0
                    && (PIIASCII.isLetter(window[start - 1]) || window[start - 1] >= 0x80 || window[start - 1] == 0x2E)
                {
                    start -= 1
                }
                guard start < end else { return false }
                let word = UnsafeBufferPointer(rebasing: window[start..<end])
                if words.contains(where: { $0.elementsEqual(word) }) { return true }
                end = start
            }
            return false
        }
    }

    /// The nearest of `keywords` (lowercase UTF-8, case ignored as in `mentions`) that ends within `characters`
    /// characters before `index`: which keyword, and how many bytes lie between its end and `index`.
    func nearestMention(of keywords: [[UInt8]], before index: Int, characters: Int = 32) -> (keyword: Int, gap: Int)? {
        var lower = index
        var seen = 0
        while lower > 0 && seen < characters {
            lower -= 1
            if base[lower] & 0xC0 != 0x80 { seen += 1 }
        }
        guard lower < index else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: index - lower) { window in
            let length = foldCase(lower, index, into: window)
            var best: (keyword: Int, gap: Int)?
            for (number, keyword) in keywords.enumerated() {
                guard let end = PIIBytes.lastEnd(of: keyword, in: window, length: length) else { continue }
                if let current = best, current.gap <= length - end { continue }
                best = (number, length - end)
            }
            return best
        }
    }

    /// Where the last occurrence of `needle` in `haystack` ends.
    private static func lastEnd(of needle: [UInt8], in haystack: UnsafeMutableBufferPointer<UInt8>, length: Int) -> Int?
    {
        guard let first = needle.first, needle.count <= length else { return nil }
        var index = length - needle.count
        while index >= 0 {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index + needle.count }
            }
            index -= 1
        }
        return nil
    }

    /// Copies `start..<end` into `window` with ASCII and Cyrillic capitals (А–Я, Ё) lowercased; returns the length.
    private func foldCase(_ start: Int, _ end: Int, into window: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var length = 0
        var index = start
        while index < end {
            let byte = base[index]
            if byte == 0xD0 && index + 1 < end {
                let next = base[index + 1]
                switch next {
                case 0x90...0x9F: (window[length], window[length + 1]) = (0xD0, next + 0x20)  // А–П
                case 0xA0...0xAF: (window[length], window[length + 1]) = (0xD1, next - 0x20)  // Р–Я
                case 0x81: (window[length], window[length + 1]) = (0xD1, 0x91)  // Ё
                default: (window[length], window[length + 1]) = (byte, next)
                }
                length += 2
                index += 2
            } else {
                window[length] = PIIASCII.isUpper(byte) ? byte | 0x20 : byte
                length += 1
                index += 1
            }
        }
        return length
    }

    private static func search(_ needle: [UInt8], in haystack: UnsafeMutableBufferPointer<UInt8>, length: Int) -> Bool {
        guard let first = needle.first, needle.count <= length else { return false }
        var index = 0
        while index + needle.count <= length {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}

/// Lowercase keywords as UTF-8, for `PIIBytes.mentions`.
func piiKeywords(_ words: String...) -> [[UInt8]] { words.map { Array($0.utf8) } }

/// Byte classes, written as arithmetic so that the scanner's inner loop needs no tables.
enum PIIASCII {
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    /// ASCII letters, digits and `_`: what glues characters into one word for the purpose of boundaries.
    @inline(__always) static func isWord(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == 0x5F }
    /// An ASCII capital in lower case; any other byte as it is.
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte | 0x20 : byte }
    @inline(__always) static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20) &- 0x61 < 6 }
    /// The base64url alphabet: letters, digits, `-` and `_`.
    @inline(__always) static func isBase64URL(_ byte: UInt8) -> Bool { isWord(byte) || byte == 0x2D }
    /// The first byte of a Cyrillic letter in UTF-8 (U+0400–U+04FF).
    @inline(__always) static func isCyrillicLead(_ byte: UInt8) -> Bool { byte &- 0xD0 < 4 }
    @inline(__always) static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    static let plus: UInt8 = 0x2B
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let at: UInt8 = 0x40
    static let space: UInt8 = 0x20
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let percent: UInt8 = 0x25
    static let underscore: UInt8 = 0x5F
    static let hash: UInt8 = 0x23
}

/// Whether a secret's body looks machine-generated rather than a placeholder such as `xxxx…`, `XXXX_YOUR_KEY`,
/// `abcdefgh…` or `12345678…`: enough distinct characters and, unless `runs` is false (for formats whose fixed
/// structure already rules placeholders out), no character four times in a row and no ascending run of six.
func piiLooksRandom(_ bytes: PIIBytes, _ start: Int, _ end: Int, runs: Bool = true) -> Bool {
    let length = end - start
    guard length > 0 else { return false }
    var seen = [Bool](repeating: false, count: 128)
    var distinct = 0
    var repeated = 1
    var ascending = 1
    var previous: UInt8 = 0
    for index in start..<end {
        let byte = bytes.base[index]
        if byte < 128 && !seen[Int(byte)] {
            seen[Int(byte)] = true
            distinct += 1
        }
        if runs && index > start {
            repeated = byte == previous ? repeated + 1 : 1
            ascending = byte == previous &+ 1 && PIIASCII.isAlnum(byte) ? ascending + 1 : 1
            if repeated >= 4 || ascending >= 6 { return false }
        }
        previous = byte
    }
    return distinct >= min(10, max(4, length / 3))
}

/// A set of two-byte word beginnings (a 65,536-bit table), for rejecting most words with one lookup before comparing
/// them with a list: `PIIPrefixSet(["glpat-", "sk-"])` holds `gl` and `sk`. ASCII letters are held in both cases
/// when `anyCase` is set.
struct PIIPrefixSet: Sendable {
    private var bits = [UInt64](repeating: 0, count: 1024)

    init(_ words: [[UInt8]], anyCase: Bool = false) {
        for word in words where word.count >= 2 {
            for first in variants(word[0], anyCase) {
                for second in variants(word[1], anyCase) { insert(first, second) }
            }
        }
    }

    private func variants(_ byte: UInt8, _ anyCase: Bool) -> [UInt8] {
        anyCase && PIIASCII.isLetter(byte) ? [byte | 0x20, byte & ~0x20] : [byte]
    }

    private mutating func insert(_ first: UInt8, _ second: UInt8) {
        let key = Int(first) << 8 | Int(second)
        bits[key >> 6] |= 1 << UInt64(key & 63)
    }

    @inline(__always) func contains(_ first: UInt8, _ second: UInt8) -> Bool {
        let key = Int(first) << 8 | Int(second)
        return bits[key >> 6] >> UInt64(key & 63) & 1 == 1
    }
}

/// Words looked up by a hash of their case-folded bytes (ASCII, Cyrillic with `ё` as `е`, Latin-1 letters): one hash
/// and one set lookup where walking a list of words would compare each (the hot paths ask at every word of a text).
struct PIIWordSet: Sendable {
    /// An open-addressing table of the words' hashes (0 marks a free slot), a power of two at least four times the
    /// number of words: a lookup is one or two probes, without `Set`'s own hashing of the hash.
    private let table: [UInt64]
    private let mask: Int
    private let longest: Int

    init(_ words: [[UInt8]]) {
        var size = 8
        while size < words.count * 4 { size *= 2 }
        var table = [UInt64](repeating: 0, count: size)
        for word in words {
            let hash = PIIWordSet.hash(of: word)
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            while table[slot] != 0 && table[slot] != hash { slot = (slot + 1) & (size - 1) }
            table[slot] = hash
        }
        self.table = table
        mask = size - 1
        longest = words.map(\.count).max() ?? 0
    }

    /// Whether `start..<end` is one of the words, ignoring case.
    @inline(__always) func contains(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        end > start && end - start <= longest && contains(hash: PIIWordSet.hash(bytes, start, end))
    }

    /// Whether a word of this `hash` (from `PIIWordSet.hash`) is one of the words.
    @inline(__always) func contains(hash: UInt64) -> Bool {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let found = table[slot]
            if found == hash { return true }
            if found == 0 { return false }
            slot = (slot + 1) & mask
        }
    }

    /// `hash` of a whole word.
    static func hash(of word: some Collection<UInt8>) -> UInt64 {
        let bytes = Array(word)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { hash(PIIBytes(base: $0, count: buffer.count), 0, buffer.count) }
                ?? 0xcbf2_9ce4_8422_2325
        }
    }

    /// FNV-1a of `start..<end` with capitals folded: ASCII, Cyrillic (`Ё`/`ё` read as `е`), Latin-1 and Latin
    /// Extended-A (`Ł`).
    static func hash(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var index = start
        while index < end {
            var lead = bytes.base[index]
            if lead < 0x80 {
                if PIIASCII.isUpper(lead) { lead |= 0x20 }
                hash = (hash ^ UInt64(lead)) &* 0x100_0000_01b3
                index += 1
                continue
            }
            var trail = index + 1 < end ? bytes.base[index + 1] : 0
            if lead == 0xD0 && trail &- 0x90 < 0x10 {
                trail += 0x20
            } else if lead == 0xD0 && trail &- 0xA0 < 0x10 {
                (lead, trail) = (0xD1, trail - 0x20)
            } else if (lead == 0xD0 && trail == 0x81) || (lead == 0xD1 && trail == 0x91) {
                (lead, trail) = (0xD0, 0xB5)
            } else if lead == 0xC3 && trail >= 0x80 && trail < 0x9F && trail != 0x97 {
                trail += 0x20
            } else if (lead == 0xC4 || lead == 0xC5) && trail & 0xC0 == 0x80 {
                // Latin Extended-A; the lowercase shares the lead byte, except `Ŀ` U+013F's, which is left as it is
                let scalar = UInt32(lead & 0x1F) << 6 | UInt32(trail & 0x3F)
                if scalar != 0x13F { trail = 0x80 | UInt8(PIIPersonName.lowercaseOfExtendedA(scalar) & 0x3F) }
            }
            hash = (hash ^ UInt64(lead)) &* 0x100_0000_01b3
            hash = (hash ^ UInt64(trail)) &* 0x100_0000_01b3
            index += 2
        }
        return hash
    }
}
