public import EvalCore

/// One judge check's verdict on one answer, as a report shows it — passed verdicts as well as failed ones, so that a
/// reader sees what the judge said about every answer it judged, not only the answers it failed: who judged (the
/// judge's label, model and identity), the rubric, `pass`, `fail` or `error`, the score and the votes, and the
/// judge's reason and verbatim quote as `evidence` (rule `judge.<rubric>`, the quote at its span in the answer).
public struct JudgeVerdict: Sendable, Hashable, Encodable {
    public enum Outcome: String, Sendable, Hashable, Encodable {
        case pass, fail
        /// The judge could not decide (malformed answers, a quote not in the answer, no majority): the answer is an
        /// error, never a pass or a fail.
        case error
    }

    /// The judge target's label, the model it asked, and its identity (`model rubric:hash8[ settings:hash8]`).
    public var judge: String
    public var model: String
    public var identity: String
    public var rubric: String
    public var outcome: Outcome
    public var score: Double?
    /// Each sample's vote (`pass`, `fail`, `error`).
    public var votes: [String]
    /// The reason (as `message`) and the quote (as `text`, at its `span`), cut as any evidence is.
    public var evidence: Evidence

    public init(
        judge: String, model: String, identity: String, rubric: String, outcome: Outcome, score: Double? = nil,
        votes: [String] = [], evidence: Evidence
    ) {
        self.judge = judge
        self.model = model
        self.identity = identity
        self.rubric = rubric
        self.outcome = outcome
        self.score = score
        self.votes = votes
        self.evidence = evidence
    }

    /// The verdicts of the judge checks of one result line; `evidence` makes a finding into the evidence a report
    /// keeps (cut, with the answer's sensitive texts to mask).
    static func all(in result: CaseResult, evidence: (Finding) -> Evidence) -> [JudgeVerdict] {
        result.checks.compactMap { check in
            guard let record = check.judge else { return nil }
            // A judge check that failed always quotes (its finding); one that did not pass without a finding is the
            // judge that could not decide, which made the line an error.
            let outcome: Outcome =
                check.passed ? .pass : (check.findings.isEmpty && result.status == .error ? .error : .fail)
            let quote = record.quote ?? check.findings.first?.text
            let span =
                check.findings.first?.span
                ?? quote.flatMap { quote in
                    result.response.flatMap { answer in
                        answer.content.firstRange(of: quote).map { TextSpan($0, in: answer.content) }
                    }
                }
            let finding = Finding(
                ruleID: "judge.\(record.rubric)",
                message: record.reason ?? (outcome == .error ? "the judge could not decide" : ""),
                span: span, text: quote)
            return JudgeVerdict(
                judge: record.target, model: record.model, identity: record.identity, rubric: record.rubric,
                outcome: outcome,
                score: record.score, votes: record.votes,
                evidence: evidence(finding))
        }
    }

    enum CodingKeys: String, CodingKey {
        case judge, model, identity, rubric
        case outcome = "verdict"
        case score, votes, evidence
    }
}

/// A case's judge verdicts in a report (`judge_verdicts` of `evalgate.report/1`).
public struct JudgedCase: Sendable, Hashable, Encodable {
    public var suite: String
    public var kind: SuiteKind
    public var caseID: String
    /// The case's verdict over all its checks and repeats.
    public var verdict: CaseOutcome.Verdict
    public var judges: [JudgeVerdict]

    public init(_ outcome: CaseOutcome, showPII: Bool) {
        suite = outcome.suite
        kind = outcome.kind
        caseID = outcome.caseID
        verdict = outcome.verdict
        judges = outcome.judgeVerdicts.map { verdict in
            var masked = verdict
            masked.evidence = PIIMask.apply(verdict.evidence, showPII: showPII)
            return masked
        }
    }

    enum CodingKeys: String, CodingKey {
        case suite, kind
        case caseID = "case"
        case verdict, judges
    }
}
