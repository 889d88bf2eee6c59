public import EvalCore

/// Scores answers to the cases of a set of suites: every check spec is built once (suites share their default
/// checks across hundreds of cases), then each answer is judged by its case's checks, in the case's order.
///
/// A value holding only immutable checks: share it across tasks and score concurrently.
public struct CaseScorer: Sendable {
    public let registry: CheckRegistry
    fileprivate let checks: [CheckSpec: any Check]
    /// Some check is a judge: without one, `judgeChecks(of:)` answers without looking each spec up again.
    fileprivate let hasJudgeChecks: Bool

    /// Builds every check of `suites`. The loader already validated each spec; a spec that still does not build
    /// (a check changed since) is an error naming the suite and the case.
    public init(suites: [Suite], registry: CheckRegistry = .standard) throws(CaseScorerError) {
        self.registry = registry
        var checks: [CheckSpec: any Check] = [:]
        for suite in suites {
            for evalCase in suite.cases {
                for spec in evalCase.checks where checks[spec] == nil {
                    do {
                        checks[spec] = try registry.make(spec)
                    } catch {
                        throw CaseScorerError(
                            suite: suite.name, caseID: evalCase.id, line: evalCase.line, message: error.message)
                    }
                }
            }
        }
        self.checks = checks
        hasJudgeChecks = checks.values.contains { $0 is JudgeCheck }
    }

    /// Builds the given check specs (the distinct specs of a run's suites), for cases that are read one at a time.
    public init(specs: some Sequence<CheckSpec>, registry: CheckRegistry = .standard) throws(CaseScorerError) {
        self.registry = registry
        var checks: [CheckSpec: any Check] = [:]
        for spec in specs where checks[spec] == nil {
            do {
                checks[spec] = try registry.make(spec)
            } catch {
                throw CaseScorerError(suite: "", caseID: "", line: 0, message: "check '\(spec.type)': \(error.message)")
            }
        }
        self.checks = checks
        hasJudgeChecks = checks.values.contains { $0 is JudgeCheck }
    }

    /// The scorer's version: changes whenever a verdict may change for the same answer.
    public var versionHash: String { registry.versionHash }

    /// Every check of `evalCase` applied to `response`. `judged` holds the records of the case's judge checks by
    /// their position in `evalCase.checks`, decided by the runner from the judge's answers (or kept from the log being
    /// rescored); they are taken as they are.
    public func score(_ evalCase: EvalCase, response: String, judged: [Int: CheckRecord] = [:]) -> [CheckRecord] {
        var input = CheckInput(
            response: response, messages: evalCase.messages, ideals: evalCase.ideals, facts: evalCase.facts)
        // The log keeps why a promise-looking phrase passed (negated, hedged, backed by the facts…) beside the verdict.
        input.wantsNotes = true
        return evalCase.checks.enumerated().map { position, spec in
            if let record = judged[position] { return record }
            guard let check = checks[spec] else {
                // Only a case that was not among the suites given to init gets here.
                return CheckRecord(
                    type: spec.type, passed: false,
                    findings: [
                        Finding(
                            ruleID: "scorer.unknown-case",
                            message: "case '\(evalCase.id)' was not loaded by this scorer")
                    ]
                )
            }
            let outcome = check.evaluate(input)
            return CheckRecord(
                type: spec.type, passed: outcome.passed, findings: outcome.findings, notes: outcome.notes)
        }
    }
}

/// A check of a suite that could not be built.
public struct CaseScorerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var suite: String
    public var caseID: String
    public var line: Int
    public var message: String

    public var description: String {
        suite.isEmpty ? message : "suite '\(suite)', case '\(caseID)' (line \(line)): \(message)"
    }
}

extension CaseScorer {
    /// The judge checks of `evalCase`, by their position in its checks.
    public func judgeChecks(of evalCase: EvalCase) -> [(position: Int, check: JudgeCheck)] {
        guard hasJudgeChecks else { return [] }
        return evalCase.checks.enumerated().compactMap { position, spec in
            (checks[spec] as? JudgeCheck).map { (position, $0) }
        }
    }

    /// Every judge check of the scorer's specs.
    public var allJudgeChecks: [JudgeCheck] {
        checks.values.compactMap { $0 as? JudgeCheck }
    }
}
