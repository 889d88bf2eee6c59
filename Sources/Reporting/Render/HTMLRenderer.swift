import EvalCore
import Foundation

/// One self-contained HTML page a person reads: the gate's verdict and reasons first, then every listed case with
/// its prompt (folded), the baseline's and the candidate's answers side by side, the evidence spans highlighted
/// (`<mark>`, the rule on hover), a word diff of the two, the checks' verdicts, latency and tokens, an error's
/// message; filters by suite, kind, status, tag and rule and a search box; the forgetting view; per-suite, per-kind
/// and per-tag tables with their intervals.
///
/// The page needs nothing else: CSS and script are inline, allowed by a Content-Security-Policy that names their
/// SHA-256 hashes and allows nothing more (no network, no other script, no inline handlers). Without script every
/// case is shown and the filters stay hidden. Every piece of model and log text is escaped. Personal data is masked
/// in the answers as in the evidence (unless `showPII`; secrets always). Golden cases come first and are never cut;
/// the others are cut at `maxListed` per list, as in Markdown, and the page says how many it hides — except the
/// regressions and new findings, which are never left out: past the cut they are rows of an index (first finding
/// placed and quoted, no answers read), so that a diff of 100,000 cases stays a file of a few megabytes.
public struct HTMLRenderer: Sendable {
    public var maxListed: Int
    public var showPII: Bool

    public init(maxListed: Int = 200, showPII: Bool = false) {
        self.maxListed = maxListed
        self.showPII = showPII
    }

    // MARK: the cases shown

    /// A case as the page shows it: the lists it is in and each run's side.
    struct Entry {
        var key: CaseKey
        var kind: SuiteKind
        var tags: [String]
        var statuses: [String]
        var base: CaseChange.Side?
        var candidate: CaseChange.Side?
        var evidence: [Evidence]
        var newFindings: [NewFinding]
    }

    /// A case beyond the cut of a list that is never cut (regressed, new finding), as one row of the page's index:
    /// its rules and its first finding, placed and quoted, without the answers.
    struct IndexRow {
        var key: CaseKey
        var kind: SuiteKind
        var rules: [String]
        var evidence: Evidence?
    }

    /// The rows of the index: per list, the cases past its cut, in the list's order.
    typealias Index = [(status: String, rows: [IndexRow])]

    /// Rows per folded page of the index.
    public static let indexPage = 500

    /// The cases of `diff` the page lists: what `Transcripts` must read from the logs.
    public func listedKeys(_ diff: RunDiff) -> Set<CaseKey> {
        let (entries, _, _) = entries(diff)
        return Set(entries.map(\.key))
    }

    /// The listed cases in order (golden first, then by list: regressed, new finding, still failing, fixed, flaky,
    /// error, unchecked, missing), per list how many non-golden cases the cut hid, and the regressed cases and new
    /// findings past the cut, which the page still lists, in its index (a regression is never left out).
    func entries(_ diff: RunDiff) -> ([Entry], [(status: String, hidden: Int)], Index) {
        var entries: [Entry] = []
        var positions: [CaseKey: Int] = [:]
        var hidden: [(status: String, hidden: Int)] = []
        var index: Index = []
        func add(_ status: String, _ changes: [CaseChange]) {
            let (shown, cut) = cut(changes) { $0.kind == .golden }
            if cut > 0, status == "regressed" {
                let rows = changes.filter { $0.kind != .golden }.dropFirst(max(0, maxListed)).map { change in
                    IndexRow(
                        key: change.key, kind: change.kind, rules: change.candidate?.rules ?? [],
                        evidence: change.evidence.first)
                }
                index.append((status, rows))
            } else if cut > 0 {
                hidden.append((status, cut))
            }
            for change in shown {
                if let at = positions[change.key] {
                    if !entries[at].statuses.contains(status) { entries[at].statuses.append(status) }
                    if entries[at].evidence.isEmpty { entries[at].evidence = change.evidence }
                    entries[at].base = entries[at].base ?? change.base
                    entries[at].candidate = entries[at].candidate ?? change.candidate
                } else {
                    positions[change.key] = entries.count
                    entries.append(
                        Entry(
                            key: change.key, kind: change.kind, tags: change.tags, statuses: [status],
                            base: change.base,
                            candidate: change.candidate, evidence: change.evidence, newFindings: []))
                }
            }
        }
        add("regressed", diff.regressed)
        let (findings, findingsCut) = cut(diff.newFindings) { $0.kind == .golden }
        if findingsCut > 0 {
            // A regressed case is listed once, as regressed (its card names its new findings).
            let regressed = Set(diff.regressed.map(\.key))
            let rows = diff.newFindings.filter { $0.kind != .golden }.dropFirst(max(0, maxListed)).compactMap {
                finding -> IndexRow? in
                let key = CaseKey(suite: finding.suite, caseID: finding.caseID)
                guard !regressed.contains(key) else { return nil }
                return IndexRow(key: key, kind: finding.kind, rules: [finding.rule], evidence: finding.evidence)
            }
            if !rows.isEmpty { index.append(("new-finding", rows)) }
        }
        for finding in findings {
            let key = CaseKey(suite: finding.suite, caseID: finding.caseID)
            if let at = positions[key] {
                if !entries[at].statuses.contains("new-finding") { entries[at].statuses.append("new-finding") }
                entries[at].newFindings.append(finding)
            } else {
                positions[key] = entries.count
                let candidate = Self.outcome(key, in: diff.candidateCases).map(CaseChange.Side.init)
                entries.append(
                    Entry(
                        key: key, kind: finding.kind, tags: [], statuses: ["new-finding"], base: nil,
                        candidate: candidate,
                        evidence: [], newFindings: [finding]))
            }
        }
        add("still-failing", diff.stillFailing)
        add("fixed", diff.fixed)
        add("flaky", diff.flaky)
        add("error", diff.errored)
        add("unchecked", diff.unchecked)
        add("missing", diff.missing)
        let ordered = entries.filter { $0.kind == .golden } + entries.filter { $0.kind != .golden }
        return (ordered, hidden, index)
    }

    /// The index: per list, a count, then folded pages of `indexPage` rows — case, suite, kind, rules, where the first
    /// finding is and the answer around it (masked, as the evidence is). No answers are read for these rows, so a
    /// diff with many regressions stays a file a browser opens.
    func indexSection(_ page: inout Page, _ index: Index, shown: Int) {
        guard !index.isEmpty else { return }
        let total = index.reduce(0) { $0 + $1.rows.count }
        page.line("<section id=\"index\"><h2>More cases, listed without their answers (\(total))</h2>")
        page.line(
            "<p class=\"note\">Regressions and new findings are never left out: past the first \(maxListed) of each list (with every "
                + "golden case) shown in full above, they are listed here with their first finding, \(Self.indexPage) per folded page. "
                + "The filters above apply to the full cases only.</p>")
        for (status, rows) in index {
            let name = status == "regressed" ? "Regressed" : "New findings"
            page.line("<h3>\(name): \(Format.plural(rows.count, "more case"))</h3>")
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + Self.indexPage)
                page.line(
                    "<details class=\"index\"><summary>\(name), not golden, \(shown + start + 1)–\(shown + end)</summary><table><thead><tr>"
                        + "<th>case</th><th>suite</th><th>kind</th><th>rules</th><th>where</th><th>answer</th></tr></thead><tbody>"
                )
                for row in rows[start..<end] {
                    let evidence = row.evidence
                    page.line(
                        "<tr><td><code>\(HTMLText.escape(row.key.caseID))</code></td><td>\(HTMLText.escape(row.key.suite))</td>"
                            + "<td>\(row.kind.rawValue)</td><td>\(HTMLText.escape(row.rules.joined(separator: ", ")))</td>"
                            + "<td>\(HTMLText.escape(evidence?.location ?? ""))</td><td>\(evidence?.excerpt.map(excerptHTML) ?? "")</td></tr>"
                    )
                }
                page.line("</tbody></table></details>")
                start = end
            }
        }
        page.line("</section>")
    }

    /// An excerpt on one line, escaped, the match in `<mark>`.
    func excerptHTML(_ excerpt: Excerpt) -> String {
        (excerpt.cutBefore ? "…" : "") + HTMLText.escape(Excerpt.flat(excerpt.before))
            + (excerpt.match.isEmpty ? "" : "<mark>" + HTMLText.escape(Excerpt.flat(excerpt.match)) + "</mark>")
            + HTMLText.escape(Excerpt.flat(excerpt.after)) + (excerpt.cutAfter ? "…" : "")
    }

    /// A case of a list sorted by key.
    static func outcome(_ key: CaseKey, in cases: [CaseOutcome]) -> CaseOutcome? {
        cases.outcome(key)
    }

    /// Every golden item, then up to `maxListed` others; and how many it leaves out.
    func cut<Item>(_ items: [Item], isGolden: (Item) -> Bool) -> (shown: [Item], hidden: Int) {
        let golden = items.filter(isGolden)
        let shown = golden + items.filter { !isGolden($0) }.prefix(max(0, maxListed))
        return (shown, items.count - shown.count)
    }

    // MARK: diff and gate

    /// The diff (and the gate's verdict on it, when given) with the answers `base` and `candidate` hold for the
    /// listed cases (`listedKeys`).
    public func render(
        _ diff: RunDiff, base: Transcripts, candidate: Transcripts, prompts: Prompts = Prompts(),
        gate: GateResult? = nil
    ) -> String {
        var page = Page()
        let title: String
        if let gate {
            title = "evalgate gate: \(Self.verdictWord(gate)) — \(gate.candidate) against \(gate.base)"
        } else {
            title = "evalgate diff: \(diff.base.label) → \(diff.candidate.label)"
        }
        page.line("<header><h1>\(HTMLText.escape(title))</h1></header>")
        if let gate { gateSection(&page, gate) }
        if !diff.differences.isEmpty {
            page.alert(
                "caution",
                [
                    "The runs differ in \(Format.plural(diff.differences.count, "setting")) (allowed by --allow-differences): "
                        + "a change below may come from these settings, not the model."
                ] + diff.differences.map(\.description))
        }
        page.alert("warning", diff.warnings)
        if let forgetting = diff.forgetting, forgetting.detected || !forgetting.regressed.isEmpty {
            page.alert(forgetting.detected ? "warning" : "note", [forgetting.summary])
        }
        let total = diff.total
        var counts = [
            "\(diff.regressed.count) regressed", "\(diff.fixed.count) fixed",
            Format.plural(diff.newFindings.count, "new finding"),
        ]
        if !diff.flaky.isEmpty { counts.append("\(diff.flaky.count) flaky") }
        if !diff.errored.isEmpty { counts.append(Format.plural(diff.errored.count, "error")) }
        if !diff.unchecked.isEmpty { counts.append("\(diff.unchecked.count) unchecked") }
        page.line(
            "<p class=\"headline\"><strong>\(HTMLText.escape(counts.joined(separator: " · ")))</strong> on "
                + "\(Format.plural(total.paired, "paired case")) — pass rate \(Format.percent(total.base.rate)) → "
                + "\(Format.percent(total.candidate.rate)) (<strong>\(Format.points(total.delta))</strong>; 95% CI "
                + "\(Format.pointsInterval(total.bootstrap)); McNemar \(HTMLText.escape(Format.pClause(total.pValue))))</p>"
        )

        let (entries, hidden, index) = entries(diff)
        page.line("<section id=\"cases\"><h2>Cases (\(entries.count))</h2>")
        filters(&page, entries)
        page.alert("note", prompts.notes)
        if entries.isEmpty { page.line("<p>No case changed, failed, errored or had a new finding.</p>") }
        for entry in entries {
            card(
                &page, entry, prompt: prompts.messages[entry.key],
                sides: [
                    (diff.base.label, entry.base, base.answer(entry.key, verdict: entry.base?.verdict)),
                    (
                        diff.candidate.label, entry.candidate,
                        candidate.answer(entry.key, verdict: entry.candidate?.verdict)
                    ),
                ])
        }
        moreNotes(&page, hidden)
        page.line("</section>")
        indexSection(&page, index, shown: maxListed)

        page.line("<section><h2>By suite</h2>")
        deltaTable(&page, first: "suite", diff.suites, showKind: true)
        page.line("</section>")
        if let forgetting = diff.forgetting, !forgetting.regressed.isEmpty || !forgetting.improved.isEmpty {
            page.line(
                "<section><h2>Base skills: the forgetting canary</h2><p>\(HTMLText.escape(forgetting.summary))</p>")
            if !forgetting.regressed.isEmpty {
                page.line("<h3>Base groups that lost cases</h3>")
                deltaTable(&page, first: "base group", forgetting.regressed, showKind: true)
            }
            if !forgetting.improved.isEmpty {
                page.line("<h3>Target groups that gained</h3>")
                deltaTable(&page, first: "target group", forgetting.improved, showKind: true)
            }
            page.line("</section>")
        }
        if !diff.kinds.isEmpty {
            page.line("<section><h2>By kind</h2>")
            deltaTable(&page, first: "kind", diff.kinds, showKind: false)
            page.line("</section>")
        }
        if !diff.tags.isEmpty {
            page.line("<details><summary>By tag (\(diff.tags.count))</summary>")
            deltaTable(&page, first: "tag", diff.tags, showKind: false)
            page.line("</details>")
        }
        runTable(&page, diff)
        let stats = diff.statistics
        page.line(
            "<footer><p>Paired cases: answered in both runs with the same content. Change: candidate − baseline pass rate; "
                + "CI: paired bootstrap, \(stats.resamples) resamples, seed \(stats.seed); p: exact McNemar, two-sided. "
                + "Answers longer than \(Transcripts.maximumCharacters) characters are cut (the page says so).</p>"
                + "<p>Baseline: \(runLine(diff.base)).<br>Candidate: \(runLine(diff.candidate)).</p></footer>")
        return page.document(title: title)
    }

    static func verdictWord(_ gate: GateResult) -> String {
        switch gate.verdict {
        case .pass where !gate.warnings.isEmpty: "PASS with \(Format.plural(gate.warnings.count, "warning"))"
        case .pass: "PASS"
        case .fail: "FAIL"
        case .error: "ERROR"
        }
    }

    func gateSection(_ page: inout Page, _ gate: GateResult) {
        let verdict = gate.verdict.rawValue
        page.line("<section class=\"gate \(verdict)\"><h2>Gate: \(HTMLText.escape(Self.verdictWord(gate)))</h2>")
        page.line("<table><thead><tr><th></th><th>rule</th><th>result</th></tr></thead><tbody>")
        // The reasons of the verdict first, then warnings, then the rules that passed.
        let ordered =
            gate.checks.filter { !$0.passed && $0.level == .fail }
            + gate.checks.filter { !$0.passed && $0.level == .warn }
            + gate.checks.filter(\.passed)
        for check in ordered {
            let state = check.passed ? "pass" : (check.level == .warn ? "warn" : "fail")
            let symbol =
                check.passed
                ? "✓ passed" : (check.level == .warn ? "warning" : (check.infrastructure ? "error" : "✗ failed"))
            var result = HTMLText.escape(check.message)
            if !check.passed, !check.cases.isEmpty {
                let (shown, more) = check.listed(limit: 10)
                result += "<ul>" + shown.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>"
                if more > 0 {
                    result +=
                        "<p class=\"note\">… and \(more) more (none golden): all are in <code>--format json</code>.</p>"
                }
            }
            page.line(
                "<tr class=\"\(state)\"><td>\(symbol)</td><td><code>\(HTMLText.escape(check.code))</code></td><td>\(result)</td></tr>"
            )
        }
        page.line("</tbody></table></section>")
    }

    func filters(_ page: inout Page, _ entries: [Entry]) {
        guard !entries.isEmpty else { return }
        func options(_ values: [String]) -> String {
            "<option value=\"\">all</option>" + values.map { "<option>\(HTMLText.escape($0))</option>" }.joined()
        }
        let suites = Set(entries.map(\.key.suite)).sorted()
        let kinds = SuiteKind.allCases.map(\.rawValue).filter { kind in entries.contains { $0.kind.rawValue == kind } }
        let order = ["regressed", "new-finding", "still-failing", "fixed", "flaky", "error", "unchecked", "missing"]
        let statuses = order.filter { status in entries.contains { $0.statuses.contains(status) } }
        let tags = Set(entries.flatMap(\.tags)).sorted()
        let rules = Set(entries.flatMap(Self.rules)).sorted()
        page.line(
            "<form id=\"filters\" class=\"filters\" hidden>"
                + "<label>Search <input type=\"search\" id=\"filter-text\" placeholder=\"case, rule, answer…\"></label>"
                + "<label>Suite <select id=\"filter-suite\">\(options(suites))</select></label>"
                + "<label>Kind <select id=\"filter-kind\">\(options(kinds))</select></label>"
                + "<label>Status <select id=\"filter-status\">\(options(statuses))</select></label>"
                + (tags.isEmpty ? "" : "<label>Tag <select id=\"filter-tag\">\(options(tags))</select></label>")
                + (rules.isEmpty ? "" : "<label>Rule <select id=\"filter-rule\">\(options(rules))</select></label>")
                + "<output id=\"filter-count\"></output></form>")
    }

    /// The rules behind a case: those that failed in either run, and the new findings'.
    static func rules(_ entry: Entry) -> [String] {
        var rules: [String] = []
        for rule in (entry.candidate?.rules ?? []) + (entry.base?.rules ?? []) + entry.newFindings.map(\.rule)
        where !rules.contains(rule) {
            rules.append(rule)
        }
        return rules
    }

    /// Values for a `data-` attribute the script splits: one per line (a line break in a value becomes a space).
    static func list(_ values: [String]) -> String {
        values.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
    }

    /// A case: its heading, the evidence, and one column per run (the last one's answer locates the evidence).
    func card(
        _ page: inout Page, _ entry: Entry, prompt: [ChatMessage]?,
        sides: [(label: String, side: CaseChange.Side?, transcript: Transcript?)]
    ) {
        let key = entry.key
        page.line(
            "<article class=\"case\" data-suite=\"\(HTMLText.escape(key.suite))\" data-kind=\"\(entry.kind.rawValue)\" "
                + "data-status=\"\(entry.statuses.joined(separator: " "))\" data-tags=\"\(HTMLText.escape(Self.list(entry.tags)))\" "
                + "data-rules=\"\(HTMLText.escape(Self.list(Self.rules(entry))))\">")
        var heading =
            "<h3><code>\(HTMLText.escape(key.caseID))</code> <span class=\"suite\">\(HTMLText.escape(key.suite))</span>"
        heading += " <span class=\"badge kind-\(entry.kind.rawValue)\">\(entry.kind.rawValue)</span>"
        for status in entry.statuses {
            heading +=
                " <span class=\"badge status-\(status)\">\(status.replacingOccurrences(of: "-", with: " "))</span>"
        }
        page.line(heading + "</h3>")
        if !entry.tags.isEmpty {
            page.line("<p class=\"tags\">tags: " + entry.tags.map(HTMLText.escape).joined(separator: ", ") + "</p>")
        }
        let candidateAnswer = sides.last?.transcript
        let evidence =
            entry.evidence
            + entry.newFindings.map(\.evidence).filter { new in
                !entry.evidence.contains {
                    $0.rule == new.rule && $0.span == new.span && $0.repeatIndex == new.repeatIndex
                }
            }
        if !evidence.isEmpty || !entry.newFindings.isEmpty {
            page.line("<ul class=\"evidence\">")
            for finding in entry.newFindings {
                page.line(
                    "<li class=\"new\">new <code>\(HTMLText.escape(finding.rule))</code> in \(finding.repeats) of "
                        + "\(finding.answeredRepeats) answers (baseline: 0 of \(finding.baseAnsweredRepeats))</li>")
            }
            for item in evidence {
                var line = "<li><code>\(HTMLText.escape(item.rule))</code>: \(HTMLText.escape(item.message))"
                if let span = item.span {
                    let answer = candidateAnswer?.repeatIndex == item.repeatIndex ? candidateAnswer?.answer : nil
                    line += " <span class=\"where\">(\(HTMLText.escape(Self.position(span, in: answer))))</span>"
                }
                page.line(line + "</li>")
            }
            page.line("</ul>")
        }
        if let prompt, !prompt.isEmpty {
            // The personal data the answers' `pii` findings found is masked in the prompt too: it is often the
            // customer's own, quoted back.
            let sensitive = sides.flatMap { $0.transcript?.sensitive ?? [] }
            page.line("<details class=\"prompt\"><summary>Prompt (\(Format.plural(prompt.count, "message")))</summary>")
            for message in prompt {
                let text =
                    message.content ?? "(\(Format.plural(message.contentParts?.count ?? 0, "content part")), not shown)"
                page.line(
                    "<div class=\"message\"><span class=\"role\">\(HTMLText.escape(message.role))</span>"
                        + "<pre>\(HTMLText.escape(PIIMask.apply(text, sensitive: sensitive, showPII: showPII)))</pre></div>"
                )
            }
            page.line("</details>")
        }
        page.line(sides.count == 1 ? "<div class=\"sides one\">" : "<div class=\"sides\">")
        for item in sides { side(&page, label: item.label, item.side, item.transcript) }
        page.line("</div>")
        if sides.count == 2, let old = sides[0].transcript, let new = sides[1].transcript { wordDiff(&page, old, new) }
        page.line("</article>")
    }

    func side(_ page: inout Page, label: String, _ side: CaseChange.Side?, _ transcript: Transcript?) {
        page.line("<div class=\"side\">")
        var heading = "<h4>\(HTMLText.escape(label)) · "
        if let side {
            heading += "<span class=\"verdict-\(side.verdict.rawValue)\">\(side.verdict.rawValue)</span>"
            let repeats = Format.repeats(passed: side.passed, failed: side.failed, errors: side.errors)
            if !repeats.isEmpty { heading += " (\(HTMLText.escape(repeats)))" }
        } else {
            heading += "not in this run"
        }
        if let transcript, side.map({ $0.passed + $0.failed + $0.errors + $0.unchecked > 1 }) ?? false {
            heading += " · repeat \(transcript.repeatIndex + 1) shown"
        }
        page.line(heading + "</h4>")
        guard let transcript else {
            if side != nil { page.line("<p class=\"note\">No answer kept for this case.</p>") }
            page.line("</div>")
            return
        }
        if let error = transcript.error {
            page.line(
                "<p class=\"error\"><code>\(HTMLText.escape(error.errorClass))</code>: \(HTMLText.escape(error.message))</p>"
            )
        }
        if transcript.answer != nil {
            page.line("<pre class=\"answer\">\(answerHTML(transcript))</pre>")
            if let full = transcript.fullLength {
                page.line("<p class=\"note\">Answer cut at \(Transcripts.maximumCharacters) of \(full) characters.</p>")
            }
        }
        if !transcript.checks.isEmpty {
            page.line(
                "<ul class=\"checks\">"
                    + transcript.checks.map { check in
                        "<li class=\"\(check.passed ? "pass" : "fail")\">\(check.passed ? "✓" : "✗") \(HTMLText.escape(check.type))</li>"
                    }.joined() + "</ul>")
        }
        var meta: [String] = []
        if let latency = transcript.latencyMs { meta.append(Format.milliseconds(latency)) }
        if transcript.promptTokens != nil || transcript.completionTokens != nil {
            meta.append(
                "\(transcript.promptTokens.map(String.init) ?? "—") prompt + \(transcript.completionTokens.map(String.init) ?? "—") completion tokens"
            )
        }
        if let reason = transcript.finishReason, reason != "stop" {
            meta.append("finish_reason: " + HTMLText.escape(reason))
        }
        if transcript.cached { meta.append("from the cache") }
        if !meta.isEmpty { page.line("<p class=\"meta\">" + meta.joined(separator: " · ") + "</p>") }
        page.line("</div>")
    }

    /// The two answers' word-level diff, folded, with the personal data of either masked; nothing when they are the
    /// same or either is missing.
    func wordDiff(_ page: inout Page, _ old: Transcript, _ new: Transcript) {
        guard let oldAnswer = old.answer, let newAnswer = new.answer, oldAnswer != newAnswer else { return }
        let sensitive = old.sensitive + new.sensitive.filter { !old.sensitive.contains($0) }
        let before = PIIMask.apply(oldAnswer, sensitive: sensitive, showPII: showPII)
        let after = PIIMask.apply(newAnswer, sensitive: sensitive, showPII: showPII)
        guard let runs = WordDiff.runs(before, after) else {
            page.line("<p class=\"note\">The answers are too long and too different for a word diff.</p>")
            return
        }
        func words(_ operation: WordDiff.Operation) -> Int {
            runs.filter { $0.operation == operation }.reduce(0) {
                $0 + $1.text.split(whereSeparator: \.isWhitespace).count
            }
        }
        page.line(
            "<details class=\"worddiff\"><summary>Word diff: \(Format.plural(words(.removed), "word")) removed, \(words(.added)) added</summary>"
        )
        page.line(
            "<pre class=\"changes\">"
                + runs.map { run in
                    switch run.operation {
                    case .same: HTMLText.escape(run.text)
                    case .removed: "<del>\(HTMLText.escape(run.text))</del>"
                    case .added: "<ins>\(HTMLText.escape(run.text))</ins>"
                    }
                }.joined() + "</pre></details>")
    }

    /// The answer escaped, the spans of its findings in `<mark>` (rule ids in the title; overlapping spans share
    /// the first one's mark), personal data masked.
    func answerHTML(_ transcript: Transcript) -> String {
        guard let answer = transcript.answer else { return "" }
        let bytes = Array(answer.utf8)
        struct Mark {
            var start: Int
            var end: Int
            var rules: [String]
        }
        var candidates = transcript.findings.compactMap { finding -> Mark? in
            // A span that does not fit the answer, or covers other text than the finding quotes, is not marked.
            guard let span = finding.placedSpan(in: answer), span.start < span.end else { return nil }
            return Mark(start: span.start, end: span.end, rules: [finding.ruleID])
        }
        candidates.sort { ($0.start, -$0.end) < ($1.start, -$1.end) }
        var marks: [Mark] = []
        for mark in candidates {
            if let last = marks.last, mark.start < last.end {
                if !last.rules.contains(mark.rules[0]) { marks[marks.count - 1].rules += mark.rules }
            } else {
                marks.append(mark)
            }
        }
        // Masked regions: every occurrence of each piece of personal data, the longest first.
        var masks: [(start: Int, end: Int, shown: String)] = []
        for item in transcript.sensitive.sorted(by: { $0.text.utf8.count > $1.text.utf8.count })
        where item.isSecret || !showPII {
            let needle = Array(item.text.utf8)
            let hidden = item.isSecret ? PIIMask.maskSecret(item.text) : PIIMask.mask(item.text)
            var at = 0
            while !needle.isEmpty, at + needle.count <= bytes.count {
                if bytes[at] == needle[0], Array(bytes[at..<(at + needle.count)]) == needle {
                    let end = at + needle.count
                    if !masks.contains(where: { $0.start < end && at < $0.end }) { masks.append((at, end, hidden)) }
                    at = end
                } else {
                    at += 1
                }
            }
        }
        var bounds = Set([0, bytes.count])
        for mark in marks { bounds.formUnion([mark.start, mark.end]) }
        for mask in masks { bounds.formUnion([mask.start, mask.end]) }
        let points = bounds.sorted()
        var html = ""
        var open = false
        for (index, point) in points.enumerated() {
            if open, marks.contains(where: { $0.end == point }) {
                html += "</mark>"
                open = false
            }
            guard index + 1 < points.count else { break }
            if let mark = marks.first(where: { $0.start == point }) {
                html += "<mark title=\"\(HTMLText.escape(mark.rules.joined(separator: ", ")))\">"
                open = true
            }
            if let mask = masks.first(where: { $0.start <= point && point < $0.end }) {
                if mask.start == point { html += "<span class=\"masked\">\(HTMLText.escape(mask.shown))</span>" }
            } else {
                html += HTMLText.escape(String(decoding: bytes[point..<points[index + 1]], as: UTF8.self))
            }
        }
        return html
    }

    /// Where a span is, as a person counts (`TextPosition`, as every report places a span): `line 2, column 5, 8
    /// characters`; UTF-8 offsets when the answer is not at hand (or was cut before the span).
    static func position(_ span: TextSpan, in answer: String?) -> String {
        guard let answer, let position = TextPosition(span, in: answer), let quoted = span.text(in: answer) else {
            return "bytes \(span.start)–\(span.end)"
        }
        return "line \(position.line), column \(position.column), \(Format.plural(quoted.count, "character"))"
    }

    func deltaTable(_ page: inout Page, first: String, _ deltas: [GroupDelta], showKind: Bool) {
        var header = [first]
        if showKind { header.append("kind") }
        header += [
            "paired", "baseline", "baseline 95% CI", "candidate", "candidate 95% CI", "change", "change 95% CI", "p",
            "regressed", "fixed", "errors",
        ]
        page.line(
            "<table class=\"numbers\"><thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>")
        for delta in deltas {
            var cells = [HTMLText.escape(delta.name)]
            if showKind { cells.append(delta.kind?.rawValue ?? "") }
            let change =
                delta.regressed > delta.fixed
                ? "<strong>\(Format.points(delta.delta))</strong>" : Format.points(delta.delta)
            cells += [
                "\(delta.paired)", Format.percent(delta.base.rate), Format.interval(delta.base.interval),
                Format.percent(delta.candidate.rate),
                Format.interval(delta.candidate.interval), change, Format.pointsInterval(delta.bootstrap),
                HTMLText.escape(Format.pValue(delta.pValue)), "\(delta.regressed)", "\(delta.fixed)", "\(delta.errors)",
            ]
            page.line("<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>")
        }
        page.line("</tbody></table>")
    }

    func runTable(_ page: inout Page, _ diff: RunDiff) {
        page.line(
            "<section><h2>Latency, tokens and errors</h2><table class=\"numbers\"><thead><tr><th></th>"
                + "<th>\(HTMLText.escape(diff.base.label))</th><th>\(HTMLText.escape(diff.candidate.label))</th></tr></thead><tbody>"
        )
        func row(_ name: String, _ base: String, _ candidate: String) {
            page.line("<tr><td>\(name)</td><td>\(base)</td><td>\(candidate)</td></tr>")
        }
        row("latency p50", Format.milliseconds(diff.latency.base.p50), Format.milliseconds(diff.latency.candidate.p50))
        row("latency p95", Format.milliseconds(diff.latency.base.p95), Format.milliseconds(diff.latency.candidate.p95))
        row(
            "prompt tokens per answer", Format.number(diff.tokens.base.meanPrompt),
            Format.number(diff.tokens.candidate.meanPrompt))
        row(
            "completion tokens per answer", Format.number(diff.tokens.base.meanCompletion),
            Format.number(diff.tokens.candidate.meanCompletion))
        func errors(_ stats: ErrorStats) -> String {
            "\(Format.percent(stats.rate)) (\(stats.errors) of \(stats.results))"
        }
        row("errored requests", errors(diff.errors.base), errors(diff.errors.candidate))
        func cut(_ stats: AnswerStats) -> String { "\(stats.truncated) of \(stats.answers)" }
        row("answers cut off (finish_reason: length)", cut(diff.answers.base), cut(diff.answers.candidate))
        row(
            "answers from the cache", "\(diff.answers.base.cached) of \(diff.answers.base.answers)",
            "\(diff.answers.candidate.cached) of \(diff.answers.candidate.answers)")
        page.line("</tbody></table></section>")
    }

    func runLine(_ run: RunInfo) -> String {
        HTMLText.escape(
            "\(run.label) — model \(run.model), run \(run.runID), started \(run.startedAt), \(run.outcome), "
                + "\(run.results)/\(run.expectedResults) results, scorer \(run.scorerVersion)")
    }
}

/// The HTML page being written: its body, then the whole document with the inline style and script and the
/// Content-Security-Policy that allows exactly those two blocks.
struct Page {
    private(set) var body = ""

    mutating func line(_ line: String) {
        body += line
        body += "\n"
    }

    /// A box of messages (`warning`, `caution`, `note`); nothing without messages.
    mutating func alert(_ kind: String, _ messages: [String]) {
        guard !messages.isEmpty else { return }
        line("<div class=\"alert \(kind)\">" + messages.map { "<p>\(HTMLText.escape($0))</p>" }.joined() + "</div>")
    }

    func document(title: String) -> String {
        let policy =
            "default-src 'none'; style-src '\(Self.hash(HTMLAssets.style))'; script-src '\(Self.hash(HTMLAssets.script))'; "
            + "base-uri 'none'; form-action 'none'"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(policy)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta name="generator" content="evalgate">
            <title>\(HTMLText.escape(title))</title>
            <style>\(HTMLAssets.style)</style>
            </head>
            <body>
            \(body)<script>\(HTMLAssets.script)</script>
            </body>
            </html>

            """
    }

    /// `sha256-…` of an inline block, as a Content-Security-Policy source.
    static func hash(_ block: String) -> String {
        var hasher = SHA256()
        hasher.update(Array(block.utf8))
        return "sha256-" + Data(hasher.finalize()).base64EncodedString()
    }
}
