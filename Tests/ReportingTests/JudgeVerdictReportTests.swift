import EvalCore
import Foundation
import Reporting
import Testing

@Suite("Reports show every judge verdict, passed ones too, with the judge, score, reason and quote")
struct JudgeVerdictReportTests {
    static let answerPass = "Your order ships on Monday."
    static let answerFail = "Call me at +7 916 123-45-67, ok?"

    static func judge(quote: String?, reason: String, score: Double? = nil, votes: [String]) -> JudgeRecord {
        JudgeRecord(
            target: "strict", model: "gpt-4o", rubric: "answers_question", rubricHash: "1a2b3c4d5e6f",
            settingsHash: "99887766aa",
            raw: [], votes: votes, reason: reason, score: score, quote: quote)
    }

    static func result(
        _ id: String, kind: SuiteKind = .eval, status: CaseResult.Status, answer: String, checks: [CheckRecord],
        error: ErrorRecord? = nil
    ) -> CaseResult {
        CaseResult(
            suite: kind == .golden ? "golden" : "support", kind: kind, caseID: id, caseHash: "h", repeatIndex: 0,
            tags: [],
            status: status, checks: checks, response: ResponseRecord(content: answer, latencyMs: 1, attempts: 1),
            error: error,
            finishedAt: "2026-12-04T12:00:00Z")
    }

    static func index() -> RunIndex {
        let phone = "+7 916 123-45-67"
        let results = [
            result(
                "passed", status: .passed, answer: answerPass,
                checks: [
                    CheckRecord(
                        type: "judge", passed: true,
                        judge: judge(
                            quote: "ships on Monday", reason: "gives the date", score: 4.5,
                            votes: ["pass", "pass", "fail"]))
                ]),
            result(
                "failed", kind: .golden, status: .failed, answer: answerFail,
                checks: [
                    CheckRecord(
                        type: "pii", passed: false,
                        findings: [
                            Finding(
                                ruleID: "pii.phone", message: "phone '\(phone)'", span: TextSpan(start: 11, end: 31),
                                text: phone)
                        ]),
                    CheckRecord(
                        type: "judge", passed: false,
                        findings: [
                            Finding(
                                ruleID: "judge.answers_question", message: "judge: evades",
                                span: TextSpan(start: 0, end: 31), text: "Call me at \(phone)")
                        ],
                        judge: judge(
                            quote: "Call me at \(phone)", reason: "asks to call \(phone) instead of answering",
                            votes: ["fail"])),
                ]),
            result(
                "undecided", status: .error, answer: answerPass,
                checks: [
                    CheckRecord(
                        type: "judge", passed: false,
                        judge: JudgeRecord(
                            target: "strict", model: "gpt-4o", rubric: "answers_question", rubricHash: "1a2b3c4d5e6f",
                            votes: ["error"]))
                ], error: ErrorRecord(errorClass: "judge_invalid", message: "judge 'strict': not JSON", attempts: 1)),
            result(
                "nojudge", status: .passed, answer: answerPass, checks: [CheckRecord(type: "contains", passed: true)]),
        ]
        return RunIndex.make(manifest: Fixtures.manifest(label: "v1"), results: results)
    }

    @Test("the JSON report lists each judged case with every verdict; personal data stays masked")
    func json() throws {
        let summary = RunSummary.make(Self.index())
        let judged = try #require(summary.judgeVerdicts)
        #expect(
            judged.map(\.caseID) == ["failed", "passed", "undecided"],
            "golden first, then by case; the case without a judge is not listed")
        let passed = try #require(judged.first { $0.caseID == "passed" }?.judges.first)
        #expect(passed.outcome == .pass && passed.score == 4.5 && passed.votes == ["pass", "pass", "fail"])
        #expect(
            passed.model == "gpt-4o" && passed.judge == "strict"
                && passed.identity == "gpt-4o rubric:1a2b3c4d settings:99887766")
        #expect(passed.evidence.message == "gives the date" && passed.evidence.text == "ships on Monday")
        #expect(passed.evidence.rule == "judge.answers_question")
        #expect(passed.evidence.span == TextSpan(start: 11, end: 26), "the quote of a pass is found in the answer")
        let failed = try #require(judged.first { $0.caseID == "failed" }?.judges.first)
        #expect(failed.outcome == .fail && failed.evidence.span == TextSpan(start: 0, end: 31))
        #expect(
            !failed.evidence.message.contains("916") && !(failed.evidence.text ?? "916").contains("916"),
            "\(failed.evidence)")
        #expect(judged.first { $0.caseID == "undecided" }?.judges.first?.outcome == .error)
        let data = Data(JSONRenderer().render(summary).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(object["judge_verdicts"] as? [[String: Any]])
        let first = try #require(
            (list.first { $0["case"] as? String == "passed" }?["judges"] as? [[String: Any]])?.first)
        #expect(
            first["verdict"] as? String == "pass" && first["model"] as? String == "gpt-4o"
                && first["score"] as? Double == 4.5)
        #expect((first["evidence"] as? [String: Any])?["message"] as? String == "gives the date")
        #expect(!String(decoding: data, as: UTF8.self).contains("123-45-67"))
        // With --show-pii the judge's quote shows the phone as written.
        let shown = try #require(RunSummary.make(Self.index(), options: ReportOptions(showPII: true)).judgeVerdicts)
        #expect(shown.first?.judges.first?.evidence.text == "Call me at +7 916 123-45-67")
    }

    @Test("a run without judges has no judge_verdicts at all")
    func none() throws {
        let summary = RunSummary.make(try Fixtures.index("v1"))
        #expect(summary.judgeVerdicts == nil)
        #expect(!JSONRenderer().render(summary).contains("judge_verdicts"))
        #expect(!MarkdownRenderer().render(summary).contains("Judge verdicts"))
    }

    @Test("the Markdown report has a row per judge verdict with its judge, verdict, reason and quote")
    func markdown() {
        let text = MarkdownRenderer().render(RunSummary.make(Self.index()))
        #expect(text.contains("<details open><summary>Judge verdicts (3 verdicts on 3 cases)</summary>"), "\(text)")
        #expect(
            text.contains(
                "| `passed` | support (eval) | strict · `gpt-4o rubric:1a2b3c4d settings:99887766` · `answers_question` | **pass** (score 4.5) votes pass/pass/fail | gives the date — quote `ships on Monday` |"
            ), "\(text)")
        #expect(
            text.contains(
                "| `undecided` | support (eval) | strict · `gpt-4o rubric:1a2b3c4d` · `answers_question` | **error** | the judge could not decide |"
            ), "\(text)")
        #expect(!text.contains("123-45-67"))
    }
}
