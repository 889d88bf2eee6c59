import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `evalgate gate BASE CANDIDATE --policy gate.yaml`: the release decision, as an exit code.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Decide whether a candidate may ship: a one-line verdict, the reasons, and the exit code.",
        discussion: """
            Rules (gate.yaml; the defaults when no policy is given): no golden-set regression; every golden case \
            passing (even one that failed in the baseline too); eval-suite pass rate at least 80%; no tag, suite or \
            kind with a significant regression (exact McNemar at alpha 0.05, at least 2 points); no PII or promise \
            rule new in the candidate; at most 5% errored requests per run; at most 5% of answers cut off by the \
            token limit per run; both runs complete. Any rule may be set to level warn (listed, exit 0). Runs whose \
            settings differ are refused unless --allow-differences lists them; a log against itself is refused. \
            The verdict and reasons go to standard output; --out FILE writes the full report \
            (gate + diff) in --format; --format json, junit or html without --out writes that report to standard output and the verdict to standard error. Exit codes: 0 pass, 1 fail (a regression), 2 bad input (logs, policy, \
            runs not comparable), 3 too many endpoint errors or an unfinished run (and nothing worse).
            """
    )

    @Argument(help: ArgumentHelp("The baseline's run log.", valueName: "base"))
    var base: String

    @Argument(help: ArgumentHelp("The candidate's run log.", valueName: "candidate"))
    var candidate: String

    @Option(name: .long, help: ArgumentHelp("The gate policy (YAML).", valueName: "gate.yaml"))
    var policy: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Labelling files: people's checks of the judges the runs used (rule judges.agreement); repeatable.",
            valueName: "file"))
    var labels: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The JSON report of `evalgate contamination --format json` on the candidate's suites (rule contamination.cases).",
            valueName: "report.json"))
    var contamination: String?

    @OptionGroup var output: ReportOutputOptions
    @OptionGroup var flags: DiffFlags

    func run() throws {
        var rules = try loadPolicy()
        // --alpha, when given, wins over the policy's level.
        if let alpha = flags.alpha { rules.alpha = alpha }
        let indexes = try RunLogInput.load([base, candidate])
        let (baseIndex, candidateIndex) = (indexes[0], indexes[1])
        let options = flags.options(showPII: output.showPII, defaultAlpha: rules.alpha)
        let diff = try RunLogInput.diff(base: baseIndex, candidate: candidateIndex, options: options)
        var result = Gate.evaluate(diff, policy: rules)
        if let judges = try JudgeInput.trust(logs: [base, candidate], labels: labels, policy: rules) {
            result.checks.append(judges)
        }
        if let check = try ContaminationInput.check(
            report: contamination, policy: rules, candidate: candidateIndex.manifest)
        {
            result.checks.append(check)
        }
        // The full report goes to --out, or to stdout when a machine format is asked for without --out (the verdict
        // then goes to stderr, so `gate --format json > gate.json` is valid JSON). The verdict is the plain-text
        // summary: the verdict and its reasons, then the counts and the cases with the answers around the findings.
        let format = output.resolvedFormat(terminalSummary: false)
        let reportToStdout = output.out == nil && format != .markdown && format != .text
        let summary = output.textRenderer(toStandardOutput: !reportToStdout).render(result, diff: diff)
        if output.out != nil || reportToStdout {
            switch format {
            case .text: try output.write(TextRenderer().render(result, diff: diff))
            case .markdown: try output.write(MarkdownRenderer().render(result, diff: diff))
            case .json: try output.write(JSONRenderer().render(GateReport(gate: result, diff: diff)))
            case .junit:
                try output.write(
                    RunLogInput.junit(diff, candidate: candidateIndex, gate: result, showPII: output.showPII))
            case .html:
                try output.write(
                    RunLogInput.html(
                        diff, base: baseIndex, candidate: candidateIndex, gate: result, showPII: output.showPII))
            }
        }
        (reportToStdout ? FileHandle.standardError : FileHandle.standardOutput).write(Data(summary.utf8))
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }

    func loadPolicy() throws -> GatePolicy {
        try Self.loadPolicy(policy)
    }

    /// The policy at `policy`, the defaults when nil; a bad file is reported and exits 2.
    static func loadPolicy(_ policy: String?) throws -> GatePolicy {
        guard let policy else { return .default }
        let (loaded, diagnostics) = GatePolicy.load(path: policy)
        guard let loaded else {
            for diagnostic in diagnostics.dropLast() {
                FileHandle.standardError.write(Data("evalgate: error: \(RunLogInput.located(diagnostic))\n".utf8))
            }
            throw CLIError.usage(diagnostics.last.map(RunLogInput.located) ?? "\(policy): invalid gate policy").report()
        }
        return loaded
    }
}

enum JudgeInput {
    /// The gate's `judges.agreement` rule when a run's verdicts rest on a judge or labels were given; nil otherwise.
    static func trust(logs: [String], labels: [String], policy: GatePolicy) throws -> GateCheck? {
        var uses: Set<JudgeUse> = []
        for log in logs {
            do {
                uses.formUnion(try JudgeTrust.uses(inLog: log))
            } catch {
                throw CLIError.usage(error.diagnostic.locatedMessage).report()
            }
        }
        guard !uses.isEmpty || !labels.isEmpty else { return nil }
        let agreement = labels.isEmpty ? nil : AgreementReport.make(files: labels, records: try LabelInput.read(labels))
        return JudgeTrust.check(uses: uses, agreement: agreement, policy: policy)
    }
}
