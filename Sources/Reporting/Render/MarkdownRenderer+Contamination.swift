public import EvalCore
import Foundation

extension MarkdownRenderer {
    /// The eval cases found in training data, each match with its kind, where it was found and the shared words.
    public func render(_ report: ContaminationReport) -> String {
        var out = Output()
        let verdict =
            report.casesContaminated == 0
            ? "✅ no eval case found in the training data"
            : "❌ \(Format.plural(report.casesContaminated, "eval case")) found in the training data"
        out.line("## evalgate contamination: \(verdict)")
        out.blank()
        let texts = report.training.reduce(0) { $0 + $1.texts }
        let files = report.training.map {
            "\(MarkdownText.code($0.path)) (\($0.format?.rawValue ?? "empty"), \(Format.plural($0.lines, "line")))"
        }
        out.line(
            "\(Format.plural(report.casesChecked, "case")) of \(Format.plural(report.suites.count, "suite")) checked against "
                + "\(Format.plural(texts, "training text")) in \(files.joined(separator: ", ")) · exact and normalised duplicates "
                + "(texts of at least \(Format.plural(report.minWords, "word"))) and runs of \(report.ngram) normalised words"
        )
        out.blank()
        guard !report.cases.isEmpty else { return out.text }
        out.line(
            MarkdownText.header(
                ["case", "field", "kind", "found at", "training texts", "shared words"], alignRight: [4]))
        for entry in report.cases.prefix(maxListed) {
            for match in entry.matches {
                let at = (match.kind == .ngram ? match.overlapAt : nil) ?? match.found.first
                out.line(
                    MarkdownText.row([
                        MarkdownText.code("\(entry.suite)/\(entry.caseID)"), match.field.rawValue, match.kind.rawValue,
                        at.map { MarkdownText.code($0.description) } ?? "—", "\(match.count)",
                        match.overlap.map { "\(match.overlapWords ?? 0): " + MarkdownText.escape($0) } ?? "—",
                    ]))
            }
        }
        if report.cases.count > maxListed {
            out.blank()
            out.line("… and \(report.cases.count - maxListed) more cases (the JSON report lists them all).")
        }
        out.blank()
        return out.text
    }
}
