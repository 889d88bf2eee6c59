import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `evalgate report LOG`: pass rates, errors, latency, tokens and the failing rules of one run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Summarise one run log: pass rates with 95% intervals, errors, latency, tokens, failing rules with evidence.",
        discussion: """
            Pass rates are per case (a case run several times passes by the majority of its answered repeats) and \
            per suite, kind, tag and check, each with a 95% Wilson interval; errors are counted apart from \
            failures. PII in evidence is masked unless --show-pii; secrets always are. \
            Exit codes: 0 reported, 2 bad input.
            """
    )

    @Argument(help: ArgumentHelp("The run log (JSONL) written by 'evalgate run'.", valueName: "log"))
    var log: String

    @OptionGroup var output: ReportOutputOptions

    @Option(name: .long, help: "Failing rules listed.")
    var topRules: Int = 10

    func validate() throws {
        guard topRules >= 0 else { throw ValidationError("--top-rules expects 0 or more, found \(topRules)") }
    }

    func run() throws {
        let index = try RunLogInput.load(log)
        let summary = RunSummary.make(index, options: ReportOptions(showPII: output.showPII, topRules: topRules))
        switch output.resolvedFormat(terminalSummary: true) {
        case .text: try output.write(output.textRenderer().render(summary))
        case .markdown: try output.write(MarkdownRenderer().render(summary))
        case .json: try output.write(JSONRenderer().render(summary))
        case .junit:
            let renderer = JUnitRenderer(showPII: output.showPII)
            try output.write(
                renderer.render(summary, prompts: RunLogInput.prompts(index, keys: renderer.failedKeys(index.cases))))
        case .html:
            let renderer = HTMLRenderer(showPII: output.showPII)
            let keys = renderer.listedKeys(summary)
            let answers = try RunLogInput.transcripts(index, keys: keys)
            try output.write(
                renderer.render(summary, answers: answers, prompts: RunLogInput.prompts(index, keys: keys)))
        }
    }
}
