import EvalCore
import Foundation
import Scoring
import ScriptedEndpoint
import Testing
import Transport

@testable import EvalRunner

/// `judge-pairs`: each pair asked in both orders through the judge's client; a judge that follows the position, not
/// the answers, gives ties, never wins.
@Suite struct PairwiseJudgingTests {
    typealias F = RunnerFixture

    static let suite = F.suite("support", kind: .eval, count: 5)

    /// The judge, case by case: c0 prefers the answer with details (the candidate's), c1 the one without (the
    /// baseline's), c2 always the one shown first, c3 sees no difference, c4 does not answer in JSON.
    static func judge(_ request: ScriptedRequest) -> ScriptedReply {
        let text = request.lastUserText ?? ""
        let parts = text.components(separatedBy: "## Answer B\n")
        let detailsFirst = parts[0].contains("with details")
        func pick(_ first: Bool) -> ScriptedReply { .text(#"{"winner": "\#(first ? "A" : "B")", "reason": "r"}"#) }
        if text.contains("question 0") { return pick(detailsFirst) }
        if text.contains("question 1") { return pick(!detailsFirst) }
        if text.contains("question 2") { return pick(true) }
        if text.contains("question 3") { return .text(#"{"winner": "tie", "reason": "same"}"#) }
        return .text("B is nicer, I think")
    }

    @Test func bothOrdersAreAskedAndAPositionBiasedJudgeGivesTies() async throws {
        let judgeCalls = Recorder<String>()
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "v1": { request in .text("Answer \((request.lastUserText ?? "").split(separator: " ").last ?? "?"): ok")
                },
                "v2": { request in
                    .text("Answer \((request.lastUserText ?? "").split(separator: " ").last ?? "?"): ok, with details")
                },
                "judge-model": { request in
                    judgeCalls.append(request.lastUserText ?? "")
                    return Self.judge(request)
                },
            ]))
        defer { Task { try? await endpoint.shutdown() } }
        let out = F.folder()
        _ = try await Runner(
            suites: [Self.suite], targets: [F.target("v1", endpoint: endpoint), F.target("v2", endpoint: endpoint)],
            settings: F.settings(out: out), transport: F.transport, retry: F.quickRetry
        ).run()
        let panel = try JudgePanel(
            judges: [
                RunTargetSpec(
                    label: "strict", model: "judge-model", endpoint: ChatEndpoint(baseURL: endpoint.baseURL),
                    params: ["temperature": 0])
            ],
            transport: F.transport, retry: F.quickRetry, concurrency: 4, cache: nil)
        let rubric = try PairwiseRubric("better_answer")
        let outcome = try await PairwiseJudging.judge(
            base: out + "/v1.jsonl", candidate: out + "/v2.jsonl", suites: [Self.suite], rubric: rubric,
            judge: "strict", panel: panel)
        #expect(judgeCalls.all.count == 10, "two orders for each of the 5 pairs")
        #expect(outcome.baseLabel == "v1" && outcome.candidateLabel == "v2" && outcome.unpaired == 0)
        #expect(outcome.judge.hasPrefix("judge-model rubric:\(rubric.hash.prefix(8)) settings:"))
        let verdicts = outcome.judgements.map { "\($0.caseID)=\($0.verdict.rawValue)\($0.consistent ? "" : "~")" }
        #expect(verdicts == ["c0=win", "c1=loss", "c2=tie~", "c3=tie", "c4=error~"])
        let biased = try #require(outcome.judgements.first { $0.caseID == "c2" })
        #expect(
            biased.baseFirst == PairJudgement.Preference.base
                && biased.candidateFirst == PairJudgement.Preference.candidate,
            "each order preferred the answer shown first")
        #expect(outcome.judgements.last?.error?.contains("not a JSON object") == true)

        // Unknown judges are named with a suggestion.
        let error = await #expect(throws: RunError.self) {
            try await PairwiseJudging.judge(
                base: out + "/v1.jsonl", candidate: out + "/v2.jsonl", suites: [Self.suite], rubric: rubric,
                judge: "stritc", panel: panel)
        }
        #expect(error?.message == "no judge labelled 'stritc'; did you mean 'strict'?")
    }
}
