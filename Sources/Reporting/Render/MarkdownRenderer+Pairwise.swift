import EvalCore

extension MarkdownRenderer {
    /// The candidate's wins, ties and losses against the baseline, the win rate with its interval, the judge's
    /// position bias, then the pairs that were not clear wins (losses, ties, inconsistent, errors) with the reasons.
    public func render(_ report: PairwiseReport) -> String {
        var out = Output()
        out.line(
            "## evalgate judge-pairs: \(MarkdownText.escape(report.candidate)) vs \(MarkdownText.escape(report.base))")
        out.blank()
        out.line(
            "**\(report.wins) wins · \(report.ties) ties · \(report.losses) losses** of \(MarkdownText.escape(report.candidate)) on "
                + "\(Format.plural(report.wins + report.ties + report.losses, "pair")) — win rate \(Format.percent(report.winRate)) "
                + "(95% CI \(Format.interval(report.interval)); a tie counts half)")
        out.blank()
        var notes: [String] = []
        if report.inconsistent > 0 {
            notes.append(
                "\(Format.plural(report.inconsistent, "pair")) got opposite verdicts when the answers' order was swapped: counted as ties"
            )
        }
        if report.errors > 0 {
            notes.append(
                "\(Format.plural(report.errors, "pair")) without a verdict (the judge failed or its reply was not a verdict): left out"
            )
        }
        if report.unpaired > 0 {
            notes.append(
                "\(Format.plural(report.unpaired, "answer")) without a counterpart in the other run (missing, errored or another version of the case): left out"
            )
        }
        out.alert("NOTE", notes)
        out.line(
            "Judge \(MarkdownText.code(report.judge)) with the rubric \(MarkdownText.code(report.rubric)), each pair asked twice with the answers swapped. "
                + "Of its replies that chose an answer, \(Format.percent(report.firstPositionRate)) chose the one shown first (50% is no position bias)."
        )
        out.blank()
        let shown = report.pairs.filter { $0.verdict != .win }
        guard !shown.isEmpty else { return out.text }
        out.details("Losses, ties and errors (\(shown.count))", open: shown.count <= 10) { out in
            out.line(
                MarkdownText.header([
                    "case", "suite", "verdict", "base shown first", "candidate shown first", "reasons",
                ]))
            for pair in shown.prefix(maxListed) {
                var verdict = "**\(pair.verdict.rawValue)**"
                if pair.verdict == .tie, !pair.consistent { verdict += " (inconsistent)" }
                let reasons = (pair.error.map { [$0] } ?? pair.reasons.filter { !$0.isEmpty }).map(MarkdownText.escape)
                    .joined(separator: " / ")
                out.line(
                    MarkdownText.row([
                        MarkdownText.code(pair.caseID) + (pair.repeatIndex > 0 ? " #\(pair.repeatIndex)" : ""),
                        MarkdownText.escape(pair.suite),
                        verdict, pair.baseFirst.rawValue, pair.candidateFirst.rawValue, reasons,
                    ]))
            }
            more(&out, max(0, shown.count - maxListed), total: report.pairs.count, field: "pairs")
            out.blank()
        }
        return out.text
    }
}
