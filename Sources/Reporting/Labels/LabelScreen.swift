public import EvalCore

/// One screen of `evalgate label --interactive`: the item's place, the prompt, the answer with the check's evidence
/// highlighted, the check's verdict and findings, and the keys. Plain ANSI (clear screen, bold, reverse video,
/// colours), nothing a terminal over SSH would not understand; `color: false` (NO_COLOR) marks the evidence with
/// `[[ ]]` instead.
///
/// Model text never reaches the terminal raw: control characters (an escape sequence in an answer could move the
/// cursor, retitle the window or worse) are shown as `�`, tabs and line breaks kept.
public struct LabelScreen: Sendable {
    public var color: Bool

    public init(color: Bool = true) {
        self.color = color
    }

    static let clear = "\u{1B}[H\u{1B}[2J"
    private func style(_ code: String, _ text: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// The screen for `session`'s current item; the closing line when everything is labelled.
    public func render(_ session: LabelSession, file: String) -> String {
        var out = color ? Self.clear : ""
        let progress = "\(session.labelled) labelled, \(session.skipped) skipped, \(session.remaining) to go"
        guard let index = session.current else {
            out +=
                style("1", "evalgate label: all \(session.records.count) items done")
                + " (\(progress)) · saved in \(Self.clean(file))\n"
            out += "Next: evalgate agreement \(Self.clean(file))\n"
            return out
        }
        let record = session.records[index]
        out +=
            style("1", "evalgate label · item \(index + 1) of \(session.records.count)")
            + " · \(progress) · \(Self.clean(file))\n"
        var place = "\(record.suite)/\(record.caseID) #\(record.repeatIndex)"
        if let target = record.target { place += " · \(target)" }
        place += " · rule \(record.rule)"
        if let judge = record.judge { place += " · judge \(judge)" }
        out += style("2", Self.clean(place)) + "\n\n"
        if let prompt = record.prompt {
            out += style("1", "Prompt") + "\n" + Self.indent(Self.clean(prompt)) + "\n\n"
        }
        out += style("1", "Answer") + "\n"
        if let answer = record.answer {
            out += Self.indent(highlighted(answer, spans: record.evidence.compactMap(\.span))) + "\n\n"
        } else {
            out += "  (not in the labelling file)\n\n"
        }
        let verdict = record.check == .fail ? style("1;31", "FAIL") : style("1;32", "PASS")
        out += style("1", "The check says: ") + verdict + "\n"
        for finding in record.evidence {
            out += "  " + Self.clean(finding.ruleID) + ": " + Self.clean(finding.message) + "\n"
        }
        if let note = session.note { out += style("2", "Note: ") + Self.clean(note) + "\n" }
        out += "\n"
        let agree = record.check == .fail ? "fail" : "pass"
        out +=
            "Do you agree?  [a] agree (\(agree))  [d] disagree (\(record.check.flipped.rawValue))  [s] skip  [n] note  [b] back  [q] quit\n"
        return out
    }

    /// The answer with each evidence span marked. Spans are UTF-8 byte offsets; one that does not fit the answer or
    /// cuts a character is left unmarked. Overlapping spans are merged.
    public func highlighted(_ answer: String, spans: [TextSpan]) -> String {
        let utf8 = Array(answer.utf8)
        var ranges: [Range<Int>] = []
        for span in spans.sorted() where span.start >= 0 && span.start < span.end && span.end <= utf8.count {
            guard span.text(in: answer) != nil, Self.isBoundary(utf8, span.start), Self.isBoundary(utf8, span.end)
            else { continue }
            if let last = ranges.last, span.start <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, span.end)
            } else {
                ranges.append(span.start..<span.end)
            }
        }
        var out = ""
        var position = 0
        for range in ranges {
            out += Self.clean(String(decoding: utf8[position..<range.lowerBound], as: UTF8.self))
            let marked = Self.clean(String(decoding: utf8[range], as: UTF8.self))
            // Marked line by line, so that the highlight never spills into the indentation.
            out += marked.split(separator: "\n", omittingEmptySubsequences: false)
                .map { color ? "\u{1B}[1;7m\($0)\u{1B}[0m" : "[[\($0)]]" }
                .joined(separator: "\n")
            position = range.upperBound
        }
        out += Self.clean(String(decoding: utf8[position...], as: UTF8.self))
        return out
    }

    /// True when `offset` starts a character (or is the end).
    private static func isBoundary(_ utf8: [UInt8], _ offset: Int) -> Bool {
        offset == utf8.count || (utf8[offset] & 0xC0) != 0x80
    }

    /// Text safe to print: C0 and C1 control characters and DEL shown as `�`, line breaks and tabs kept.
    public static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09: out.append(scalar)
            case 0x0D: continue
            case 0x00..<0x20, 0x7F..<0xA0: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
