import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `evalgate contamination --train FILE… [SUITES]`: the eval cases whose prompt or ideal is in the training data.
struct ContaminationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contamination",
        abstract: "Find eval cases whose prompt or ideal answer leaked into training data.",
        discussion: """
            Training files (--train, repeatable), the format told per file: OpenAI chat fine-tuning JSONL \
            ({"messages": [...]}), ShareGPT ({"conversations": [{"from", "value"}]}), Alpaca ({"instruction", \
            "input", "output"}), plain JSONL (every top-level string field is a text), or CSV with a header row \
            (every cell is a text; by the .csv extension). A line that does not read is one error naming file and \
            line (exit 2).
            Each user message of a case's prompt and each ideal is compared with every training text: an exact \
            duplicate, a normalised duplicate (case, whitespace, punctuation, Unicode NFKC, ё as е), or a run of \
            --ngram normalised words in common (13 by default) anywhere in a longer text, shown with the words \
            shared and the file:line where they were found. Texts shorter than --min-words words are not checked \
            for duplicates. The training data streams past an index of the eval texts: memory grows with the eval \
            sets and the longest training line, not the training data.
            Exit codes: 0 no case found, 1 some case found in the training data, 2 bad input.
            """
    )

    @Option(name: .long, help: ArgumentHelp("A training-data file (repeatable).", valueName: "file"))
    var train: [String] = []

    @Argument(help: ArgumentHelp("Suite folders or folders of suites (default: EvalSets).", valueName: "suite"))
    var suites: [String] = []

    @OptionGroup var check: ContaminationOptions

    @Option(name: .long, help: "Output format: markdown or json.")
    var format: ContaminationFormat = .markdown

    @Option(
        name: .long, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var out: String?

    func validate() throws {
        guard !train.isEmpty else {
            throw ValidationError("Missing expected argument '--train <file>': name the training data to check")
        }
        try check.validate()
    }

    func run() throws {
        let loaded = try SuitePaths.loadValid(suites.isEmpty ? ["EvalSets"] : suites)
        let report = try check.scan(loaded, training: train)
        let text = format == .json ? JSONRenderer().render(report) : MarkdownRenderer().render(report)
        try ReportOutputOptions.write(text, to: out)
        if let out {
            FileHandle.standardError.write(
                Data(
                    "evalgate contamination: \(report.casesContaminated) of \(ValidateCommand.count(report.casesChecked, "case")) found in the training data; report in \(out)\n"
                        .utf8))
        }
        if report.casesContaminated > 0 { throw ExitCode(1) }
    }
}

enum ContaminationFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case markdown, json
}

/// The matching flags of `contamination` and `validate --train`.
struct ContaminationOptions: ParsableArguments {
    @Option(name: .long, help: "Length of the runs of normalised words that count as an overlap.")
    var ngram: Int = 13

    @Option(name: .long, help: "Shortest text, in words, checked for duplicates.")
    var minWords: Int = 4

    func validate() throws {
        guard (1...1000).contains(ngram) else {
            throw ValidationError("--ngram expects 1 to 1000 words, found \(ngram)")
        }
        guard (1...1000).contains(minWords) else {
            throw ValidationError("--min-words expects 1 to 1000 words, found \(minWords)")
        }
    }

    /// The report on `suites` against the files of `training`; a bad training line exits 2.
    func scan(_ suites: [Suite], training: [String]) throws -> ContaminationReport {
        do {
            return try ContaminationReport.scan(suites: suites, training: training, n: ngram, minWords: minWords)
        } catch {
            throw CLIError.usage(error.locatedMessage).report()
        }
    }
}

extension ContaminationReport {
    /// One error per match, at the case's line in its cases.jsonl (for `validate --train`).
    var diagnostics: [Diagnostic] {
        cases.flatMap { entry in
            entry.matches.map { match in
                .error(
                    "case '\(entry.caseID)' is in the training data: \(ContaminationReport.describe(match))",
                    path: entry.path, line: entry.line, column: 1)
            }
        }
    }
}

enum ContaminationInput {
    /// The gate's `contamination.cases` rule when a report is given (at most the policy's `max_cases`, 0 when unset);
    /// nil without a report, unless the policy sets `max_cases`, which then needs one (exit 2).
    static func check(report path: String?, policy: GatePolicy, candidate: RunManifest) throws -> GateCheck? {
        guard let path else {
            if let maxCases = policy.contaminationMaxCases {
                throw CLIError.usage(
                    "the gate policy sets contamination.max_cases: \(maxCases); give the report of `evalgate contamination --format json` with --contamination FILE"
                ).report()
            }
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.usage("--contamination: cannot read '\(path)'").report()
        }
        let report: ContaminationReport
        do {
            report = try JSONDecoder().decode(ContaminationReport.self, from: data)
            guard report.schema == ContaminationReport.schema else {
                throw CLIError.usage(
                    "\(path): \"schema\" is '\(report.schema)', expected '\(ContaminationReport.schema)'"
                ).report()
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIError.usage(
                "\(path): not a report of `evalgate contamination --format json`: \(Self.reason(error))"
            ).report()
        }
        return ContaminationGate.check(
            report, maxCases: policy.contaminationMaxCases ?? 0, candidate: candidate,
            level: policy.level(of: "contamination.cases"))
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \"\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (field.isEmpty ? "" : "\"\(field)\": ") + context.debugDescription
        default:
            return "\(error)"
        }
    }
}
