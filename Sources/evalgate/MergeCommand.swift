import ArgumentParser
import EvalCore
import EvalRunner
import Foundation
import Reporting

/// `evalgate merge`: the logs of `run --shard 1/N … N/N` joined into the log of one run.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract:
            "Join the shard logs of a run split with run --shard I/N into one log that reports, diffs and gates like a single run.",
        discussion: """
            Give the N logs of one target (one per shard, in any order). They must be of the same run: the same \
            target (label, model, base URL, revision), params, suites (content hashes), scorer, repeats, seed, \
            stream, judges and tool version, and the same N with every shard exactly once; any difference is named. \
            A shard that did not finish makes the merged log incomplete (a warning names it; the gate's \
            run.incomplete rule sees it). Exit codes: 0 merged, 2 bad input (missing, duplicate or mismatched \
            shards), 3 the merged log could not be written.
            """
    )

    @Argument(help: ArgumentHelp("The shard logs of one target.", valueName: "shard-log"))
    var logs: [String]

    @Option(name: .long, help: ArgumentHelp("The merged log to write.", valueName: "log"))
    var out: String

    @Flag(name: .long, help: "Replace the merged log's file when it already exists.")
    var force = false

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("expected the shard logs to merge") }
    }

    func run() throws {
        let label = (try? RunLogReader(path: logs[0]).manifest.target.label) ?? "merged"
        let summary: ShardMerge.Summary
        do {
            summary = try ShardMerge.merge(logs: logs, output: out, runID: Runner.runID(label: label), replacing: force)
        } catch {
            throw (error.isInfrastructure ? CLIError.infrastructure(error.message) : CLIError.usage(error.message))
                .report()
        }
        for warning in summary.warnings { FileHandle.standardError.write(Data("evalgate: warning: \(warning)\n".utf8)) }
        var line =
            "\(summary.label): \(summary.shards) shards merged, \(summary.results)/\(summary.expected) results — passed \(summary.passed), failed \(summary.failed), errors \(summary.errors)"
        if summary.unchecked > 0 { line += ", unchecked \(summary.unchecked)" }
        print(line + " (\(summary.outcome.rawValue)) → \(out)")
    }
}
