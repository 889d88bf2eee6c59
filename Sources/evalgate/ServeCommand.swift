import ArgumentParser
import EvalCore
import Foundation
import ScriptedEndpoint

/// `evalgate serve`: an OpenAI-compatible endpoint on loopback that replays recorded answers, so CI can test eval sets
/// and rules offline and reproducibly.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve recorded answers (run logs or answer files) as an OpenAI-compatible endpoint.",
        discussion: """
            Each run log is served under its model name (or --as), answering each prompt of the suites it ran with the \
            answer it recorded; repeats are served in turn. Answer files hold one \
            {"model", "last_user_text", "content"} object per line. An unknown model gets 404 model_not_found; a prompt \
            with no recording gets 404 recording_not_found. Stops on Ctrl-C.
            """
    )

    @Option(name: .customLong("log"), help: ArgumentHelp("A run log to replay (repeatable).", valueName: "file"))
    var logs: [String] = []

    @Option(
        name: .customLong("answers"),
        help: ArgumentHelp("A JSONL file of recorded answers (repeatable).", valueName: "file"))
    var answerFiles: [String] = []

    @Option(
        name: .customLong("suite"),
        help: ArgumentHelp(
            "Suite folders of the logs (default: the paths in each log's manifest).", valueName: "folder"))
    var suites: [String] = []

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Serve a log under another model name, LOG=MODEL (repeatable).", valueName: "log=model"))
    var renames: [String] = []

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(name: .long, help: "Delay before each answer, in milliseconds.")
    var latencyMs = 0

    func validate() throws {
        guard !logs.isEmpty || !answerFiles.isEmpty else {
            throw ValidationError("nothing to serve: give --log or --answers")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port expects 0 to 65535, found \(port)") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms expects 0 or more, found \(latencyMs)") }
        for rename in renames where EndpointOptions.split(rename) == nil {
            throw ValidationError("--as expects LOG=MODEL, found '\(rename)'")
        }
    }

    func run() async throws {
        var answers: [RecordedAnswer] = []
        var diagnostics: [Diagnostic] = []
        for file in answerFiles {
            let loaded = RecordedAnswer.load(path: file)
            answers += loaded.answers
            diagnostics += loaded.diagnostics
        }
        let names = EndpointOptions.pairs(renames)
        for log in logs {
            let reader: RunLogReader
            do {
                reader = try RunLogReader(path: log)
            } catch {
                diagnostics.append(error.diagnostic)
                continue
            }
            let suites = try SuitePaths.loadValid(suites.isEmpty ? reader.manifest.suites.map(\.path) : suites)
            do {
                let (found, unmatched) = try RecordedAnswer.fromRunLog(reader, suites: suites, model: names[log])
                answers += found
                if unmatched > 0 {
                    FileHandle.standardError.write(
                        Data(
                            "evalgate: note: \(log): \(unmatched) answers belong to cases not in the suites and are not served\n"
                                .utf8))
                }
            } catch {
                diagnostics.append(error.diagnostic)
            }
        }
        if !diagnostics.isEmpty {
            FileHandle.standardError.write(Data(diagnostics.map { "\($0)\n" }.joined().utf8))
            throw ExitCode(2)
        }
        let endpoint: ScriptedEndpoint
        do {
            endpoint = try await ScriptedEndpoint.start(
                .recorded(answers, latency: .milliseconds(latencyMs)), host: host, port: port)
        } catch {
            throw CLIError.infrastructure("cannot listen on \(host):\(port): \(error)").report()
        }
        let models = Set(answers.map(\.model)).sorted()
        // Unbuffered, so a script reading the first line gets it at once.
        FileHandle.standardOutput.write(
            Data(
                "serving \(answers.count) answers of \(models.joined(separator: ", ")) at \(endpoint.baseURL) (Ctrl-C to stop)\n"
                    .utf8))
        let stop = AsyncStream<Void>.makeStream()
        let handler = InterruptHandler(message: "stopping the endpoint") { stop.continuation.finish() }
        for await _ in stop.stream {}
        handler.stop()
        try? await endpoint.shutdown()
    }
}
