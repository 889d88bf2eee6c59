import EvalCore
import Foundation
import ScriptedEndpoint
import Testing

/// `evalgate init` → `evalgate run` against the recorded sample answers (what `evalgate serve` replays) → `evalgate
/// gate`, as a new team does it on day one.
@Suite struct InitCommandTests {
    static func emptyFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-init-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Serves `answers` (the sample file, maybe edited) on loopback and runs the scaffold's evalgate.yaml against it.
    static func runAndGate(_ folder: String, answers: String) async throws -> (
        run: CLITests.Outcome, gate: CLITests.Outcome
    ) {
        let path = folder + "/served.jsonl"
        try Data(answers.utf8).write(to: URL(fileURLWithPath: path))
        let (recorded, diagnostics) = RecordedAnswer.load(path: path)
        #expect(diagnostics.isEmpty)
        let endpoint = try await ScriptedEndpoint.start(.recorded(recorded))
        let run = try CLITests.run(["run", "--base-url", endpoint.baseURL, "--fresh", "--no-cache"], in: folder)
        try await endpoint.shutdown()
        let gate = try CLITests.run(
            ["gate", "Reports/runs/baseline.jsonl", "Reports/runs/candidate.jsonl", "--policy", "gate.yaml"], in: folder
        )
        return (run, gate)
    }

    @Test(arguments: ["ru", "en"])
    func initThenRunThenGate(language: String) async throws {
        let folder = try Self.emptyFolder()
        let initialized = try CLITests.run(
            ["init", "--language", language, "--non-interactive", "--company", "Northwind", "--phone", "+1 555 0199"],
            in: folder)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        for file in [
            "EvalSets/support-golden/suite.yaml", "EvalSets/support-eval/cases.jsonl",
            "EvalSets/base-skills/cases.jsonl",
            "evalgate.yaml", "gate.yaml", ".github/workflows/evalgate.yml", "sample-answers.jsonl",
        ] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "init did not write \(file)")
        }
        let golden = try String(contentsOfFile: folder + "/EvalSets/support-golden/suite.yaml", encoding: .utf8)
        #expect(
            golden.contains("Northwind") && golden.contains(#"allow: ["support@"#)
                && golden.contains(#""+1 555 0199"]"#))
        #expect(golden.contains("expected: \(language)"))
        let validate = try CLITests.run(["validate", "EvalSets"], in: folder)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("3 suites"))

        let sample = try String(contentsOfFile: folder + "/sample-answers.jsonl", encoding: .utf8)
        let (run, gate) = try await Self.runAndGate(folder, answers: sample)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("candidate: 77/77 results — passed 77, failed 0, errors 0"), "\(run.stdout)")
        #expect(gate.status == 0, "\(gate.stdout)\(gate.stderr)")
        #expect(gate.stdout.contains("PASS"))

        // A candidate that repeats the customer's phone number in the golden suite is refused, with the finding.
        let leaky =
            sample.split(separator: "\n").map { line -> String in
                guard line.contains("support-candidate"),
                    line.contains("+7 916 555-01-43") || line.contains("+1 202 555 0143")
                else { return String(line) }
                let phone = line.contains("+7 916") ? "+7 916 555-01-43" : "+1 202 555 0143"
                return line.replacingOccurrences(of: #"order number."#, with: "order number. We will call \(phone).")
                    .replacingOccurrences(of: #"номер заказа."#, with: "номер заказа. Перезвоним на \(phone).")
            }.joined(separator: "\n") + "\n"
        #expect(leaky != sample)
        let refused = try await Self.runAndGate(folder, answers: leaky)
        #expect(refused.run.status == 0, "\(refused.run.stderr)")
        #expect(refused.gate.status == 1, "\(refused.gate.stdout)")
        #expect(refused.gate.stdout.contains("golden-pii-phone-04: pii.phone"), "\(refused.gate.stdout)")
    }

    @Test func initOverwritesNothingWithoutForce() throws {
        let folder = try Self.emptyFolder()
        try Data("# mine\n".utf8).write(to: URL(fileURLWithPath: folder + "/gate.yaml"))
        let refused = try CLITests.run(["init", "--non-interactive"], in: folder)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("gate.yaml exists: evalgate init overwrites nothing without --force"))
        #expect(try String(contentsOfFile: folder + "/gate.yaml", encoding: .utf8) == "# mine\n")
        #expect(
            !FileManager.default.fileExists(atPath: folder + "/evalgate.yaml"),
            "nothing is written when one file is in the way")
        let forced = try CLITests.run(["init", "--non-interactive", "--force"], in: folder)
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: folder + "/gate.yaml", encoding: .utf8).contains("version: 1"))
    }

    @Test(arguments: [
        (["--email", "no-at-sign"], "--email: expected an address with '@'"),
        (["--company", ""], "--company: expected one non-empty line"),
        (["--language", "de"], "--language"),
    ])
    func badAnswersAreRefused(arguments: [String], message: String) throws {
        let folder = try Self.emptyFolder()
        let outcome = try CLITests.run(["init", "--non-interactive"] + arguments, in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func withoutNonInteractiveItAsksAndTakesTheDefaultsAtTheEndOfInput() throws {
        let folder = try Self.emptyFolder()
        let outcome = try CLITests.run(["init", "--language", "ru"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("Company name [Магазин «Пример»]: "))
        #expect(
            try String(contentsOfFile: folder + "/EvalSets/support-eval/suite.yaml", encoding: .utf8).contains(
                "support@primer.example"))
    }
}
