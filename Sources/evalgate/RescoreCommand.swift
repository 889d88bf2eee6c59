import ArgumentParser
import EvalCore
import EvalRunner
import Foundation

/// `evalgate rescore`: the current checks applied to stored answers, the model under test not called; with
/// `--rejudge`, the judges asked again about those answers.
struct RescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Apply the current checks to the answers in a run log, without calling the model under test.",
        discussion: """
            For when a rule pack or a check changed: writes a new log (the old one is not touched) with the current \
            scorer version and suite hashes, naming the run it came from. Endpoint errors are copied as they are. \
            The suites are read from the paths in the log's manifest unless --suite names them.

            Judge checks keep the log's verdicts unless --rejudge: then the judges (judges: of the config file, or \
            --judge-model) are asked again about every stored answer with a judge check — through their own \
            concurrency, rps and tpm limits, retries and the response cache — and the new log's manifest names them. \
            Answers whose judge could not decide in the run are judged again too. The model under test is never \
            asked. Exit codes: 0 done; 2 bad input; 3 the log cannot be written or the rescoring was stopped.
            """
    )

    @Argument(help: ArgumentHelp("The run log to rescore.", valueName: "log"))
    var log: String

    @Option(
        name: .long,
        help: ArgumentHelp("Suite folders to use instead of the manifest's paths (repeatable).", valueName: "folder"))
    var suite: [String] = []

    @Option(name: .long, help: ArgumentHelp("The new log (default: <log>.rescored.jsonl).", valueName: "file"))
    var out: String?

    @Flag(name: .long, help: "Replace the new log's file when it already exists.")
    var force = false

    // MARK: judging again

    @Flag(
        name: .long, help: "Ask the judges again about the stored answers (else judge checks keep the log's verdicts).")
    var rejudge = false

    @OptionGroup var judges: JudgeAskOptions

    func validate() throws {
        if !rejudge, let first = judges.given.first {
            throw ValidationError(
                "\(first) is for asking the judges again: add --rejudge (without it, judge checks keep the log's verdicts)"
            )
        }
    }

    func run() async throws {
        let manifest: RunManifest
        do {
            manifest = try RunLogReader(path: log).manifest
        } catch {
            throw CLIError.usage(error.locatedMessage).report()
        }
        let suites = try SuitePaths.loadValid(suite.isEmpty ? manifest.suites.map(\.path) : suite)
        let output = out ?? (log.hasSuffix(".jsonl") ? String(log.dropLast(6)) : log) + ".rescored.jsonl"
        let panel = rejudge ? try judges.panel() : nil
        let summary: Rescorer.Summary
        do {
            summary = try await Rescorer.rescore(
                log: log, suites: suites, output: output, replacing: force, toolVersion: EvalgateVersion.current,
                rejudge: panel)
        } catch {
            throw CLIError(error).report()
        }
        if summary.scorerBefore != summary.scorerAfter {
            print("scorer version: \(summary.scorerBefore) → \(summary.scorerAfter)")
        } else {
            print(
                "scorer version unchanged (\(summary.scorerAfter)): verdicts can still change if the suites' checks changed"
            )
        }
        print(
            "rescored \(summary.rescored) answers: passed \(summary.passed), failed \(summary.failed); \(summary.verdictsChanged) verdicts changed; \(summary.errorsCopied) errors copied"
        )
        if let panel {
            let judges = panel.judges.map { "'\($0.label)' (\($0.model))" }.joined(separator: ", ")
            var line = "rejudged \(summary.rejudged) answers with \(judges.isEmpty ? "no judge" : judges)"
            if summary.judgeErrors > 0 {
                line += "; \(summary.judgeErrors) could not be decided by the judge (errors, answers kept)"
            }
            print(line)
        }
        if summary.changedCases > 0 {
            print(
                "note: \(summary.changedCases) answers belong to cases that changed since the run; if their prompts changed, run them again"
            )
        }
        if summary.dropped > 0 {
            print("note: \(summary.dropped) results dropped: their cases are no longer in the suites")
        }
        print("→ \(summary.output)")
    }
}
