import ArgumentParser
import EvalCore
import Foundation
import Scoring

/// `evalgate validate`: loads eval sets and reports every problem with its file, line and column, as a compiler
/// does, without sending anything anywhere.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check eval sets (suite.yaml and cases.jsonl) and report every problem with its location.",
        discussion: """
            Each PATH is a suite folder, a folder of suite folders (such as EvalSets/), or a suite.yaml file. \
            Problems go to standard error as 'path:line:column: error: message', then a summary goes to standard \
            output. Exits 2 when there is any error, 0 otherwise (warnings do not fail).
            """
    )

    @Argument(help: ArgumentHelp("Suite folders, folders of suites, or suite.yaml files.", valueName: "path"))
    var paths: [String]

    @Option(name: .long, help: "Longest line of cases.jsonl accepted, in bytes.")
    var maxLineBytes: Int = SuiteLoader.defaultMaxLineBytes

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Training data to check the cases against (repeatable): a case found in it is an error, as with `evalgate contamination`.",
            valueName: "file"))
    var train: [String] = []

    @OptionGroup var contamination: ContaminationOptions

    func validate() throws {
        try contamination.validate()
        guard maxLineBytes >= 1 else {
            throw ValidationError("--max-line-bytes expects a positive number, found \(maxLineBytes)")
        }
    }

    func run() throws {
        let missing = paths.filter { !FileManager.default.fileExists(atPath: $0) }
        guard missing.isEmpty else {
            for path in missing { _ = CLIError.usage("no such file or directory: '\(path)'").report() }
            throw ExitCode(2)
        }

        let loaded = SuitePaths.load(paths, maxLineBytes: maxLineBytes)
        var diagnostics = loaded.diagnostics
        if !train.isEmpty, loaded.errorCount == 0 {
            diagnostics += try contamination.scan(loaded.suites, training: train).diagnostics
        }
        let directories = loaded.directories
        let caseCount = loaded.caseCount

        if !diagnostics.isEmpty {
            FileHandle.standardError.write(Data(diagnostics.map { "\($0)\n" }.joined().utf8))
        }
        let errors = diagnostics.filter(\.isError).count
        let warnings = diagnostics.count - errors
        print(
            "\(Self.count(directories.count, "suite")), \(Self.count(caseCount, "case")): "
                + "\(Self.count(errors, "error")), \(Self.count(warnings, "warning"))"
        )
        if errors > 0 { throw ExitCode(2) }
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
