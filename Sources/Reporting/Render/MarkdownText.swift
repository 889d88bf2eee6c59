/// Text made safe for a GitHub Markdown table cell or paragraph.
enum MarkdownText {
    /// Plain text: Markdown and HTML punctuation escaped, line breaks as spaces, pipes escaped for tables.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~", "!":
                result.append("\\")
                result.append(character)
            case "\n", "\r\n", "\r", "\t":
                result.append(" ")
            default:
                result.append(character)
            }
        }
        return result
    }

    /// Verbatim text in a code span, whatever backticks it holds; line breaks shown as `⏎`, pipes escaped so that
    /// a table cell stays whole.
    static func code(_ text: String) -> String {
        var body = ""
        var run = 0
        var longest = 0
        for character in text {
            if character == "`" {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
            switch character {
            case "\n", "\r\n", "\r": body.append("⏎")
            case "|": body.append("\\|")
            default: body.append(character)
            }
        }
        if body.isEmpty { return "` `" }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = body.first == "`" || body.last == "`" || body.first == " " ? " " : ""
        return fence + pad + body + pad + fence
    }

    /// A finding as a table cell: the quoted text and where it is (line:column), the message, then the answer around
    /// it (`withExcerpt`).
    static func evidence(_ evidence: Evidence, withExcerpt: Bool = true) -> String {
        var parts: [String] = []
        if let text = evidence.text, let location = evidence.location {
            parts.append("\(code(text)) at \(location)")
        }
        parts.append(escape(evidence.message))
        var cell = "\(code(evidence.rule)): " + parts.joined(separator: " — ")
        if withExcerpt, let excerpt = evidence.excerpt { cell += "<br>" + self.excerpt(excerpt) }
        return cell
    }

    /// Several findings of one answer, one per line: each with its excerpt, except that the start of the answer
    /// (the excerpt of a finding without a span) is shown once.
    static func evidence(_ list: some Sequence<Evidence>) -> String {
        var startShown = false
        return list.map { item in
            let isStart = item.excerpt != nil && item.excerpt?.match.isEmpty == true && item.position == nil
            defer { if isStart { startShown = true } }
            return evidence(item, withExcerpt: !(isStart && startShown))
        }.joined(separator: "<br>")
    }

    /// The answer around a finding, on one line: `answer: …text <b>match</b> text…`, or `answer begins: …` for a
    /// finding without a span; the text escaped, line breaks as `⏎`.
    static func excerpt(_ excerpt: Excerpt) -> String {
        let text =
            (excerpt.cutBefore ? "…" : "") + escape(Excerpt.flat(excerpt.before))
            + (excerpt.match.isEmpty ? "" : "<b>" + escape(Excerpt.flat(excerpt.match)) + "</b>")
            + escape(Excerpt.flat(excerpt.after)) + (excerpt.cutAfter ? "…" : "")
        return (excerpt.match.isEmpty && excerpt.before.isEmpty ? "answer begins: " : "answer: ") + text
    }

    static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }

    static func header(_ cells: [String], alignRight: Set<Int> = []) -> String {
        row(cells) + "\n|" + cells.indices.map { alignRight.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|"
    }
}
