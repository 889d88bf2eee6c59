import EvalCore
import Scoring
import Testing

@Suite("Pairwise rubric: A/B/tie read in both orders, mapped to the versions")
struct PairwiseRubricTests {
    let rubric = try! PairwiseRubric("better_answer")

    static func reply(_ winner: String) -> String { #"{"winner": "\#(winner)", "reason": "because"}"# }

    @Test(
        "both orders agreeing give a win or a loss; disagreeing give an inconsistent tie",
        arguments: [
            ("B", "A", "win", true),  // base first: B is the candidate; candidate first: A is the candidate
            ("A", "B", "loss", true),
            ("A", "A", "tie", false),  // always the first shown
            ("B", "B", "tie", false),  // always the second shown
            ("tie", "tie", "tie", true),
            ("tie", "A", "tie", false),
        ])
    func verdicts(baseFirst: String, candidateFirst: String, verdict: String, consistent: Bool) {
        let judgement = rubric.judgement(
            suite: "s", caseID: "c", repeatIndex: 0, baseFirst: Self.reply(baseFirst),
            candidateFirst: Self.reply(candidateFirst))
        #expect(judgement.verdict.rawValue == verdict)
        #expect(judgement.consistent == consistent)
        #expect(judgement.reasons == ["because", "because"])
    }

    @Test("a reply that is not a verdict makes an error, never a win or a tie")
    func errors() {
        for bad in ["A is better", #"{"winner": "C"}"#, #"{"reason": "no winner"}"#] {
            let judgement = rubric.judgement(
                suite: "s", caseID: "c", repeatIndex: 0, baseFirst: Self.reply("B"), candidateFirst: bad)
            #expect(judgement.verdict == .error && !judgement.consistent)
            #expect(judgement.error?.hasPrefix("candidate first: ") == true, "\(judgement.error ?? "")")
        }
        // Lower case and a fenced block are read.
        #expect(
            rubric.judgement(
                suite: "s", caseID: "c", repeatIndex: 0, baseFirst: "```json\n{\"winner\": \"b\"}\n```",
                candidateFirst: Self.reply("A")
            ).verdict == .win)
    }

    @Test("the request shows the conversation and both answers as A and B; rubrics are shipped, inline or unknown")
    func request() throws {
        let messages = rubric.messages(
            conversation: [.user("Где заказ?")], first: "first answer", second: "second answer")
        #expect(messages.count == 2 && messages[0].role == "system" && messages[1].role == "user")
        let user = try #require(messages[1].text)
        #expect(
            user.contains("Где заказ?") && user.contains("## Answer A\nfirst answer")
                && user.contains("## Answer B\nsecond answer"))
        #expect(try PairwiseRubric("better_answer", language: "ru").text.contains("Решите"))
        #expect(try PairwiseRubric("Prefer the answer that names a date.").name == "inline")
        #expect(try PairwiseRubric("better_answer").hash != (try PairwiseRubric("better_answer", language: "ru").hash))
        #expect(
            throws: CheckConfigurationError("unknown pairwise rubric 'beter_answer'; did you mean 'better_answer'?")
        ) {
            _ = try PairwiseRubric("beter_answer")
        }
        #expect(throws: CheckConfigurationError.self) { _ = try PairwiseRubric("better_answer", language: "de") }
    }
}
