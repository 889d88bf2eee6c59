import EvalCore
import Foundation
import Reporting
import Testing

@Suite("Gate: a verdict resting on a judge needs enough labels and agreement (judges.agreement, exit 3)")
struct JudgeTrustTests {
    static let use = JudgeUse(rule: "judge", judge: "gpt-4o rubric:1a2b3c4d")

    /// `count` labels of the judge: the 20/5/10/15 table (κ = 0.4) repeated.
    static func agreement(tables: Int) -> AgreementReport {
        var records: [LabelRecord] = []
        for table in 0..<tables {
            for (count, check, human) in [
                (20, Verdict.fail, HumanVerdict.fail), (5, .fail, .pass), (10, .pass, .fail), (15, .pass, .pass),
            ] {
                for index in 0..<count {
                    records.append(
                        LabelRecord(
                            log: "l", suite: "s", caseID: "t\(table)-\(check)-\(human)-\(index)", repeatIndex: 0,
                            rule: "judge",
                            judge: use.judge, check: check, human: human))
                }
            }
        }
        return AgreementReport.make(files: ["labels.jsonl"], records: records)
    }

    @Test("without labels, with too few, or with too low a kappa the rule fails as missing evidence")
    func untrusted() {
        let none = JudgeTrust.check(uses: [Self.use], agreement: nil, policy: .default)
        #expect(!none.passed && none.infrastructure && none.code == "judges.agreement")
        #expect(none.cases == ["judge (gpt-4o rubric:1a2b3c4d): 0 labels, at least 50 needed"])
        var policy = GatePolicy()
        policy.judgesMinLabels = 60
        let few = JudgeTrust.check(uses: [Self.use], agreement: Self.agreement(tables: 1), policy: policy)
        #expect(few.cases == ["judge (gpt-4o rubric:1a2b3c4d): 50 labels, at least 60 needed"])
        let low = JudgeTrust.check(uses: [Self.use], agreement: Self.agreement(tables: 1), policy: .default)
        #expect(!low.passed)
        #expect(low.cases == ["judge (gpt-4o rubric:1a2b3c4d): kappa 0.400 on 50 labels, at least 0.600 needed"])
        // Labels of another judge (another rubric) do not count for this one.
        let other = JudgeTrust.check(
            uses: [JudgeUse(rule: "judge", judge: "gpt-4o rubric:ffffffff")], agreement: Self.agreement(tables: 2),
            policy: .default)
        #expect(other.cases == ["judge (gpt-4o rubric:ffffffff): 0 labels, at least 50 needed"])
    }

    @Test("enough labels and agreement pass; no judge at all passes")
    func trusted() {
        var policy = GatePolicy()
        policy.judgesMinKappa = 0.4
        let ok = JudgeTrust.check(uses: [Self.use], agreement: Self.agreement(tables: 2), policy: policy)
        #expect(ok.passed)
        #expect(
            ok.message == "every judge agrees with people: judge (gpt-4o rubric:1a2b3c4d) kappa 0.400 on 100 labels")
        #expect(JudgeTrust.check(uses: [], agreement: nil, policy: .default).passed)
    }

    @Test("an untrusted judge alone makes the gate an error (exit 3); a regression beside it still fails (exit 1)")
    func exitCodes() throws {
        let diff = try RunDiff.make(base: Fixtures.index("v1"), candidate: Fixtures.index("v2"), options: DiffOptions())
        // v1 against v2 fails on quality; keep only the rules that passed, to see the judge rule alone.
        var result = Gate.evaluate(diff)
        #expect(result.exitCode == 1)
        result.checks.removeAll { !$0.passed }
        #expect(result.exitCode == 0)
        result.checks.append(JudgeTrust.check(uses: [Self.use], agreement: nil, policy: .default))
        #expect(result.verdict == .error && result.exitCode == 3)
        #expect(result.text().contains("[judges.agreement] 1 judge not checked by hand enough to trust"))
        result.checks.append(GateCheck(code: "golden.regression", passed: false, message: "1 golden case regressed"))
        #expect(result.exitCode == 1, "a proven regression wins over missing evidence")
    }

    @Test("the policy's judges section is read, and its mistakes are located")
    func policy() {
        let (read, problems) = GatePolicy.parse("judges:\n  min_labels: 30\n  min_kappa: 0.7\n", path: "gate.yaml")
        #expect(problems.isEmpty)
        #expect(read?.judgesMinLabels == 30 && read?.judgesMinKappa == 0.7)
        let (bad, diagnostics) = GatePolicy.parse("judges:\n  min_labels: 0\n  min_kapa: 0.7\n", path: "gate.yaml")
        #expect(bad == nil)
        let messages = diagnostics.map(\.description)
        #expect(
            messages.contains {
                $0.hasPrefix("gate.yaml:2:")
                    && $0.contains(#""judges.min_labels" expected a whole number from 1 to 1000000, found 0"#)
            })
        #expect(
            messages.contains {
                $0.hasPrefix("gate.yaml:3:")
                    && $0.contains(#"unknown field "judges.min_kapa"; did you mean 'min_kappa'?"#)
            })
        // The judge rule cannot be made a warning: a verdict resting on an unchecked judge never exits 0.
        let (warned, levelProblems) = GatePolicy.parse("levels:\n  judges.agreement: warn\n", path: "gate.yaml")
        #expect(warned == nil && !levelProblems.isEmpty)
    }

    @Test("the judges of a log are found on the lines that hold a judge's record")
    func usesInALog() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-judgeuse-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/v1.jsonl"
        let judge = JudgeRecord(
            target: "j", model: "gpt-4o", rubric: "tone", rubricHash: "1a2b3c4d5e6f", raw: [#"{"verdict":"pass"}"#],
            votes: ["pass"])
        let results = [
            CaseResult(
                suite: "support-eval", kind: .eval, caseID: "e1", caseHash: "h", repeatIndex: 0, tags: [],
                status: .passed,
                checks: [
                    CheckRecord(type: "pii", passed: true), CheckRecord(type: "judge", passed: true, judge: judge),
                ],
                response: ResponseRecord(content: "ok", latencyMs: 1, attempts: 1), finishedAt: "2026-12-04T12:00:00Z"),
            CaseResult(
                suite: "support-eval", kind: .eval, caseID: "e2", caseHash: "h", repeatIndex: 0, tags: [],
                status: .passed,
                checks: [CheckRecord(type: "pii", passed: true)],
                response: ResponseRecord(content: "ok", latencyMs: 1, attempts: 1), finishedAt: "2026-12-04T12:00:00Z"),
        ]
        let writer = try RunLogWriter(path: path)
        try writer.append(.manifest(Fixtures.manifest(label: "v1")))
        for result in results { try writer.append(.result(result)) }
        writer.close()
        #expect(try JudgeTrust.uses(inLog: path) == [Self.use])
        // The report reads the same verdicts whether or not a line holds a judge's record.
        let index = try RunIndex.load(path: path)
        #expect(index.cases.map(\.verdict) == [.passed, .passed])
        let log = try RunLogReader(path: path).results().results
        #expect(log[0].checks[1].judge == judge)
    }

    @Test("runs are comparable only when the same judges (model and rubric) judged both, or none judged either")
    func differentJudges() {
        func manifest(_ label: String, _ judges: [JudgeReference]?) -> RunManifest {
            var manifest = Fixtures.manifest(label: label)
            manifest.judges = judges
            return manifest
        }
        let strict = JudgeReference(
            label: "j", model: "gpt-4o", baseURL: "http://x/v1", rubrics: [.init(name: "tone", hash: "aaaaaaaa11")])
        var otherRubric = strict
        otherRubric.rubrics = [.init(name: "tone", hash: "bbbbbbbb22")]
        var relabelled = strict
        relabelled.label = "renamed"
        #expect(ManifestDifference.between(manifest("v1", nil), manifest("v2", nil)).isEmpty)
        #expect(
            ManifestDifference.between(manifest("v1", [strict]), manifest("v2", [relabelled])).isEmpty,
            "a label is not a judge")
        #expect(
            ManifestDifference.between(manifest("v1", [strict]), manifest("v2", [otherRubric]))
                == [
                    ManifestDifference(
                        kind: .judges, field: "judges", base: "gpt-4o rubric:aaaaaaaa",
                        candidate: "gpt-4o rubric:bbbbbbbb")
                ])
        #expect(
            ManifestDifference.between(manifest("v1", nil), manifest("v2", [strict]))
                == [ManifestDifference(kind: .judges, field: "judges", base: nil, candidate: "gpt-4o rubric:aaaaaaaa")])
    }

    @Test(
        "the same judge model and rubric asked with other settings (temperature, samples…) is another judge, named with them"
    )
    func differentJudgeSettings() throws {
        func manifest(_ label: String, _ settings: [String: JSONValue]?) -> RunManifest {
            var manifest = Fixtures.manifest(label: label)
            manifest.judges = [
                JudgeReference(
                    label: "j", model: "gpt-4o", baseURL: "http://x/v1",
                    rubrics: [.init(name: "tone", hash: "aaaaaaaa11", settings: settings)])
            ]
            return manifest
        }
        let cold: [String: JSONValue] = ["params": ["temperature": 0]]
        let warm: [String: JSONValue] = ["params": ["temperature": 0.7], "samples": 3]
        #expect(ManifestDifference.between(manifest("v1", cold), manifest("v2", cold)).isEmpty)
        #expect(
            ManifestDifference.between(manifest("v1", nil), manifest("v2", [:])).isEmpty,
            "no settings are the defaults, as in old logs")
        let coldHash = try #require(JudgeSettings.hash(cold)).prefix(8)
        let warmHash = try #require(JudgeSettings.hash(warm)).prefix(8)
        #expect(
            ManifestDifference.between(manifest("v1", cold), manifest("v2", warm)) == [
                ManifestDifference(
                    kind: .judges, field: "judges",
                    base: #"gpt-4o rubric:aaaaaaaa settings:\#(coldHash) {"params":{"temperature":0}}"#,
                    candidate:
                        #"gpt-4o rubric:aaaaaaaa settings:\#(warmHash) {"params":{"temperature":0.7},"samples":3}"#)
            ])
        // A log written before settings were recorded against one whose judge has settings: they differ.
        #expect(ManifestDifference.between(manifest("v1", nil), manifest("v2", cold)).map(\.kind) == [.judges])
        // Labels name the judge as the gate finds it in the log: with its settings.
        let record = JudgeRecord(
            target: "j", model: "gpt-4o", rubric: "tone", rubricHash: "aaaaaaaa11",
            settingsHash: JudgeSettings.hash(cold))
        #expect(record.identity == "gpt-4o rubric:aaaaaaaa settings:\(coldHash)")
        #expect(manifest("v1", cold).judges?.first?.identities == [record.identity])
    }
}
