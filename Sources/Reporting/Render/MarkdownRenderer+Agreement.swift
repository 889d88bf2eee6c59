import EvalCore
import Foundation

extension MarkdownRenderer {
    /// Per rule: labels, kappa, AC1, precision and recall with intervals, the confusion matrix; then the
    /// disagreements with their evidence.
    public func render(_ report: AgreementReport) -> String {
        var out = Output()
        out.line("## evalgate agreement: checks against people")
        out.blank()
        out.line(
            "\(Format.plural(report.labelled, "label")) from \(Format.plural(report.files.count, "file")) · \(report.skipped) skipped · \(report.unlabelled) not labelled yet"
        )
        out.blank()
        out.alert("WARNING", report.warnings)
        guard !report.rules.isEmpty else {
            out.line("No labelled verdicts yet: label some with `evalgate label --interactive`.")
            return out.text
        }
        out.line(
            MarkdownText.header(
                [
                    "rule", "judge", "labels", "agreement", "kappa", "AC1", "precision (95% CI)", "recall (95% CI)",
                    "fail/fail", "fail/pass", "pass/fail", "pass/pass",
                ],
                alignRight: [2, 3, 4, 5, 8, 9, 10, 11]))
        for rule in report.rules {
            let matrix = rule.confusion
            out.line(
                MarkdownText.row([
                    MarkdownText.code(rule.rule), rule.judge.map(MarkdownText.code) ?? "—", "\(rule.labels)",
                    Format.percent(rule.agreement), AgreementFormat.coefficient(rule.kappa),
                    AgreementFormat.coefficient(rule.ac1),
                    AgreementFormat.proportion(rule.precision), AgreementFormat.proportion(rule.recall),
                    "\(matrix.bothFail)", "\(matrix.checkFailHumanPass)", "\(matrix.checkPassHumanFail)",
                    "\(matrix.bothPass)",
                ]))
        }
        out.blank()
        out.line(
            "Columns fail/pass: the check's verdict / the person's. Precision: of the answers the check failed, the share the person failed too; recall: of the answers the person failed, the share the check caught."
        )
        out.blank()
        for rule in report.rules where !rule.disagreements.isEmpty {
            let total = rule.confusion.disagreed
            out.details("Disagreements: \(MarkdownText.escape(rule.name)) (\(total))") { out in
                out.line(MarkdownText.header(["case", "check", "person", "note", "evidence"]))
                for item in rule.disagreements.prefix(maxListed) {
                    out.line(
                        MarkdownText.row([
                            "\(MarkdownText.escape(item.suite))/\(MarkdownText.code(item.caseID))#\(item.repeatIndex)",
                            item.check.rawValue, item.human.rawValue, item.note.map(MarkdownText.escape) ?? "",
                            MarkdownText.evidence(item.evidence),
                        ]))
                }
                let shown = min(rule.disagreements.count, maxListed)
                if total > shown { out.line("… and \(total - shown) more") }
            }
        }
        return out.text
    }
}

/// The agreement numbers as every format prints them.
public enum AgreementFormat {
    /// `0.406`, or `—` when undefined.
    public static func coefficient(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.3f", value)
    }

    /// `80.0% (58.4–91.9%)`, or `—` without trials.
    static func proportion(_ proportion: Proportion?) -> String {
        guard let proportion else { return "—" }
        return "\(Format.percent(proportion.value)) (\(Format.interval(proportion.interval)))"
    }

    /// One line for a CI log: `agreement: promises n=50 kappa=0.400 AC1=0.406; pii n=12 kappa=— AC1=0.833`.
    public static func summaryLine(_ report: AgreementReport) -> String {
        guard !report.rules.isEmpty else {
            return "agreement: no labelled verdicts (\(report.unlabelled) not labelled yet)\n"
        }
        let parts = report.rules.map { rule in
            "\(rule.name) n=\(rule.labels) kappa=\(coefficient(rule.kappa)) AC1=\(coefficient(rule.ac1))"
        }
        return "agreement: " + parts.joined(separator: "; ") + "\n"
    }
}
