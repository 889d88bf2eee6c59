public import EvalCore

/// `detectable_content:number_placeholders` — `{"num_placeholders": 3}`: at least `num_placeholders` placeholders
/// in square brackets such as `[address]`, each closed on the line it opens (`[` to the nearest `]`).
public struct IFEvalNumberPlaceholders: IFEvalInstruction {
    public static let id = "detectable_content:number_placeholders"
    public static let version = 1
    public static let summary = "IFEval: at least `num_placeholders` placeholders in square brackets, such as [name]"

    public let numPlaceholders: Int

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        numPlaceholders = try options.count("num_placeholders")
    }

    /// What `re.findall(r"\[.*?\]", text)` finds.
    static func placeholders(in text: String) -> [Range<String.Index>] {
        let scalars = text.unicodeScalars
        var result: [Range<String.Index>] = []
        var index = scalars.startIndex
        while index < scalars.endIndex {
            guard scalars[index] == "[" else {
                index = scalars.index(after: index)
                continue
            }
            var cursor = scalars.index(after: index)
            while cursor < scalars.endIndex, scalars[cursor] != "]", scalars[cursor] != "\n" {
                cursor = scalars.index(after: cursor)
            }
            if cursor < scalars.endIndex, scalars[cursor] == "]" {
                let end = scalars.index(after: cursor)
                result.append(index..<end)
                index = end
            } else {
                index = scalars.index(after: index)
            }
        }
        return result
    }

    public func violation(in text: String) -> Finding? {
        let found = Self.placeholders(in: text)
        guard found.count < numPlaceholders else { return nil }
        return Self.missing(
            "has \(found.count) placeholder\(found.count == 1 ? "" : "s") in square brackets, expected at least \(numPlaceholders)",
            expected: "[...]")
    }
}

/// `detectable_content:postscript` — `{"postscript_marker": "P.S."}`: the answer contains a postscript marked
/// with `postscript_marker`, in any case. `P.S.` also accepts `p. s.`, `P.P.S` also `P. P. S`.
public struct IFEvalPostscript: IFEvalInstruction {
    public static let id = "detectable_content:postscript"
    public static let version = 1
    public static let summary = "IFEval: the answer has a postscript starting with `postscript_marker` (P.S., P.P.S)"

    public let marker: String

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        marker = PythonText.strip(try options.requiredText("postscript_marker"))
    }

    /// The first occurrence of the marker in `text`.
    func occurrence(in text: String) -> Range<String.Index>? {
        let parts: [String]
        switch marker {
        case "P.S.": parts = ["p.", "s."]
        case "P.P.S": parts = ["p.", "p.", "s"]
        default: return PythonText.occurrences(of: marker, in: text).first
        }
        // The parts in order, each separated from the next by at most one whitespace character.
        let scalars = text.unicodeScalars
        for start in PythonText.occurrences(of: parts[0], in: text) {
            var cursor = start.upperBound
            var matched = true
            for part in parts.dropFirst() {
                if cursor < scalars.endIndex, PythonText.isSpace(scalars[cursor]), !Self.has(part, in: text, at: cursor)
                {
                    cursor = scalars.index(after: cursor)
                }
                guard Self.has(part, in: text, at: cursor) else {
                    matched = false
                    break
                }
                cursor = scalars.index(cursor, offsetBy: part.unicodeScalars.count)
            }
            if matched { return start.lowerBound..<cursor }
        }
        return nil
    }

    private static func has(_ part: String, in text: String, at index: String.Index) -> Bool {
        var cursor = index
        let scalars = text.unicodeScalars
        for expected in part.unicodeScalars {
            guard cursor < scalars.endIndex, scalars[cursor].properties.lowercaseMapping == String(expected) else {
                return false
            }
            cursor = scalars.index(after: cursor)
        }
        return true
    }

    public func violation(in text: String) -> Finding? {
        guard occurrence(in: text) == nil else { return nil }
        return Self.missing("has no postscript starting with '\(marker)'", expected: marker)
    }
}
