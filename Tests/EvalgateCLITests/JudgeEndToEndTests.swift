import Foundation
import ScriptedEndpoint
import Testing

/// judge → label → agreement → gate, through the binary: two targets and a judge target from evalgate.yaml.
@Suite struct JudgeEndToEndTests {
    @Test func judgeLabelAgreementGate() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "good": { request in
                    .text(
                        "Ваш заказ \(request.lastUserText?.split(separator: " ").last ?? "?") в пути, курьер позвонит.")
                },
                "bad": { _ in .text("Спасибо за обращение!") },
                "judge-model": { request in
                    let text = request.lastUserText ?? ""
                    if text.contains("курьер позвонит") {
                        return .text(#"{"verdict": "pass", "reason": "answers where the order is", "quote": "в пути"}"#)
                    }
                    return .text(#"{"verdict": "fail", "reason": "does not answer", "quote": "Спасибо за обращение!"}"#)
                },
            ]))
        defer { Task { try? await endpoint.shutdown() } }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-judge-e2e-\(UUID().uuidString)"
        ).path
        let suite = root + "/EvalSets/support"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        try "name: support\nkind: eval\ndescription: test\n".write(
            toFile: suite + "/suite.yaml", atomically: true, encoding: .utf8)
        let cases = (1...4).map {
            #"{"id":"c\#($0)","prompt":"Где мой заказ \#($0)","checks":[{"type":"judge","judge":"strict","rubric":"answers_question","language":"ru"}]}"#
        }
        try (cases.joined(separator: "\n") + "\n").write(
            toFile: suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        try """
        suites: [EvalSets]
        out: runs
        cache: false
        defaults:
          base_url: \(endpoint.baseURL)
        targets:
          - {label: v1, model: good}
          - {label: v2, model: bad}
        judges:
          - {label: strict, model: judge-model}
        """.write(toFile: root + "/evalgate.yaml", atomically: true, encoding: .utf8)
        let run = try CLITests.run(["run", "--config", root + "/evalgate.yaml", "--quiet"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("v1: 4/4 results — passed 4, failed 0, errors 0"))
        #expect(run.stdout.contains("v2: 4/4 results — passed 0, failed 4, errors 0"))

        // The report shows the judge's verdicts with its quote.
        let report = try CLITests.run(["report", root + "/runs/v2.jsonl"])
        #expect(report.status == 0)
        #expect(report.stdout.contains("`judge.answers_question`"))
        #expect(report.stdout.contains("`Спасибо за обращение!`"))

        // A sample of both runs' judge verdicts, labelled from keys: agree with every one but the first.
        let labels = root + "/labels.jsonl"
        let draw = try CLITests.run([
            "label", root + "/runs/v1.jsonl", root + "/runs/v2.jsonl", "--labels", labels, "--count", "8",
        ])
        #expect(draw.status == 0, "\(draw.stderr)")
        let text = try String(contentsOfFile: labels, encoding: .utf8)
        #expect(
            text.components(separatedBy: #""judge":"judge-model rubric:"#).count == 9, "every label names the judge")
        let labelled = try CLITests.run(
            ["label", "--labels", labels, "--interactive"], input: "d\n" + String(repeating: "a\n", count: 7))
        #expect(labelled.stdout.contains("all 8 items done"))
        let agreement = try CLITests.run(["agreement", labels, "--format", "summary"])
        // 7 of 8 agree; the check failed 4 (v2) and passed 4: the person failed 4 or 5 → kappa 0.75.
        #expect(agreement.stdout.hasPrefix("agreement: judge (judge-model rubric:"))
        #expect(agreement.stdout.contains("n=8 kappa=0.750"))

        // The gate's verdict rests on the judge: without labels the rule fails (the candidate also regressed, so the
        // exit is 1, a proven regression over missing evidence); with 8 labels and a policy asking 8, the rule passes.
        let policy = root + "/gate.yaml"
        try "judges:\n  min_labels: 8\n  min_kappa: 0.7\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let untrusted = try CLITests.run(["gate", root + "/runs/v1.jsonl", root + "/runs/v2.jsonl"])
        #expect(untrusted.status == 1)
        #expect(untrusted.stdout.contains("[judges.agreement] 1 judge not checked by hand enough to trust"))
        let trusted = try CLITests.run([
            "gate", root + "/runs/v1.jsonl", root + "/runs/v2.jsonl", "--labels", labels, "--policy", policy,
        ])
        #expect(trusted.status == 1, "\(trusted.stdout)")
        #expect(!trusted.stdout.contains("[judges.agreement]"))
    }

    /// Outside `run` there is no judge to ask: `score` and `scan` refuse a judge check instead of failing answers.
    @Test func scoreAndScanRefuseJudgeChecks() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-judge-refuse-\(UUID().uuidString)"
        ).path
        let suite = root + "/EvalSets/support"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        try "name: support\nkind: eval\ndescription: test\n".write(
            toFile: suite + "/suite.yaml", atomically: true, encoding: .utf8)
        try
            (#"{"id":"c1","prompt":"q","checks":[{"type":"judge","judge":"strict","rubric":"answers_question"}]}"#
            + "\n")
            .write(toFile: suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        try (#"{"id":"c1","response":"ok"}"# + "\n").write(
            toFile: root + "/answers.jsonl", atomically: true, encoding: .utf8)
        let score = try CLITests.run(["score", "--suite", root + "/EvalSets", "--responses", root + "/answers.jsonl"])
        #expect(score.status == 2)
        #expect(score.stderr.contains("suite 'support', case 'c1': a judge check needs a judge model's answers"))
        let scan = try CLITests.run([
            "scan", root + "/answers.jsonl", "--field", "response", "--check",
            #"{"type":"judge","judge":"strict","rubric":"answers_question"}"#,
        ])
        #expect(scan.status == 2)
        #expect(scan.stderr.contains("a judge check needs a judge model's answers"))
        // A run without the judge it names is refused before anything is sent.
        let run = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", root + "/runs",
        ])
        #expect(run.status == 2)
        #expect(
            run.stderr.contains(
                "a judge check names the judge 'strict', which is not among the judges (list it under judges: in evalgate.yaml)"
            ))
    }

    /// A folder with one suite (one case with the judge check `strict`) run by model `good` into runs/v1.jsonl, with the
    /// judge `judge-model` given by flags.
    static func judgedFromFlags(_ endpoint: ScriptedEndpoint) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-judge-flags-\(UUID().uuidString)"
        ).path
        let suite = root + "/EvalSets/support"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        try "name: support\nkind: eval\ndescription: test\n".write(
            toFile: suite + "/suite.yaml", atomically: true, encoding: .utf8)
        try
            (#"{"id":"c1","prompt":"Где заказ?","checks":[{"type":"judge","judge":"strict","rubric":"answers_question"}]}"#
            + "\n")
            .write(toFile: suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        let run = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "good", "--label", "v1", "--out",
            root + "/runs",
            "--no-cache", "--quiet", "--judge-model", "judge-model", "--judge-label", "strict",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        return root
    }

    /// A judge from flags, without a config file.
    @Test func aJudgeFromFlags() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "good": { _ in .text("Заказ в пути.") },
                "judge-model": { _ in .text(#"{"verdict": "pass", "reason": "answers", "quote": "в пути"}"#) },
            ]))
        defer { Task { try? await endpoint.shutdown() } }
        let root = try Self.judgedFromFlags(endpoint)
        let log = try String(contentsOfFile: root + "/runs/v1.jsonl", encoding: .utf8)
        #expect(
            log.contains(
                #""judges":[{"base_url":"\#(endpoint.baseURL)","label":"strict","model":"judge-model","rubrics":[{"hash":"#
            ))
        #expect(log.contains(#""votes":["pass"]"#))
        let lone = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "good", "--judge-label", "strict",
        ])
        #expect(lone.status == 2)
        #expect(lone.stderr.contains("add --judge-model"))
    }

    /// `rescore --rejudge`: another judge asked about the stored answers; the model is not asked again.
    @Test func rescoreRejudgesTheStoredAnswers() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "good": { _ in .text("Заказ в пути.") },
                "judge-model": { _ in .text(#"{"verdict": "pass", "reason": "answers", "quote": "в пути"}"#) },
                "judge-2": { _ in .text(#"{"verdict": "fail", "reason": "no date", "quote": "Заказ в пути."}"#) },
            ]))
        defer { Task { try? await endpoint.shutdown() } }
        let root = try Self.judgedFromFlags(endpoint)
        let log = root + "/runs/v1.jsonl"
        let lone = try CLITests.run(["rescore", log, "--judge-model", "judge-2"])
        #expect(lone.status == 2)
        #expect(lone.stderr.contains("--judge-model is for asking the judges again: add --rejudge"), "\(lone.stderr)")
        let rescored = try CLITests.run([
            "rescore", log, "--rejudge", "--judge-model", "judge-2", "--judge-label", "strict", "--judge-base-url",
            endpoint.baseURL,
            "--no-cache", "--out", root + "/runs/v1-judge2.jsonl",
        ])
        #expect(rescored.status == 0, "\(rescored.stdout)\(rescored.stderr)")
        #expect(rescored.stdout.contains("rejudged 1 answers with 'strict' (judge-2)"), "\(rescored.stdout)")
        #expect(rescored.stdout.contains("passed 0, failed 1; 1 verdicts changed"), "\(rescored.stdout)")
        let text = try String(contentsOfFile: root + "/runs/v1-judge2.jsonl", encoding: .utf8)
        #expect(text.contains(#""model":"judge-2""#) && text.contains(#""reason":"no date""#))
        // The two logs were judged by different judges: a diff says so and refuses, unless allowed.
        let diff = try CLITests.run(["diff", log, root + "/runs/v1-judge2.jsonl"])
        #expect(diff.status == 2)
        #expect(
            diff.stderr.contains("judges: judge-model rubric:") && diff.stderr.contains("judge-2 rubric:"),
            "\(diff.stderr)")
    }

    /// `judge-pairs`: two runs compared pair by pair by a judge from flags, both orders asked.
    @Test func judgePairsComparesTwoRuns() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "good": { _ in .text("Заказ в пути.") },
                "better": { _ in .text("Заказ в пути, будет завтра.") },
                "judge-model": { request in
                    // The run's judge check, then the pairs: prefers the answer with a date, wherever it is shown.
                    guard (request.lastUserText ?? "").contains("## Answer A") else {
                        return .text(#"{"verdict": "pass", "reason": "answers", "quote": "в пути"}"#)
                    }
                    let first = (request.lastUserText ?? "").components(separatedBy: "## Answer B")[0]
                    return .text(#"{"winner": "\#(first.contains("завтра") ? "A" : "B")", "reason": "names a date"}"#)
                },
            ]))
        defer { Task { try? await endpoint.shutdown() } }
        let root = try Self.judgedFromFlags(endpoint)
        let second = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "better", "--label", "v2", "--out",
            root + "/runs",
            "--no-cache", "--quiet", "--judge-model", "judge-model", "--judge-label", "strict",
        ])
        #expect(second.status == 0, "\(second.stderr)")
        let pairs = try CLITests.run([
            "judge-pairs", root + "/runs/v1.jsonl", root + "/runs/v2.jsonl", "--judge-model", "judge-model",
            "--judge-base-url", endpoint.baseURL, "--no-cache", "--format", "summary",
        ])
        #expect(pairs.status == 0, "\(pairs.stderr)")
        #expect(
            pairs.stdout.hasPrefix(
                "judge-pairs: v2 vs v1: win 1 tie 0 loss 0 (inconsistent 0, errors 0) win_rate=1.000"),
            "\(pairs.stdout)")
        #expect(pairs.stdout.contains("first_position=0.500"))
        let noJudge = try CLITests.run([
            "judge-pairs", root + "/runs/v1.jsonl", root + "/runs/v2.jsonl", "--config", root + "/missing.yaml",
        ])
        #expect(noJudge.status == 2)
        let badRubric = try CLITests.run([
            "judge-pairs", root + "/runs/v1.jsonl", root + "/runs/v2.jsonl", "--judge-model", "judge-model", "--rubric",
            "beter_answer",
        ])
        #expect(badRubric.status == 2)
        #expect(
            badRubric.stderr.contains(
                "--rubric: unknown pairwise rubric 'beter_answer'; did you mean 'better_answer'?"),
            "\(badRubric.stderr)")
    }
}
