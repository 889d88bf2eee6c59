public import EvalCore

/// `{"type": "sections", "names": ["Коротко", "Подробно", "Следующий шаг"], "order": true, "style": "any"}`:
/// the answer has each named section, in the given order.
///
/// A line starts a section when it is (outside fenced code):
/// - `heading`: a Markdown heading, `## Коротко` (`#` to `######`, closing `#`s allowed);
/// - `bold`: a bold label at the start of the line, `**Коротко**`, `**Коротко:**`, `**Коротко**:`, `__Коротко__`;
/// - `label`: a plain label at the start of the line, `Коротко:` (the text before the first colon).
/// Bold and plain labels may open a list item (`- **Коротко:** ...`, `1. Коротко: ...`). `style: any` (the default)
/// accepts all three. Names match case-insensitively, ignoring surrounding punctuation, emphasis markers and a
/// leading number (`### 1. Коротко`). The first line matching a name is that section; later ones are ignored.
///
/// Findings: `format.sections.missing` per absent section (no span, text = the name) and, with `order`,
/// `format.sections.order` for each section out of place (span = its heading). Out-of-place sections are the fewest
/// that explain the order found: the sections of a longest run in the expected order stay, the others are flagged.
public struct SectionsCheck: Check {
    public static let type = "sections"
    public static let version = 1
    public static let summary = "the answer has named sections (headings, bold or plain labels), in order"

    public enum Style: String, Sendable, Hashable, CaseIterable {
        case any, heading, bold, label
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
        /// How the heading is written: `.heading`, `.bold` or `.label`.
        public var style: Style
    }

    public let names: [String]
    public let order: Bool
    public let style: Style
    private let keys: [String]

    public init(names: [String], order: Bool = true, style: Style = .any) throws(CheckConfigurationError) {
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
        self.style = style
        self.keys = keys
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let names = try options.strings("names")
        let order = try options.bool("order", default: true)
        let style = try options.choice("style", of: Style.allCases.map(\.rawValue), default: Style.any.rawValue)
        try self.init(names: names, order: order, style: Style(rawValue: style) ?? .any)
    }

    // MARK: - Finding sections

    /// How a heading's label compares with a name: case-folded, whitespace collapsed, without surrounding
    /// punctuation or emphasis (`**Коротко:**` → `коротко`) and without a leading number (`1. Коротко`).
    static func key(_ label: some StringProtocol) -> String {
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
        style == .any || style == candidate
    }

    /// The label and the heading's extent on one line, if the line is a section heading of an allowed style.
    private func heading(on line: Substring) -> (style: Style, label: Substring, marker: Substring)? {
        if let heading = Markdown.heading(line) {
            return allows(.heading) ? (.heading, heading.title, heading.marker) : nil
        }
        let body = Markdown.droppingListMarker(line)
        if allows(.bold), let bold = Self.boldLabel(body) { return (.bold, bold.label, bold.marker) }
        if allows(.label), let label = Self.plainLabel(body) { return (.label, label.label, label.marker) }
        return nil
    }

    /// `**Коротко**`, `**Коротко:**`, `**Коротко**:`, `__Коротко__` at the start of `body`.
    private static func boldLabel(_ body: Substring) -> (label: Substring, marker: Substring)? {
        guard body.hasPrefix("**") || body.hasPrefix("__") else { return nil }
        let delimiter = body.prefix(2)
        let inner = body.dropFirst(2)
        guard let closing = inner.firstRange(of: delimiter), closing.lowerBound > inner.startIndex else { return nil }
        var end = closing.upperBound
        if end < body.endIndex, body[end] == ":" || body[end] == "：" { end = body.index(after: end) }
        return (inner[inner.startIndex..<closing.lowerBound], body[body.startIndex..<end])
    }

    /// `Коротко:` at the start of `body`: a short text without Markdown up to the first colon.
    private static func plainLabel(_ body: Substring) -> (label: Substring, marker: Substring)? {
        guard let colon = body.firstIndex(where: { $0 == ":" || $0 == "：" }) else { return nil }
        let label = body[body.startIndex..<colon]
        guard !label.isEmpty, label.count <= 80, !label.contains(where: { "*_`#[]".contains($0) }) else { return nil }
        return (label, body[body.startIndex...colon])
    }

    /// The sections found in `response`, in the order they appear; one per configured name at most.
    public func locate(in response: String) -> [Section] {
        let lines = Markdown.lines(response)
        let fenced = Markdown.fencedLineMask(in: response, lines: lines)
        var sections: [Section] = []
        var found = Set<Int>()
        for (number, line) in lines.enumerated() where !fenced[number] {
            guard let heading = heading(on: line), let index = keys.firstIndex(of: Self.key(heading.label)),
                !found.contains(index)
            else { continue }
            found.insert(index)
            let range = heading.marker.startIndex..<heading.marker.endIndex
            sections.append(
                Section(
                    name: names[index],
                    index: index,
                    span: TextSpan(range, in: response),
                    text: String(heading.marker),
                    style: heading.style
                )
            )
        }
        return sections
    }

    // MARK: - Verdict

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let sections = locate(in: input.response)
        let present = Set(sections.map(\.index))
        var findings = names.indices.filter { !present.contains($0) }.map { Self.missing(names[$0]) }
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
