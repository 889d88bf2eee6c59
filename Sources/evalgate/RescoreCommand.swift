import ArgumentParser
import EvalCore
import EvalRunner
import Foundation

/// `evalgate rescore`: the current checks applied to stored answers, no model called.
struct RescoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Apply the current checks to the answers in a run log, without calling any model.",
        discussion: """
            For when a rule pack or a check changed: writes a new log (the old one is not touched) with the current \
            scorer version and suite hashes, naming the run it came from. Endpoint errors are copied as they are. \
            The suites are read from the paths in the log's manifest unless --suite names them.
            """
    )

    @Argument(help: ArgumentHelp("The run log to rescore.", valueName: "log"))
    var log: String

    @Option(name: .long, help: ArgumentHelp("Suite folders to use instead of the manifest's paths (repeatable).", valueName: "folder"))
    var suite: [String] = []

    @Option(name: .long, help: ArgumentHelp("The new log (default: <log>.rescored.jsonl).", valueName: "file"))
    var out: String?

    @Flag(name: .long, help: "Replace the new log's file when it already exists.")
    var force = false

    func run() throws {
        let manifest: RunManifest
        do {
            manifest = try RunLogReader(path: log).manifest
        } catch {
            throw CLIError.usage(error.locatedMessage).report()
        }
        let suites = try SuitePaths.loadValid(suite.isEmpty ? manifest.suites.map(\.path) : suite)
        let output = out ?? (log.hasSuffix(".jsonl") ? String(log.dropLast(6)) : log) + ".rescored.jsonl"
        let summary: Rescorer.Summary
        do {
            summary = try Rescorer.rescore(log: log, suites: suites, output: output, replacing: force, toolVersion: EvalgateVersion.current)
        } catch {
            throw CLIError(error).report()
        }
        if summary.scorerBefore != summary.scorerAfter {
            print("scorer version: \(summary.scorerBefore) → \(summary.scorerAfter)")
        } else {
            print("scorer version unchanged (\(summary.scorerAfter)): verdicts can still change if the suites' checks changed")
        }
        print("rescored \(summary.rescored) answers: passed \(summary.passed), failed \(summary.failed); \(summary.verdictsChanged) verdicts changed; \(summary.errorsCopied) errors copied")
        if summary.changedCases > 0 {
            print("note: \(summary.changedCases) answers belong to cases that changed since the run; if their prompts changed, run them again")
        }
        if summary.dropped > 0 {
            print("note: \(summary.dropped) results dropped: their cases are no longer in the suites")
        }
        print("→ \(summary.output)")
    }
}
