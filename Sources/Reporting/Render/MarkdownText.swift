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

    /// A finding as a table cell: the quoted text and where it is, then the message.
    static func evidence(_ evidence: Evidence) -> String {
        var parts: [String] = []
        if let text = evidence.text, let span = evidence.span {
            parts.append("\(code(text)) at \(span)")
        }
        parts.append(escape(evidence.message))
        return "\(code(evidence.rule)): " + parts.joined(separator: " — ")
    }

    static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }

    static func header(_ cells: [String], alignRight: Set<Int> = []) -> String {
        row(cells) + "\n|" + cells.indices.map { alignRight.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|"
    }
}
