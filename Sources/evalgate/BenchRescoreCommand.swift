import ArgumentParser
import EvalCore
import EvalRunner
import Foundation
import Scoring
import ScriptedEndpoint

/// `evalgate bench-rescore`: how many stored answers `rescore` gets through per second with the checks of the shipped
/// suites, and how much of that is scoring.
struct BenchRescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-rescore",
        abstract: "Measure rescore throughput on a run log of stored answers to the shipped suites.",
        discussion: """
            Writes a run log of --answers results over the suites under --eval-sets (every case in turn, repeated \
            until the count is reached), whose answers are the demo's recorded answers of both versions where the \
            demo has them and the prompt echoed back elsewhere (IFEval), then rescores it as `evalgate rescore` \
            does and times it. Scoring alone (the same answers through the same checks, one core) is timed apart.
            """,
        shouldDisplay: false
    )

    @Option(name: .long, help: "Results in the generated log.")
    var answers: Int = 100_000

    @Option(name: .customLong("eval-sets"), help: ArgumentHelp("The suites' folder.", valueName: "folder"))
    var evalSets: String = "EvalSets"

    @Option(name: .long, help: "Keep the generated logs in this folder instead of a temporary one.")
    var folder: String?

    func validate() throws {
        guard answers >= 10, answers <= 5_000_000 else {
            throw ValidationError("--answers expects 10 to 5000000, found \(answers)")
        }
    }

    func run() async throws {
        let directory =
            folder
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("evalgate-bench-rescore-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { if folder == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let suites = try SuitePaths.loadValid([evalSets])
        let logPath = directory + "/run.jsonl"
        let outPath = directory + "/run.rescored.jsonl"
        let pool: [[String]]
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            pool = try Self.answerPool(suites: suites, scratch: directory)
            try Self.writeLog(path: logPath, suites: suites, answers: pool, count: answers)
        } catch let error as CLIError {
            throw error.report()
        } catch {
            throw CLIError.infrastructure("cannot write the bench log in \(directory): \(error)").report()
        }
        let logBytes = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0

        let cpuBefore = BenchCommand.processCPUSeconds()
        let start = ContinuousClock.now
        let summary: Rescorer.Summary
        do {
            summary = try await Rescorer.rescore(
                log: logPath, suites: suites, output: outPath, replacing: true, toolVersion: EvalgateVersion.current)
        } catch {
            throw CLIError(error).report()
        }
        let wall = seconds(ContinuousClock.now - start)
        let cpu = BenchCommand.processCPUSeconds() - cpuBefore
        let scoring = try Self.scoringCPU(suites: suites, answers: pool)
        let cases = suites.reduce(0) { $0 + $1.cases.count }
        let checks = suites.reduce(0) { total, suite in total + suite.cases.reduce(0) { $0 + $1.checks.count } }

        print(
            "evalgate bench-rescore: \(answers) answers to \(suites.count) suites (\(cases) cases, \(checks) checks), log \(String(format: "%.1f", Double(logBytes) / 1_048_576)) MiB"
        )
        print("load average      \(BenchScoringCommand.loadAverage())   (CPU is user + sys of this process)")
        print(
            String(
                format: "rescore           %8.3f s wall   %.0f results/s; %.1f s CPU   %.0f results per CPU second",
                wall, Double(summary.rescored) / wall, cpu, Double(summary.rescored) / cpu))
        print(
            String(
                format:
                    "  of which score  %8.1f µs per result (the same answers scored alone, one core: %.0f results/s)",
                scoring * 1e6, 1 / scoring))
        print(
            String(
                format: "  the rest        %8.1f µs per result (read, decode, match the case, encode, append)",
                (cpu / Double(max(1, summary.rescored)) - scoring) * 1e6))
        print(
            "verdicts          passed \(summary.passed), failed \(summary.failed), unchecked \(summary.unchecked); \(summary.rescored) rescored"
        )
        print(String(format: "peak RSS          %8.1f MB", BenchCommand.peakResidentMegabytes()))
        guard summary.rescored == answers else {
            throw CLIError.infrastructure("rescored \(summary.rescored) of \(answers) answers").report()
        }
    }

    /// Each case's candidate answers, in suite then case order: the demo's recorded answers to its prompt (both
    /// versions), else the prompt echoed back, as the bench endpoint answers.
    static func answerPool(suites: [Suite], scratch: String) throws -> [[String]] {
        let path = scratch + "/answers.jsonl"
        try Data(DemoFiles.answers.utf8).write(to: URL(fileURLWithPath: path))
        let (recorded, diagnostics) = RecordedAnswer.load(path: path)
        guard diagnostics.isEmpty else {
            throw CLIError.infrastructure("the built-in answers do not load: \(diagnostics[0])")
        }
        var byPrompt: [String: [String]] = [:]
        for answer in recorded { byPrompt[answer.lastUserText, default: []].append(answer.content) }
        return suites.flatMap { suite in
            suite.cases.map { evalCase in
                let prompt = evalCase.messages.last { $0.role == "user" }?.text ?? ""
                return byPrompt[prompt] ?? ["echo: " + prompt]
            }
        }
    }

    /// A complete run log of `count` results: every case of `suites` in turn, repeat after repeat, each repeat
    /// answering with the next of its case's answers.
    static func writeLog(path: String, suites: [Suite], answers: [[String]], count: Int) throws {
        let cases = suites.flatMap { suite in suite.cases.map { (suite, $0) } }
        guard !cases.isEmpty else { throw CLIError.usage("the suites have no cases") }
        let repeats = (count + cases.count - 1) / cases.count
        let manifest = RunManifest(
            runID: "bench-rescore", toolVersion: EvalgateVersion.current,
            target: RunTarget(label: "bench", model: "bench", baseURL: "http://127.0.0.1:8000/v1"),
            suites: suites.map { SuiteReference($0) }, scorerVersion: "bench", repeats: repeats,
            startedAt: "2026-12-01T12:00:00Z"
        )
        var written = 0
        try SyntheticLogs.writeLog(path: path, manifest: manifest, endedAt: "2026-12-01T13:00:00Z") { append in
            for repeatIndex in 0..<repeats {
                for (position, (suite, evalCase)) in cases.enumerated() where written < count {
                    let choices = answers[position]
                    try append(
                        CaseResult(
                            suite: suite.name, kind: suite.kind, caseID: evalCase.id, caseHash: evalCase.contentHash,
                            repeatIndex: repeatIndex, tags: evalCase.tags, status: .passed,
                            response: ResponseRecord(
                                content: choices[repeatIndex % choices.count], finishReason: "stop", model: "bench",
                                latencyMs: 500, attempts: 1),
                            finishedAt: "2026-12-01T12:30:00Z"))
                    written += 1
                }
            }
        }
    }

    /// CPU seconds per answer to score every case's answers once with its checks, on this thread.
    static func scoringCPU(suites: [Suite], answers: [[String]]) throws -> Double {
        let scorer: CaseScorer
        do {
            scorer = try CaseScorer(suites: suites)
        } catch {
            throw CLIError.infrastructure(error.description).report()
        }
        let cases = suites.flatMap(\.cases)
        var scored = 0
        var findings = 0
        let start = BenchCommand.processCPUSeconds()
        for (evalCase, choices) in zip(cases, answers) {
            for answer in choices {
                findings += scorer.score(evalCase, response: answer).reduce(0) { $0 + $1.findings.count }
                scored += 1
            }
        }
        precondition(findings >= 0)
        return (BenchCommand.processCPUSeconds() - start) / Double(max(1, scored))
    }
}
