import EvalCore
import Foundation

extension MarkdownRenderer {
    /// The gate's verdict and its rules, then the diff it judged.
    public func render(_ gate: GateResult, diff: RunDiff) -> String {
        var out = Output()
        let mark: String
        switch gate.verdict {
        case .pass where !gate.warnings.isEmpty: mark = "✅ PASS with \(Format.plural(gate.warnings.count, "warning"))"
        case .pass: mark = "✅ PASS"
        case .fail: mark = "❌ FAIL"
        case .error: mark = "⚠️ ERROR"
        }
        out.line(
            "## evalgate gate: \(mark) — \(MarkdownText.escape(gate.candidate)) against \(MarkdownText.escape(gate.base))"
        )
        out.blank()
        differences(&out, diff)
        out.line(MarkdownText.header(["", "rule", "result"]))
        for check in gate.checks {
            let symbol = check.passed ? "✅" : (check.level == .warn ? "🟡 warn" : (check.infrastructure ? "⚠️" : "❌"))
            var result = MarkdownText.escape(check.message)
            if !check.passed, !check.cases.isEmpty {
                let (shown, hidden) = check.listed(limit: 10)
                result += "<br>" + shown.map(MarkdownText.escape).joined(separator: "<br>")
                if hidden > 0 {
                    result +=
                        "<br>… and \(hidden) more not shown (none golden): all are in `--format json`, field `gate.checks`"
                }
            }
            out.line(MarkdownText.row([symbol, MarkdownText.code(check.code), result]))
        }
        out.blank()
        diffBody(
            &out, diff,
            heading:
                "### What changed: \(MarkdownText.escape(diff.base.label)) → \(MarkdownText.escape(diff.candidate.label))",
            differencesShown: true)
        return out.text
    }

    // MARK: compare

    public func render(_ comparison: Comparison) -> String {
        render(comparison, chart: nil)
    }

    /// - Parameter chart: the path of the trend's SVG file (`TrendChart`) relative to the Markdown, linked under the
    ///   Mermaid charts for viewers that do not render Mermaid.
    public func render(_ comparison: Comparison, chart: String?) -> String {
        var out = Output()
        let labels = comparison.versions.map(\.label)
        out.line("## evalgate compare: " + labels.map(MarkdownText.escape).joined(separator: ", "))
        out.blank()
        if let best = comparison.best {
            out.line("**Best: \(MarkdownText.escape(best.label))** — \(MarkdownText.escape(best.reason)).")
        } else {
            out.line("**No version qualifies**: none passes every golden case.")
        }
        out.blank()
        out.alert("WARNING", comparison.warnings)
        matrix(&out, comparison, rows: comparison.rows.filter { $0.group == "all" || $0.group == "kind" }, first: "")
        overfitting(&out, comparison.overfitting)
        let golden = comparison.golden.filter { $0.cases > 0 }
        if !golden.isEmpty {
            out.line(
                "Golden sets fully passing: "
                    + golden.map {
                        "\(MarkdownText.escape($0.label)) \($0.fullyPassing ? "✅" : "❌ (\($0.failed) failed, \($0.errors) errors)")"
                    }.joined(separator: " · "))
            out.blank()
        }
        if comparison.versions.count > 1 {
            out.line("### Trend")
            out.blank()
            if let chart {
                out.line(
                    "![Pass rate per suite kind with 95% intervals, by version](\(chart.replacingOccurrences(of: " ", with: "%20")))"
                )
                out.blank()
            }
            for row in comparison.rows where row.group == "kind" {
                out.line("```mermaid")
                out.line("xychart-beta")
                out.line("    title \"\(row.name) pass rate (%)\"")
                out.line("    x-axis [" + labels.map { "\"\(mermaidLabel($0))\"" }.joined(separator: ", ") + "]")
                out.line("    y-axis \"pass rate %\" 0 --> 100")
                out.line(
                    "    line ["
                        + row.cells.map { cell in
                            cell?.rate.map { Format.number($0 * 100) } ?? "0"
                        }.joined(separator: ", ") + "]")
                out.line("```")
                out.blank()
            }
            out.line(
                MarkdownText.header(
                    ["step", "paired", "regressed", "fixed", "change", "p"], alignRight: [1, 2, 3, 4, 5]))
            for step in comparison.steps {
                out.line(
                    MarkdownText.row([
                        "\(MarkdownText.escape(step.from)) → \(MarkdownText.escape(step.to))", "\(step.paired)",
                        "\(step.regressed)",
                        "\(step.fixed)", Format.points(step.delta), Format.pValue(step.pValue),
                    ]))
            }
            out.blank()
        }
        let suites = comparison.rows.filter { $0.group == "suite" }
        if !suites.isEmpty {
            out.details("By suite (\(suites.count))") { matrix(&$0, comparison, rows: suites, first: "suite") }
        }
        let tags = comparison.rows.filter { $0.group == "tag" }
        if !tags.isEmpty {
            out.details("By tag (\(tags.count))") { matrix(&$0, comparison, rows: tags, first: "tag") }
        }
        out.line("<sub>" + comparison.versions.map(runLine).joined(separator: ". ") + ".</sub>")
        return out.text
    }

    func matrix(_ out: inout Output, _ comparison: Comparison, rows: [MatrixRow], first: String) {
        out.line(
            MarkdownText.header(
                [first] + comparison.versions.map { MarkdownText.escape($0.label) },
                alignRight: Set(1...comparison.versions.count)))
        for row in rows {
            out.line(
                MarkdownText.row(
                    [MarkdownText.escape(row.name)]
                        + row.cells.map { cell in
                            guard let cell else { return "—" }
                            var text = "\(Format.percent(cell.rate)) (\(cell.passed)/\(cell.passed + cell.failed))"
                            if cell.errors > 0 { text += " · \(cell.errors) err" }
                            return text
                        }))
        }
        out.blank()
    }

    func mermaidLabel(_ label: String) -> String {
        String(label.map { $0 == "\"" ? "'" : $0 })
    }
}
