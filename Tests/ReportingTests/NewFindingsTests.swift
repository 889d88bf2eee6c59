import EvalCore
import Foundation
import Reporting
import Testing

/// A finding is "new" only against a baseline answer to the same case.
@Suite("New findings need a baseline answer to compare with")
struct NewFindingsTests {
    func diff(base: [CaseResult]) throws -> RunDiff {
        let baseIndex = RunIndex.make(manifest: Fixtures.manifest(label: "v1"), results: base)
        let candidate = RunIndex.make(manifest: Fixtures.manifest(label: "v3"), results: Fixtures.results("v3"))
        return try RunDiff.make(base: baseIndex, candidate: candidate)
    }

    @Test("a promise the baseline's answer did not have is new")
    func answeredBaseline() throws {
        let result = try diff(base: Fixtures.results("v1"))
        #expect(result.newFindings.map(\.caseID) == ["e3"])
    }

    @Test("against a baseline that errored on the case, or never ran it, nothing is called new")
    func noBaselineAnswer() throws {
        var errored = Fixtures.results("v1")
        for index in errored.indices where errored[index].caseID == "e3" {
            errored[index].status = .error
            errored[index].checks = []
            errored[index].response = nil
            errored[index].error = ErrorRecord(errorClass: "http_500", message: "HTTP 500", status: 500, attempts: 3)
        }
        #expect(try diff(base: errored).newFindings.isEmpty)
        let missing = Fixtures.results("v1").filter { $0.caseID != "e3" }
        let result = try diff(base: missing)
        #expect(result.newFindings.isEmpty)
        #expect(result.missing.map(\.caseID) == ["e3"], "the case is listed as missing instead")
    }
}

@Suite("Gate policy: empty sections")
struct GatePolicyEmptySectionTests {
    @Test("a section left empty keeps its defaults")
    func emptySection() {
        let (policy, diagnostics) = GatePolicy.parse(
            "version: 1\neval:\ngolden:\n  max_regressions: 2\n", path: "gate.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(policy?.evalMinPassRate == 0.8)
        #expect(policy?.goldenMaxRegressions == 2)
    }
}

/// "New" by meaning: a rule none of the baseline's answers to the case had, whatever text it matched.
@Suite("New findings by rule, with the share of repeats")
struct NewFindingsByRuleTests {
    /// One golden case answered `findings.count` times: each repeat's findings (empty: the answer passed).
    func run(_ label: String, _ findings: [[Finding]], kind: SuiteKind = .golden, id: String = "c1") -> RunIndex {
        let manifest = RunManifest(
            runID: "r-\(label)", toolVersion: "t", target: RunTarget(label: label, model: "m", baseURL: "http://x"),
            suites: [SuiteReference(name: "s", kind: kind, contentHash: "h", caseCount: 1, path: "s")],
            scorerVersion: "s", repeats: findings.count, startedAt: "2026-01-01T00:00:00Z")
        let results = findings.enumerated().map { index, found in
            CaseResult(
                suite: "s", kind: kind, caseID: id, caseHash: "h1", repeatIndex: index, tags: [],
                status: found.isEmpty ? .passed : .failed,
                checks: [CheckRecord(type: "promises", passed: found.isEmpty, findings: found)],
                response: ResponseRecord(content: "", latencyMs: 1, attempts: 1), finishedAt: "t")
        }
        return RunIndex.make(manifest: manifest, results: results)
    }

    func promise(_ text: String, rule: String = "promise.fee.fixed") -> Finding {
        Finding(
            ruleID: rule, message: "promises a fee '\(text)'", span: TextSpan(start: 0, end: text.utf8.count),
            text: text)
    }

    @Test("another wording or number of the same promise is not new")
    func sameRuleOtherText() throws {
        let diff = try RunDiff.make(
            base: run("v1", [[promise("fee is 1.5%")]]), candidate: run("v2", [[promise("fee is 2.5%")]]))
        #expect(diff.newFindings.isEmpty)
        let phone = Finding(ruleID: "pii.phone", message: "phone", text: "+79160000001")
        let otherPhone = Finding(ruleID: "pii.phone", message: "phone", text: "+79160000002")
        #expect(try RunDiff.make(base: run("v1", [[phone]]), candidate: run("v2", [[otherPhone]])).newFindings.isEmpty)
    }

    @Test("a rule no repeat of the baseline had is new, with the share of the candidate's repeats that had it")
    func newRuleWithShare() throws {
        let base = run("v1", [[], [promise("fee is 1.5%")], []])
        let candidate = run(
            "v2",
            [
                [promise("fee is 3%")], [promise("only today", rule: "promise.discount")],
                [promise("only today", rule: "promise.discount")],
            ])
        let diff = try RunDiff.make(base: base, candidate: candidate)
        #expect(
            diff.newFindings.map(\.rule) == ["promise.discount"],
            "promise.fee.fixed was in one of the baseline's answers")
        let finding = try #require(diff.newFindings.first)
        #expect(finding.repeats == 2 && finding.answeredRepeats == 3 && finding.baseAnsweredRepeats == 3)
        #expect(finding.evidence.repeatIndex == 1 && finding.evidence.text == "only today")
        let json = JSONRenderer().render(diff)
        #expect(json.contains(#""share" : 0.666667"#), "\(json)")
        let text = Gate.evaluate(diff).text()
        #expect(
            text.contains("s/c1: promise.discount 'only today' (in 2 of 3 answers; in none of the baseline's 3)"),
            "\(text)")
    }

    @Test("a baseline's unchecked answer is no evidence either way")
    func uncheckedBaseline() throws {
        var base = run("v1", [[]])
        base = RunIndex.make(
            manifest: base.manifest,
            results: [
                CaseResult(
                    suite: "s", kind: .golden, caseID: "c1", caseHash: "h1", repeatIndex: 0, tags: [], status: .passed,
                    checks: [],
                    response: ResponseRecord(content: "", latencyMs: 1, attempts: 1), finishedAt: "t")
            ])
        let diff = try RunDiff.make(base: base, candidate: run("v2", [[promise("fee is 3%")]]))
        #expect(diff.newFindings.isEmpty)
        #expect(diff.unchecked.map(\.caseID) == ["c1"])
        #expect(diff.total.paired == 0 && diff.total.unchecked == 1, "an unchecked case is never paired")
    }
}

/// A result without check verdicts is never a pass.
@Suite("Unchecked results")
struct UncheckedTests {
    @Test("a case whose answers no check judged is unchecked, counted apart from passed, failed and errors")
    func countedApart() {
        let manifest = Fixtures.manifest(label: "v1")
        var results = Fixtures.results("v1")
        for index in results.indices where results[index].caseID == "e3" || results[index].caseID == "e5" {
            results[index].checks = []
        }
        let index = RunIndex.make(manifest: manifest, results: results)
        #expect(index[CaseKey(suite: "support-eval", caseID: "e3")]?.verdict == .unchecked)
        #expect(index.resultCounts.unchecked == 2 && index.resultCounts.passed == 7)
        let summary = RunSummary.make(index)
        #expect(summary.total.unchecked == 2 && summary.total.passed == 7 && summary.total.cases == 12)
        #expect(summary.total.rate == 0.7, "7 of the 10 judged cases passed; the unchecked are not in the rate")
        #expect(summary.unchecked.map(\.caseID) == ["e3", "e5"])
        #expect(
            summary.warnings.contains(
                "'v1' has 2 unchecked cases (answered, judged by no check): counted apart, neither passed nor failed"))
        let markdown = MarkdownRenderer().render(summary)
        #expect(markdown.contains("· 7 passed · 3 failed · 0 errors · 2 unchecked"), "\(markdown)")
        #expect(markdown.contains("| support-eval | eval | 50.0% |"), "the suite's rate is over its judged cases")
        #expect(
            JUnitRenderer().render(summary).contains(
                #"<testsuite name="v1 / support-eval" tests="6" failures="2" errors="0" skipped="2">"#))
    }
}

/// Golden cases lead every list and are never cut; the cut says how many it hides and where they are.
@Suite("Golden first, never cut")
struct GoldenFirstTests {
    /// A run of `golden` golden cases and `eval` eval cases, all failing or all passing.
    func run(_ label: String, failing: Bool, golden: Int, eval: Int) -> RunIndex {
        let manifest = RunManifest(
            runID: "r-\(label)", toolVersion: "t", target: RunTarget(label: label, model: "m", baseURL: "http://x"),
            suites: [
                SuiteReference(name: "a-eval", kind: .eval, contentHash: "h", caseCount: eval, path: "e"),
                SuiteReference(name: "z-golden", kind: .golden, contentHash: "h", caseCount: golden, path: "g"),
            ],
            scorerVersion: "s", repeats: 1, startedAt: "2026-01-01T00:00:00Z")
        let cases =
            (0..<eval).map { ("a-eval", SuiteKind.eval, "e\($0)") }
            + (0..<golden).map { ("z-golden", SuiteKind.golden, "g\($0)") }
        let results = cases.map { suite, kind, id in
            CaseResult(
                suite: suite, kind: kind, caseID: id, caseHash: id, repeatIndex: 0, tags: [],
                status: failing ? .failed : .passed,
                checks: [CheckRecord(type: "x", passed: !failing, findings: failing ? [Fixtures.missingSection] : [])],
                response: ResponseRecord(content: "", latencyMs: 1, attempts: 1), finishedAt: "t")
        }
        return RunIndex.make(manifest: manifest, results: results)
    }

    /// The run failing everywhere against a baseline where all passed.
    func diff(golden: Int, eval: Int) throws -> RunDiff {
        try RunDiff.make(
            base: run("v1", failing: false, golden: golden, eval: eval),
            candidate: run("v2", failing: true, golden: golden, eval: eval))
    }

    @Test("in the diff and the gate, golden regressions come first and all of them are shown")
    func diffAndGate() throws {
        let diff = try diff(golden: 4, eval: 6)
        #expect(diff.regressed.map(\.caseID) == ["g0", "g1", "g2", "g3", "e0", "e1", "e2", "e3", "e4", "e5"])
        let markdown = MarkdownRenderer(maxListed: 2).render(diff)
        for id in ["g0", "g1", "g2", "g3", "e0", "e1"] { #expect(markdown.contains("| `\(id)` |"), "\(id)") }
        #expect(!markdown.contains("| `e2` |"))
        #expect(
            markdown.contains(
                "… and 4 more not shown (none golden): all 10 are in the JSON report (`--format json`, field `regressed`)."
            ), "\(markdown)")
        let gate = Gate.evaluate(diff)
        let text = gate.text(casesPerReason: 1)
        for id in ["g0", "g1", "g2", "g3"] {
            #expect(text.contains("    - z-golden/\(id): format.sections.missing"), "\(text)")
        }
        #expect(
            text.components(separatedBy: "    - z-golden/g3: ").count == 3,
            "in golden.regression and golden.pass_rate, never cut: \(text)")
        for check in gate.reasons where check.code.hasPrefix("golden.") {
            #expect(check.listed(limit: 1).hidden == 0, "\(check.code)")
        }
        let significant = try #require(gate.reasons.first { $0.code == "regression.significant" })
        #expect(
            text.contains(
                "    - … and \(significant.cases.count - 1) more not shown (all \(significant.cases.count) are in the report: --format json --out FILE)"
            ), "\(text)")
        let gateMarkdown = MarkdownRenderer(maxListed: 2).render(gate, diff: diff)
        #expect(gateMarkdown.hasPrefix("## evalgate gate: ❌ FAIL"))
        let junit = JUnitRenderer().render(diff)
        let goldenSuite = try #require(junit.range(of: "v2 / z-golden"))
        let evalSuite = try #require(junit.range(of: "v2 / a-eval"))
        #expect(goldenSuite.lowerBound < evalSuite.lowerBound, "golden suites first in JUnit too")
    }

    @Test("in a report, golden failures get their own section, never cut, before the others")
    func report() throws {
        let summary = RunSummary.make(run("v2", failing: true, golden: 3, eval: 5))
        #expect(summary.failed.map(\.caseID) == ["g0", "g1", "g2", "e0", "e1", "e2", "e3", "e4"])
        let markdown = MarkdownRenderer(maxListed: 1).render(summary)
        let golden = try #require(markdown.range(of: "### Golden cases failing (3)"))
        let others = try #require(markdown.range(of: "Failed cases, not golden (5)"))
        #expect(golden.lowerBound < others.lowerBound)
        for id in ["g0", "g1", "g2", "e0"] { #expect(markdown.contains("| `\(id)` |"), "\(id)") }
        #expect(
            markdown.contains(
                "… and 4 more not shown (none golden): all 5 are in the JSON report (`--format json`, field `failed`)."),
            "\(markdown)")
    }
}

@Suite("Cached answers")
struct CachedAnswersTests {
    @Test("a run answered wholly from the cache is said loudly; a partly cached one is counted")
    func whollyCached() {
        var results = Fixtures.results("v1")
        for index in results.indices { results[index].response?.cached = true }
        let summary = RunSummary.make(RunIndex.make(manifest: Fixtures.manifest(label: "v1"), results: results))
        #expect(summary.answers.cached == 12 && summary.answers.answers == 12)
        #expect(
            summary.warnings.contains {
                $0.hasPrefix("'v1': all 12 answers came from the response cache, no request reached the endpoint")
            })
        results[0].response?.cached = false
        let partly = RunSummary.make(RunIndex.make(manifest: Fixtures.manifest(label: "v1"), results: results))
        #expect(partly.answers.cached == 11)
        #expect(!partly.warnings.contains { $0.contains("response cache") })
        #expect(MarkdownRenderer().render(partly).contains("| answers from the cache | 11 of 12 |"))
    }
}
