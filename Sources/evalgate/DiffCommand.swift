import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `evalgate diff BASE CANDIDATE`: what a new version changed, case by case, with a paired test.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare a candidate run with its baseline: regressions, fixes, new findings, paired statistics.",
        discussion: """
            Cases are paired by (suite, case): regressed, fixed, still failing, flaky (repeats disagree) and errored \
            (an error in either run, never a regression). Changes in pass rate per suite, kind and tag come with an \
            exact McNemar p-value, a paired bootstrap 95% interval and the smallest change the cases could detect. \
            Runs whose settings differ (params, suites' content, scorer, repeats, seed, stream) are refused, every \
            difference named, unless --allow-differences lists them (they then head the report); a log against \
            itself is refused. A PII or promise finding is new when none of the baseline's answers to the case had \
            its rule. Golden cases come first in every list and are never cut. \
            Exit codes: 0 compared, 2 bad input or runs not comparable. 'evalgate gate' decides pass or fail.
            """
    )

    @Argument(help: ArgumentHelp("The baseline's run log.", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("The candidate's run log.", valueName: "candidate"))
    var candidate: String

    @OptionGroup var output: ReportOutputOptions
    @OptionGroup var flags: DiffFlags

    func run() throws {
        let indexes = try RunLogInput.load([base, candidate])
        let (baseIndex, candidateIndex) = (indexes[0], indexes[1])
        let diff = try RunLogInput.diff(
            base: baseIndex, candidate: candidateIndex, options: flags.options(showPII: output.showPII))
        switch output.resolvedFormat(terminalSummary: true) {
        case .text: try output.write(output.textRenderer().render(diff))
        case .markdown: try output.write(MarkdownRenderer().render(diff))
        case .json: try output.write(JSONRenderer().render(diff))
        case .junit: try output.write(RunLogInput.junit(diff, candidate: candidateIndex, showPII: output.showPII))
        case .html:
            try output.write(
                RunLogInput.html(diff, base: baseIndex, candidate: candidateIndex, showPII: output.showPII))
        }
    }
}
