import EvalCore
import Foundation
import Reporting
import Testing

/// A check's notes (why a promise-looking phrase passed) travel from the run log into a report's evidence, after the
/// findings, and never count as findings.
@Suite struct CheckNotesTests {
    static func result(id: String, checks: [CheckRecord]) -> CaseResult {
        CaseResult(
            suite: "support-eval", kind: .eval, caseID: id, caseHash: "h-\(id)", repeatIndex: 0, tags: [],
            status: checks.allSatisfy(\.passed) ? .passed : .failed, checks: checks,
            response: ResponseRecord(content: "ok", finishReason: "stop", model: "m", latencyMs: 100, attempts: 1),
            finishedAt: "2026-11-26T12:01:00Z")
    }

    static let note = Finding(
        ruleID: "promise.deadline.by_date", message: "not a promise (negated): 'к пятнице'",
        span: TextSpan(start: 30, end: 46),
        text: "к пятнице")

    @Test func aFailedCaseQuotesTheNotesOfItsAnswerAfterTheFindings() throws {
        let failing = Self.result(
            id: "e1",
            checks: [
                CheckRecord(
                    type: "not-contains", passed: false,
                    findings: [Finding(ruleID: "content.not_contains", message: "contains 'x'")]),
                CheckRecord(type: "promises", passed: true, notes: [Self.note]),
            ])
        let passing = Self.result(id: "e2", checks: [CheckRecord(type: "promises", passed: true, notes: [Self.note])])
        let directory = Fixtures.temporaryDirectory()
        let path = try Fixtures.write("v1", results: [failing, passing], in: directory)
        let index = try RunIndex.load(path: path)
        let cases = Dictionary(uniqueKeysWithValues: index.cases.map { ($0.caseID, $0) })
        #expect(cases["e1"]?.evidence.map(\.message) == ["contains 'x'", "not a promise (negated): 'к пятнице'"])
        #expect(cases["e1"]?.failingRules == ["content.not_contains"])
        // A note is not a risk: the diff compares findings only.
        #expect(cases["e1"]?.risks.isEmpty == true && cases["e2"]?.risks.isEmpty == true)
        let markdown = MarkdownRenderer().render(RunSummary.make(index))
        #expect(markdown.contains("not a promise (negated): 'к пятнице'"))
    }
}
