import ArgumentParser
import Foundation

/// The command-line tool: it parses flags and calls the library modules, one subcommand per file.
struct Evalgate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evalgate",
        abstract: "Tells whether a new model version got better or worse, with evidence, and gates the release.",
        discussion: """
            Exit codes: 0 ok / gate passed, 1 gate failed, 2 bad input or usage, \
            3 endpoint or infrastructure failure beyond tolerance, 130 interrupted.
            """,
        version: EvalgateVersion.current,
        subcommands: [
            RunCommand.self, ReportCommand.self, DiffCommand.self, CompareCommand.self, GateCommand.self,
            DemoCommand.self, ServeCommand.self, RescoreCommand.self, ScoreCommand.self, LabelCommand.self, AgreementCommand.self, ValidateCommand.self, ScanCommand.self,
            ChatCommand.self, ModelsCommand.self, BenchCommand.self, BenchRunCommand.self, BenchScoringCommand.self,
            BenchDiffCommand.self, BenchEndpointCommand.self, BenchAccuracyCommand.self,
        ]
    )
}

enum EvalgateVersion {
    static let current = "0.1.0"
}

@main
enum Main {
    /// Runs the tool with evalgate's exit codes: a usage error exits 2 (swift-argument-parser's default is 64).
    static func main() async {
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
                FileHandle.standardError.write(Data((Evalgate.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            Evalgate.exit(withError: error)
        }
    }
}
