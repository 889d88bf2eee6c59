import ArgumentParser
import EvalCore
import EvalRunner
import Foundation

/// `evalgate run`: suites × targets × repeats, one append-only run log per target.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run eval suites against one or more model versions and record every answer in a run log.",
        discussion: """
            A target is a model version: a label, a base URL, a model name, params, an API-key variable and headers. \
            Give one with --base-url/--model/--label, or any number in a config file (evalgate.yaml: `targets:`); \
            flags win over the file. Targets are interleaved case by case, so a baseline and a candidate see the \
            same prompts under the same conditions.

            Each target's log is <out>/<label>.jsonl: a manifest line (model, base URL without credentials, params, \
            suite content hashes, scorer version, tool version, git commit of the suites), then one line per \
            finished (case, repeat). Rerunning into the same log, or --resume, finishes only what is missing. \
            Ctrl-C stops cleanly (exit 130); run the same command again to resume.

            Params: a case is sent its suite's `defaults.params`, the case's own `params` on top, and the target's \
            params (--param, the config's `params`) on top of both: what you give for the run is what is sent. A \
            target param that overrides a suite's or case's value is named in a warning, and every result line \
            records the params its request was sent with.

            Cache: answers are kept under --cache-dir, keyed by base URL, the target's label and --revision, \
            stream mode and the whole request. A server that keeps one model name across new weights (a new LoRA \
            adapter, a new checkpoint) needs a new --revision (or label), or --refresh; a target answered wholly \
            from the cache gets a warning saying so.

            Exit codes: 0 done; 2 bad input; 3 a target's endpoint errors passed --max-error-rate or it was given up \
            (errors in a row, or 429s past --rate-limit-budget / --rate-limit-wait); 130 interrupted.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Suite folders or folders of suites (default: `suites:` of the config file).", valueName: "suite"))
    var suitePaths: [String] = []

    @OptionGroup var targets: RunTargetOptions
    @OptionGroup(title: "Subsets") var subset: SubsetOptions
    @OptionGroup var load: RunLoadOptions
    @OptionGroup var logs: RunLogOptions
    @OptionGroup var connection: ConnectionOptions<RunTimeoutOptions>
    @OptionGroup var judge: JudgeOptions

    @Flag(name: .long, help: "No progress lines, only the final summary.")
    var quiet = false

    /// The run the flags ask for, before the config file fills in what they leave out.
    func request() throws -> RunRequest {
        var request = RunRequest()
        targets.apply(to: &request)
        try load.apply(to: &request)
        logs.apply(to: &request)
        connection.apply(to: &request.target)
        request.judge = judge.request
        request.maxResponseBytes = connection.maxResponseBytes
        request.isSubset = subset.isActive
        return request
    }

    func run() async throws {
        let file = try ConfigFile.load(targets.config)
        let loaded = try SuitePaths.loadValidLazily(suitePaths.isEmpty ? (file?.suites ?? []) : suitePaths)
        let request = try request()
        let suites = try subset.select(loaded, seed: request.seed(in: file))
        let runner: Runner
        do {
            let targets = try request.targets(in: file)
            let judges = try request.judges(in: file)
            var settings = try request.settings(in: file, toolVersion: EvalgateVersion.current)
            settings.progress = quiet ? .off : .automatic()
            settings.progressOutput = { FileHandle.standardError.write(Data($0.utf8)) }
            let transport = try connection.makeTransport()
            runner = try Runner(
                suites: request.shard.map { $0.select(suites) } ?? suites, targets: targets, judges: judges,
                settings: settings, transport: transport, retry: connection.retry)
        } catch let error as CLIError {
            throw error.report()
        } catch let error as RunError {
            throw CLIError(error).report()
        }

        let task = Task { try await runner.run() }
        let interrupts = InterruptHandler(
            message: "stopping; answers already received are kept (Ctrl-C again to stop at once)"
        ) {
            task.cancel()
        }
        let summary: RunOutcome
        do {
            summary = try await task.value
        } catch let error as RunError {
            interrupts.stop()
            throw CLIError(error).report()
        }
        interrupts.stop()

        for note in summary.notes { FileHandle.standardError.write(Data("evalgate: note: \(note)\n".utf8)) }
        for warning in summary.warnings { FileHandle.standardError.write(Data("evalgate: warning: \(warning)\n".utf8)) }
        for line in summary.targets.flatMap(\.summaryLines) { print(line) }
        // What to do with the logs, spelled out for the first runs.
        if !summary.interrupted && !quiet, let next = summary.nextStep(shard: request.shard) {
            FileHandle.standardError.write(Data("\(next)\n".utf8))
        }
        if summary.interrupted {
            let hint =
                "interrupted; every finished answer is in the logs. Run the same command again to finish (or add --resume)."
            FileHandle.standardError.write(Data("evalgate: \(hint)\n".utf8))
            throw ExitCode(130)
        }
        if let failure = summary.failure(maxErrorRate: request.maxErrorRate(in: file)) {
            throw CLIError(failure).report()
        }
    }
}
