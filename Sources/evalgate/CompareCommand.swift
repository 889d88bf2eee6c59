import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `evalgate compare LOG...`: N versions side by side, the best one, and the trend.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare several versions (checkpoints, adapters): a tag × version matrix, the best version, the trend.",
        discussion: """
            Give the logs oldest first. The best version is, among those whose golden cases all pass, the one with \
            the highest eval pass rate. Markdown includes a Mermaid trend chart per suite kind (GitHub renders it). \
            Versions run with different settings are refused unless --allow-differences lists them. Exit codes: 0 compared, 2 bad input or runs not comparable.
            """
    )

    @Argument(help: ArgumentHelp("Run logs, oldest first.", valueName: "log"))
    var logs: [String]

    @OptionGroup var output: ReportOutputOptions
    @OptionGroup var flags: DiffFlags

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("expected at least one run log") }
    }

    func run() throws {
        let runs = try RunLogInput.load(logs)
        let comparison: Comparison
        do {
            comparison = try Comparison.make(runs, options: flags.options(showPII: output.showPII))
        } catch {
            throw CLIError.usage(error.description).report()
        }
        switch output.format {
        case .markdown: try output.write(MarkdownRenderer().render(comparison))
        case .json: try output.write(JSONRenderer().render(comparison))
        case .junit: try output.write(JUnitRenderer(showPII: output.showPII).render(comparison))
        }
    }
}
