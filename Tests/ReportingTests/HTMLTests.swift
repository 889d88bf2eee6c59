import EvalCore
import Foundation
import Reporting
import Testing

/// The HTML report: one self-contained page, its policy allowing only its own style and script, every piece of
/// model text escaped, personal data masked in the answers, golden cases first, both answers side by side.
@Suite("HTML report: self-contained, escaped, answers side by side")
struct HTMLTests {
    /// An answer that tries every way out of the page's markup, with a phone number in it.
    static let hostile =
        "Коротко: <script>alert(\"x\")</script> & </textarea></pre> 'q' <img src=x onerror=alert(1)>\nТелефон +79161234567."

    /// The fixture's runs, with `g2`'s candidate answer replaced by `hostile` and its phone finding placed on it;
    /// the phone number is taken out of the answers where no finding quotes it.
    static func logs(baseAnswer: String? = nil, candidateAnswer: String = hostile) throws -> (
        base: RunIndex, candidate: RunIndex
    ) {
        let directory = Fixtures.temporaryDirectory()
        func withoutPhone(_ results: [CaseResult]) -> [CaseResult] {
            results.map { result in
                guard var response = result.response,
                    !result.checks.contains(where: { $0.findings.contains { $0.text == "+79161234567" } })
                else {
                    return result
                }
                var result = result
                response.content = response.content.replacingOccurrences(of: "Телефон +79161234567.", with: "Спасибо.")
                result.response = response
                return result
            }
        }
        let results = withoutPhone(Fixtures.results("v2")).map { result -> CaseResult in
            guard result.caseID == "g2", var response = result.response else { return result }
            var result = result
            response.content = candidateAnswer
            result.response = response
            guard let range = candidateAnswer.range(of: "+79161234567") else { return result }
            let phone = Finding(
                ruleID: "pii.phone", message: "discloses a phone number '+79161234567'",
                span: TextSpan(range, in: candidateAnswer),
                text: "+79161234567")
            result.checks = result.checks.map { check in
                var check = check
                if check.type == "pii" { check.findings = [phone] }
                return check
            }
            return result
        }
        let baseResults = withoutPhone(Fixtures.results("v1")).map { result -> CaseResult in
            guard let baseAnswer, result.caseID == "g2", var response = result.response else { return result }
            var result = result
            response.content = baseAnswer
            result.response = response
            return result
        }
        let base = try RunIndex.load(path: Fixtures.write("v1", results: baseResults, in: directory))
        let candidate = try RunIndex.load(path: Fixtures.write("v2", results: results, in: directory))
        return (base, candidate)
    }

    static func page(
        showPII: Bool = false, gate: Bool = false, baseAnswer: String? = nil, candidateAnswer: String = hostile
    ) throws -> String {
        let (base, candidate) = try logs(baseAnswer: baseAnswer, candidateAnswer: candidateAnswer)
        let diff = try RunDiff.make(base: base, candidate: candidate, options: DiffOptions(showPII: showPII))
        let renderer = HTMLRenderer(showPII: showPII)
        let keys = renderer.listedKeys(diff)
        return renderer.render(
            diff, base: try Transcripts.load(path: base.path, keys: keys),
            candidate: try Transcripts.load(path: candidate.path, keys: keys),
            gate: gate ? Gate.evaluate(diff) : nil)
    }

    static func occurrences(_ needle: String, in text: String) -> Int {
        text.lowercased().ranges(of: needle.lowercased()).count
    }

    /// The text between `open` and the next `close`.
    static func block(_ text: String, _ open: String, _ close: String) -> String? {
        guard let start = text.range(of: open), let end = text.range(of: close, range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    static func hash(_ block: String) -> String {
        var hasher = SHA256()
        hasher.update(Array(block.utf8))
        return "sha256-" + Data(hasher.finalize()).base64EncodedString()
    }

    @Test("model text renders as text: no tag, script or attribute comes from an answer")
    func escaping() throws {
        let html = try Self.page()
        #expect(Self.occurrences("<script", in: html) == 1, "only the page's own script")
        #expect(Self.occurrences("</script", in: html) == 1)
        #expect(!html.contains("</textarea>"))
        #expect(Self.occurrences("</pre>", in: html) == Self.occurrences("<pre", in: html))
        #expect(!html.contains("<img"))
        #expect(
            html.contains(
                "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;/textarea&gt;&lt;/pre&gt; &apos;q&apos;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test("a strict Content-Security-Policy that names the hashes of exactly the inline style and script")
    func policy() throws {
        let html = try Self.page()
        let policy = try #require(Self.block(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"", "\""))
        #expect(policy.hasPrefix("default-src 'none';"))
        #expect(!policy.contains("unsafe"))
        let style = try #require(Self.block(html, "<style>", "</style>"))
        let script = try #require(Self.block(html, "<script>", "</script>"))
        #expect(policy.contains("style-src '\(Self.hash(style))'"))
        #expect(policy.contains("script-src '\(Self.hash(script))'"))
        #expect(Self.occurrences("<style", in: html) == 1)
        // Nothing is loaded: no resource URL, no link, no inline style attribute or handler the policy would block.
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.range(of: #"<[A-Za-z][^<>]*\s(src|href|style|on[a-z]+)\s*="#, options: .regularExpression) == nil)
        #expect(!html.contains("<link") && !html.contains("<img") && !html.contains("<iframe"))
    }

    @Test("personal data is masked in the answers unless asked for; secrets always")
    func masking() throws {
        let masked = try Self.page()
        #expect(!masked.contains("+79161234567"))
        #expect(!masked.contains("abcdefghijklmnop"))
        #expect(masked.contains("<mark title=\"pii.phone\"><span class=\"masked\">+7••••••••67</span></mark>"))
        let shown = try Self.page(showPII: true)
        #expect(shown.contains("<mark title=\"pii.phone\">+79161234567</mark>"))
        #expect(!shown.contains("abcdefghijklmnop"))
    }

    @Test("golden cases first; both answers, the checks and the numbers of each side")
    func layout() throws {
        let html = try Self.page(gate: true)
        let kinds = html.ranges(of: "data-kind=\"").map { html[$0.upperBound...].prefix { $0 != "\"" } }
        #expect(!kinds.isEmpty)
        let firstOther = kinds.firstIndex { $0 != "golden" } ?? kinds.count
        #expect(
            kinds[..<firstOther].allSatisfy { $0 == "golden" } && kinds[firstOther...].allSatisfy { $0 != "golden" })
        #expect(kinds.first == "golden")
        // The gate's verdict heads the page, before any case.
        let verdict = try #require(html.range(of: "<section class=\"gate fail\"><h2>Gate: FAIL</h2>"))
        let firstCase = try #require(html.range(of: "<article class=\"case\""))
        #expect(verdict.lowerBound < firstCase.lowerBound)
        // g2: a golden regression with a new PII finding; the baseline's answer and the candidate's side by side.
        let g2 = try #require(
            Self.block(
                html, "data-suite=\"support-golden\" data-kind=\"golden\" data-status=\"regressed new-finding\"",
                "</article>"))
        #expect(g2.contains("<h4>v1 · <span class=\"verdict-passed\">passed</span></h4>"))
        #expect(g2.contains("<h4>v2 · <span class=\"verdict-failed\">failed</span></h4>"))
        #expect(Self.occurrences("<pre class=\"answer\">", in: g2) == 2)
        #expect(g2.contains("<li class=\"fail\">✗ pii</li>"))
        #expect(g2.contains(" prompt + "))
        #expect(g2.contains("(line 2, column 9, 12 characters)"))
        // The error of e4 is shown with its message.
        #expect(html.contains("<code>http_500</code>: HTTP 500"))
        // The forgetting view: the base groups that lost cases.
        let forgetting = try #require(Self.block(html, "<h2>Base skills: the forgetting canary</h2>", "</section>"))
        #expect(
            forgetting.contains("<h3>Base groups that lost cases</h3>") && forgetting.contains("<td>base-skills</td>"))
        // Filters exist for the page's suites, hidden until the script shows them.
        #expect(html.contains("<form id=\"filters\" class=\"filters\" hidden>"))
        #expect(html.contains("<option>support-golden</option>"))
        #expect(
            html.contains(
                "<label>Tag <select id=\"filter-tag\"><option value=\"\">all</option><option>arithmetic</option>"))
        #expect(html.contains("<option>pii.phone</option>"))
        #expect(html.contains("data-tags=\"privacy\nrefunds\" data-rules=\"pii.phone\">"))
    }

    @Test(
        "the two answers' word diff: removed and added words marked, escaped and masked; none for very long different answers"
    )
    func wordDiff() throws {
        let html = try Self.page(baseAnswer: "Коротко: заказ <b>в пути</b>. Спасибо за ожидание.")
        let g2 = try #require(Self.block(html, "data-suite=\"support-golden\" data-kind=\"golden\"", "</article>"))
        let diff = try #require(Self.block(g2, "<details class=\"worddiff\">", "</details>"))
        #expect(diff.hasPrefix("<summary>Word diff: 6 words removed, 9 added</summary>"), "\(diff)")
        #expect(
            diff.contains(
                "<pre class=\"changes\">Коротко: <del>заказ &lt;b&gt;в пути&lt;/b&gt;. Спасибо за ожидание.</del>"))
        #expect(diff.contains("<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "))
        #expect(diff.contains("+7••••••••67") && !diff.contains("+79161234567"))
        #expect(!diff.contains("<b>") && !diff.contains("<script"))

        let long = (0..<600).map { "a\($0)" }.joined(separator: " ")
        let other = (0..<600).map { "b\($0)" }.joined(separator: " ")
        let tooLong = try #require(
            Self.block(
                try Self.page(baseAnswer: long, candidateAnswer: other),
                "data-suite=\"support-golden\" data-kind=\"golden\"", "</article>"))
        #expect(!tooLong.contains("<details class=\"worddiff\">"))
        #expect(tooLong.contains("<p class=\"note\">The answers are too long and too different for a word diff.</p>"))
        // The same long answers with one word changed are compared: the common start and end are taken off first.
        let oneWord = try Self.page(
            baseAnswer: long, candidateAnswer: long.replacingOccurrences(of: "a300 ", with: "changed "))
        #expect(oneWord.contains("a299 <del>a300 </del><ins>changed </ins>a301 "))
    }

    @Test("an answer longer than the cap is cut, says so, and never keeps part of a phone number")
    func cut() throws {
        let limit = Transcripts.maximumCharacters
        let content = String(repeating: "a", count: limit - 5) + "+79161234567" + String(repeating: "b", count: 100)
        let phone = Finding(ruleID: "pii.phone", message: "phone", span: nil, text: "+79161234567")
        let result = CaseResult(
            suite: "s", kind: .eval, caseID: "c", caseHash: "h", repeatIndex: 0, tags: [], status: .failed,
            checks: [CheckRecord(type: "pii", passed: false, findings: [phone])],
            response: ResponseRecord(content: content, latencyMs: 1, attempts: 1), finishedAt: "2026-11-26T12:00:00Z")
        let transcripts = Transcripts([result], keys: [CaseKey(suite: "s", caseID: "c")])
        let transcript = try #require(transcripts.answer(CaseKey(suite: "s", caseID: "c"), verdict: .failed))
        #expect(transcript.answer == String(repeating: "a", count: limit - 5))
        #expect(transcript.fullLength == content.count)
        #expect(Transcripts([result], keys: [CaseKey(suite: "s", caseID: "other")]).answers.isEmpty)
    }

    @Test("the prompt of a listed case is shown, escaped and masked, only while its suite holds what the run asked")
    func prompts() throws {
        let folder = Fixtures.temporaryDirectory() + "/support-golden"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "name: support-golden\nkind: golden\ndefaults:\n  system: \"Be <brief> & kind\"\n".write(
            toFile: folder + "/suite.yaml", atomically: true, encoding: .utf8)
        let lines = [
            #"{"id": "g1", "prompt": "Hello", "checks": [{"type": "pii"}]}"#,
            #"{"id": "g2", "prompt": "My phone is +79161234567, say it back </pre><script>x</script>", "checks": [{"type": "pii"}]}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: folder + "/cases.jsonl", atomically: true, encoding: .utf8)
        let suite = try #require(SuiteLoader.load(directory: folder, validateCheck: { _ in nil }).suite)
        var manifest = Fixtures.manifest(label: "v2")
        manifest.suites[0].path = folder
        let g2 = CaseKey(suite: "support-golden", caseID: "g2")
        let hash = try #require(suite.cases.first { $0.id == "g2" }?.contentHash)
        let prompts = Prompts.load(manifest: manifest, cases: [g2: hash])
        #expect(prompts.notes.isEmpty)
        #expect(prompts.messages[g2]?.map(\.role) == ["system", "user"])

        // Rendered in g2's card: escaped, the phone number its answer leaked masked in the prompt too.
        let (base, candidate) = try Self.logs()
        let diff = try RunDiff.make(base: base, candidate: candidate)
        let renderer = HTMLRenderer()
        let keys = renderer.listedKeys(diff)
        let html = renderer.render(
            diff, base: try Transcripts.load(path: base.path, keys: keys),
            candidate: try Transcripts.load(path: candidate.path, keys: keys),
            prompts: prompts)
        #expect(html.contains("<details class=\"prompt\"><summary>Prompt (2 messages)</summary>"))
        #expect(html.contains("<pre>Be &lt;brief&gt; &amp; kind</pre>"))
        #expect(
            html.contains("<pre>My phone is +7••••••••67, say it back &lt;/pre&gt;&lt;script&gt;x&lt;/script&gt;</pre>")
        )
        #expect(Self.occurrences("<script", in: html) == 1)

        // A case edited since the run, or a suite folder that is gone: no prompt, and a note that says why.
        let edited = Prompts.load(manifest: manifest, cases: [g2: "another-hash"])
        #expect(edited.messages.isEmpty)
        #expect(edited.notes == ["suite 'support-golden': 1 prompt not shown, changed in '\(folder)' since the run"])
        manifest.suites[0].path = folder + "-gone"
        let gone = Prompts.load(manifest: manifest, cases: [g2: hash])
        #expect(gone.messages.isEmpty)
        #expect(
            gone.notes.count == 1
                && gone.notes[0].hasPrefix(
                    "suite 'support-golden': prompts not shown, its folder '\(folder)-gone' cannot be read: ")
        )
    }

    @Test("report and compare pages are self-contained too")
    func otherPages() throws {
        let (_, candidate) = try Self.logs()
        let summary = RunSummary.make(candidate)
        let renderer = HTMLRenderer()
        let report = renderer.render(
            summary, answers: try Transcripts.load(path: candidate.path, keys: renderer.listedKeys(summary)))
        #expect(Self.occurrences("<script", in: report) == 1)
        #expect(report.contains("&lt;script&gt;alert("))
        #expect(!report.contains("+79161234567"))
        #expect(report.contains("<div class=\"sides one\">"))
        let compare = renderer.render(
            try Comparison.make([Fixtures.index("v1"), Fixtures.index("v2"), Fixtures.index("v3")]))
        #expect(compare.contains("<h1>evalgate compare: v1, v2, v3</h1>"))
        #expect(compare.contains("Content-Security-Policy"))
    }

    @Test("regressions past the cut are never left out: listed in the index with their first finding, without answers")
    func regressionIndex() throws {
        let diff = try Fixtures.diff()
        let renderer = HTMLRenderer(maxListed: 1)
        let keys = renderer.listedKeys(diff)
        // g2 (golden) and b2 are cards as regressed; e6, the second non-golden regression, goes to the index (its card
        // is there as flaky only).
        #expect(keys.contains(CaseKey(suite: "base-skills", caseID: "b2")))
        let html = renderer.render(diff, base: Transcripts(), candidate: Transcripts())
        let index = try #require(Self.block(html, "<section id=\"index\">", "</section>"))
        #expect(index.contains("<h2>More cases, listed without their answers (1)</h2>"))
        #expect(index.contains("<summary>Regressed, not golden, 2–2</summary>"))
        #expect(
            index.contains(
                "<tr><td><code>e6</code></td><td>support-eval</td><td>eval</td><td>content.not-contains</td><td>3:1</td>"
                    + "<td>Коротко: ваш заказ в пути.⏎Спасибо за терпение.⏎<mark>a|b `c`</mark></td></tr>"), "\(index)")
        #expect(
            !html.contains("data-suite=\"support-eval\" data-kind=\"eval\" data-status=\"regressed"),
            "no card for e6 as regressed")
        #expect(html.contains("data-suite=\"support-eval\" data-kind=\"eval\" data-status=\"flaky\""))
        // Lists that may be cut still say how many they hide.
        #expect(html.contains("… and 1 more fixed cases not shown (none golden)"))
    }

    @Test("a diff with ten thousand regressions stays a file a browser opens: every one listed, a few hundred in full")
    func manyRegressions() throws {
        let count = 10_000
        let answer = String(repeating: "Ваш заказ передан в доставку, статус в личном кабинете. ", count: 6)
        func results(failing: Bool) -> [CaseResult] {
            (0..<count).map { number in
                let id = "case-\(number)"
                let finding = Finding(
                    ruleID: "promise.deadline.within_period", message: "promises a deadline 'в доставку'",
                    span: TextSpan(answer.range(of: "в доставку")!, in: answer), text: "в доставку")
                return CaseResult(
                    suite: "support-eval", kind: .eval, caseID: id, caseHash: "h-\(id)", repeatIndex: 0,
                    tags: ["delivery"],
                    status: failing ? .failed : .passed,
                    checks: [CheckRecord(type: "promises", passed: !failing, findings: failing ? [finding] : [])],
                    response: ResponseRecord(
                        content: answer, finishReason: "stop", model: "m", latencyMs: 10, attempts: 1),
                    finishedAt: "2026-11-26T12:01:00Z")
            }
        }
        let directory = Fixtures.temporaryDirectory()
        let base = try RunIndex.load(path: Fixtures.write("v1", results: results(failing: false), in: directory))
        let candidate = try RunIndex.load(path: Fixtures.write("v2", results: results(failing: true), in: directory))
        let diff = try RunDiff.make(base: base, candidate: candidate, options: DiffOptions(resamples: 100))
        #expect(diff.regressed.count == count)
        let renderer = HTMLRenderer()
        let keys = renderer.listedKeys(diff)
        #expect(keys.count == renderer.maxListed)
        let html = renderer.render(
            diff, base: try Transcripts.load(path: base.path, keys: keys),
            candidate: try Transcripts.load(path: candidate.path, keys: keys))
        #expect(Self.occurrences("<article class=\"case\"", in: html) == renderer.maxListed)
        #expect(Self.occurrences("<tr><td><code>case-", in: html) == count - renderer.maxListed)
        #expect(
            Self.occurrences("<details class=\"index\">", in: html)
                == (count - renderer.maxListed + HTMLRenderer.indexPage - 1) / HTMLRenderer.indexPage)
        for number in [0, 199, 200, 5_000, count - 1] { #expect(html.contains("<code>case-\(number)</code>")) }
        // About 0.5 KB per indexed case and 3 KB per full one: some 8 MB here, far under the issue's 20 MB for 10k cases.
        #expect(html.utf8.count < 12_000_000, "\(html.utf8.count) bytes")
    }
}
