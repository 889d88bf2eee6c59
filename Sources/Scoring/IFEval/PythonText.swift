/// The string operations IFEval's instructions are defined by, with the reference's (Python's) meaning: they work
/// on Unicode scalars (code points), not on Swift's user-perceived characters, so `"\r\n"` is two characters, a
/// combining accent is a character of its own, and lines end at `"\n"` only.
enum PythonText {
    /// Python's `str.isspace` for one code point: Unicode White_Space plus the four ASCII separators U+001C–U+001F.
    /// ASCII without the property lookup (White_Space there is U+0009–U+000D and U+0020).
    @inline(__always)
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) || (0x1C...0x1F).contains(value) }
        return scalar.properties.isWhitespace
    }

    /// Python's `str.strip()`: without leading and trailing whitespace.
    static func strip(_ text: String) -> String {
        String(stripped(text[...]))
    }

    static func stripped(_ text: Substring) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return Substring(scalars[first...last])
    }

    /// Python's `str.split("\n")`: every line, empty ones included; a `"\r"` stays at the end of its line.
    static func lines(_ text: String) -> [Substring] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// `text.replace("*", "")`.
    static func removingAsterisks(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter { $0 != "*" })
        return String(scalars)
    }

    /// Python's `str.split()` with no argument: the runs of non-whitespace, as ranges of `text`.
    static func fields(_ text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start: String.Index?
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            if isSpace(scalars[index]) {
                if let begun = start { result.append(begun..<index) }
                start = nil
            } else if start == nil {
                start = index
            }
            index = scalars.index(after: index)
        }
        if let begun = start { result.append(begun..<scalars.endIndex) }
        return result
    }

    /// A code point of Python's regular-expression `\w`: a letter, a number (any script) or `_`. Combining marks
    /// are not word characters, so a Devanagari vowel sign splits a word as it does in the reference.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The runs of `\w` characters (what `re.findall(r"\w+", text)` finds), as ranges of `text`.
    static func words(_ text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start: String.Index?
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            if isWordCharacter(scalars[index]) {
                if start == nil { start = index }
            } else if let begun = start {
                result.append(begun..<index)
                start = nil
            }
            index = scalars.index(after: index)
        }
        if let begun = start { result.append(begun..<scalars.endIndex) }
        return result
    }

    /// Python's `str.isupper()`: at least one cased code point, and none lowercase or titlecase.
    static func isUpper<S: StringProtocol>(_ text: S) -> Bool {
        var cased = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isLowercase || properties.generalCategory == .titlecaseLetter { return false }
            if properties.isUppercase { cased = true }
        }
        return cased
    }

    /// Python's `str.islower()`: at least one cased code point, and none uppercase or titlecase.
    static func isLower<S: StringProtocol>(_ text: S) -> Bool {
        var cased = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isUppercase || properties.generalCategory == .titlecaseLetter { return false }
            if properties.isLowercase { cased = true }
        }
        return cased
    }

    /// The first code point that breaks `isUpper` (a lowercase or titlecase letter), as a range of `text`.
    static func firstNotUpper(in text: String) -> Range<String.Index>? {
        let scalars = text.unicodeScalars
        guard
            let index = scalars.firstIndex(where: {
                $0.properties.isLowercase || $0.properties.generalCategory == .titlecaseLetter
            })
        else { return nil }
        return wordAround(index, in: text)
    }

    /// The first code point that breaks `isLower` (an uppercase or titlecase letter), as a range of `text`.
    static func firstNotLower(in text: String) -> Range<String.Index>? {
        let scalars = text.unicodeScalars
        guard
            let index = scalars.firstIndex(where: {
                $0.properties.isUppercase || $0.properties.generalCategory == .titlecaseLetter
            })
        else { return nil }
        return wordAround(index, in: text)
    }

    /// The whitespace-delimited word holding the code point at `index`: readable evidence.
    static func wordAround(_ index: String.Index, in text: String) -> Range<String.Index> {
        let scalars = text.unicodeScalars
        var start = index
        while start > scalars.startIndex {
            let previous = scalars.index(before: start)
            if isSpace(scalars[previous]) { break }
            start = previous
        }
        var end = scalars.index(after: index)
        while end < scalars.endIndex, !isSpace(scalars[end]) { end = scalars.index(after: end) }
        return start..<end
    }

    /// Every non-overlapping occurrence of `needle` in `text`, comparing code points after lowercasing both
    /// (what a case-insensitive search for a plain word finds). Ranges are of `text`.
    static func occurrences(of needle: String, in text: String, ignoringCase: Bool = true) -> [Range<String.Index>] {
        let pattern = Array((ignoringCase ? needle.lowercased() : needle).unicodeScalars)
        guard !pattern.isEmpty else { return [] }
        // Lowercase code point by code point so that positions map back to the original text.
        var keys: [Unicode.Scalar] = []
        var origins: [String.Index] = []
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if ignoringCase {
                if let lowered = BasicScalars.lowercase(scalar) {
                    keys.append(lowered)
                    origins.append(index)
                } else {
                    for lowered in scalar.properties.lowercaseMapping.unicodeScalars {
                        keys.append(lowered)
                        origins.append(index)
                    }
                }
            } else {
                keys.append(scalar)
                origins.append(index)
            }
            index = scalars.index(after: index)
        }
        var result: [Range<String.Index>] = []
        var position = 0
        while position + pattern.count <= keys.count {
            var matched = true
            for offset in 0..<pattern.count where keys[position + offset] != pattern[offset] {
                matched = false
                break
            }
            if matched {
                let lastOrigin = origins[position + pattern.count - 1]
                result.append(origins[position]..<scalars.index(after: lastOrigin))
                position += pattern.count
            } else {
                position += 1
            }
        }
        return result
    }
}
