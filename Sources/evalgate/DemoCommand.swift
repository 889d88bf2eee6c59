import ArgumentParser
import EvalCore
import EvalRunner
import Foundation
import Reporting
import ScriptedEndpoint
import Transport

/// `evalgate demo`: the whole story with no model server — two versions of a support assistant replayed by the
/// built-in endpoint, run through the real libcurl path, diffed, and gated.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Run the shipped suites against two recorded versions of a support bot, diff them and gate the release.",
        discussion: """
            The built-in endpoint replays support-bot v1.2 (the baseline in production) and v1.3 (a LoRA fine-tune \
            that learned the house answer format) from the recorded answers (examples/demo/answers.jsonl) on \
            loopback. Both are run through libcurl like any server; the run logs, index.html (the HTML report), diff.md, \
            diff.json and junit.xml go to Reports/demo/, and the gate's verdict is printed with its reasons. The suites and the answers are \
            compiled into the binary, so the demo runs anywhere; they are written out to Reports/demo/suites/ to read \
            (--eval-sets and --answers run edited copies instead). Exits 0 when the demo ran as designed (the gate refuses v1.3); \
            `evalgate gate` itself exits 1 on such a verdict.
            """
    )

    /// The suites the demo runs, in report order.
    static let suiteNames = DemoFiles.suiteNames
    static let versions = [(label: "v1.2", model: "support-bot-v1.2"), (label: "v1.3", model: "support-bot-v1.3")]

    @Option(
        name: .long,
        help: ArgumentHelp("Folder of the demo's suites (default: the copy built in).", valueName: "folder"))
    var evalSets: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The recorded answers of both versions (default: the copy built in).", valueName: "file"))
    var answers: String?

    @Option(name: .long, help: ArgumentHelp("Where the logs and reports go.", valueName: "folder"))
    var out = "Reports/demo"

    @Option(name: .long, help: ArgumentHelp("Gate policy (default: the built-in defaults).", valueName: "gate.yaml"))
    var policy: String?

    func run() async throws {
        let started = ContinuousClock.now
        let builtIn = try writeBuiltInFiles()
        let evalSets = self.evalSets ?? builtIn.suites
        let answers = self.answers ?? builtIn.answers
        let suiteFolders = Self.suiteNames.map { evalSets + "/" + $0 }
        for folder in suiteFolders + [answers] where !FileManager.default.fileExists(atPath: folder) {
            throw CLIError.usage(
                "\(folder) is missing: --eval-sets names a folder holding \(Self.suiteNames.joined(separator: ", ")); --answers a JSONL file"
            ).report()
        }
        let suites = try SuitePaths.loadValid(suiteFolders)
        let (recorded, diagnostics) = RecordedAnswer.load(path: answers)
        if !diagnostics.isEmpty {
            FileHandle.standardError.write(Data(diagnostics.map { "\($0)\n" }.joined().utf8))
            throw ExitCode(2)
        }
        let rules = try GateCommand.loadPolicy(policy)

        // 1. The endpoint: both versions on loopback.
        let endpoint: ScriptedEndpoint
        do {
            endpoint = try await ScriptedEndpoint.start(.recorded(recorded))
        } catch {
            throw CLIError.infrastructure("cannot start the demo endpoint on loopback: \(error)").report()
        }
        let caseCount = suites.reduce(0) { $0 + $1.cases.count }
        say(
            """
            evalgate demo — support-bot v1.2 (the baseline in production) against v1.3 (a LoRA fine-tune)
            The built-in endpoint at \(endpoint.baseURL) replays both versions from \(answers).
            Running \(suites.count) suites, \(caseCount) cases per version, through libcurl:
            """)

        // 2. The run: both versions interleaved, fresh logs every time.
        let runs = out + "/runs"
        for version in Self.versions {
            let log = runs + "/" + RunLog.fileName(forLabel: version.label)
            if FileManager.default.fileExists(atPath: log) { try? FileManager.default.removeItem(atPath: log) }
        }
        let summary: RunOutcome
        do {
            let transport = try CurlClient()
            let targets = Self.versions.map { version in
                RunTargetSpec(
                    label: version.label, model: version.model, endpoint: ChatEndpoint(baseURL: endpoint.baseURL))
            }
            let runner = try Runner(
                suites: suites, targets: targets,
                settings: RunSettings(outDirectory: runs, concurrency: 16, toolVersion: EvalgateVersion.current),
                transport: transport
            )
            summary = try await runner.run()
        } catch let error as RunError {
            try? await endpoint.shutdown()
            throw CLIError(error).report()
        } catch {
            try? await endpoint.shutdown()
            throw CLIError.infrastructure("\(error)").report()
        }
        try? await endpoint.shutdown()
        for target in summary.targets {
            say(
                "  \(target.label): passed \(target.passed), failed \(target.failed), errors \(target.errors) → \(target.logPath)"
            )
        }

        // 3. The diff and the gate, written as a CI job would.
        let indexes = try RunLogInput.load(summary.targets.map(\.logPath))
        let diff = try RunLogInput.diff(base: indexes[0], candidate: indexes[1], options: DiffOptions())
        let gate = Gate.evaluate(diff, policy: rules)
        let files = [
            ("diff.md", MarkdownRenderer().render(gate, diff: diff)),
            ("diff.json", JSONRenderer().render(GateReport(gate: gate, diff: diff))),
            ("junit.xml", RunLogInput.junit(diff, candidate: indexes[1], gate: gate, showPII: false)),
            (
                "index.html",
                try RunLogInput.html(diff, base: indexes[0], candidate: indexes[1], gate: gate, showPII: false)
            ),
        ]
        for (name, text) in files {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out + "/" + name))
            } catch {
                throw CLIError.infrastructure("cannot write \(out)/\(name): \(error.localizedDescription)").report()
            }
        }
        let total = diff.total
        say(
            """

            What changed (\(out)/diff.md): \(diff.regressed.count) regressed, \(diff.fixed.count) fixed, \
            \(diff.newFindings.count) new PII or promise findings; pass rate \
            \(String(format: "%.1f%% → %.1f%%", (total.base.rate ?? 0) * 100, (total.candidate.rate ?? 0) * 100)).
            """)
        if let forgetting = diff.forgetting, forgetting.detected { say(forgetting.summary) }
        say("")
        FileHandle.standardOutput.write(Data(gate.text().utf8))

        // 4. Did the story play out? The demo's own exit code says whether the demo worked, not the gate's verdict.
        let expected = ["golden.regression", "findings.new_pii", "findings.new_promise"]
        let reasons = Set(gate.reasons.map(\.code))
        let missing = expected.filter { !reasons.contains($0) }
        let errors = summary.targets.reduce(0) { $0 + $1.errors }
        let elapsed = ContinuousClock.now - started
        if gate.exitCode == 1, missing.isEmpty, errors == 0, diff.forgetting?.detected == true {
            say(
                """

                The gate refused v1.3, as designed: it got the house format right (eval suites up) but promises a \
                delivery date, repeats a customer's phone number and forgot base skills. In CI this verdict is \
                `evalgate gate` exiting 1. Reports: \(out)/index.html (open it in a browser: both answers \
                side by side), \(out)/diff.md, \(out)/diff.json, \(out)/junit.xml \
                (\(String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)) s).
                """)
            return
        }
        var problems: [String] = []
        if gate.exitCode != 1 { problems.append("the gate did not refuse v1.3 (exit \(gate.exitCode))") }
        if !missing.isEmpty { problems.append("reasons missing: \(missing.joined(separator: ", "))") }
        if errors > 0 { problems.append("\(errors) requests failed") }
        if diff.forgetting?.detected != true { problems.append("no forgetting was detected") }
        throw CLIError.infrastructure(
            "the demo did not go as designed: \(problems.joined(separator: "; ")); were the suites or the answers changed?"
        ).report()
    }

    /// Writes the suites and answers compiled into the binary to `out`/suites, where the demo reads them (and a user
    /// can look at what ran): the binary alone, copied anywhere, runs the demo.
    private func writeBuiltInFiles() throws -> (suites: String, answers: String) {
        let folder = out + "/suites"
        let files =
            DemoFiles.suiteFiles.map { (folder + "/" + $0.path, $0.text) } + [
                (folder + "/answers.jsonl", DemoFiles.answers)
            ]
        do {
            for (path, text) in files {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            }
        } catch {
            throw CLIError.infrastructure("cannot write the demo's suites to \(folder): \(error.localizedDescription)")
                .report()
        }
        return (folder, folder + "/answers.jsonl")
    }

    private func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
