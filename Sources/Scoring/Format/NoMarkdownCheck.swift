import EvalCore

/// `{"type": "no-markdown"}`: the answer is plain text. Every Markdown construct is a finding with its span:
///
/// - `heading`: `# ...` to `###### ...` lines (from the first `#` to the end of the line);
/// - `bold`: `**text**`, `__text__`; `italic`: `*text*`, `_text_` (not inside words, so `snake_case` and `2*3*4` pass);
/// - `list`: lines starting with `-`, `*`, `+`, `1.` or `1)` and a space (from the marker to the end of the line);
/// - `code-block`: fenced blocks, fences included; `inline-code`: `` `code` ``;
/// - `link`: `[text](url)`; `image`: `![alt](url)`;
/// - `table`: a header row with `|`, a delimiter row (`|---|---|`) and the rows after it, as one finding.
/// Nothing inside code is reported but the code itself. Not detected: setext headings (`===` underlines), block
/// quotes, horizontal rules, HTML, reference-style links, emphasis spanning lines.
public struct NoMarkdownCheck: Check {
    public static let type = "no-markdown"
    public static let version = 1
    public static let summary = "the answer uses no Markdown: headings, emphasis, lists, code, links, tables"

    public enum Construct: String, Sendable, Hashable, CaseIterable {
        case heading, bold, italic, list
        case codeBlock = "code-block"
        case inlineCode = "inline-code"
        case link, image, table

        var phrase: String {
            switch self {
            case .heading: return "heading"
            case .bold: return "bold text"
            case .italic: return "italic text"
            case .list: return "list item"
            case .codeBlock: return "code block"
            case .inlineCode: return "inline code"
            case .link: return "link"
            case .image: return "image"
            case .table: return "table"
            }
        }
    }

    /// One construct in an answer: what it is, where, and the text a message quotes (its first line).
    public struct Occurrence: Sendable, Hashable {
        public var construct: Construct
        public var range: Range<String.Index>
        public var quote: Substring

        init(_ construct: Construct, _ range: Range<String.Index>, _ quote: Substring) {
            self.construct = construct
            self.range = range
            self.quote = quote
        }
    }

    public init() {}

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        self.init()
    }

    // Constant patterns, covered by tests. Every repetition is bounded and a link's label and target exclude their
    // own openers, so a degenerate answer ("[[[[…", "**a **a …") costs linear time, not a rescan from every opener.
    private static let link = try! TextPattern(#"!?\[[^\[\]\n]{1,500}\]\([^()\s]{1,2000}(?:[ \t]+"[^"\n]{0,500}")?\)"#)
    private static let bold = try! TextPattern(
        #"\*\*(?=[^\s*])[^\n]{0,500}?(?<=[^\s*])\*\*|(?<![\p{L}\p{N}_])__(?=[^\s_])[^\n]{0,500}?(?<=[^\s_])__(?![\p{L}\p{N}_])"#
    )
    private static let italic = try! TextPattern(
        #"(?<![\p{L}\p{N}*\\])\*(?=[^\s*])[^\n*]*?(?<=[^\s*])\*(?![\p{L}\p{N}*])"#
            + #"|(?<![\p{L}\p{N}_\\])_(?=[^\s_])[^\n_]*?(?<=[^\s_])_(?![\p{L}\p{N}_])"#
    )

    /// Every construct in `text` with its range, in order of position.
    public func constructs(in text: String) -> [Occurrence] {
        var found: [Occurrence] = []
        let lines = Markdown.lines(text)
        let blocks = Markdown.fencedBlocks(in: text, lines: lines)
        let fenced = Markdown.fencedLineMask(in: text, lines: lines)
        var code = blocks.map(\.range)
        for block in blocks { found.append(Occurrence(.codeBlock, block.range, block.opening)) }

        var tableLines = Set<Int>()
        for index in lines.indices.dropFirst() where !fenced[index] && !fenced[index - 1] {
            guard !tableLines.contains(index - 1), Self.isDelimiterRow(lines[index]), lines[index - 1].contains("|")
            else {
                continue
            }
            var last = index
            while last + 1 < lines.count, !fenced[last + 1], lines[last + 1].contains("|") { last += 1 }
            let header = Markdown.trimmingWhitespace(lines[index - 1])
            let end = Markdown.trimmingTrailingWhitespace(lines[last]).endIndex
            found.append(Occurrence(.table, header.startIndex..<end, header))
            tableLines.formUnion(index - 1...last)
        }

        for (index, line) in lines.enumerated() where !fenced[index] {
            if let heading = Markdown.heading(line) {
                found.append(Occurrence(.heading, heading.marker.startIndex..<heading.marker.endIndex, heading.marker))
            } else if !tableLines.contains(index), let marker = Markdown.listMarker(line) {
                let item = line[marker.startIndex..<Markdown.trimmingTrailingWhitespace(line).endIndex]
                found.append(Occurrence(.list, item.startIndex..<item.endIndex, item))
            }
            for span in Markdown.inlineCode(in: line) {
                found.append(Occurrence(.inlineCode, span.startIndex..<span.endIndex, span))
                code.append(span.startIndex..<span.endIndex)
            }
        }

        let outsideCode = { (range: Range<String.Index>) in !code.contains { $0.overlaps(range) } }
        for range in Self.link.matches(in: text) where outsideCode(range) {
            found.append(Occurrence(text[range].hasPrefix("!") ? .image : .link, range, text[range]))
        }
        for range in Self.bold.matches(in: text) where outsideCode(range) {
            found.append(Occurrence(.bold, range, text[range]))
        }
        for range in Self.italic.matches(in: text) where outsideCode(range) {
            found.append(Occurrence(.italic, range, text[range]))
        }
        return found.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
    }

    /// `|---|:---:|`, `--- | ---`: cells of dashes with optional alignment colons, at least one `|`.
    static func isDelimiterRow(_ line: Substring) -> Bool {
        let trimmed = Markdown.trimmingWhitespace(line)
        guard trimmed.contains("|"), trimmed.contains("-") else { return false }
        var cells = trimmed.split(separator: "|", omittingEmptySubsequences: false).map {
            Markdown.trimmingWhitespace($0)
        }
        if cells.first?.isEmpty == true { cells.removeFirst() }
        if cells.last?.isEmpty == true { cells.removeLast() }
        return !cells.isEmpty
            && cells.allSatisfy { cell in
                var body = cell[...]
                if body.first == ":" { body = body.dropFirst() }
                if body.last == ":" { body = body.dropLast() }
                return !body.isEmpty && body.allSatisfy { $0 == "-" }
            }
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let response = input.response
        return .failing(
            on: constructs(in: response).map {
                Self.markdown(
                    $0.construct, quote: $0.quote, span: TextSpan($0.range, in: response),
                    text: String(response[$0.range]))
            }
        )
    }

    static func markdown(_ construct: Construct, quote: Substring, span: TextSpan, text: String) -> Finding {
        Finding(
            ruleID: "format.no-markdown.\(construct.rawValue)",
            message: "uses markdown \(construct.phrase) \(quoted(quote, limit: 60))",
            span: span,
            text: text
        )
    }
}
