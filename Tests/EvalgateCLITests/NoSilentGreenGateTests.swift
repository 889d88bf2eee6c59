import Foundation
import ScriptedEndpoint
import Synchronization
import Testing

/// `diff` and `gate` never pass what they did not check (issue 14), through the binary: settings that differ are
/// refused unless allowed, a log is never gated against itself, a golden case failing in both runs blocks, a warn
/// level passes with the warning listed, truncated answers over the limit refuse, unchecked cases are counted apart,
/// and two runs of the same nondeterministic model gate PASS.
@Suite struct NoSilentGreenGateTests {
    typealias Logs = ReportingCommandTests

    @Test func differentParamsAreRefusedNamingEachDifferenceUnlessAllowed() throws {
        let folder = try Logs.folder()
        let base = try Logs.log("v1", in: folder, params: #"{"temperature":0,"max_tokens":700}"#)
        let candidate = try Logs.log("v2", in: folder)
        let named = [
            "params.max_tokens: 700 in the baseline, not set in the candidate",
            "params.temperature: 0 in the baseline, not set in the candidate",
        ]
        for command in ["diff", "gate"] {
            let refused = try CLITests.run([command, base, candidate])
            #expect(refused.status == 2, "\(command): \(refused.stdout)")
            #expect(refused.stdout.isEmpty, "no report and no verdict for runs that are not comparable")
            #expect(
                refused.stderr.hasPrefix(
                    "evalgate: error: 'v1' and 'v2' are not comparable, their runs differ in 2 settings: "),
                "\(refused.stderr)")
            for difference in named { #expect(refused.stderr.contains(difference), "\(refused.stderr)") }
            #expect(refused.stderr.hasSuffix("pass --allow-differences params to compare them anyway\n"))
        }

        let diff = try CLITests.run(["diff", base, candidate, "--allow-differences", "params"])
        #expect(diff.status == 0, "\(diff.stderr)")
        // The differences lead the report, before any number.
        let lines = diff.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[2] == "> [!CAUTION]", "\(diff.stdout)")
        #expect(lines[3].hasPrefix("> The runs differ in 2 settings (allowed by --allow-differences)"))
        #expect(lines[5] == "> params.max\\_tokens: 700 in the baseline, not set in the candidate", "\(diff.stdout)")
        #expect(
            diff.stderr.contains("evalgate: warning: the runs differ (allowed): params.temperature: 0 in the baseline"))
        let json = try CLITests.run(["diff", base, candidate, "--allow-differences", "params", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let differences = try #require(object["differences"] as? [[String: Any]])
        #expect(differences.map { $0["field"] as? String } == ["params.max_tokens", "params.temperature"])
        #expect(differences.map { $0["kind"] as? String } == ["params", "params"])

        let gate = try CLITests.run([
            "gate", base, candidate, "--allow-differences", "params", "--out", folder + "/gate.md",
        ])
        #expect(gate.status == 0, "\(gate.stdout)\(gate.stderr)")
        #expect(gate.stdout.hasPrefix("evalgate gate: PASS"))
        let gateMarkdown = try String(contentsOfFile: folder + "/gate.md", encoding: .utf8)
        #expect(
            gateMarkdown.hasPrefix(
                "## evalgate gate: ✅ PASS — v2 against v1\n\n> [!CAUTION]\n> The runs differ in 2 settings"),
            "\(gateMarkdown)")
        #expect(gateMarkdown.components(separatedBy: "> [!CAUTION]").count == 2, "said once, at the top")
        // Allowing another kind does not allow params; a typo is a usage error with a suggestion.
        #expect(try CLITests.run(["gate", base, candidate, "--allow-differences", "suites,scorer"]).status == 2)
        let typo = try CLITests.run(["gate", base, candidate, "--allow-differences", "parms"])
        #expect(typo.status == 2)
        #expect(
            typo.stderr.contains("--allow-differences: unknown setting 'parms'; did you mean 'params'?"),
            "\(typo.stderr)")
        // 0 and 0.0 are the same temperature: not a difference.
        let sameValue = try Logs.log("v3", in: folder, params: #"{"temperature":0.0,"max_tokens":700}"#)
        #expect(try CLITests.run(["gate", base, sameValue]).status == 0)
    }

    /// What `run` records is what the gate compares: a streamed run against a whole-answer run with another seed.
    @Test func streamAndSeedRecordedByRunAreCompared() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let root = try RunCommandTests.suiteFolder(count: 3)
        func run(_ label: String, _ extra: [String]) throws {
            let outcome = try CLITests.run(
                [
                    "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", label,
                    "--no-cache", "--out", root + "/runs", "--quiet",
                ]
                    + extra)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        try run("v1", [])
        try run("v2", ["--stream", "--seed", "11"])
        let manifest = try #require(
            try String(contentsOfFile: root + "/runs/v2.jsonl", encoding: .utf8).split(separator: "\n").first)
        #expect(manifest.contains(#""stream":true"#), "\(manifest)")
        let refused = try CLITests.run(["gate", root + "/runs/v1.jsonl", root + "/runs/v2.jsonl"])
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains(
                "seed: not set in the baseline, 11 in the candidate; stream: false in the baseline, true in the candidate"
            ), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-differences seed,stream"))
        let allowed = try CLITests.run([
            "gate", root + "/runs/v1.jsonl", root + "/runs/v2.jsonl", "--allow-differences", "seed",
            "--allow-differences", "stream",
        ])
        #expect(allowed.status == 1, "comparable now; the echo answers fail the golden checks: \(allowed.stdout)")
        #expect(allowed.stdout.contains("golden.pass_rate"))
    }

    @Test func aLogGatedAgainstItselfIsRefused() throws {
        let folder = try Logs.folder()
        let log = try Logs.log("v1", in: folder)
        let twice = try CLITests.run(["gate", log, log])
        #expect(twice.status == 2)
        #expect(
            twice.stderr
                == "evalgate: error: '\(log)' is given twice: a log compared with itself proves nothing; give the baseline's log and the candidate's\n",
            "\(twice.stderr)")
        // Another path to the same file.
        let link = folder + "/link.jsonl"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: log)
        let linked = try CLITests.run(["diff", log, link])
        #expect(linked.status == 2)
        #expect(linked.stderr.contains("'\(log)' and '\(link)' are the same file"), "\(linked.stderr)")
        // A copy is the same run (the same run id).
        let copy = folder + "/copy.jsonl"
        try FileManager.default.copyItem(atPath: log, toPath: copy)
        let copied = try CLITests.run(["gate", log, copy])
        #expect(copied.status == 2)
        #expect(
            copied.stderr.contains("the baseline and the candidate are the same run ('v1', run id r-v1)"),
            "\(copied.stderr)")
    }

    @Test func aGoldenCaseFailingInBothRunsBlocksAndAWarnLevelPassesListingIt() throws {
        let folder = try Logs.folder()
        let base = try Logs.log("v1", in: folder, failing: ["g1"])
        let candidate = try Logs.log("v2", in: folder, failing: ["g1"])
        // Under the verdict, the counts and the golden case with the answer around its finding.
        let cases = """
            0 regressed · 0 fixed · 0 new findings · 1 still failing on 22 paired cases
            pass rate 95.5% → 95.5% (±0.0 pts; 95% CI 0.0…0.0 pts; McNemar p = 1.00)

            Still failing, golden (1)
              golden/g1 (golden)
                  pii.phone at 1:1: discloses a phone number '+7••••••••67'
                    answer: ⟦+7••••••••67⟧

            """
        let blocked = try CLITests.run(["gate", base, candidate])
        #expect(blocked.status == 1)
        #expect(
            blocked.stdout == """
                evalgate gate: FAIL — 'v2' against 'v1': golden.pass_rate
                  [golden.pass_rate] golden pass rate 50.0% (1 of 2), at least 100.0% required
                    - golden/g1: pii.phone

                \(cases)
                """,
            "no regression and no new finding (the baseline had the same phone): only the golden pass rate blocks")

        let policy = folder + "/gate.yaml"
        try "levels:\n  golden.pass_rate: warn\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let warned = try CLITests.run([
            "gate", base, candidate, "--policy", policy, "--out", folder + "/gate.json", "--format", "json",
        ])
        #expect(warned.status == 0, "\(warned.stdout)")
        #expect(
            warned.stdout == """
                evalgate gate: PASS with 1 warning — 'v2' against 'v1': golden.pass_rate
                  [warn golden.pass_rate] golden pass rate 50.0% (1 of 2), at least 100.0% required
                    - golden/g1: pii.phone

                \(cases)
                """)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/gate.json")))
                as? [String: Any])
        let gate = try #require(object["gate"] as? [String: Any])
        #expect(gate["verdict"] as? String == "pass" && gate["exit_code"] as? Int == 0)
        let checks = try #require(gate["checks"] as? [[String: Any]])
        let rule = try #require(checks.first { $0["code"] as? String == "golden.pass_rate" })
        #expect(rule["passed"] as? Bool == false && rule["level"] as? String == "warn")
        let markdown = try CLITests.run(["gate", base, candidate, "--policy", policy, "--out", folder + "/gate.md"])
        #expect(markdown.status == 0)
        #expect(
            try String(contentsOfFile: folder + "/gate.md", encoding: .utf8).hasPrefix(
                "## evalgate gate: ✅ PASS with 1 warning"))
    }

    @Test func truncatedAnswersOverTheLimitRefuseTheGateAndShowPerSuite() throws {
        let folder = try Logs.folder()
        let base = try Logs.log("v1", in: folder)
        let candidate = try Logs.log("v2", in: folder, truncated: ["e1", "e2", "e3"])
        let refused = try CLITests.run(["gate", base, candidate])
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(
            refused.stdout.hasPrefix("evalgate gate: FAIL — 'v2' against 'v1': truncation.rate\n"), "\(refused.stdout)")
        #expect(
            refused.stdout.contains("'v2' 13.6% of answers cut off by the token limit (3 of 22), at most 5.0% allowed"))
        #expect(refused.stdout.contains("    - 'v2' suite 'eval': 3 of 20 answers cut off"))
        let policy = folder + "/gate.yaml"
        try "truncation:\n  max_rate: 0.2\n".write(toFile: policy, atomically: true, encoding: .utf8)
        #expect(try CLITests.run(["gate", base, candidate, "--policy", policy]).status == 0)

        let report = try CLITests.run(["report", candidate])
        #expect(
            report.stdout.contains("| answers cut off (finish_reason: length) | 13.6% (3 of 22) |"), "\(report.stdout)")
        #expect(report.stdout.contains("| eval | 3 of 20 | 0 of 20 |"), "\(report.stdout)")
        let json = try CLITests.run(["diff", base, candidate, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let answers = try #require((object["answers"] as? [String: Any])?["candidate"] as? [String: Any])
        #expect(answers["truncated"] as? Int == 3 && answers["answers"] as? Int == 22 && answers["cached"] as? Int == 0)
        let suites = try #require(answers["suites"] as? [[String: Any]])
        #expect(suites.map { $0["truncated"] as? Int } == [3, 0])
    }

    @Test func casesNoCheckJudgedAreCountedApartNeverAsPassed() throws {
        let folder = try Logs.folder()
        let log = try Logs.log("v1", in: folder, failing: ["e1"], unchecked: ["e2", "e3", "e4", "e5", "e6"])
        let json = try CLITests.run(["report", log, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let total = try #require(object["total"] as? [String: Any])
        #expect(
            total["passed"] as? Int == 16 && total["failed"] as? Int == 1 && total["unchecked"] as? Int == 5
                && total["cases"] as? Int == 22)
        #expect((object["unchecked"] as? [[String: Any]])?.count == 5)
        let markdown = try CLITests.run(["report", log])
        #expect(markdown.stdout.contains("· 16 passed · 1 failed · 0 errors · 5 unchecked"), "\(markdown.stdout)")
        #expect(
            markdown.stdout.contains(
                "'v1' has 5 unchecked cases (answered, judged by no check): counted apart, neither passed nor failed"))
        let junit = try CLITests.run(["report", log, "--format", "junit"])
        #expect(
            junit.stdout.contains(#"<testsuite name="v1 / eval" tests="20" failures="1" errors="0" skipped="5">"#),
            "\(junit.stdout)")
    }

    /// The same model, run twice, answers each case differently from request to request (another number of days,
    /// another phone number, or no promise at all). With repeats both runs measure that noise, so nothing is new:
    /// the gate passes, although no finding's text of the candidate appears in the baseline.
    @Test func twoRunsOfTheSameNondeterministicModelGatePass() async throws {
        let requests = Mutex([String: Int]())
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                let prompt = request.lastUserText ?? ""
                let count = requests.withLock { counts in
                    defer { counts[prompt, default: 0] += 1 }
                    return counts[prompt, default: 0]
                }
                switch count % 3 {
                case 0: return .text("Доставим ваш заказ за \(count + 2) дня, звоните нам: +7916123456\(count % 10).")
                case 1: return .text("Статус заказа виден в личном кабинете, там же появится дата доставки.")
                default: return .text("Оператор уточнит детали и напишет вам в уведомлениях.")
                }
            })
        defer { Task { try? await endpoint.shutdown() } }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-noise-\(UUID().uuidString)")
            .path
        let suite = root + "/EvalSets/support-golden"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        try "name: support-golden\nkind: golden\ndescription: noise\n".write(
            toFile: suite + "/suite.yaml", atomically: true, encoding: .utf8)
        let cases = (1...4).map {
            #"{"id":"c\#($0)","prompt":"Когда привезут заказ \#($0)?","checks":[{"type":"promises"},{"type":"pii"}]}"#
        }
        try (cases.joined(separator: "\n") + "\n").write(
            toFile: suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        // One run after the other, so that each run gets the three kinds of answer of every case once.
        for label in ["v1", "v2"] {
            let outcome = try CLITests.run([
                "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "support", "--label", label,
                "--repeats", "3",
                "--concurrency", "1", "--no-cache", "--out", root + "/runs", "--quiet",
            ])
            #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        }
        #expect(endpoint.requestCount == 24)
        let base = root + "/runs/v1.jsonl"
        let candidate = root + "/runs/v2.jsonl"
        // The findings' texts differ between the runs ("за 2 дня" against "за 5 дня", another phone number)...
        let baseText = try String(contentsOfFile: base, encoding: .utf8)
        let candidateText = try String(contentsOfFile: candidate, encoding: .utf8)
        #expect(baseText.contains("+79161234560") && !candidateText.contains("+79161234560"))
        #expect(candidateText.contains("+79161234563") && candidateText.contains("promise."))
        // ...but each case had the same rules in a third of its answers in both runs: nothing is new.
        let gate = try CLITests.run(["gate", base, candidate])
        #expect(gate.status == 0, "\(gate.stdout)\(gate.stderr)")
        #expect(gate.stdout.hasPrefix("evalgate gate: PASS — 'v2' against 'v1'"), "\(gate.stdout)")
        let diff = try CLITests.run(["diff", base, candidate, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        #expect((object["new_findings"] as? [Any])?.isEmpty == true)
        #expect(
            (object["flaky"] as? [Any])?.count == 4, "every case is flaky in both runs: the repeats measured the noise")
    }
}
