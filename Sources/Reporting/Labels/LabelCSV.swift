public import EvalCore
import Foundation

/// A labelling file as CSV for a spreadsheet (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or
/// line break quoted, quotes doubled), with the JSONL's columns in the same order; `evidence` is one cell of
/// `rule: text` items separated by ` | `. A cell that starts with `=`, `+`, `-` or `@` gets a leading `'`, so that a
/// spreadsheet shows an answer such as `=HYPERLINK(…)` as text instead of running it (CSV injection);
/// `evalgate agreement` reads the CSV back and drops that quote again.
public enum LabelCSV {
    public static let columns = LabelRecord.fieldNames

    public static func text(_ records: [LabelRecord]) -> String {
        var out = columns.joined(separator: ",") + "\r\n"
        for record in records {
            let evidence = record.evidence.map { finding in
                finding.text.map { "\(finding.ruleID): \($0)" } ?? "\(finding.ruleID): \(finding.message)"
            }.joined(separator: " | ")
            let cells: [String] = [
                record.log, record.target ?? "", record.suite, record.caseID, String(record.repeatIndex), record.rule,
                record.judge ?? "", record.check.rawValue, record.human?.rawValue ?? "", record.note ?? "",
                record.prompt ?? "",
                record.answer ?? "", evidence,
            ]
            out += cells.map(cell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func cell(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
