import EvalCore
import Foundation

/// Markdown for a GitHub job summary or a PR comment: what changed first, the details folded in `<details>`,
/// evidence quoted in code spans, PII masked (the models are built masked unless `--show-pii`). Golden cases come
/// first in every list and are never cut; the cut applies to the rest and says how many it hides and where they are.
public struct MarkdownRenderer: Sendable {
    /// Rows of non-golden cases shown per case list (golden cases are all shown); the JSON report has them all.
    public var maxListed: Int

    public init(maxListed: Int = 50) {
        self.maxListed = maxListed
    }

    // MARK: report

    public func render(_ summary: RunSummary) -> String {
        var out = Output()
        let run = summary.run
        out.line("## evalgate report: \(MarkdownText.escape(run.label))")
        out.blank()
        var headline =
            "**\(Format.percent(summary.total.rate))** of \(Format.plural(summary.total.passed + summary.total.failed, "answered case")) passed"
        headline += " (95% CI \(Format.interval(summary.total.interval)))"
        headline +=
            " · \(summary.total.passed) passed · \(summary.total.failed) failed · \(Format.plural(summary.total.errors, "error"))"
        if summary.total.unchecked > 0 { headline += " · \(summary.total.unchecked) unchecked" }
        if !summary.flaky.isEmpty { headline += " · \(summary.flaky.count) flaky" }
        out.line(headline)
        out.blank()
        out.alert("WARNING", summary.warnings)
        rateTable(&out, title: nil, first: "kind", summary.kinds)
        overfitting(&out, summary.overfitting)
        if !summary.rules.isEmpty {
            out.line("### Top failing rules")
            out.blank()
            out.line(MarkdownText.header(["rule", "failed cases", "example"], alignRight: [1]))
            for rule in summary.rules {
                let example =
                    rule.examples.first.map { example in
                        "\(MarkdownText.escape(example.suite))/\(MarkdownText.code(example.caseID))"
                            + (example.evidence.map { ": " + MarkdownText.evidence($0) } ?? "")
                    } ?? ""
                out.line(MarkdownText.row([MarkdownText.code(rule.rule), "\(rule.cases)", example]))
            }
            out.blank()
        }
        let goldenFailed = summary.failed.filter { $0.kind == .golden }
        if !goldenFailed.isEmpty {
            out.line("### Golden cases failing (\(goldenFailed.count))")
            out.blank()
            caseTable(&out, goldenFailed, field: "failed")
        }
        let otherFailed = summary.failed.filter { $0.kind != .golden }
        if !otherFailed.isEmpty {
            out.details(
                "Failed cases\(goldenFailed.isEmpty ? "" : ", not golden") (\(otherFailed.count))",
                open: otherFailed.count <= 10
            ) {
                caseTable(&$0, otherFailed, field: "failed")
            }
        }
        judgeVerdicts(&out, summary.judgeVerdicts ?? [])
        reportList(
            &out, "Errors", summary.errored, field: "errored", columns: ["error class", "message"],
            open: summary.errored.count <= 10
        ) {
            [
                $0.errorClasses.map(MarkdownText.code).joined(separator: ", "),
                $0.errorMessage.map(MarkdownText.escape) ?? "",
            ]
        }
        reportList(
            &out, "Unchecked cases: answered, judged by no check, counted apart", summary.unchecked, field: "unchecked",
            columns: ["tags"]
        ) {
            [$0.tags.map(MarkdownText.escape).joined(separator: ", ")]
        }
        reportList(&out, "Flaky cases", summary.flaky, field: "flaky", columns: ["repeats"]) {
            [Format.repeats(passed: $0.passedRepeats, failed: $0.failedRepeats, errors: $0.errorRepeats)]
        }
        out.details("By suite (\(summary.suites.count))") {
            rateTable(&$0, title: nil, first: "suite", summary.suites, showKind: true)
        }
        if !summary.tags.isEmpty {
            out.details("By tag (\(summary.tags.count))") { rateTable(&$0, title: nil, first: "tag", summary.tags) }
        }
        if !summary.checks.isEmpty {
            out.details("By check (\(summary.checks.count))") {
                rateTable(&$0, title: nil, first: "check", summary.checks)
            }
        }
        out.line("### Latency, tokens and errors")
        out.blank()
        out.line(MarkdownText.header(["", MarkdownText.escape(run.label)]))
        out.line(MarkdownText.row(["latency p50", Format.milliseconds(summary.latency.p50)]))
        out.line(MarkdownText.row(["latency p95", Format.milliseconds(summary.latency.p95)]))
        out.line(MarkdownText.row(["prompt tokens per answer", Format.number(summary.tokens.meanPrompt)]))
        out.line(MarkdownText.row(["completion tokens per answer", Format.number(summary.tokens.meanCompletion)]))
        out.line(MarkdownText.row(["errored requests", errorCell(summary.errors)]))
        out.line(MarkdownText.row(["answers cut off (finish_reason: length)", truncatedCell(summary.answers)]))
        out.line(MarkdownText.row(["answers from the cache", cachedCell(summary.answers)]))
        out.blank()
        answersTable(&out, [run.label], [summary.answers])
        out.line(
            "<sub>\(runLine(run)). Pass rate: passed / (passed + failed) cases, errors and unchecked cases apart; a case run several times passes by the majority of its answered repeats.</sub>"
        )
        return out.text
    }

    // MARK: diff

    public func render(_ diff: RunDiff) -> String {
        var out = Output()
        diffBody(
            &out, diff,
            heading:
                "## evalgate diff: \(MarkdownText.escape(diff.base.label)) → \(MarkdownText.escape(diff.candidate.label))"
        )
        return out.text
    }

    func diffBody(_ out: inout Output, _ diff: RunDiff, heading: String, differencesShown: Bool = false) {
        out.line(heading)
        out.blank()
        if !differencesShown { differences(&out, diff) }
        var counts = [
            "\(diff.regressed.count) regressed", "\(diff.fixed.count) fixed",
            Format.plural(diff.newFindings.count, "new finding"),
        ]
        if !diff.flaky.isEmpty { counts.append("\(diff.flaky.count) flaky") }
        if !diff.errored.isEmpty { counts.append(Format.plural(diff.errored.count, "error")) }
        if !diff.unchecked.isEmpty { counts.append("\(diff.unchecked.count) unchecked") }
        let total = diff.total
        out.line(
            "**\(counts.joined(separator: " · "))** on \(Format.plural(total.paired, "paired case")) — pass rate "
                + "\(Format.percent(total.base.rate)) → \(Format.percent(total.candidate.rate)) (**\(Format.points(total.delta))**; "
                + "95% CI \(Format.pointsInterval(total.bootstrap)); McNemar \(Format.pClause(total.pValue)))")
        out.blank()
        out.alert("WARNING", diff.warnings)
        if let forgetting = diff.forgetting, forgetting.detected || !forgetting.regressed.isEmpty {
            out.alert(forgetting.detected ? "WARNING" : "NOTE", [forgetting.summary])
        }
        if !diff.regressed.isEmpty {
            out.line("### Regressed (\(diff.regressed.count))")
            out.blank()
            changeTable(&out, diff.regressed, field: "regressed")
        }
        let goldenStill = diff.stillFailing.filter { $0.kind == .golden }
        if !goldenStill.isEmpty {
            out.line("### Golden cases failing in both runs (\(goldenStill.count))")
            out.blank()
            changeTable(&out, goldenStill, field: "still_failing")
        }
        if !diff.newFindings.isEmpty {
            out.line("### New PII and promise findings (\(diff.newFindings.count))")
            out.blank()
            out.line(MarkdownText.header(["case", "suite", "rule", "answers with it", "evidence"]))
            let (shown, hidden) = cut(diff.newFindings) { $0.kind == .golden }
            for finding in shown {
                out.line(
                    MarkdownText.row([
                        MarkdownText.code(finding.caseID),
                        MarkdownText.escape(finding.suite) + " (\(finding.kind.rawValue))",
                        MarkdownText.code(finding.rule),
                        "\(finding.repeats) of \(finding.answeredRepeats) (baseline: 0 of \(finding.baseAnsweredRepeats))",
                        MarkdownText.evidence(finding.evidence),
                    ]))
            }
            more(&out, hidden, total: diff.newFindings.count, field: "new_findings")
            out.blank()
        }
        out.line("### By suite")
        out.blank()
        deltaTable(&out, first: "suite", diff.suites, showKind: true)
        if let forgetting = diff.forgetting {
            out.details("Base skills: the forgetting canary") { out in
                out.line(MarkdownText.escape(forgetting.summary))
                out.blank()
                if !forgetting.regressed.isEmpty {
                    deltaTable(&out, first: "base group", forgetting.regressed, showKind: true)
                }
                if !forgetting.cases.isEmpty { changeTable(&out, forgetting.cases, field: "forgetting.cases") }
            }
        }
        if !diff.fixed.isEmpty {
            out.details("Fixed (\(diff.fixed.count))") {
                changeTable(&$0, diff.fixed, field: "fixed", evidenceTitle: "baseline evidence")
            }
        }
        if !diff.tags.isEmpty {
            out.details("By tag (\(diff.tags.count))") { deltaTable(&$0, first: "tag", diff.tags) }
        }
        let otherStill = diff.stillFailing.filter { $0.kind != .golden }
        if !otherStill.isEmpty {
            out.details("Still failing\(goldenStill.isEmpty ? "" : ", not golden") (\(otherStill.count))") {
                changeTable(&$0, otherStill, field: "still_failing")
            }
        }
        sideTable(&out, "Flaky", diff.flaky, diff, field: "flaky")
        sideTable(&out, "Errors", diff.errored, diff, field: "errored")
        sideTable(
            &out, "Unchecked: answered, judged by no check, never paired", diff.unchecked, diff, field: "unchecked")
        if !diff.missing.isEmpty {
            out.details("Missing results (\(diff.missing.count))") { out in
                out.line(MarkdownText.header(["case", "suite", "only in"]))
                let (shown, hidden) = cut(diff.missing) { $0.kind == .golden }
                for change in shown {
                    let only = change.base == nil ? diff.candidate.label : diff.base.label
                    out.line(
                        MarkdownText.row([
                            MarkdownText.code(change.caseID), MarkdownText.escape(change.suite),
                            MarkdownText.escape(only),
                        ]))
                }
                more(&out, hidden, total: diff.missing.count, field: "missing")
            }
        }
        out.line("### Latency, tokens and errors")
        out.blank()
        out.line(
            MarkdownText.header(
                ["", MarkdownText.escape(diff.base.label), MarkdownText.escape(diff.candidate.label), "change"],
                alignRight: [1, 2, 3]))
        let latency = diff.latency
        out.line(
            MarkdownText.row([
                "latency p50", Format.milliseconds(latency.base.p50), Format.milliseconds(latency.candidate.p50),
                Format.signedMilliseconds(latency.base.p50, latency.candidate.p50),
            ]))
        out.line(
            MarkdownText.row([
                "latency p95", Format.milliseconds(latency.base.p95), Format.milliseconds(latency.candidate.p95),
                Format.signedMilliseconds(latency.base.p95, latency.candidate.p95),
            ]))
        let tokens = diff.tokens
        out.line(
            MarkdownText.row([
                "prompt tokens per answer", Format.number(tokens.base.meanPrompt),
                Format.number(tokens.candidate.meanPrompt),
                Format.signed(tokens.base.meanPrompt, tokens.candidate.meanPrompt),
            ]))
        out.line(
            MarkdownText.row([
                "completion tokens per answer", Format.number(tokens.base.meanCompletion),
                Format.number(tokens.candidate.meanCompletion),
                Format.signed(tokens.base.meanCompletion, tokens.candidate.meanCompletion),
            ]))
        out.line(
            MarkdownText.row([
                "errored requests", errorCell(diff.errors.base), errorCell(diff.errors.candidate),
                Format.points(diff.errors.candidate.rate - diff.errors.base.rate),
            ]))
        let answers = diff.answers
        out.line(
            MarkdownText.row([
                "answers cut off (finish_reason: length)", truncatedCell(answers.base),
                truncatedCell(answers.candidate),
                Format.points(answers.candidate.truncatedRate - answers.base.truncatedRate),
            ]))
        out.line(
            MarkdownText.row(["answers from the cache", cachedCell(answers.base), cachedCell(answers.candidate), ""]))
        out.blank()
        answersTable(&out, [diff.base.label, diff.candidate.label], [answers.base, answers.candidate])
        let stats = diff.statistics
        out.line(
            "<sub>Paired cases: answered in both runs with the same content. Change: candidate − baseline pass rate; "
                + "CI: paired bootstrap, \(stats.resamples) resamples, seed \(stats.seed); p: exact McNemar, two-sided. "
                + "The smallest change \(Format.plural(total.paired, "paired case")) can detect (α \(stats.alpha), power \(Int((stats.power * 100).rounded()))%): "
                + "\(Format.points(total.detectable).replacingOccurrences(of: "+", with: "")). "
                + "Baseline: \(runLine(diff.base)). Candidate: \(runLine(diff.candidate)).</sub>")
    }

    // MARK: pieces

    /// The settings in which the runs differ (each allowed), as the first thing a reader sees.
    func differences(_ out: inout Output, _ diff: RunDiff) {
        guard !diff.differences.isEmpty else { return }
        out.alert(
            "CAUTION",
            [
                "The runs differ in \(Format.plural(diff.differences.count, "setting")) (allowed by --allow-differences): "
                    + "a change below may come from these settings, not the model."
            ] + diff.differences.map(\.description))
    }

    func runLine(_ run: RunInfo) -> String {
        "\(MarkdownText.escape(run.label)) — model \(MarkdownText.code(run.model)), run \(MarkdownText.code(run.runID)), "
            + "started \(run.startedAt), \(run.outcome), \(run.results)/\(run.expectedResults) results, scorer \(MarkdownText.code(run.scorerVersion))"
    }

    func errorCell(_ errors: ErrorStats) -> String {
        var cell = "\(Format.percent(errors.rate)) (\(errors.errors) of \(errors.results))"
        if !errors.classes.isEmpty {
            cell +=
                ": "
                + errors.classes.prefix(3).map { "\(MarkdownText.code($0.errorClass)) × \($0.count)" }.joined(
                    separator: ", ")
        }
        return cell
    }

    func truncatedCell(_ answers: AnswerStats) -> String {
        "\(Format.percent(answers.truncatedRate)) (\(answers.truncated) of \(answers.answers))"
    }

    func cachedCell(_ answers: AnswerStats) -> String {
        "\(answers.cached) of \(answers.answers)"
    }

    /// Truncated and cached answers per suite, one column pair per run; nothing when no run has either.
    func answersTable(_ out: inout Output, _ labels: [String], _ runs: [AnswerStats]) {
        guard runs.contains(where: { $0.truncated > 0 || $0.cached > 0 }) else { return }
        let names = Set(runs.flatMap { $0.suites.map(\.name) }).sorted()
        out.details("Truncated and cached answers by suite") { out in
            var header = ["suite"]
            for label in labels {
                header += ["\(MarkdownText.escape(label)) cut off", "\(MarkdownText.escape(label)) cached"]
            }
            out.line(MarkdownText.header(header, alignRight: Set(1...(labels.count * 2))))
            for name in names {
                var row = [MarkdownText.escape(name)]
                for run in runs {
                    if let suite = run.suites.first(where: { $0.name == name }) {
                        row += ["\(suite.truncated) of \(suite.answers)", "\(suite.cached) of \(suite.answers)"]
                    } else {
                        row += ["—", "—"]
                    }
                }
                out.line(MarkdownText.row(row))
            }
        }
    }

    func side(_ side: CaseChange.Side?) -> String {
        guard let side else { return "—" }
        var text = side.verdict.rawValue
        let repeats = Format.repeats(passed: side.passed, failed: side.failed, errors: side.errors)
        if !repeats.isEmpty { text += " (\(repeats))" }
        if !side.errorClasses.isEmpty { text += " " + side.errorClasses.map(MarkdownText.code).joined(separator: ", ") }
        if let message = side.errorMessage { text += ": " + MarkdownText.escape(message) }
        if side.unchecked > 0, side.verdict != .unchecked { text += " (\(side.unchecked) unchecked)" }
        return text
    }

    /// Cases with each run's verdict (and repeats, error classes), folded.
    func sideTable(_ out: inout Output, _ title: String, _ changes: [CaseChange], _ diff: RunDiff, field: String) {
        guard !changes.isEmpty else { return }
        out.details("\(title) (\(changes.count))") { out in
            out.line(
                MarkdownText.header([
                    "case", "suite", MarkdownText.escape(diff.base.label), MarkdownText.escape(diff.candidate.label),
                ]))
            let (shown, hidden) = cut(changes) { $0.kind == .golden }
            for change in shown {
                out.line(
                    MarkdownText.row([
                        MarkdownText.code(change.caseID), MarkdownText.escape(change.suite), side(change.base),
                        side(change.candidate),
                    ]))
            }
            more(&out, hidden, total: changes.count, field: field)
        }
    }

    func rateTable(_ out: inout Output, title: String?, first: String, _ rates: [GroupRate], showKind: Bool = false) {
        if let title {
            out.line(title)
            out.blank()
        }
        var header = [first]
        if showKind { header.append("kind") }
        header += ["pass rate", "95% CI", "passed", "failed", "errors"]
        // The unchecked column only when some case was unchecked: never hidden, never noise.
        let showUnchecked = rates.contains { $0.unchecked > 0 }
        if showUnchecked { header.append("unchecked") }
        let offset = showKind ? 1 : 0
        out.line(MarkdownText.header(header, alignRight: Set([1, 3, 4, 5, 6].map { $0 + offset })))
        for rate in rates {
            var row = [MarkdownText.escape(rate.name)]
            if showKind { row.append(rate.kind?.rawValue ?? "") }
            row += [
                Format.percent(rate.rate), Format.interval(rate.interval), "\(rate.passed)", "\(rate.failed)",
                "\(rate.errors)",
            ]
            if showUnchecked { row.append("\(rate.unchecked)") }
            out.line(MarkdownText.row(row))
        }
        out.blank()
    }

    func deltaTable(_ out: inout Output, first: String, _ deltas: [GroupDelta], showKind: Bool = false) {
        var header = [first]
        if showKind { header.append("kind") }
        header += ["paired", "baseline", "candidate", "change", "95% CI", "p", "regressed", "fixed", "errors"]
        let offset = showKind ? 1 : 0
        out.line(MarkdownText.header(header, alignRight: Set([1, 2, 3, 4, 6, 7, 8, 9].map { $0 + offset })))
        for delta in deltas {
            var row = [MarkdownText.escape(delta.name)]
            if showKind { row.append(delta.kind?.rawValue ?? "") }
            let change =
                delta.regressed > delta.fixed ? "**\(Format.points(delta.delta))**" : Format.points(delta.delta)
            row += [
                "\(delta.paired)", Format.percent(delta.base.rate), Format.percent(delta.candidate.rate), change,
                Format.pointsInterval(delta.bootstrap), Format.pValue(delta.pValue), "\(delta.regressed)",
                "\(delta.fixed)", "\(delta.errors)",
            ]
            out.line(MarkdownText.row(row))
        }
        out.blank()
    }

    func changeTable(_ out: inout Output, _ changes: [CaseChange], field: String, evidenceTitle: String = "evidence") {
        out.line(MarkdownText.header(["case", "suite", "tags", evidenceTitle]))
        let (shown, hidden) = cut(changes) { $0.kind == .golden }
        for change in shown {
            var evidence = MarkdownText.evidence(change.evidence.prefix(3))
            if evidence.isEmpty {
                evidence = (change.candidate?.rules ?? []).map(MarkdownText.code).joined(separator: ", ")
            }
            let flaky = [change.base, change.candidate].contains { ($0?.passed ?? 0) > 0 && ($0?.failed ?? 0) > 0 }
            out.line(
                MarkdownText.row([
                    MarkdownText.code(change.caseID) + (flaky ? " (flaky)" : ""),
                    MarkdownText.escape(change.suite) + " (\(change.kind.rawValue))",
                    change.tags.map(MarkdownText.escape).joined(separator: ", "), evidence,
                ]))
        }
        more(&out, hidden, total: changes.count, field: field)
        out.blank()
    }

    func caseTable(_ out: inout Output, _ reports: [CaseReport], field: String) {
        out.line(MarkdownText.header(["case", "suite", "tags", "evidence"]))
        let (shown, hidden) = cut(reports) { $0.kind == .golden }
        for report in shown {
            var evidence = MarkdownText.evidence(report.evidence.prefix(3))
            if evidence.isEmpty { evidence = report.rules.map(MarkdownText.code).joined(separator: ", ") }
            let repeats = Format.repeats(
                passed: report.passedRepeats, failed: report.failedRepeats, errors: report.errorRepeats)
            out.line(
                MarkdownText.row([
                    MarkdownText.code(report.caseID) + (repeats.isEmpty ? "" : " (\(repeats))"),
                    MarkdownText.escape(report.suite) + " (\(report.kind.rawValue))",
                    report.tags.map(MarkdownText.escape).joined(separator: ", "), evidence,
                ]))
        }
        more(&out, hidden, total: reports.count, field: field)
        out.blank()
    }

    /// A folded list of cases, golden first: case, suite, then `columns` filled by `cells`.
    func reportList(
        _ out: inout Output, _ title: String, _ reports: [CaseReport], field: String, columns: [String],
        open: Bool = false,
        cells: (CaseReport) -> [String]
    ) {
        guard !reports.isEmpty else { return }
        out.details("\(title) (\(reports.count))", open: open) { out in
            out.line(MarkdownText.header(["case", "suite"] + columns))
            let (shown, hidden) = cut(reports) { $0.kind == .golden }
            for report in shown {
                out.line(
                    MarkdownText.row(
                        [MarkdownText.code(report.caseID), MarkdownText.escape(report.suite)] + cells(report)))
            }
            more(&out, hidden, total: reports.count, field: field)
        }
    }

    /// The rows a list shows: every golden one, then up to `maxListed` of the others (in their order); and how many
    /// it leaves out.
    func cut<Item>(_ items: [Item], isGolden: (Item) -> Bool) -> (shown: [Item], hidden: Int) {
        let golden = items.filter(isGolden)
        let others = items.filter { !isGolden($0) }
        let shown = golden + others.prefix(max(0, maxListed))
        return (shown, items.count - shown.count)
    }

    /// Says how many rows a cut hid, and where the full list is.
    func more(_ out: inout Output, _ hidden: Int, total: Int, field: String) {
        guard hidden > 0 else { return }
        out.blank()
        out.line(
            "… and \(hidden) more not shown (none golden): all \(total) are in the JSON report (`--format json`, field `\(field)`)."
        )
    }
}

/// Lines of Markdown being written.
struct Output {
    private(set) var text = ""

    mutating func line(_ line: String) {
        text += line
        text += "\n"
    }

    mutating func blank() {
        if !text.isEmpty, !text.hasSuffix("\n\n") { text += "\n" }
    }

    /// A GitHub alert (`> [!WARNING]`) with one paragraph per message; nothing when there are no messages.
    mutating func alert(_ kind: String, _ messages: [String]) {
        guard !messages.isEmpty else { return }
        line("> [!\(kind)]")
        for (index, message) in messages.enumerated() {
            if index > 0 { line(">") }
            line("> " + MarkdownText.escape(message))
        }
        blank()
    }

    mutating func details(_ summary: String, open: Bool = false, _ body: (inout Output) -> Void) {
        line(open ? "<details open><summary>\(summary)</summary>" : "<details><summary>\(summary)</summary>")
        blank()
        body(&self)
        blank()
        line("</details>")
        blank()
    }
}
