import ArgumentParser
import EvalCore
import EvalRunner
import Foundation
import Reporting
import Scoring

/// `evalgate judge-pairs BASE CANDIDATE`: a judge compares two runs' answers pair by pair, both orders asked.
struct JudgePairsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge-pairs",
        abstract: "Have a judge compare two runs' answers to the same prompts: win, tie and loss of the candidate.",
        discussion: """
            Pairwise judging as MT-Bench and AlpacaEval do it, with position-bias control: for every case and repeat \
            answered in both runs (the same case content), the judge sees the conversation and the two answers as A \
            and B and says which is better or a tie — twice, with the answers swapped. Both orders agreeing make a \
            win or a loss; a judge that changes its mind with the order makes a tie, counted as inconsistent; a \
            reply that is not a verdict is an error, never a win. The report gives wins, ties and losses, the win rate \
            (a tie counts half) with a 95% interval, and how often the judge chose the answer shown first. \
            The judge comes from judges: of the config file (--judge LABEL when there are several) or --judge-model. \
            The models are never asked; the prompts come from the suites the baseline ran (or --suite). \
            Exit codes: 0 reported; 2 bad input; 3 no pair got a verdict (every judge request failed).
            """
    )

    @Argument(help: ArgumentHelp("The baseline's run log.", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("The candidate's run log.", valueName: "candidate"))
    var candidate: String

    @Option(
        name: .customLong("judge"),
        help: ArgumentHelp("The judge to ask, by label (needed when there are several).", valueName: "label"))
    var judgeLabel: String?

    @Option(
        name: .long,
        help:
            "Pairwise rubric: shipped (\(PairwiseRubric.names.joined(separator: ", "))), the rubric's text inline, or a file."
    )
    var rubric: String = "better_answer"

    @Option(name: .long, help: "Language of a shipped rubric: en or ru.")
    var language: String = "en"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Suite folders to read the prompts from instead of the baseline manifest's paths (repeatable).",
            valueName: "folder"))
    var suite: [String] = []

    @OptionGroup var judges: JudgeAskOptions

    @Option(name: .long, help: "Output format: markdown, json (evalgate.pairwise/1) or summary (one line).")
    var format: AgreementOutputFormat = .markdown

    @Option(
        name: .long, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var out: String?

    func run() async throws {
        let rubric: PairwiseRubric
        do {
            rubric = try PairwiseRubric(self.rubric, language: language)
        } catch {
            throw CLIError.usage("--rubric: \(error.message)").report()
        }
        let manifest: RunManifest
        do {
            manifest = try RunLogReader(path: base).manifest
        } catch {
            throw CLIError.usage(error.locatedMessage).report()
        }
        let suites = try SuitePaths.loadValid(suite.isEmpty ? manifest.suites.map(\.path) : suite)
        let panel = try judges.panel()
        let label: String
        if let judgeLabel {
            label = judgeLabel
        } else if panel.judges.count == 1 {
            label = panel.judges[0].label
        } else {
            let known = panel.judges.map(\.label)
            throw CLIError.usage(
                known.isEmpty
                    ? "no judge: list one under judges: in evalgate.yaml (--config) or give --judge-model"
                    : "several judges (\(known.joined(separator: ", "))): choose one with --judge LABEL"
            ).report()
        }
        let outcome: PairwiseJudging.Outcome
        do {
            outcome = try await PairwiseJudging.judge(
                base: base, candidate: candidate, suites: suites, rubric: rubric, judge: label, panel: panel)
        } catch {
            throw CLIError(error).report()
        }
        guard !outcome.judgements.isEmpty else {
            throw CLIError.usage("no case was answered in both runs with the same content: nothing to compare").report()
        }
        let report = PairwiseReport.make(
            base: outcome.baseLabel, candidate: outcome.candidateLabel, judge: outcome.judge, rubric: rubric.name,
            judgements: outcome.judgements, unpaired: outcome.unpaired)
        let text: String
        switch format {
        case .markdown: text = MarkdownRenderer().render(report)
        case .json: text = JSONRenderer().render(report)
        case .summary: text = report.summaryLine + "\n"
        }
        try ReportOutputOptions.write(text, to: out)
        if report.errors == report.pairs.count {
            FileHandle.standardError.write(
                Data(
                    "evalgate: error: no pair got a verdict: \(report.pairs.first?.error ?? "the judge failed")\n".utf8)
            )
            throw ExitCode(3)
        }
    }
}
