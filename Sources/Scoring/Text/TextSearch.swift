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
    /// The comparison key of each character of `text`.
    private let keys: [String]
    /// The UTF-8 offset of each character's start, and one more: the end of the text.
    private let offsets: [Int]

    public init(_ text: String, ignoreCase: Bool = false) {
        self.text = text
        self.ignoreCase = ignoreCase
        var keys: [String] = []
        var offsets: [Int] = []
        keys.reserveCapacity(text.utf8.count)
        offsets.reserveCapacity(text.utf8.count + 1)
        var offset = 0
        for character in text {
            offsets.append(offset)
            keys.append(Self.key(character, ignoreCase: ignoreCase))
            offset += character.utf8.count
        }
        offsets.append(offset)
        self.keys = keys
        self.offsets = offsets
    }

    private static func key(_ character: Character, ignoreCase: Bool) -> String {
        ignoreCase ? character.lowercased() : String(character)
    }

    private func pattern(_ needle: String) -> [String] {
        needle.map { Self.key($0, ignoreCase: ignoreCase) }
    }

    private func matches(_ pattern: [String], at position: Int) -> Bool {
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
