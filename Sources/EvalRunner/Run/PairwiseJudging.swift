public import EvalCore
import Foundation
public import Scoring

/// `evalgate judge-pairs`: a judge compares the baseline's and the candidate's answers to the same prompts, each pair
/// asked twice with the answers' order swapped (`PairJudgement`), through the judge's client, limits and cache. The
/// models are never asked.
public enum PairwiseJudging {
    public struct Outcome: Sendable, Hashable {
        /// One per pair, sorted by (suite, case, repeat).
        public var judgements: [PairJudgement]
        /// Answers of one run without a counterpart in the other (missing, errored, or another version of the case),
        /// and answers whose case is no longer in the suites as it was asked.
        public var unpaired: Int
        /// Who judged: `model rubric:hash8[ settings:hash8]`.
        public var judge: String
        public var baseLabel: String
        public var candidateLabel: String
    }

    /// - Parameter judge: the label of the panel's judge to ask.
    public static func judge(
        base: String, candidate: String, suites: [Suite], rubric: PairwiseRubric, judge label: String, panel: JudgePanel
    ) async throws(RunError) -> Outcome {
        guard let context = panel.context(label) else {
            var message = "no judge labelled '\(label)'"
            if let close = closestName(to: label, in: panel.judges.map(\.label)) {
                message += "; did you mean '\(close)'?"
            }
            throw .badInput(message)
        }
        let baseLog: [ResultKey: CaseResult]
        let candidateLog: [ResultKey: CaseResult]
        let labels: (String, String)
        do {
            let baseReader = try RunLogReader(path: base)
            let candidateReader = try RunLogReader(path: candidate)
            labels = (baseReader.manifest.target.label, candidateReader.manifest.target.label)
            // The last line for a key is its result.
            baseLog = Dictionary(
                try baseReader.results().results.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
            candidateLog = Dictionary(
                try candidateReader.results().results.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        } catch {
            throw .badInput(error.locatedMessage)
        }
        var cases: [String: [String: EvalCase]] = [:]
        for suite in suites {
            cases[suite.name] = Dictionary(suite.cases.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        var pairs: [(key: ResultKey, evalCase: EvalCase, base: String, candidate: String)] = []
        for key in Set(baseLog.keys).union(candidateLog.keys).sorted() {
            guard let old = baseLog[key], let new = candidateLog[key], old.caseHash == new.caseHash,
                let baseAnswer = old.response?.content, let candidateAnswer = new.response?.content,
                old.status != .error, new.status != .error,
                let evalCase = cases[key.suite]?[key.caseID], evalCase.contentHash == old.caseHash
            else { continue }
            pairs.append((key, evalCase, baseAnswer, candidateAnswer))
        }
        let unpaired = Set(baseLog.keys).union(candidateLog.keys).count - pairs.count
        let judgements = await withTaskGroup(of: (Int, PairJudgement).self) { group in
            for (index, pair) in pairs.enumerated() {
                group.addTask {
                    async let baseFirst = panel.ask(
                        context,
                        messages: rubric.messages(
                            conversation: pair.evalCase.messages, first: pair.base, second: pair.candidate),
                        sample: 0, samples: 1)
                    async let candidateFirst = panel.ask(
                        context,
                        messages: rubric.messages(
                            conversation: pair.evalCase.messages, first: pair.candidate, second: pair.base),
                        sample: 0, samples: 1)
                    let (one, two) = await (baseFirst, candidateFirst)
                    let key = pair.key
                    switch (one, two) {
                    case (.success(let first), .success(let second)):
                        return (
                            index,
                            rubric.judgement(
                                suite: key.suite, caseID: key.caseID, repeatIndex: key.repeatIndex,
                                baseFirst: first.content, candidateFirst: second.content)
                        )
                    case (.failure(let failure), _), (_, .failure(let failure)):
                        return (
                            index,
                            PairJudgement(
                                suite: key.suite, caseID: key.caseID, repeatIndex: key.repeatIndex, baseFirst: .error,
                                candidateFirst: .error,
                                error: failure.record.message)
                        )
                    }
                }
            }
            var judgements = [PairJudgement?](repeating: nil, count: pairs.count)
            for await (index, judgement) in group { judgements[index] = judgement }
            return judgements.compactMap { $0 }
        }
        let identity = JudgeSettings.identity(
            model: context.target.model, rubricHash: rubric.hash,
            settingsHash: JudgeSettings.hash(JudgePanel.settings(of: context)))
        return Outcome(
            judgements: judgements, unpaired: unpaired, judge: identity, baseLabel: labels.0, candidateLabel: labels.1)
    }
}
