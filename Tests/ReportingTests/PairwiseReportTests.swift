import EvalCore
import Foundation
import Reporting
import Testing

@Suite("Pairwise report: wins, ties (inconsistent ones too), losses, win rate with its interval, position bias")
struct PairwiseReportTests {
    static func pair(
        _ id: String, _ baseFirst: PairJudgement.Preference, _ candidateFirst: PairJudgement.Preference,
        error: String? = nil
    ) -> PairJudgement {
        PairJudgement(
            suite: "s", caseID: id, repeatIndex: 0, baseFirst: baseFirst, candidateFirst: candidateFirst,
            reasons: ["r1", "r2"], error: error)
    }

    static let pairs = [
        pair("w1", .candidate, .candidate), pair("w2", .candidate, .candidate), pair("w3", .candidate, .candidate),
        pair("l1", .base, .base),
        pair("t1", .tie, .tie),
        pair("t2", .base, .candidate),  // each order chose the answer shown first: inconsistent
        pair("e1", .error, .error, error: "judge 'j': timeout"),
    ]

    @Test("hand-computed: 3 wins, 1 loss, 2 ties of which 1 inconsistent, 1 error")
    func numbers() throws {
        let report = PairwiseReport.make(
            base: "v1", candidate: "v2", judge: "gpt-4o rubric:1a2b3c4d", rubric: "better_answer",
            judgements: Self.pairs, unpaired: 2)
        #expect(
            report.wins == 3 && report.losses == 1 && report.ties == 2 && report.inconsistent == 1 && report.errors == 1
        )
        // Scores 1, 1, 1, 0, ½, ½: mean 4/6; sample variance 0.8333/5 = 0.16667; se = √(0.16667/6) = 0.16667;
        // half width 1.95996 × 0.16667 = 0.32666.
        #expect(report.winRate == 0.666667)
        let interval = try #require(report.interval)
        #expect(abs(interval.lower - 0.340007) < 1e-5 && abs(interval.upper - 0.993326) < 1e-5, "\(interval)")
        // Replies that chose an answer: 3 wins × 2 (base first: the second shown; candidate first: the first) = 3
        // firsts of 6; the loss: base first chose the first, candidate first the second = 1 of 2; t2 = 2 of 2.
        #expect(report.firstPositionRate == 0.6)
        #expect(
            report.summaryLine
                == "judge-pairs: v2 vs v1: win 3 tie 2 loss 1 (inconsistent 1, errors 1) win_rate=0.667 [0.340, 0.993] first_position=0.600"
        )
    }

    @Test("the JSON and Markdown say the same; a single pair has no interval")
    func rendered() throws {
        let report = PairwiseReport.make(
            base: "v1", candidate: "v2", judge: "gpt-4o rubric:1a2b3c4d", rubric: "better_answer",
            judgements: Self.pairs, unpaired: 2)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "evalgate.pairwise/1")
        #expect(object["wins"] as? Int == 3 && object["inconsistent"] as? Int == 1 && object["unpaired"] as? Int == 2)
        #expect(object["win_rate"] as? Double == 0.666667 && object["ci_low"] != nil)
        #expect((object["pairs"] as? [[String: Any]])?.count == 7)
        let markdown = MarkdownRenderer().render(report)
        #expect(
            markdown.contains(
                "**3 wins · 2 ties · 1 losses** of v2 on 6 pairs — win rate 66.7% (95% CI 34.0–99.3%; a tie counts half)"
            ), "\(markdown)")
        #expect(markdown.contains("1 pair got opposite verdicts when the answers' order was swapped: counted as ties"))
        #expect(markdown.contains("| `t2` | s | **tie** (inconsistent) | base | candidate | r1 / r2 |"), "\(markdown)")
        #expect(markdown.contains("| `e1` | s | **error** | error | error | judge 'j': timeout |"))
        #expect(!markdown.contains("`w1`"), "wins are not listed")
        let one = PairwiseReport.make(
            base: "v1", candidate: "v2", judge: "j", rubric: "r", judgements: [Self.pairs[0]], unpaired: 0)
        #expect(one.winRate == 1 && one.interval == nil)
    }
}
