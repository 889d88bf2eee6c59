import ArgumentParser
import EvalCore
import Foundation
import Reporting
import Scoring

/// `evalgate export pairs|sft`: training data from run logs.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write training data from run logs: preference pairs (DPO) or corrections (chat fine-tuning).",
        subcommands: [ExportPairsCommand.self, ExportSFTCommand.self]
    )
}

/// The flags both exports share.
struct ExportOutputOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("Write the JSONL to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Flag(name: .long, help: "Keep personal data in the exported answers (secrets stay masked).")
    var noMaskPII = false

    /// Writes the lines to `--out` or standard output; what was written and the notes go to standard error.
    func write(_ lines: [JSONValue], noun: String, notes: [String]) throws {
        var text = ""
        for line in lines { text += String(decoding: line.canonicalData(), as: UTF8.self) + "\n" }
        try ReportOutputOptions.write(text, to: out)
        for note in notes { FileHandle.standardError.write(Data("evalgate: note: \(note)\n".utf8)) }
        let count = "\(lines.count) \(noun)\(lines.count == 1 ? "" : "s")"
        FileHandle.standardError.write(Data("evalgate export: \(count)\(out.map { " written to \($0)" } ?? "")\n".utf8))
    }

    /// `text` with the personal data the run's `pii` findings quoted, and any the PII detectors find in it now, masked
    /// (secrets always, the rest unless --no-mask-pii).
    func mask(_ text: String, known: [SensitiveText] = []) -> String {
        var sensitive = known
        for item in Self.detector.evaluate(CheckInput(response: text)).findings.compactMap(SensitiveText.init)
        where !sensitive.contains(item) {
            sensitive.append(item)
        }
        return PIIMask.apply(text, sensitive: sensitive, showPII: noMaskPII)
    }

    /// Every PII detector and secret rule, as `{"type": "pii"}` runs them.
    static let detector: any Check = {
        // The standard registry always builds the default pii check.
        try! CheckRegistry.standard.make(CheckSpec(type: "pii"))
    }()
}

struct ExportPairsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pairs",
        abstract:
            "Write (prompt, chosen, rejected) preference pairs from cases one version or repeat passed and another failed.",
        discussion: """
            For each candidate against the baseline: a regressed case pairs the baseline's passing answer (chosen) \
            with the candidate's failing one (rejected), a fixed case the other way round — as many pairs as diff \
            counts regressed and fixed cases. Then, in every log, a case whose repeats disagree pairs its first \
            passing repeat with its first failing one. Answers are whole; personal data in them is masked unless \
            --no-mask-pii. Formats: trl (TRL's conversational form, message lists), trl-text (TRL's plain-text \
            form), openai (OpenAI preference fine-tuning). trl and trl-text lines carry "metadata" (suite, case, \
            origin, labels, repeats, the rejected answer's failing rules); OpenAI's format has no field for it: \
            --metadata FILE writes it beside, one line per pair in the same order.
            """
    )

    @Argument(help: ArgumentHelp("The baseline's run log.", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("Candidates' run logs.", valueName: "candidate"))
    var candidates: [String]

    @Option(name: .long, help: "Line format: trl, trl-text or openai.")
    var format: PairFormat = .trl

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also write each pair's metadata as JSONL to this file, in the order of the pairs.", valueName: "file"))
    var metadata: String?

    @OptionGroup var output: ExportOutputOptions

    enum PairFormat: String, ExpressibleByArgument, CaseIterable {
        case trl
        case trlText = "trl-text"
        case openai

        var export: TrainingExportFormat {
            switch self {
            case .trl: .trl
            case .trlText: .trlText
            case .openai: .openai
            }
        }
    }

    func run() throws {
        let indexes = try RunLogInput.load([base] + candidates)
        let exported: (pairs: [PreferencePair], notes: [String])
        do {
            exported = try TrainingExport.pairs(base: indexes[0], candidates: Array(indexes.dropFirst()))
        } catch {
            throw CLIError.usage(error.diagnostic.locatedMessage).report()
        }
        let lines = exported.pairs.map { pair in format.export.line(pair) { output.mask($0.text, known: $0.sensitive) }
        }
        if let metadata {
            let text = exported.pairs.map {
                String(decoding: TrainingExportFormat.metadata($0).canonicalData(), as: UTF8.self) + "\n"
            }.joined()
            try ReportOutputOptions.write(text, to: metadata, flag: "--metadata")
        }
        try output.write(lines, noun: "pair", notes: exported.notes)
    }
}

struct ExportSFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft",
        abstract:
            "Write the ideal answers of failed cases as chat fine-tuning data ({\"messages\": [system?, user, assistant]}).",
        discussion: """
            Every case that failed in any of the logs (each once) whose suite gives it an "ideal": its prompt as the \
            run sent it, then the ideal as the assistant's answer. Cases without an ideal are counted on standard \
            error. Personal data in the ideals is masked unless --no-mask-pii.
            """
    )

    @Argument(help: ArgumentHelp("Run logs.", valueName: "log"))
    var logs: [String]

    @OptionGroup var output: ExportOutputOptions

    func run() throws {
        let indexes = try RunLogInput.load(logs)
        let exported = TrainingExport.corrections(indexes)
        let lines = exported.corrections.map { TrainingExportFormat.line($0, ideal: output.mask($0.ideal)) }
        try output.write(lines, noun: "correction", notes: exported.notes)
    }
}
