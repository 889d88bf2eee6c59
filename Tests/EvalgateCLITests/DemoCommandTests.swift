import Foundation
import Testing

/// The README's main job, end to end through the built binary: the demo must tell the regression story on its own.
@Suite struct DemoCommandTests {
    /// The package root, from this file's path (Tests/EvalgateCLITests/DemoCommandTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func arguments(out: String) -> [String] {
        ["demo", "--eval-sets", root + "/EvalSets", "--answers", root + "/examples/demo/answers.jsonl", "--out", out]
    }

    @Test func demoRefusesV13WithEveryPlantedRegressionNamed() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-demo-\(UUID().uuidString)")
            .path
        let outcome = try CLITests.run(Self.arguments(out: out))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("evalgate gate: FAIL — 'v1.3' against 'v1.2'"))
        #expect(outcome.stdout.contains("The gate refused v1.3, as designed"))
        #expect(outcome.stdout.contains("v1.2: passed 262, failed 60, errors 0"))
        #expect(outcome.stdout.contains("v1.3: passed 304, failed 18, errors 0"))
        // The planted regressions, each named with the rule that caught it.
        for expected in [
            "golden-delivery-date-01: promise.deadline", "golden-pii-phone-echo-02: pii.phone",
            "[findings.new_pii]", "[findings.new_promise]", "[golden.regression]", "Forgetting:",
        ] {
            #expect(outcome.stdout.contains(expected), "stdout lacks \(expected)")
        }
        #expect(!outcome.stdout.contains("+7 916 123-45-67"), "the leaked phone number is masked in the verdict")

        let diff = try String(contentsOfFile: out + "/diff.md", encoding: .utf8)
        for forgotten in [
            "base-arithmetic-ru-01", "base-units-en-03", "base-extraction-en-04", "base-factual-en-01",
            "base-factual-ru-03", "base-format-ru-07", "base-format-en-08",
            "golden-delivery-date-01", "golden-pii-phone-echo-02",
        ] {
            #expect(diff.contains(forgotten), "diff.md does not name \(forgotten)")
        }
        #expect(!diff.contains("+7 916 123-45-67"))
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/diff.json")))
            as? [String: Any]
        let gate = json?["gate"] as? [String: Any]
        #expect(gate?["verdict"] as? String == "fail")
        let junit = try String(contentsOfFile: out + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<testsuites"))
        #expect(junit.contains("golden-pii-phone-echo-02"))
        #expect(junit.contains("<failure"))
        // The HTML report: the verdict on top, golden cases first, both answers, the phone number masked.
        let html = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        #expect(outcome.stdout.contains(out + "/index.html"))
        let verdict = try #require(html.range(of: "<h2>Gate: FAIL</h2>"))
        let golden = try #require(html.range(of: "<code>golden-pii-phone-echo-02</code>"))
        let firstOther = try #require(html.range(of: "data-kind=\"base\""))
        #expect(verdict.lowerBound < golden.lowerBound && golden.lowerBound < firstOther.lowerBound)
        #expect(html.contains("<h4>v1.2 · ") && html.contains("<h4>v1.3 · "))
        #expect(html.contains("<mark title=\"pii.phone\">"))
        #expect(!html.contains("+7 916 123-45-67"))
        #expect(html.components(separatedBy: "<script").count == 2, "only the page's own script")
        #expect(FileManager.default.fileExists(atPath: out + "/runs/v1.2.jsonl"))
        #expect(FileManager.default.fileExists(atPath: out + "/runs/v1.3.jsonl"))

        // A second run starts the logs over instead of resuming into them.
        let again = try CLITests.run(Self.arguments(out: out))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("v1.3: passed 304, failed 18, errors 0"))
    }

    /// `evalgate gate` on the demo's logs: JSON on stdout without --out, and --alpha winning over the policy.
    @Test func gateOnTheDemoLogs() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-demo-\(UUID().uuidString)")
            .path
        #expect(try CLITests.run(Self.arguments(out: out)).status == 0)
        let (base, candidate) = (out + "/runs/v1.2.jsonl", out + "/runs/v1.3.jsonl")

        let json = try CLITests.run(["gate", base, candidate, "--format", "json"])
        #expect(json.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((report?["gate"] as? [String: Any])?["verdict"] as? String == "fail", "stdout is the JSON report")
        #expect(json.stderr.contains("evalgate gate: FAIL"), "the verdict goes to stderr")

        let strict = try CLITests.run(["gate", base, candidate, "--alpha", "0.001"])
        #expect(strict.status == 1)
        #expect(!strict.stdout.contains("[regression.significant]"), "p = 0.02 is not significant at 0.001")
        #expect(strict.stdout.contains("[golden.regression]"))
        let text = try CLITests.run(["gate", base, candidate])
        #expect(text.stdout.contains("[regression.significant]"))
    }

    @Test func demoWithAMissingSuitesFolderSaysWhatItNeeds() throws {
        let outcome = try CLITests.run([
            "demo", "--eval-sets", "/nonexistent/EvalSets", "--out", "/tmp/evalgate-demo-missing",
        ])
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr.contains(
                "/nonexistent/EvalSets/support-ru-golden is missing: --eval-sets names a folder holding support-ru-golden"
            ))
    }

    @Test func demoWithTamperedAnswersSaysItDidNotGoAsDesigned() throws {
        // v1.3 answering exactly as v1.2 did: nothing to refuse, and the demo says so instead of pretending.
        let source = try String(contentsOfFile: Self.root + "/examples/demo/answers.jsonl", encoding: .utf8)
        let lines = source.split(separator: "\n").map(String.init).filter {
            $0.contains(#""model": "support-bot-v1.2""#) || $0.contains(#""model":"support-bot-v1.2""#)
        }
        #expect(lines.count == 322)
        let cloned = lines.map { $0.replacingOccurrences(of: "support-bot-v1.2", with: "support-bot-v1.3") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-demo-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try ((lines + cloned).joined(separator: "\n") + "\n").write(
            toFile: folder + "/answers.jsonl", atomically: true, encoding: .utf8)
        let outcome = try CLITests.run([
            "demo", "--eval-sets", Self.root + "/EvalSets", "--answers", folder + "/answers.jsonl", "--out",
            folder + "/out",
        ])
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("the demo did not go as designed"))
    }
}
