import EvalCore
import Foundation
import Reporting
import Testing

@Suite("Agreement: Cohen's kappa, Gwet's AC1, precision and recall of a check against people")
struct AgreementTests {
    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 5e-4) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    /// Counts in the order (check fail & person fail, check fail & person pass, check pass & person fail, both pass).
    static func matrix(_ counts: (Int, Int, Int, Int)) -> ConfusionMatrix {
        ConfusionMatrix(
            bothFail: counts.0, checkFailHumanPass: counts.1, checkPassHumanFail: counts.2, bothPass: counts.3)
    }

    @Test(
        "kappa and AC1 match hand-computed values",
        arguments: [
            // Wikipedia's "Cohen's kappa" worked example: 20/5/10/15. p_o = 35/50 = 0.7; the check fails 25/50, the person
            // 30/50: p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.2/0.5 = 0.4. AC1: π = 0.55, p_e = 2·0.55·0.45 = 0.495,
            // AC1 = 0.205/0.505 = 0.40594.
            ((20, 5, 10, 15), 0.4, 0.40594),
            // Wikipedia's second pair: 45/15/25/15 → κ = (0.6 − 0.54)/0.46 = 0.13043; AC1: π = 0.65, p_e = 0.455,
            // AC1 = 0.145/0.545 = 0.26606.
            ((45, 15, 25, 15), 0.13043, 0.26606),
            // 25/35/5/35 → p_e = 0.6·0.3 + 0.4·0.7 = 0.46, κ = 0.14/0.54 = 0.25926; π = 0.45, p_e = 0.495,
            // AC1 = 0.105/0.505 = 0.20792.
            ((25, 35, 5, 35), 0.25926, 0.20792),
            // The kappa paradox: 91 of 100 agree, but "fail" is rare. p_e = 0.05·0.06 + 0.95·0.94 = 0.896,
            // κ = 0.014/0.104 = 0.13462; π = 0.055, p_e = 0.10395, AC1 = 0.80605/0.89605 = 0.89956.
            ((1, 4, 5, 90), 0.13462, 0.89956),
            // Complete disagreement with balanced verdicts: κ = AC1 = (0 − 0.5)/0.5 = −1.
            ((0, 5, 5, 0), -1, -1),
        ] as [((Int, Int, Int, Int), Double, Double)]
    )
    func coefficients(counts: (Int, Int, Int, Int), kappa: Double, ac1: Double) {
        let matrix = Self.matrix(counts)
        #expect(close(matrix.cohensKappa, kappa), "kappa \(String(describing: matrix.cohensKappa))")
        #expect(close(matrix.gwetsAC1, ac1), "AC1 \(String(describing: matrix.gwetsAC1))")
    }

    @Test(
        "kappa is undefined when both give one verdict to everything; AC1 is 1 then, and nothing is known of no labels")
    func degenerate() {
        let allPass = Self.matrix((0, 0, 0, 12))
        #expect(allPass.cohensKappa == nil)
        #expect(allPass.gwetsAC1 == 1)
        #expect(allPass.precision == nil, "the check failed nothing: no precision")
        #expect(allPass.recall == nil, "the person failed nothing: no recall")
        let empty = ConfusionMatrix()
        #expect(empty.cohensKappa == nil && empty.gwetsAC1 == nil && empty.observedAgreement == nil)
    }

    @Test("precision and recall treat fail as positive, with Wilson intervals")
    func precisionAndRecall() throws {
        let matrix = Self.matrix((20, 5, 10, 15))
        let precision = try #require(matrix.precision)
        #expect(precision.successes == 20 && precision.trials == 25)
        #expect(close(precision.value, 0.8, 1e-12))
        // Wilson 20/25: center = (0.8 + 0.076829)/1.153658 = 0.760043, half = 1.698905·√(0.0064 + 0.0015366) = 0.151353.
        #expect(
            close(precision.interval.lower, 0.6087) && close(precision.interval.upper, 0.9114), "\(precision.interval)")
        let recall = try #require(matrix.recall)
        #expect(recall.successes == 20 && recall.trials == 30)
        #expect(close(recall.value, 2.0 / 3, 1e-12))
    }

    static func record(
        _ caseID: String, rule: String = "promises", check: Verdict, human: HumanVerdict?,
        log: String = "runs/v1.jsonl",
        judge: String? = nil, evidence: [Finding] = []
    ) -> LabelRecord {
        LabelRecord(
            log: log, suite: "support", caseID: caseID, repeatIndex: 0, rule: rule, judge: judge, check: check,
            human: human, evidence: evidence)
    }

    /// The 20/5/10/15 table as label records.
    static func wikipediaRecords(rule: String = "promises") -> [LabelRecord] {
        var records: [LabelRecord] = []
        for (count, check, human) in [
            (20, Verdict.fail, HumanVerdict.fail), (5, .fail, .pass), (10, .pass, .fail), (15, .pass, .pass),
        ] {
            for _ in 0..<count { records.append(record("c\(records.count)", rule: rule, check: check, human: human)) }
        }
        return records
    }

    @Test("the report groups by rule and judge, counts skipped and unlabelled apart, lists disagreements")
    func report() throws {
        var records = Self.wikipediaRecords()
        records.append(Self.record("s1", check: .fail, human: .skip))
        records.append(Self.record("u1", check: .fail, human: nil))
        records.append(Self.record("j1", rule: "judge", check: .pass, human: .fail, judge: "gpt-4o rubric:aa"))
        records.append(Self.record("j2", rule: "judge", check: .pass, human: .pass, judge: "gpt-4o rubric:bb"))
        let report = AgreementReport.make(files: ["a.jsonl"], records: records)
        #expect(report.labelled == 52 && report.skipped == 1 && report.unlabelled == 1)
        #expect(report.rules.map(\.name) == ["judge (gpt-4o rubric:aa)", "judge (gpt-4o rubric:bb)", "promises"])
        let promises = try #require(report.agreement(rule: "promises"))
        #expect(promises.labels == 50)
        #expect(close(promises.kappa, 0.4, 1e-9))
        #expect(promises.disagreements.count == 15)
        #expect(promises.disagreements.allSatisfy { $0.check != $0.human })
        #expect(report.warnings.contains { $0.hasPrefix("judge (gpt-4o rubric:aa): only 1 label;") })
        #expect(!report.warnings.contains { $0.hasPrefix("promises") }, "50 labels are enough")
    }

    @Test(
        "a later file's label replaces an earlier one, and a changed verdict is named; an unlabelled later copy keeps the label"
    )
    func laterFilesWin() throws {
        let first = [Self.record("c1", check: .fail, human: .pass), Self.record("c2", check: .fail, human: .fail)]
        let second = [Self.record("c1", check: .fail, human: .fail), Self.record("c2", check: .fail, human: nil)]
        let report = AgreementReport.make(files: ["a", "b"], records: first + second)
        let rule = try #require(report.agreement(rule: "promises"))
        #expect(rule.confusion == ConfusionMatrix(bothFail: 2))
        #expect(
            report.warnings.first?.hasPrefix(
                "1 verdict was labelled differently in two files (first: support/c1#0 promises)") == true)
        #expect(report.unlabelled == 0)
    }

    @Test("personal data in a disagreement's evidence is masked unless asked; secrets always")
    func masking() throws {
        let phone = Finding(
            ruleID: "pii.phone", message: "discloses a phone number '+79161234567'", span: TextSpan(start: 0, end: 12),
            text: "+79161234567")
        let key = Finding(
            ruleID: "pii.secret.openai", message: "discloses a secret 'sk-proj-abcdefghijklmnop'",
            text: "sk-proj-abcdefghijklmnop")
        let records = [Self.record("c1", rule: "pii", check: .fail, human: .pass, evidence: [phone, key])]
        let masked = try #require(AgreementReport.make(files: [], records: records).agreement(rule: "pii"))
        #expect(masked.disagreements[0].evidence[0].text == "+7••••••••67")
        #expect(!masked.disagreements[0].evidence[0].message.contains("+79161234567"))
        let shown = try #require(
            AgreementReport.make(files: [], records: records, showPII: true).agreement(rule: "pii"))
        #expect(shown.disagreements[0].evidence[0].text == "+79161234567")
        #expect(shown.disagreements[0].evidence[1].text?.contains("abcdefghijklmnop") == false)

        // With the answer in the labelling file, the span is placed and quoted around, masked the same way.
        var answered = records[0]
        answered.answer = "+79161234567 — мой номер, ключ sk-proj-abcdefghijklmnop."
        let placed = try #require(AgreementReport.make(files: [], records: [answered]).agreement(rule: "pii"))
        #expect(placed.disagreements[0].evidence[0].location == "1:1")
        let excerpt = try #require(placed.disagreements[0].evidence[0].excerpt)
        #expect(excerpt.line() == "⟦+7••••••••67⟧ — мой номер, ключ sk-p••••••••.")
        #expect(masked.disagreements[0].evidence[0].location == "bytes 0–12", "without the answer, the offsets")
    }

    @Test("JSON has kappa for every rule where it is defined; the summary line and Markdown say the numbers")
    func renderers() throws {
        let records = Self.wikipediaRecords() + [Self.record("p1", rule: "pii", check: .pass, human: .pass)]
        let report = AgreementReport.make(files: ["labels.jsonl"], records: records)
        let json = JSONRenderer().render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "evalgate.agreement/1")
        let rules = try #require(object["rules"] as? [[String: Any]])
        #expect(rules.map { $0["rule"] as? String } == ["pii", "promises"])
        #expect(rules[0]["kappa"] == nil, "undefined: absent, as every optional field of the report formats")
        #expect(rules[0]["ac1"] as? Double == 1)
        #expect(close(rules[1]["kappa"] as? Double, 0.4, 1e-9))
        #expect(close(rules[1]["ac1"] as? Double, 0.40594))
        #expect((rules[1]["confusion"] as? [String: Int])?["check_fail_human_pass"] == 5)
        #expect(
            AgreementFormat.summaryLine(report)
                == "agreement: pii n=1 kappa=— AC1=1.000; promises n=50 kappa=0.400 AC1=0.406\n")
        let markdown = MarkdownRenderer().render(report)
        #expect(
            markdown.contains(
                "| `promises` | — | 50 | 70.0% | 0.400 | 0.406 | 80.0% (60.9–91.1%) | 66.7% (48.8–80.8%) | 20 | 5 | 10 | 15 |"
            ))
        #expect(markdown.contains("<details><summary>Disagreements: promises (15)</summary>"))
    }
}
