import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `evalgate compare LOG...`: N versions side by side, the best one, and the trend.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Compare several versions (checkpoints, adapters): a tag × version matrix, the best version, the trend.",
        discussion: """
            Versions are put in the natural order of their labels (ckpt-100, ckpt-200, ckpt-1000; --order given keeps \
            the order of the logs). The best version is, among those whose golden cases all pass, the one with \
            the highest eval pass rate. Markdown includes a Mermaid trend chart per suite kind (GitHub renders it); \
            with --out FILE.md the same trend is also written as an SVG chart beside it (FILE.svg, linked from the \
            Markdown); --format html inlines it. \
            Versions run with different settings are refused unless --allow-differences lists them. Exit codes: 0 compared, 2 bad input or runs not comparable.
            """
    )

    @Argument(help: ArgumentHelp("Run logs.", valueName: "log"))
    var logs: [String]

    @Option(
        name: .long,
        help:
            "Order of the versions: natural (by label, numbers as numbers: ckpt-100 before ckpt-1000) or given (as the logs are given)."
    )
    var order: VersionOrder = .natural

    enum VersionOrder: String, ExpressibleByArgument, CaseIterable {
        case natural, given
    }

    @OptionGroup var output: ReportOutputOptions
    @OptionGroup var flags: DiffFlags

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("expected at least one run log") }
    }

    func run() throws {
        var runs = try RunLogInput.load(logs)
        if order == .natural { runs = TrendChart.naturalOrder(runs.map(\.label)).map { runs[$0] } }
        let comparison: Comparison
        do {
            comparison = try Comparison.make(runs, options: flags.options(showPII: output.showPII))
        } catch {
            throw CLIError.usage(error.description).report()
        }
        switch output.resolvedFormat(terminalSummary: false) {
        case .text:
            throw CLIError.usage(
                "compare --format text: compare has no plain-text summary; use markdown (the default), json, junit or html"
            ).report()
        case .markdown:
            guard let out = output.out, comparison.versions.count > 1 else {
                try output.write(MarkdownRenderer().render(comparison))
                return
            }
            // The trend as an SVG file beside the Markdown, for viewers that do not render Mermaid.
            let base = (out as NSString).pathExtension.isEmpty ? out : (out as NSString).deletingPathExtension
            let chart = base + ".svg" == out ? out + ".trend.svg" : base + ".svg"
            if let problem = ReportOutputOptions.writeFile(TrendChart().render(comparison), to: chart) {
                throw CLIError.usage("cannot write the trend chart '\(chart)': \(problem)").report()
            }
            try output.write(MarkdownRenderer().render(comparison, chart: (chart as NSString).lastPathComponent))
        case .json: try output.write(JSONRenderer().render(comparison))
        case .junit: try output.write(JUnitRenderer(showPII: output.showPII).render(comparison))
        case .html: try output.write(HTMLRenderer(showPII: output.showPII).render(comparison))
        }
    }
}
