import ArgumentParser
import EvalCore
import Foundation

#if canImport(CMalloc)
    import CMalloc
#endif

/// The command-line tool: it parses flags and calls the library modules, one subcommand per file.
struct Evalgate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evalgate",
        abstract: "Tells whether a new model version got better or worse, with evidence, and gates the release.",
        discussion: """
            Exit codes: 0 ok / gate passed, 1 gate failed, 2 bad input or usage, \
            3 endpoint or infrastructure failure beyond tolerance, 130 interrupted.
            """,
        version: EvalgateVersion.described,
        subcommands: [
            InitCommand.self, RunCommand.self, ReportCommand.self, DiffCommand.self, CompareCommand.self,
            GateCommand.self,
            MergeCommand.self,
            ImportCommand.self, DemoCommand.self, ServeCommand.self, RescoreCommand.self, JudgePairsCommand.self,
            ScoreCommand.self,
            LabelCommand.self, AgreementCommand.self, ValidateCommand.self, ScanCommand.self,
            ChatCommand.self, ModelsCommand.self, BenchCommand.self, BenchRunCommand.self, BenchScoringCommand.self,
            BenchDiffCommand.self, BenchRescoreCommand.self, BenchEndpointCommand.self, BenchAccuracyCommand.self,
            ContaminationCommand.self,
            BenchContaminationCommand.self, ExportCommand.self,
        ]
    )
}

@main
enum Main {
    /// glibc raises its mmap and trim thresholds (up to 32 MB) each time a large block is freed, so the large arrays
    /// that grow while a log is read (both logs at once in `diff`) end up in the heap, whose freed middle is never
    /// given back: peak RSS of `bench-diff --cases 100000` 125 MiB with the moving thresholds, 116 MiB with the trim
    /// threshold fixed at glibc's default of 128 KiB (which also fixes the mmap threshold), at no measurable cost in
    /// time (BENCHMARKS.md). `MALLOC_TRIM_THRESHOLD_` in the environment still wins.
    static func keepFreedMemoryReturned() {
        #if canImport(CMalloc)
            if ProcessInfo.processInfo.environment["MALLOC_TRIM_THRESHOLD_"] == nil {
                _ = evalgate_keep_freed_memory_returned()
            }
        #endif
    }

    /// Runs the tool with evalgate's exit codes: a usage error exits 2 (swift-argument-parser's default is 64).
    static func main() async {
        keepFreedMemoryReturned()
        do {
            var command = try Evalgate.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Evalgate.exitCode(for: error)
            if code == .validationFailure {
                let message =
                    UsageHint.message(for: Array(CommandLine.arguments.dropFirst())) ?? Evalgate.fullMessage(for: error)
                FileHandle.standardError.write(Data((message + "\n").utf8))
                exit(2)
            }
            Evalgate.exit(withError: error)
        }
    }
}

/// Better words than the parser's for the commonest slips, given the arguments of a command line that did not parse:
/// a mistyped command, and an API key given as a flag value. (A mistyped flag, `--modle`, gets the parser's own
/// "Did you mean '--model'?".)
enum UsageHint {
    static func message(for arguments: [String]) -> String? {
        if arguments.contains(where: { $0 == "--api-key" || $0.hasPrefix("--api-key=") }) {
            // The value is never echoed: it may be the key itself.
            return """
                evalgate: error: --api-key is not an option: a key on the command line lands in shell history and \
                process lists; put it in an environment variable and name the variable: --api-key-env OPENAI_API_KEY \
                (config: api_key_env)
                """
        }
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let commands = Evalgate.configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        guard !commands.contains(first) else { return nil }
        let suggestion = didYouMean(closestName(to: first, in: commands))
        return
            "evalgate: error: unknown command '\(first)'\(suggestion)\ncommands: \(commands.dropLast().joined(separator: ", "))"
    }
}
