public import EvalCore

/// `detectable_format:constrained_response`: the answer contains one of "My answer is yes.", "My answer is no.",
/// "My answer is maybe." (exact case).
public struct IFEvalConstrainedResponse: IFEvalInstruction {
    public static let id = "detectable_format:constrained_response"
    public static let version = 1
    public static let summary =
        "IFEval: the answer contains 'My answer is yes.', 'My answer is no.' or 'My answer is maybe.'"

    static let options = ["My answer is yes.", "My answer is no.", "My answer is maybe."]

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {}

    public func violation(in text: String) -> Finding? {
        let stripped = PythonText.strip(text)
        guard !Self.options.contains(where: { stripped.contains($0) }) else { return nil }
        return Self.missing(
            "does not answer with one of \(Self.options.map { "'\($0)'" }.joined(separator: ", "))",
            expected: Self.options[0])
    }
}

/// `detectable_format:json_format`: the whole answer is one JSON value; a Markdown code fence around it
/// (```` ```json ````, ```` ```Json ````, ```` ```JSON ```` or ```` ``` ````) is allowed.
public struct IFEvalJSONFormat: IFEvalInstruction {
    public static let id = "detectable_format:json_format"
    public static let version = 1
    public static let summary = "IFEval: the entire answer is JSON (a Markdown code fence around it is allowed)"

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {}

    /// The answer without surrounding whitespace and fence, as a slice of it.
    static func content(of text: String) -> Substring {
        var content = PythonText.stripped(text[...])
        for fence in ["```json", "```Json", "```JSON", "```"] where content.hasPrefix(fence) {
            content = content.dropFirst(fence.count)
            break
        }
        if content.hasSuffix("```") { content = content.dropLast(3) }
        return PythonText.stripped(content)
    }

    public func violation(in text: String) -> Finding? {
        let content = Self.content(of: text)
        do {
            _ = try JSONValue.parse(content.utf8)
            return nil
        } catch {
            let utf8 = content.utf8
            let offset = min(error.offset, utf8.count)
            var start = utf8.index(utf8.startIndex, offsetBy: offset)
            while start > content.startIndex, start.samePosition(in: text.unicodeScalars) == nil {
                start = utf8.index(before: start)
            }
            guard start < content.endIndex else {
                return Self.finding("is not valid JSON: \(error.message)")
            }
            let end = text.unicodeScalars.index(after: start)
            return Self.finding("is not valid JSON: \(error.message)", span: start..<end, in: text)
        }
    }
}

/// `detectable_format:multiple_sections` — `{"section_spliter": "Section", "num_sections": 4}`: at least
/// `num_sections` sections, each marked by the splitter word (exact case) and a number: `Section 1`, `SECTION 2`.
public struct IFEvalMultipleSections: IFEvalInstruction {
    public static let id = "detectable_format:multiple_sections"
    public static let version = 1
    public static let summary = "IFEval: at least `num_sections` sections marked '`section_spliter` N'"

    public let splitter: String
    public let numSections: Int

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        splitter = PythonText.strip(try options.requiredText("section_spliter"))
        numSections = try options.count("num_sections")
    }

    /// Each marker: the splitter, at most one whitespace character, one or more digits.
    func markers(in text: String) -> [Range<String.Index>] {
        let scalars = text.unicodeScalars
        var result: [Range<String.Index>] = []
        for occurrence in PythonText.occurrences(of: splitter, in: text, ignoringCase: false) {
            if let last = result.last, occurrence.lowerBound < last.upperBound { continue }
            var cursor = occurrence.upperBound
            func isDigit(_ index: String.Index) -> Bool {
                index < scalars.endIndex && scalars[index].properties.numericType == .decimal
            }
            if !isDigit(cursor), cursor < scalars.endIndex, PythonText.isSpace(scalars[cursor]) {
                cursor = scalars.index(after: cursor)
            }
            guard isDigit(cursor) else { continue }
            while isDigit(cursor) { cursor = scalars.index(after: cursor) }
            result.append(occurrence.lowerBound..<cursor)
        }
        return result
    }

    public func violation(in text: String) -> Finding? {
        let found = markers(in: text)
        guard found.count < numSections else { return nil }
        return Self.missing(
            "has \(found.count) section\(found.count == 1 ? "" : "s") marked '\(splitter) N', expected at least \(numSections)",
            expected: "\(splitter) \(found.count + 1)")
    }
}

/// `detectable_format:number_bullet_lists` — `{"num_bullets": 3}`: exactly `num_bullets` Markdown bullet points:
/// lines starting (after indentation) with `*` not followed by another `*`, or with `-` (so a `---` rule counts).
public struct IFEvalNumberBulletLists: IFEvalInstruction {
    public static let id = "detectable_format:number_bullet_lists"
    public static let version = 1
    public static let summary = "IFEval: exactly `num_bullets` bullet points ('* ' or '- ' lines)"

    public let numBullets: Int

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        numBullets = try options.count("num_bullets")
    }

    /// The bullet lines (from the bullet character to the end of the line), in order.
    static func bullets(in text: String) -> [Range<String.Index>] {
        let lines = PythonText.lines(text)
        var stars: [Range<String.Index>] = []
        var dashes: [Range<String.Index>] = []
        var skipStarOn: Int?
        for (number, line) in lines.enumerated() {
            let scalars = line.unicodeScalars
            guard let first = scalars.firstIndex(where: { !PythonText.isSpace($0) }) else { continue }
            if scalars[first] == "-" { dashes.append(first..<line.endIndex) }
            guard scalars[first] == "*", skipStarOn != number else { continue }
            let next = scalars.index(after: first)
            if next < scalars.endIndex {
                if scalars[next] != "*" { stars.append(first..<line.endIndex) }
            } else if number + 1 < lines.count {
                // `\*[^\*]` matches the line break, and the match runs on to the end of the next line.
                stars.append(first..<line.endIndex)
                skipStarOn = number + 1
            }
        }
        return (stars + dashes).sorted { $0.lowerBound < $1.lowerBound }
    }

    public func violation(in text: String) -> Finding? {
        let found = Self.bullets(in: text)
        guard found.count != numBullets else { return nil }
        let message = "has \(found.count) bullet point\(found.count == 1 ? "" : "s"), expected exactly \(numBullets)"
        if found.count > numBullets {
            return Self.finding(message, span: found[numBullets], in: text)
        }
        return Self.finding(message)
    }
}

/// `detectable_format:number_highlighted_sections` — `{"num_highlights": 3}`: at least `num_highlights`
/// highlighted sections, `*like this*` or `**like this**`, each on one line and not blank.
public struct IFEvalNumberHighlightedSections: IFEvalInstruction {
    public static let id = "detectable_format:number_highlighted_sections"
    public static let version = 1
    public static let summary = "IFEval: at least `num_highlights` highlighted sections (*text* or **text**)"

    public let numHighlights: Int

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        numHighlights = try options.count("num_highlights")
    }

    /// Non-overlapping runs of `open` + text without newlines or `*` + `open`, left to right.
    private static func delimited(_ text: String, by delimiter: Int) -> [(
        range: Range<String.Index>, inner: Range<String.Index>
    )] {
        let scalars = text.unicodeScalars
        var result: [(Range<String.Index>, Range<String.Index>)] = []
        var index = scalars.startIndex
        func stars(at position: String.Index) -> String.Index? {
            var cursor = position
            for _ in 0..<delimiter {
                guard cursor < scalars.endIndex, scalars[cursor] == "*" else { return nil }
                cursor = scalars.index(after: cursor)
            }
            return cursor
        }
        while index < scalars.endIndex {
            guard let innerStart = stars(at: index) else {
                index = scalars.index(after: index)
                continue
            }
            var cursor = innerStart
            while cursor < scalars.endIndex, scalars[cursor] != "*", scalars[cursor] != "\n" {
                cursor = scalars.index(after: cursor)
            }
            if let end = stars(at: cursor) {
                result.append((index..<end, innerStart..<cursor))
                index = end
            } else {
                index = scalars.index(after: index)
            }
        }
        return result
    }

    /// The highlighted sections: single-star and double-star runs whose text is not blank (a `**bold**` run counts
    /// once, as a double).
    static func highlights(in text: String) -> [Range<String.Index>] {
        let singles = delimited(text, by: 1).filter { !PythonText.stripped(text[$0.inner]).isEmpty }.map(\.range)
        let doubles = delimited(text, by: 2).filter { !PythonText.stripped(text[$0.inner]).isEmpty }.map(\.range)
        return singles + doubles
    }

    public func violation(in text: String) -> Finding? {
        let found = Self.highlights(in: text)
        guard found.count < numHighlights else { return nil }
        return Self.missing(
            "has \(found.count) highlighted section\(found.count == 1 ? "" : "s"), expected at least \(numHighlights)",
            expected: "*highlighted section*")
    }
}

/// `detectable_format:title`: the answer has a title in double angular brackets, `<<like this>>`, on one line.
public struct IFEvalTitle: IFEvalInstruction {
    public static let id = "detectable_format:title"
    public static let version = 1
    public static let summary = "IFEval: the answer has a title wrapped in double angular brackets, <<title>>"

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {}

    /// Whether a line holds `<<`, at least one character, and a later `>>` with something in between that is not
    /// only brackets and whitespace (the longest such span per start, as a greedy regex takes it).
    static func hasTitle(_ text: String) -> Bool {
        for line in PythonText.lines(text) {
            let scalars = Array(line.unicodeScalars)
            var start = 0
            while start + 5 <= scalars.count {
                guard scalars[start] == "<", scalars[start + 1] == "<" else {
                    start += 1
                    continue
                }
                var close = scalars.count - 2
                while close >= start + 3, !(scalars[close] == ">" && scalars[close + 1] == ">") { close -= 1 }
                guard close >= start + 3 else {
                    start += 1
                    continue
                }
                var inner = scalars[start..<(close + 2)][...]
                while inner.first == "<" { inner = inner.dropFirst() }
                while inner.last == ">" { inner = inner.dropLast() }
                if inner.contains(where: { !PythonText.isSpace($0) }) { return true }
                start = close + 2
            }
        }
        return false
    }

    public func violation(in text: String) -> Finding? {
        Self.hasTitle(text) ? nil : Self.missing("has no title in double angular brackets", expected: "<<title>>")
    }
}
