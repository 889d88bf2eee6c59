public import EvalCore

/// `{"type": "sections", "names": ["Коротко", "Подробно", "Следующий шаг"], "order": true, "style": "any"}`:
/// the answer has each named section, in the given order, and none of them is empty.
///
/// A line starts a section when it is (outside fenced code):
/// - `heading`: a Markdown heading, `## Коротко` (`#` to `######`, closing `#`s allowed);
/// - `bold`: a bold label at the start of the line, `**Коротко**`, `**Коротко:**`, `**Коротко**:`, `__Коротко__`;
/// - `italic`: an italic label at the start of the line, `*Коротко:*`, `*Коротко*:`, `_Коротко_`;
/// - `label`: a plain label at the start of the line, `Коротко:` (the text before the first colon); with
///   `"dash": true` also `Коротко — ...` (a dash `—`, `–` or `-` between spaces instead of the colon).
/// Bold, italic and plain labels may open a list item (`- **Коротко:** ...`, `1. Коротко: ...`). `style` is one of
/// these or a list of them; `any` (the default) accepts all four. Names match case-insensitively, ignoring
/// surrounding punctuation, emphasis markers and a leading number (`### 1. Коротко`). The first line matching a name
/// is that section; later ones are ignored.
///
/// A section's content runs from its heading to the line of the next section found (or the end of the answer).
///
/// Findings: `format.sections.missing` per absent section (no span, text = the name); `format.sections.empty` per
/// section with no content — nothing, whitespace, or only a placeholder without a letter or digit (`—`, `-`, `...`)
/// — (span = its heading); and, with `order`, `format.sections.order` for each section out of place (span = its
/// heading). Out-of-place sections are the fewest that explain the order found: the sections of a longest run in the
/// expected order stay, the others are flagged.
public struct SectionsCheck: Check {
    public static let type = "sections"
    public static let version = 2
    public static let summary =
        "the answer has named, non-empty sections (headings, bold, italic or plain labels), in order"

    public enum Style: String, Sendable, Hashable, CaseIterable {
        case any, heading, bold, italic, label
    }

    /// A section found in an answer.
    public struct Section: Sendable, Hashable {
        /// The configured name it matched.
        public var name: String
        /// The position of `name` in the configured names.
        public var index: Int
        /// The heading as written: `## Коротко`, `**Коротко:**`, `Коротко:` (list markers excluded).
        public var span: TextSpan
        public var text: String
        /// How the heading is written: `.heading`, `.bold`, `.italic` or `.label`.
        public var style: Style
        /// The section's content: from the end of its heading to the line of the next section found.
        public var content: TextSpan
        /// True when the content has no letter or digit (nothing, whitespace, `—`, `...`).
        public var isEmpty: Bool
    }

    public let names: [String]
    public let order: Bool
    /// The heading styles accepted; `[.any]` accepts all.
    public let styles: Set<Style>
    /// A plain label may end with a dash instead of a colon.
    public let dash: Bool
    private let keys: [String]
    /// A bit per accepted style (all of them for `.any`): asked for every line, cheaper than the set.
    private let allowed: UInt8

    public init(names: [String], order: Bool = true, style: Style = .any, dash: Bool = false)
        throws(CheckConfigurationError)
    {
        try self.init(names: names, order: order, styles: [style], dash: dash)
    }

    public init(names: [String], order: Bool = true, styles: Set<Style>, dash: Bool = false)
        throws(CheckConfigurationError)
    {
        guard !names.isEmpty else {
            throw CheckConfigurationError("check '\(Self.type)' needs at least one section name")
        }
        var keys: [String] = []
        for name in names {
            let key = Self.key(name)
            guard !key.isEmpty else {
                throw CheckConfigurationError(
                    "option 'names' of check '\(Self.type)' has an empty name: \(quoted(name))")
            }
            guard !keys.contains(key) else {
                throw CheckConfigurationError("option 'names' of check '\(Self.type)' lists \(quoted(name)) twice")
            }
            keys.append(key)
        }
        self.names = names
        self.order = order
        self.styles = styles.isEmpty ? [.any] : styles
        self.dash = dash
        self.keys = keys
        self.allowed = self.styles.contains(.any) ? .max : self.styles.reduce(0) { $0 | Self.bit($1) }
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let names = try options.strings("names")
        let order = try options.bool("order", default: true)
        let styles = try options.optionalChoices("style", of: Style.allCases.map(\.rawValue)) ?? [Style.any.rawValue]
        let dash = try options.bool("dash", default: false)
        try self.init(names: names, order: order, styles: Set(styles.compactMap(Style.init(rawValue:))), dash: dash)
    }

    // MARK: - Finding sections

    /// How a heading's label compares with a name: case-folded, whitespace collapsed, without surrounding
    /// punctuation or emphasis (`**Коротко:**` → `коротко`) and without a leading number (`1. Коротко`).
    static func key(_ label: some StringProtocol) -> String {
        keyByScalar(Substring(label)) ?? keyByCharacter(label)
    }

    /// `key` by scalars, for a label whose every scalar is a character of its own and has a one-scalar lowercase
    /// here (ASCII and basic Cyrillic): nil for any other label, which `keyByCharacter` reads.
    static func keyByScalar(_ label: Substring) -> String? {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(label.utf8.count)
        for scalar in label.unicodeScalars {
            guard PlainText.standsAlone(scalar) else { return nil }
            scalars.append(scalar)
        }
        func isNoise(_ scalar: Unicode.Scalar) -> Bool {
            BasicScalars.isWhitespace(scalar) || BasicScalars.isPunctuation(scalar)
        }
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var lower = range.lowerBound
            var upper = range.upperBound
            while lower < upper, isNoise(scalars[lower]) { lower += 1 }
            while upper > lower, isNoise(scalars[upper - 1]) { upper -= 1 }
            return lower..<upper
        }
        var text = trimmed(0..<scalars.count)
        var digits = text.lowerBound
        while digits < text.upperBound, ("0"..."9").contains(scalars[digits]) { digits += 1 }
        if digits > text.lowerBound, digits < text.upperBound, scalars[digits] == "." || scalars[digits] == ")",
            digits + 1 < text.upperBound, BasicScalars.isWhitespace(scalars[digits + 1])
        {
            text = trimmed((digits + 1)..<text.upperBound)
        }
        // Whitespace collapsed to one space, lowercased.
        var key = String.UnicodeScalarView()
        var pendingSpace = false
        for index in text {
            let scalar = scalars[index]
            if BasicScalars.isWhitespace(scalar) {
                pendingSpace = !key.isEmpty
                continue
            }
            guard let lower = BasicScalars.lowercase(scalar) else { return nil }
            if pendingSpace { key.append(" ") }
            pendingSpace = false
            key.append(lower)
        }
        return String(key)
    }

    /// `key` character by character: the definition `keyByScalar` stands in for.
    static func keyByCharacter(_ label: some StringProtocol) -> String {
        func trimmed(_ text: Substring) -> Substring {
            let isNoise = { (character: Character) in character.isWhitespace || character.isPunctuation }
            var text = text.drop(while: isNoise)
            while let last = text.last, isNoise(last) { text = text.dropLast() }
            return text
        }
        var text = trimmed(Substring(label))
        let number = text.prefix { $0.isASCII && $0.isNumber }
        if !number.isEmpty, number.endIndex < text.endIndex, ".)".contains(text[number.endIndex]) {
            let rest = text[text.index(after: number.endIndex)...]
            if rest.first?.isWhitespace == true { text = trimmed(rest) }
        }
        return TextNormalization.caseFolded(TextNormalization.collapsingWhitespace(text))
    }

    private func allows(_ candidate: Style) -> Bool {
        allowed & Self.bit(candidate) != 0
    }

    private static func bit(_ style: Style) -> UInt8 {
        switch style {
        case .any: 1
        case .heading: 2
        case .bold: 4
        case .italic: 8
        case .label: 16
        }
    }

    /// The label and the heading's extent on one line, if the line is a section heading of an allowed style.
    private func heading(on line: Substring) -> (style: Style, label: Substring, marker: Substring)? {
        if let heading = Markdown.heading(line) {
            return allows(.heading) ? (.heading, heading.title, heading.marker) : nil
        }
        let body = Markdown.droppingListMarker(line)
        if allows(.bold), let bold = Self.emphasizedLabel(body, delimiters: ["**", "__"]) {
            return (.bold, bold.label, bold.marker)
        }
        if allows(.italic), let italic = Self.emphasizedLabel(body, delimiters: ["*", "_"]) {
            return (.italic, italic.label, italic.marker)
        }
        if allows(.label), let label = Self.plainLabel(body, dash: dash) { return (.label, label.label, label.marker) }
        return nil
    }

    /// A label between emphasis delimiters at the start of `body`: bold `**Коротко**`, `**Коротко:**`, `**Коротко**:`,
    /// `__Коротко__`, or italic `*Коротко:*`, `_Коротко_`. A delimiter doubled where a single one is asked for is
    /// bold, not italic.
    private static func emphasizedLabel(_ body: Substring, delimiters: [String]) -> (
        label: Substring, marker: Substring
    )? {
        guard let delimiter = delimiters.first(where: { body.hasPrefix($0) }) else { return nil }
        let inner = body.dropFirst(delimiter.count)
        if delimiter.count == 1, inner.first.map(String.init) == delimiter { return nil }
        guard let closing = firstRange(of: delimiter, in: inner), closing.lowerBound > inner.startIndex else {
            return nil
        }
        var end = closing.upperBound
        if end < body.endIndex, body[end] == ":" || body[end] == "：" { end = body.index(after: end) }
        return (inner[inner.startIndex..<closing.lowerBound], body[body.startIndex..<end])
    }

    /// The first occurrence of `delimiter` in `text`, character by character as `firstRange(of:)` finds it, without
    /// the generic collection search (it ran for every line of every answer).
    private static func firstRange(of delimiter: String, in text: Substring) -> Range<Substring.Index>? {
        guard let first = delimiter.first else { return nil }
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == first, text[index...].hasPrefix(delimiter) {
                return index..<text.index(index, offsetBy: delimiter.count)
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static let longestLabel = 80

    /// `Коротко:` at the start of `body`: a short text without Markdown up to the first colon; with `dash`, up to
    /// the first colon or dash between spaces (`Коротко — ...`), whichever comes first.
    private static func plainLabel(_ body: Substring, dash: Bool) -> (label: Substring, marker: Substring)? {
        plainLabelByScalar(body, dash: dash) ?? plainLabelByCharacter(body, dash: dash)
    }

    /// `plainLabel` character by character: the definition `plainLabelByScalar` stands in for.
    static func plainLabelByCharacter(_ body: Substring, dash: Bool) -> (label: Substring, marker: Substring)? {
        var end: (label: Substring.Index, marker: Substring.Index)?
        var cursor = body.startIndex
        // A label is at most 80 characters: an end further on could only be rejected, so the scan stops there.
        var position = 0
        while cursor < body.endIndex, end == nil, position <= Self.longestLabel {
            position += 1
            let character = body[cursor]
            let next = body.index(after: cursor)
            if character == ":" || character == "：" {
                end = (cursor, next)
            } else if dash, "—–-".contains(character), cursor > body.startIndex,
                body[body.index(before: cursor)].isWhitespace, next == body.endIndex || body[next].isWhitespace
            {
                end = (cursor, next)
            }
            cursor = next
        }
        guard let end else { return nil }
        let label = body[body.startIndex..<end.label]
        guard !label.allSatisfy(\.isWhitespace), label.count <= Self.longestLabel,
            !label.contains(where: { "*_`#[]".contains($0) })
        else { return nil }
        return (label, body[body.startIndex..<end.marker])
    }

    /// `plainLabel` walking scalars instead of characters, which every line of nearly every answer costs: nil when it
    /// meets a scalar that may join others into one character (a combining mark, a joiner, an emoji...) before it
    /// could decide, and the character walk decides. Up to there every scalar is a character of its own (a line
    /// holds no CR LF), so positions and tests are the same. `.some(nil)`: decided, no label.
    static func plainLabelByScalar(_ body: Substring, dash: Bool) -> (label: Substring, marker: Substring)?? {
        let scalars = body.unicodeScalars
        let isWhitespace = BasicScalars.isWhitespace
        /// The scalar at `index` is a character of its own, or the end: nil when it may join the one before.
        func standsAlone(at index: String.UnicodeScalarView.Index) -> Bool {
            index == scalars.endIndex || PlainText.standsAlone(scalars[index])
        }
        var end: (label: Substring.Index, marker: Substring.Index)?
        var cursor = scalars.startIndex
        var previous: Unicode.Scalar?
        var position = 0
        var onlyWhitespace = true
        var markup = false
        while cursor < scalars.endIndex, end == nil, position <= Self.longestLabel {
            let scalar = scalars[cursor]
            guard PlainText.standsAlone(scalar) else { return nil }
            let next = scalars.index(after: cursor)
            if scalar == ":" || scalar == "：" {
                guard standsAlone(at: next) else { return nil }
                end = (cursor, next)
                break
            } else if dash, scalar == "—" || scalar == "–" || scalar == "-", let previous, isWhitespace(previous) {
                guard standsAlone(at: next) else { return nil }
                if next == scalars.endIndex || isWhitespace(scalars[next]) {
                    end = (cursor, next)
                    break
                }
            }
            position += 1
            if !isWhitespace(scalar) { onlyWhitespace = false }
            switch scalar {
            case "*", "_", "`", "#", "[", "]": markup = true
            default: break
            }
            previous = scalar
            cursor = next
        }
        guard let end, !onlyWhitespace, position <= Self.longestLabel, !markup else { return .some(nil) }
        return (body[body.startIndex..<end.label], body[body.startIndex..<end.marker])
    }

    /// The sections found in `response`, in the order they appear; one per configured name at most.
    public func locate(in response: String) -> [Section] {
        let lines = Markdown.lines(response)
        let fenced = Markdown.fencedLineMask(in: response, lines: lines)
        // Each heading, and the start of its line (where the content of the section before it ends).
        var headings: [(index: Int, style: Style, marker: Substring, lineStart: String.Index)] = []
        var found = Set<Int>()
        for (number, line) in lines.enumerated() where !fenced[number] {
            guard let heading = heading(on: line), let index = keys.firstIndex(of: Self.key(heading.label)),
                !found.contains(index)
            else { continue }
            found.insert(index)
            headings.append((index, heading.style, heading.marker, line.startIndex))
        }
        return headings.enumerated().map { position, heading in
            let end = position + 1 < headings.count ? headings[position + 1].lineStart : response.endIndex
            let content = response[heading.marker.endIndex..<max(end, heading.marker.endIndex)]
            return Section(
                name: names[heading.index],
                index: heading.index,
                span: TextSpan(heading.marker.startIndex..<heading.marker.endIndex, in: response),
                text: String(heading.marker),
                style: heading.style,
                content: TextSpan(content.startIndex..<content.endIndex, in: response),
                isEmpty: !TextSegmentation.containsLetterOrNumber(content)
            )
        }
    }

    // MARK: - Verdict

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let sections = locate(in: input.response)
        let present = Set(sections.map(\.index))
        var findings = names.indices.filter { !present.contains($0) }.map { Self.missing(names[$0]) }
        findings += sections.filter(\.isEmpty).map(Self.empty)
        if order { findings += outOfOrder(sections) }
        return .failing(on: findings)
    }

    /// Sections not in a longest subsequence that follows the configured order.
    private func outOfOrder(_ sections: [Section]) -> [Finding] {
        guard sections.count > 1 else { return [] }
        // Longest strictly increasing subsequence of configured positions, O(n²): n is a handful of sections.
        var length = Array(repeating: 1, count: sections.count)
        var previous = Array(repeating: -1, count: sections.count)
        for current in sections.indices {
            for earlier in 0..<current where sections[earlier].index < sections[current].index {
                if length[earlier] + 1 > length[current] {
                    length[current] = length[earlier] + 1
                    previous[current] = earlier
                }
            }
        }
        var kept = Set<Int>()
        // Of equally long runs, the one ending last: a section written too early is the one flagged.
        var cursor = length.indices.max { length[$0] < length[$1] || (length[$0] == length[$1] && $0 < $1) } ?? -1
        while cursor >= 0 {
            kept.insert(cursor)
            cursor = previous[cursor]
        }
        let inOrder = kept.sorted().map { sections[$0] }
        var findings: [Finding] = []
        for (position, section) in sections.enumerated() where !kept.contains(position) {
            // A kept section that should come after this one but appears before it, or the reverse.
            let shouldFollow = inOrder.filter { $0.index > section.index && $0.span < section.span }
            let shouldPrecede = inOrder.filter { $0.index < section.index && $0.span > section.span }
            if let later = shouldFollow.min(by: { $0.index < $1.index }) {
                findings.append(Self.misplaced(section, before: later.name))
            } else if let earlier = shouldPrecede.max(by: { $0.index < $1.index }) {
                findings.append(Self.misplaced(section, after: earlier.name))
            }
        }
        return findings
    }

    static func missing(_ name: String) -> Finding {
        Finding(ruleID: "format.sections.missing", message: "missing section \(quoted(name))", text: name)
    }

    static func empty(_ section: Section) -> Finding {
        Finding(
            ruleID: "format.sections.empty",
            message: "section \(quoted(section.name)) is empty",
            span: section.span,
            text: section.text
        )
    }

    static func misplaced(_ section: Section, before name: String) -> Finding {
        Finding(
            ruleID: "format.sections.order",
            message: "section \(quoted(section.name)) is out of order, expected before \(quoted(name))",
            span: section.span,
            text: section.text
        )
    }

    static func misplaced(_ section: Section, after name: String) -> Finding {
        Finding(
            ruleID: "format.sections.order",
            message: "section \(quoted(section.name)) is out of order, expected after \(quoted(name))",
            span: section.span,
            text: section.text
        )
    }
}
