import EvalCore

extension MarkdownRenderer {
    /// Every judge verdict of the run, passed ones too: per case and judge check, who judged, the verdict (with the
    /// score and the votes), and the judge's reason and quote. Golden cases first and never cut.
    func judgeVerdicts(_ out: inout Output, _ cases: [JudgedCase]) {
        guard !cases.isEmpty else { return }
        let verdicts = cases.reduce(0) { $0 + $1.judges.count }
        out.details(
            "Judge verdicts (\(Format.plural(verdicts, "verdict")) on \(Format.plural(cases.count, "case")))",
            open: cases.count <= 10
        ) { out in
            out.line(MarkdownText.header(["case", "suite", "judge", "verdict", "reason and quote"]))
            let (shown, hidden) = cut(cases) { $0.kind == .golden }
            for judged in shown {
                for verdict in judged.judges {
                    var outcome = "**\(verdict.outcome.rawValue)**"
                    if let score = verdict.score { outcome += " (score \(Format.number(score)))" }
                    if verdict.votes.count > 1 { outcome += " votes " + verdict.votes.joined(separator: "/") }
                    if verdict.evidence.repeatIndex > 0 { outcome += " · repeat \(verdict.evidence.repeatIndex)" }
                    var said = [MarkdownText.escape(verdict.evidence.message)].filter { !$0.isEmpty }
                    if let quote = verdict.evidence.text { said.append("quote " + MarkdownText.code(quote)) }
                    out.line(
                        MarkdownText.row([
                            MarkdownText.code(judged.caseID),
                            MarkdownText.escape(judged.suite) + " (\(judged.kind.rawValue))",
                            MarkdownText.escape(verdict.judge) + " · " + MarkdownText.code(verdict.identity) + " · "
                                + MarkdownText.code(verdict.rubric),
                            outcome, said.joined(separator: " — "),
                        ]))
                }
            }
            more(&out, hidden, total: cases.count, field: "judge_verdicts")
            out.blank()
        }
    }
}
