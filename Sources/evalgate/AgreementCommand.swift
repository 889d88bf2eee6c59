import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `evalgate agreement LABELS…`: how far each check (judge or rule) agrees with people on a labelled sample.
struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Report how far checks agree with people: kappa, AC1, precision and recall per rule and judge.",
        discussion: """
            Reads labelling files written by 'evalgate label' (JSONL: log, suite, case, repeat, rule, check, human, \
            note) and reports per rule, and per judge for judge checks: Cohen's kappa, Gwet's AC1 (steady when one \
            verdict is rare), the share of agreement, the human-confirmed precision and recall of the check with 95% \
            Wilson intervals (positive = fail), the confusion matrix and the disagreements with their evidence. \
            Skipped and unlabelled items are counted, not used. A verdict labelled in two files takes the later \
            file's label. Exit codes: 0 reported, 2 bad input.
            """
    )

    @Argument(help: ArgumentHelp("Labelling files (JSONL).", valueName: "labels"))
    var labels: [String] = []

    @Option(
        name: .long,
        help: "Output format: markdown, json (evalgate.agreement/1, 'kappa' per rule) or summary (one line).")
    var format: AgreementOutputFormat = .markdown

    @Option(
        name: .long, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Flag(name: .long, help: "Show personal data in the evidence unmasked (secrets stay masked).")
    var showPII = false

    func validate() throws {
        guard !labels.isEmpty else {
            throw ValidationError("Missing expected argument '<labels> ...': give one or more labelling files")
        }
    }

    func run() throws {
        let records = try LabelInput.read(labels)
        let report = AgreementReport.make(files: labels, records: records, showPII: showPII)
        let text: String
        switch format {
        case .markdown: text = MarkdownRenderer().render(report)
        case .json: text = JSONRenderer().render(report)
        case .summary: text = AgreementFormat.summaryLine(report)
        }
        try ReportOutputOptions.write(text, to: out)
    }
}

enum AgreementOutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case markdown, json, summary
}

enum LabelInput {
    /// Every record of `paths`, in order; each file's errors are printed located (`path:line:col: message`) and exit 2,
    /// its warnings go to standard error.
    static func read(_ paths: [String]) throws -> [LabelRecord] {
        var records: [LabelRecord] = []
        for path in paths {
            do {
                let (read, warnings) = try LabelFile.read(path: path)
                for warning in warnings {
                    FileHandle.standardError.write(Data("evalgate: warning: \(warning.locatedMessage)\n".utf8))
                }
                records += read
            } catch {
                for diagnostic in error.diagnostics.dropLast() {
                    FileHandle.standardError.write(Data("evalgate: error: \(diagnostic.locatedMessage)\n".utf8))
                }
                throw CLIError.usage(error.diagnostics.last?.locatedMessage ?? "\(path): invalid labelling file")
                    .report()
            }
        }
        return records
    }
}
