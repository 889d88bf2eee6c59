import Foundation
import Testing

/// `evalgate agreement` as a user runs it.
@Suite struct AgreementCommandTests {
    /// Wikipedia's worked example of Cohen's kappa as labels of the `promises` rule: check fail & person fail 20,
    /// fail/pass 5, pass/fail 10, pass/pass 15 (κ = 0.4 by hand), and 4 labels of `pii` that all agree.
    static func labels(in folder: String) throws -> String {
        var lines: [String] = []
        var index = 0
        for (count, check, human) in [
            (20, "fail", "fail"), (5, "fail", "pass"), (10, "pass", "fail"), (15, "pass", "pass"),
        ] {
            for _ in 0..<count {
                index += 1
                lines.append(
                    #"{"log":"runs/v1.jsonl","suite":"support","case":"c\#(index)","repeat":0,"rule":"promises","check":"\#(check)","human":"\#(human)"}"#
                )
            }
        }
        for (index, verdict) in ["fail", "pass", "pass", "pass"].enumerated() {
            lines.append(
                #"{"log":"runs/v1.jsonl","suite":"support","case":"p\#(index)","repeat":0,"rule":"pii","check":"\#(verdict)","human":"\#(verdict)"}"#
            )
        }
        lines.append(
            #"{"log":"runs/v1.jsonl","suite":"support","case":"u1","repeat":0,"rule":"pii","check":"pass","human":null}"#
        )
        let path = folder + "/labels.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func jsonReproducesTheHandComputedKappa() throws {
        let folder = try ReportingCommandTests.folder()
        let path = try Self.labels(in: folder)
        let json = try CLITests.run(["agreement", path, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rules = try #require(object["rules"] as? [[String: Any]])
        let promises = try #require(rules.first { $0["rule"] as? String == "promises" })
        let kappa = try #require(promises["kappa"] as? Double)
        #expect(String(format: "%.3f", kappa) == "0.400")
        let pii = try #require(rules.first { $0["rule"] as? String == "pii" })
        #expect(pii["kappa"] as? Double == 1)
        #expect(object["unlabelled"] as? Int == 1)

        let summary = try CLITests.run(["agreement", path, "--format", "summary"])
        #expect(summary.stdout == "agreement: pii n=4 kappa=1.000 AC1=1.000; promises n=50 kappa=0.400 AC1=0.406\n")
        let markdown = try CLITests.run(["agreement", path])
        #expect(markdown.stdout.hasPrefix("## evalgate agreement: checks against people\n"))
        #expect(markdown.stdout.contains("pii: only 4 labels; agreement on fewer than 30 is too noisy to rely on"))
    }

    @Test func badLabelsExitTwoNamingLineAndColumn() throws {
        let folder = try ReportingCommandTests.folder()
        let path = folder + "/bad.jsonl"
        try (#"{"log":"l","suite":"s","case":"c","rule":"r","check":"pass","human":"yes"}"# + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let outcome = try CLITests.run(["agreement", path])
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr
                == "evalgate: error: \(path):1:69: expected \"human\" to be 'pass', 'fail', 'skip' or null, found 'yes'\n"
        )
        #expect(outcome.stdout.isEmpty)
        let missing = try CLITests.run(["agreement", folder + "/none.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot open the labelling file: No such file or directory"))
        let none = try CLITests.run(["agreement"])
        #expect(none.status == 2)
    }
}

/// `evalgate gate` on runs whose verdicts rest on a judge: exit 3 until people checked it, 0 once they did.
@Suite struct GateJudgesCommandTests {
    static func log(_ label: String, in folder: String, judgeModel: String? = nil) throws -> String {
        let judges =
            judgeModel.map {
                #","judges":[{"label":"j","model":"\#($0)","base_url":"http://127.0.0.1:1/v1","rubrics":[{"name":"answers_question","hash":"1a2b3c4d5e6f"}]}]"#
            } ?? ""
        var lines = [
            #"{"record":"manifest","format":1,"run_id":"r-\#(label)","tool":"evalgate","tool_version":"0.1.0"\#(judges),"#
                + #""target":{"label":"\#(label)","model":"m","base_url":"http://127.0.0.1:1/v1","params":{}},"#
                + #""suites":[{"name":"eval","kind":"eval","content_hash":"eh","case_count":20,"path":"EvalSets/eval"}],"#
                + #""scorer_version":"s1","repeats":1,"started_at":"2026-12-04T12:00:00Z"}"#
        ]
        for index in 1...20 {
            lines.append(
                #"{"record":"result","suite":"eval","kind":"eval","case":"e\#(index)","case_hash":"h\#(index)","repeat":0,"tags":[],"#
                    + #""finished_at":"2026-12-04T12:00:01Z","status":"passed","checks":[{"type":"judge","passed":true,"#
                    + #""judge":{"target":"j","model":"gpt-4o","rubric":"answers_question","rubric_hash":"1a2b3c4d5e6f","raw":["{\"verdict\":\"pass\"}"],"votes":["pass"],"latency_ms":3,"cached":false}}],"#
                    + #""response":{"content":"ok","latency_ms":10,"attempts":1,"cached":false}}"#)
        }
        let path = folder + "/\(label).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func gateExitsThreeUntilTheJudgeIsCheckedByHand() throws {
        let folder = try ReportingCommandTests.folder()
        let base = try Self.log("v1", in: folder)
        let candidate = try Self.log("v2", in: folder)
        let unchecked = try CLITests.run(["gate", base, candidate])
        #expect(unchecked.status == 3, "\(unchecked.stdout)\(unchecked.stderr)")
        #expect(unchecked.stdout.contains("[judges.agreement] 1 judge not checked by hand enough to trust"))
        #expect(unchecked.stdout.contains("judge (gpt-4o rubric:1a2b3c4d): 0 labels, at least 50 needed"))

        // 50 labels, 45 agreeing: κ = (0.9 − 0.5)/0.5 = 0.8.
        var lines: [String] = []
        for index in 0..<50 {
            let check = index % 2 == 0 ? "pass" : "fail"
            let human = index < 5 ? (check == "pass" ? "fail" : "pass") : check
            lines.append(
                #"{"log":"\#(candidate)","suite":"eval","case":"e\#(index)","repeat":0,"rule":"judge","judge":"gpt-4o rubric:1a2b3c4d","check":"\#(check)","human":"\#(human)"}"#
            )
        }
        let labels = folder + "/labels.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: labels, atomically: true, encoding: .utf8)
        let checked = try CLITests.run(["gate", base, candidate, "--labels", labels])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.hasPrefix("evalgate gate: PASS"))

        let policy = folder + "/gate.yaml"
        try "judges:\n  min_kappa: 0.9\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let strict = try CLITests.run(["gate", base, candidate, "--labels", labels, "--policy", policy])
        #expect(strict.status == 3)
        #expect(strict.stdout.contains("kappa 0.800 on 50 labels, at least 0.900 needed"))
    }

    @Test func runsJudgedByDifferentJudgesAreRefusedUnlessAllowed() throws {
        let folder = try ReportingCommandTests.folder()
        let base = try Self.log("v1", in: folder, judgeModel: "gpt-4o")
        let candidate = try Self.log("v2", in: folder, judgeModel: "gpt-4o-mini")
        for command in ["diff", "gate"] {
            let refused = try CLITests.run([command, base, candidate])
            #expect(refused.status == 2, "\(command): \(refused.stderr)")
            #expect(
                refused.stderr.contains(
                    "judges: gpt-4o rubric:1a2b3c4d in the baseline, gpt-4o-mini rubric:1a2b3c4d in the candidate"),
                "\(refused.stderr)")
        }
        let allowed = try CLITests.run(["diff", base, candidate, "--allow-differences", "judges"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let same = try CLITests.run(["diff", base, try Self.log("v3", in: folder, judgeModel: "gpt-4o")])
        #expect(same.status == 0, "\(same.stderr)")
    }
}
