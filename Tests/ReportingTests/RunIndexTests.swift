import EvalCore
import Foundation
import Reporting
import Testing

@Suite("Reading logs for reports: repeats, errors, bad input, masking")
struct RunIndexTests {
    @Test(
        "the repeat rule: majority of answered repeats, a tie fails, all-errored is an error, flaky when they disagree")
    func repeats() throws {
        let index = try Fixtures.index("v2")
        let e6 = try #require(index[CaseKey(suite: "support-eval", caseID: "e6")])
        #expect(e6.verdict == .failed && e6.isFlaky && e6.passedRepeats == 1 && e6.failedRepeats == 1)
        #expect(e6.failingRules == ["content.not-contains"])
        let e4 = try #require(index[CaseKey(suite: "support-eval", caseID: "e4")])
        #expect(e4.verdict == .error && e4.errorClasses == ["http_500"])
        #expect(index.resultCounts == StatusCounts(passed: 8, failed: 4, errors: 1))
        #expect(index.cases.count == 12)
    }

    @Test("the fast line parser reads exactly what JSONDecoder reads")
    func fastParserParity() throws {
        let directory = Fixtures.temporaryDirectory()
        let path = try Fixtures.write("v2", in: directory)
        let fast = try RunIndex.load(path: path)
        let slow = RunIndex.make(
            manifest: try RunLogReader(path: path).manifest, results: try RunLogReader(path: path).results().results)
        #expect(fast.cases == slow.cases)
        #expect(fast.latencies == slow.latencies)
        #expect(fast.tokens == slow.tokens)
        #expect(fast.ends.count == 1)
    }

    @Test("a line with escapes, unknown fields and a duplicate key still reads the same through the full decoder")
    func escapedLines() throws {
        let directory = Fixtures.temporaryDirectory()
        var result = Fixtures.results("v1")[0]
        result.caseID = "quote\"d\ncase"
        let path = try Fixtures.write("v1", results: [result], in: directory)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(
            of: #""record":"result""#, with: #""record":"result","extra":{"a":[1,2.5e3,null,true]}"#)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let index = try RunIndex.load(path: path)
        #expect(index.cases.map(\.caseID) == ["quote\"d\ncase"])
    }

    @Test("a bad line in the middle is an error with the file and line; a cut last line is a warning")
    func badLines() throws {
        let directory = Fixtures.temporaryDirectory()
        let path = try Fixtures.write("v1", in: directory)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let original = lines
        lines[3] = lines[3].replacingOccurrences(of: #""repeat":0"#, with: #""repeat":"zero""#)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: RunLogError.self) { try RunIndex.load(path: path) }
        #expect(error.diagnostic.line == 4)
        #expect(error.description.contains("\"repeat\" expected an integer"), "\(error)")

        // Killed mid-line: everything before is read, the fragment is a warning.
        let cut = original.dropLast().joined(separator: "\n") + "\n" + original.last!.prefix(20)
        try cut.write(toFile: path, atomically: true, encoding: .utf8)
        let index = try RunIndex.load(path: path)
        #expect(index.warnings.count == 1 && index.warnings[0].line == original.count)
        #expect(index.cases.count == 12)
    }

    @Test("a missing file and a file without a manifest are errors")
    func missing() throws {
        #expect(throws: RunLogError.self) { try RunIndex.load(path: "/nonexistent/run.jsonl") }
        let directory = Fixtures.temporaryDirectory()
        try "{\"record\":\"result\"}\n".write(toFile: directory + "/x.jsonl", atomically: true, encoding: .utf8)
        let error = try #require(throws: RunLogError.self) { try RunIndex.load(path: directory + "/x.jsonl") }
        #expect(error.description.contains("expected the manifest record"))
    }

    @Test("two logs load in parallel, and the first bad one is the error")
    func parallel() throws {
        let directory = Fixtures.temporaryDirectory()
        let paths = [try Fixtures.write("v1", in: directory), try Fixtures.write("v2", in: directory)]
        #expect(try RunIndex.load(paths: paths).map(\.label) == ["v1", "v2"])
        let error = try #require(throws: RunLogError.self) {
            try RunIndex.load(paths: [paths[0], directory + "/none.jsonl"])
        }
        #expect(error.description.contains("none.jsonl"))
    }

    @Test("PII is masked unless shown; secrets always")
    func masking() {
        #expect(PIIMask.mask("+79161234567") == "+7••••••••67")
        #expect(PIIMask.mask("abcd") == "••••")
        let phone = Evidence(Fixtures.phone, repeatIndex: 0)
        let masked = PIIMask.apply(phone, showPII: false)
        #expect(masked.text == "+7••••••••67")
        #expect(masked.message == "discloses a phone number '+7••••••••67'")
        #expect(PIIMask.apply(phone, showPII: true) == phone)
        let secret = Evidence(Fixtures.secret, repeatIndex: 0)
        for show in [false, true] {
            let shown = PIIMask.apply(secret, showPII: show)
            #expect(shown.text == "sk-p••••••••")
            #expect(shown.message == "discloses a secret (OpenAI API key) 'sk-p••••••••'")
        }
        let promise = Evidence(Fixtures.promise, repeatIndex: 0)
        #expect(PIIMask.apply(promise, showPII: false) == promise)
    }
}

@Suite("Diff: pairing, refusals, forgetting")
struct RunDiffTests {
    @Test("the fixture's cases land in the right lists")
    func lists() throws {
        let diff = try Fixtures.diff()
        #expect(diff.regressed.map(\.caseID) == ["g2", "b2", "e6"], "golden first, then sorted by (suite, case)")
        #expect(diff.fixed.map(\.caseID) == ["e1", "e2"])
        #expect(diff.stillFailing.map(\.caseID) == ["g3"])
        #expect(diff.errored.map(\.caseID) == ["e4"])
        #expect(diff.flaky.map(\.caseID) == ["e6"])
        #expect(diff.newFindings.map(\.evidence.rule) == ["pii.phone"])
        #expect(diff.total.paired == 11 && diff.total.regressed == 3 && diff.total.fixed == 2 && diff.total.errors == 1)
        // b=3, c=2: p = 2·P(X ≤ 2; 5, ½) = 2·16/32 = 1.
        #expect(diff.total.pValue == 1)
        let forgetting = try #require(diff.forgetting)
        #expect(forgetting.detected)
        #expect(forgetting.summary.hasPrefix("Forgetting: the candidate improves on"))
        #expect(forgetting.regressed.map(\.name) == ["base-skills", "arithmetic"])
        #expect(forgetting.cases.map(\.caseID) == ["b2"])
    }

    @Test("runs on different eval sets are refused, naming the changed cases, unless allowed")
    func changedSets() throws {
        let directory = Fixtures.temporaryDirectory()
        let base = try RunIndex.load(path: Fixtures.write("v1", in: directory))
        var results = Fixtures.results("v2")
        results[0].caseHash = "changed"
        results.removeLast()
        let manifest = Fixtures.manifest(label: "v2", hashes: ["support-golden": "other", "base-skills": "other2"])
        let candidate = try RunIndex.load(
            path: Fixtures.write("v2", manifest: manifest, results: results, in: directory))
        let error = try #require(throws: DiffError.self) { try RunDiff.make(base: base, candidate: candidate) }
        #expect(error.description.contains("suites.support-golden: 1 case changed ('g1')"), "\(error)")
        #expect(error.description.contains("suites.base-skills: 1 only in the baseline ('b3')"), "\(error)")
        #expect(error.description.hasSuffix("--allow-differences suites to compare them anyway"))
        let allowed = try RunDiff.make(base: base, candidate: candidate, options: DiffOptions(allowChangedSets: true))
        #expect(allowed.setChanges.map(\.suite) == ["base-skills", "support-golden"])
        #expect(allowed.total.paired + allowed.total.errors == 10, "g1 and b3 are not compared")
        #expect(allowed.missing.isEmpty)
    }

    @Test("a suite only one run has is a changed set")
    func differentSuites() throws {
        let base = try Fixtures.index("v1")
        var manifest = Fixtures.manifest(label: "v2")
        manifest.suites.removeLast()
        let candidate = RunIndex.make(
            manifest: manifest, results: Fixtures.results("v2").filter { $0.suite != "base-skills" })
        let error = try #require(throws: DiffError.self) { try RunDiff.make(base: base, candidate: candidate) }
        #expect(error.description.contains("suites.base-skills: only in the baseline"), "\(error)")
    }

    @Test("a scorer change is refused unless allowed, then named at the top")
    func scorerChange() throws {
        let base = try Fixtures.index("v1")
        let candidate = RunIndex.make(
            manifest: Fixtures.manifest(label: "v2", scorer: "scorer-2"), results: Fixtures.results("v2"))
        let error = try #require(throws: DiffError.self) { try RunDiff.make(base: base, candidate: candidate) }
        #expect(
            error.description.contains("scorer_version: scorer-1 in the baseline, scorer-2 in the candidate"),
            "\(error)")
        #expect(error.description.hasSuffix("pass --allow-differences scorer to compare them anyway"))
        let diff = try RunDiff.make(
            base: base, candidate: candidate, options: DiffOptions(allowedDifferences: [.scorer]))
        #expect(diff.scorerChanged)
        #expect(diff.differences.map(\.field) == ["scorer_version"])
        let markdown = MarkdownRenderer().render(diff)
        #expect(
            markdown.contains("> [!CAUTION]\n> The runs differ in 1 setting (allowed by --allow-differences)"),
            "\(markdown)")
        #expect(
            markdown.contains(">\n> scorer\\_version: scorer-1 in the baseline, scorer-2 in the candidate"),
            "\(markdown)")
    }

    @Test("compare picks the best version whose golden cases all pass")
    func best() throws {
        let comparison = try Comparison.make([Fixtures.index("v1"), Fixtures.index("v2"), Fixtures.index("v3")])
        #expect(comparison.best?.label == "v3")
        #expect(comparison.golden.map(\.fullyPassing) == [false, false, true])
        #expect(comparison.steps.map(\.regressed) == [3, 1])
        let none = try Comparison.make([Fixtures.index("v1"), Fixtures.index("v2")])
        #expect(none.best == nil)
    }
}
