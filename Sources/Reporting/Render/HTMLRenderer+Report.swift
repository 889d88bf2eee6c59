import EvalCore

extension HTMLRenderer {
    // MARK: report

    /// The cases of `summary` the page lists (failed, errored, unchecked, flaky): what `Transcripts` must read.
    public func listedKeys(_ summary: RunSummary) -> Set<CaseKey> {
        Set(reportEntries(summary).entries.map(\.key))
    }

    func reportEntries(_ summary: RunSummary) -> (entries: [Entry], hidden: [(status: String, hidden: Int)]) {
        var entries: [Entry] = []
        var positions: [CaseKey: Int] = [:]
        var hidden: [(status: String, hidden: Int)] = []
        for (status, reports) in [
            ("failed", summary.failed), ("error", summary.errored), ("unchecked", summary.unchecked),
            ("flaky", summary.flaky),
        ] {
            let (shown, cut) = cut(reports) { $0.kind == .golden }
            if cut > 0 { hidden.append((status, cut)) }
            for report in shown {
                let key = CaseKey(suite: report.suite, caseID: report.caseID)
                if let at = positions[key] {
                    entries[at].statuses.append(status)
                    continue
                }
                positions[key] = entries.count
                let side = Self.outcome(key, in: summary.cases).map(CaseChange.Side.init)
                entries.append(
                    Entry(
                        key: key, kind: report.kind, tags: report.tags, statuses: [status], base: nil, candidate: side,
                        evidence: report.evidence, newFindings: []))
            }
        }
        return (entries.filter { $0.kind == .golden } + entries.filter { $0.kind != .golden }, hidden)
    }

    /// One run: its pass rates with intervals, then the failed, errored, unchecked and flaky cases with their
    /// answers (`answers` holds those of `listedKeys`).
    public func render(_ summary: RunSummary, answers: Transcripts, prompts: Prompts = Prompts()) -> String {
        var page = Page()
        let run = summary.run
        let title = "evalgate report: \(run.label)"
        page.line("<header><h1>\(HTMLText.escape(title))</h1></header>")
        page.alert("warning", summary.warnings)
        let total = summary.total
        var headline =
            "<strong>\(Format.percent(total.rate))</strong> of \(Format.plural(total.passed + total.failed, "answered case")) passed"
        headline +=
            " (95% CI \(Format.interval(total.interval))) · \(total.passed) passed · \(total.failed) failed · \(Format.plural(total.errors, "error"))"
        if total.unchecked > 0 { headline += " · \(total.unchecked) unchecked" }
        if !summary.flaky.isEmpty { headline += " · \(summary.flaky.count) flaky" }
        page.line("<p class=\"headline\">\(headline)</p>")
        let (entries, hidden) = reportEntries(summary)
        page.line("<section id=\"cases\"><h2>Cases (\(entries.count))</h2>")
        filters(&page, entries)
        page.alert("note", prompts.notes)
        if entries.isEmpty { page.line("<p>No case failed, errored, went unchecked or was flaky.</p>") }
        for entry in entries {
            card(
                &page, entry, prompt: prompts.messages[entry.key],
                sides: [(run.label, entry.candidate, answers.answer(entry.key, verdict: entry.candidate?.verdict))])
        }
        moreNotes(&page, hidden)
        page.line("</section>")
        for (title, first, rates, showKind) in [
            ("By kind", "kind", summary.kinds, false), ("By suite", "suite", summary.suites, true),
            ("By tag", "tag", summary.tags, false),
            ("By check", "check", summary.checks, false),
        ] where !rates.isEmpty {
            page.line("<section><h2>\(title)</h2>")
            rateTable(&page, first: first, rates, showKind: showKind)
            page.line("</section>")
        }
        page.line(
            "<footer><p>\(runLine(run)).</p><p>Pass rate: passed / (passed + failed) cases, errors and unchecked cases apart. "
                + "Answers longer than \(Transcripts.maximumCharacters) characters are cut (the page says so).</p></footer>"
        )
        return page.document(title: title)
    }

    func moreNotes(_ page: inout Page, _ hidden: [(status: String, hidden: Int)]) {
        for (status, count) in hidden {
            page.line(
                "<p class=\"note\">… and \(count) more \(HTMLText.escape(status)) cases not shown (none golden): all are in the JSON report (<code>--format json</code>).</p>"
            )
        }
    }

    func rateTable(_ page: inout Page, first: String, _ rates: [GroupRate], showKind: Bool) {
        var header = [first]
        if showKind { header.append("kind") }
        header += ["pass rate", "95% CI", "passed", "failed", "errors", "unchecked"]
        page.line(
            "<table class=\"numbers\"><thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>")
        for rate in rates {
            var cells = [HTMLText.escape(rate.name)]
            if showKind { cells.append(rate.kind?.rawValue ?? "") }
            cells += [
                Format.percent(rate.rate), Format.interval(rate.interval), "\(rate.passed)", "\(rate.failed)",
                "\(rate.errors)", "\(rate.unchecked)",
            ]
            page.line("<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>")
        }
        page.line("</tbody></table>")
    }

    // MARK: compare

    /// The versions side by side: the best one, pass rates with their intervals per kind, suite and tag, and each
    /// step's paired change.
    public func render(_ comparison: Comparison) -> String {
        var page = Page()
        let title = "evalgate compare: " + comparison.versions.map(\.label).joined(separator: ", ")
        page.line("<header><h1>\(HTMLText.escape(title))</h1></header>")
        if let best = comparison.best {
            page.line(
                "<p class=\"headline\"><strong>Best: \(HTMLText.escape(best.label))</strong> — \(HTMLText.escape(best.reason)).</p>"
            )
        } else {
            page.line("<p class=\"headline\"><strong>No version qualifies</strong>: none passes every golden case.</p>")
        }
        page.alert("warning", comparison.warnings)
        if comparison.versions.count > 1 {
            page.line("<section class=\"trend\"><h2>Trend</h2>")
            page.line(TrendChart().render(comparison, standalone: false))
            page.line("</section>")
        }
        let groups: [(String, String, [MatrixRow])] = [
            ("Pass rate", "", comparison.rows.filter { $0.group == "all" || $0.group == "kind" }),
            ("By suite", "suite", comparison.rows.filter { $0.group == "suite" }),
            ("By tag", "tag", comparison.rows.filter { $0.group == "tag" }),
        ]
        for (heading, first, rows) in groups where !rows.isEmpty {
            page.line(
                "<section><h2>\(heading)</h2><table class=\"numbers\"><thead><tr><th>\(first)</th>"
                    + comparison.versions.map { "<th>\(HTMLText.escape($0.label))</th>" }.joined()
                    + "</tr></thead><tbody>")
            for row in rows {
                page.line(
                    "<tr><td>\(HTMLText.escape(row.name))</td>"
                        + row.cells.map { cell in
                            guard let cell else { return "<td>—</td>" }
                            var text =
                                "\(Format.percent(cell.rate)) (\(cell.passed)/\(cell.passed + cell.failed))<br>\(Format.interval(cell.interval))"
                            if cell.errors > 0 { text += " · \(cell.errors) err" }
                            return "<td>\(text)</td>"
                        }.joined() + "</tr>")
            }
            page.line("</tbody></table></section>")
        }
        let golden = comparison.golden.filter { $0.cases > 0 }
        if !golden.isEmpty {
            page.line(
                "<p>Golden sets fully passing: "
                    + golden.map {
                        "\(HTMLText.escape($0.label)) \($0.fullyPassing ? "✓" : "✗ (\($0.failed) failed, \($0.errors) errors)")"
                    }.joined(separator: " · ") + "</p>")
        }
        if !comparison.steps.isEmpty {
            page.line(
                "<section><h2>Steps</h2><table class=\"numbers\"><thead><tr><th>step</th><th>paired</th><th>regressed</th>"
                    + "<th>fixed</th><th>change</th><th>p</th><th>new findings</th></tr></thead><tbody>")
            for step in comparison.steps {
                page.line(
                    "<tr><td>\(HTMLText.escape("\(step.from) → \(step.to)"))</td><td>\(step.paired)</td><td>\(step.regressed)</td>"
                        + "<td>\(step.fixed)</td><td>\(Format.points(step.delta))</td><td>\(HTMLText.escape(Format.pValue(step.pValue)))</td><td>\(step.newFindings)</td></tr>"
                )
            }
            page.line("</tbody></table></section>")
        }
        page.line("<footer><p>" + comparison.versions.map(runLine).joined(separator: "<br>") + "</p></footer>")
        return page.document(title: title)
    }
}
