import EvalCore
import Foundation

/// Decides whether a candidate may ship, from its diff against the baseline and a policy.
///
/// Exit codes, as DESIGN.md: 0 every rule passed; 1 a quality rule failed (a golden regression, a low eval pass
/// rate, a significant regression, a new PII or promise finding); 3 only infrastructure rules failed (too many
/// endpoint errors, an unfinished run): the evidence is incomplete, rerun. A proven regression wins over missing
/// evidence: when both fail the exit code is 1. Bad input (exit 2) is refused before the gate runs.
public enum Gate {
    public static func evaluate(_ diff: RunDiff, policy: GatePolicy = .default) -> GateResult {
        var checks: [GateCheck] = []

        let golden = diff.regressed.filter { $0.kind == .golden }
        checks.append(
            GateCheck(
                code: "golden.regression", passed: golden.count <= policy.goldenMaxRegressions,
                message: golden.isEmpty
                    ? "no golden case regressed"
                    : "\(Format.plural(golden.count, "golden case")) regressed (at most \(policy.goldenMaxRegressions) allowed)",
                cases: golden.map { describe($0) }, goldenCases: golden.count))

        if let minimum = policy.goldenMinPassRate {
            // Every golden case of the candidate, whatever the baseline did: a golden case that already failed in the
            // baseline still blocks.
            let cases = diff.candidateCases.filter { $0.kind == .golden }
            let failing = cases.filter { $0.verdict == .failed }
            checks.append(
                rateCheck(
                    code: "golden.pass_rate", noun: "golden", cases, minimum: minimum,
                    failing: failing.map {
                        "\($0.suite)/\($0.caseID)"
                            + ($0.failingRules.isEmpty ? "" : ": " + $0.failingRules.joined(separator: ", "))
                    },
                    golden: true))
        }

        if let minimum = policy.evalMinPassRate {
            checks.append(
                rateCheck(
                    code: "eval.pass_rate", noun: "eval", diff.candidateCases.filter { $0.kind == .eval },
                    minimum: minimum,
                    failing: [], golden: false))
        }

        let groups =
            [diff.total] + diff.kinds.map { named("kind", $0) } + diff.suites.map { named("suite", $0) }
            + diff.tags.map { named("tag", $0) }
        let significant = groups.filter { $0.isSignificantRegression(alpha: policy.alpha, minEffect: policy.minEffect) }
        checks.append(
            GateCheck(
                code: "regression.significant", passed: significant.isEmpty,
                message: significant.isEmpty
                    ? "no significant regression (paired McNemar at α \(policy.alpha), at least \(Format.points(-policy.minEffect).replacingOccurrences(of: "-", with: "")))"
                    : "\(Format.plural(significant.count, "group")) regressed significantly (α \(policy.alpha))",
                cases: significant.map {
                    "\($0.name) \(Format.points($0.delta)) (\($0.regressed) regressed, \($0.fixed) fixed, \(Format.pClause($0.pValue)))"
                }))

        for (category, code, fails, noun) in [
            (RiskCategory.pii, "findings.new_pii", policy.failOnNewPII, "PII"),
            (RiskCategory.promise, "findings.new_promise", policy.failOnNewPromises, "promise"),
        ] {
            let found = diff.newFindings.filter { $0.category == category }
            checks.append(
                GateCheck(
                    code: code, passed: found.isEmpty || !fails,
                    message: found.isEmpty
                        ? "no new \(noun) finding"
                        : "\(Format.plural(found.count, "new \(noun) finding"))"
                            + (fails ? "" : " (allowed by the policy)"),
                    cases: found.map { finding in
                        var line =
                            "\(finding.suite)/\(finding.caseID): \(finding.rule) '\(finding.evidence.text ?? "")'"
                        if finding.answeredRepeats > 1 || finding.baseAnsweredRepeats > 1 {
                            line +=
                                " (in \(finding.repeats) of \(finding.answeredRepeats) answers; in none of the baseline's \(finding.baseAnsweredRepeats))"
                        }
                        return line
                    },
                    goldenCases: found.count { $0.kind == .golden }))
        }

        let rates = [("'\(diff.base.label)'", diff.errors.base), ("'\(diff.candidate.label)'", diff.errors.candidate)]
        let over = rates.filter { $0.1.rate > policy.maxErrorRate }
        checks.append(
            GateCheck(
                code: "errors.rate", passed: over.isEmpty, infrastructure: true,
                message: (over.isEmpty ? rates : over).map {
                    "\($0.0) \(Format.percent($0.1.rate)) errored (\($0.1.errors) of \($0.1.results))"
                }
                .joined(separator: ", ") + ", at most \(Format.percent(policy.maxErrorRate)) allowed"))

        let answers = [
            ("'\(diff.base.label)'", diff.answers.base), ("'\(diff.candidate.label)'", diff.answers.candidate),
        ]
        let truncated = answers.filter { $0.1.truncatedRate > policy.maxTruncatedRate }
        checks.append(
            GateCheck(
                code: "truncation.rate", passed: truncated.isEmpty,
                message: (truncated.isEmpty ? answers : truncated)
                    .map {
                        "\($0.0) \(Format.percent($0.1.truncatedRate)) of answers cut off by the token limit (\($0.1.truncated) of \($0.1.answers))"
                    }
                    .joined(separator: ", ") + ", at most \(Format.percent(policy.maxTruncatedRate)) allowed"
                    + (truncated.isEmpty
                        ? "" : "; a cut-off answer fails for the limit, not the model: raise max_tokens and rerun"),
                cases: truncated.flatMap { label, stats in
                    stats.suites.filter { $0.truncated > 0 }.map {
                        "\(label) suite '\($0.name)': \($0.truncated) of \($0.answers) answers cut off"
                    }
                }))

        let incomplete = [diff.base, diff.candidate].filter(\.isIncomplete)
        checks.append(
            GateCheck(
                code: "run.incomplete", passed: incomplete.isEmpty || policy.allowIncomplete, infrastructure: true,
                message: incomplete.isEmpty
                    ? "both runs are complete"
                    : incomplete.map {
                        "'\($0.label)' has \($0.results) of \($0.expectedResults) results (\($0.outcome))"
                    }.joined(separator: ", ")
                        + (policy.allowIncomplete ? " (allowed by the policy)" : "")))

        if let maximum = policy.overfittingMaxGap {
            checks.append(overfittingCheck(diff, maximum: maximum))
        }

        for index in checks.indices { checks[index].level = policy.level(of: checks[index].code) }
        return GateResult(base: diff.base.label, candidate: diff.candidate.label, policy: policy, checks: checks)
    }

    /// A pass rate of the candidate's cases that must be at least `minimum`.
    static func rateCheck(
        code: String, noun: String, _ cases: [CaseOutcome], minimum: Double, failing: [String], golden: Bool
    ) -> GateCheck {
        var counts = StatusCounts()
        for outcome in cases { counts.add(outcome.verdict) }
        guard counts.answered > 0 else {
            // No case of this kind at all is a run without them; cases that are there but of which none was answered
            // and checked (all errored, all unchecked) leave the rate unknown, and an unknown rate never passes.
            let unvouched = cases.map {
                "\($0.suite)/\($0.caseID): \($0.verdict == .unchecked ? "unchecked" : "no answer")"
            }
            // Only errors: the endpoint's failure, exit 3 like errors.rate; any unchecked case: the suite's own choice, 1.
            return GateCheck(
                code: code, passed: cases.isEmpty, infrastructure: counts.unchecked == 0,
                message: cases.isEmpty
                    ? "no \(noun) case"
                    : "none of the \(Format.plural(cases.count, "\(noun) case")) was answered and checked "
                        + "(\(counts.errors) errored, \(counts.unchecked) unchecked): their pass rate is unknown",
                cases: unvouched, goldenCases: golden ? unvouched.count : 0)
        }
        let rate = Double(counts.passed) / Double(counts.answered)
        let passed = rate >= minimum
        return GateCheck(
            code: code, passed: passed,
            message:
                "\(noun) pass rate \(Format.percent(rate)) (\(counts.passed) of \(counts.answered)), at least \(Format.percent(minimum)) required",
            cases: passed ? [] : failing, goldenCases: golden && !passed ? failing.count : 0)
    }

    /// The candidate's train-sample pass rate minus its held-out eval pass rate, at most `maximum`; a gap nobody
    /// measured (no train-sample or no eval case answered) never passes.
    static func overfittingCheck(_ diff: RunDiff, maximum: Double) -> GateCheck {
        let code = "overfitting.gap"
        guard let gap = OverfittingGap(label: diff.candidate.label, cases: diff.candidateCases) else {
            return GateCheck(
                code: code, passed: false,
                message:
                    "'\(diff.candidate.label)' has no train-sample case: the overfitting gap cannot be measured (add a suite of kind train-sample, or remove overfitting.max_gap)"
            )
        }
        guard let value = gap.gap else {
            return GateCheck(
                code: code, passed: false,
                message:
                    "'\(diff.candidate.label)': train-sample or held-out eval has no answered case: the overfitting gap is unknown"
            )
        }
        return GateCheck(
            code: code, passed: value <= maximum + 1e-9,
            message: MarkdownRenderer.describe(gap) + ", at most \(Format.points(maximum)) allowed")
    }

    static func describe(_ change: CaseChange) -> String {
        let rules = change.candidate?.rules ?? []
        return "\(change.suite)/\(change.caseID)" + (rules.isEmpty ? "" : ": " + rules.joined(separator: ", "))
    }

    static func named(_ group: String, _ delta: GroupDelta) -> GroupDelta {
        var delta = delta
        delta.name = "\(group) '\(delta.name)'"
        return delta
    }
}

/// The gate's decision: every rule it checked, the reasons it failed, the exit code.
public struct GateResult: Sendable, Hashable, Encodable {
    public static let schemaVersion = "evalgate.gate/1"

    public enum Verdict: String, Sendable, Hashable, Encodable {
        case pass
        case fail
        /// Only infrastructure rules failed.
        case error
    }

    public var schema = GateResult.schemaVersion
    public var base: String
    public var candidate: String
    public var policy: GatePolicy
    public var checks: [GateCheck]

    init(base: String, candidate: String, policy: GatePolicy, checks: [GateCheck]) {
        self.base = base
        self.candidate = candidate
        self.policy = policy
        self.checks = checks
    }

    /// The rules that failed at level `fail`: the reasons of the verdict.
    public var reasons: [GateCheck] { checks.filter { !$0.passed && $0.level == .fail } }

    /// The rules that failed at level `warn`: listed, never failing the gate.
    public var warnings: [GateCheck] { checks.filter { !$0.passed && $0.level == .warn } }

    public var verdict: Verdict {
        let reasons = reasons
        if reasons.contains(where: { !$0.infrastructure }) { return .fail }
        return reasons.isEmpty ? .pass : .error
    }

    /// 0 pass, 1 fail, 3 infrastructure.
    public var exitCode: Int32 {
        switch verdict {
        case .pass: 0
        case .fail: 1
        case .error: 3
        }
    }

    /// `evalgate gate: FAIL — 'v1.4' against 'v1.3': golden.regression, findings.new_pii`.
    public var headline: String {
        let reasons = reasons
        let what = "'\(candidate)' against '\(base)'"
        let warned = warnings
        switch verdict {
        case .pass where !warned.isEmpty:
            return "evalgate gate: PASS with \(Format.plural(warned.count, "warning")) — \(what): "
                + warned.map(\.code).joined(separator: ", ")
        case .pass: return "evalgate gate: PASS — \(what): all \(checks.count) rules passed"
        case .fail: return "evalgate gate: FAIL — \(what): " + reasons.map(\.code).joined(separator: ", ")
        case .error:
            return "evalgate gate: ERROR — \(what): " + reasons.map(\.code).joined(separator: ", ")
                + " (rerun: the evidence is incomplete)"
        }
    }

    /// The headline, then one line per failed rule (reasons, then warnings) with its golden cases, all of them,
    /// and up to `casesPerReason` of the others.
    public func text(casesPerReason: Int = 10) -> String {
        var lines = [headline]
        for check in reasons + warnings {
            lines.append("  [\(check.level == .warn ? "warn " : "")\(check.code)] \(check.message)")
            let (shown, hidden) = check.listed(limit: casesPerReason)
            for item in shown { lines.append("    - \(item)") }
            if hidden > 0 {
                lines.append(
                    "    - … and \(hidden) more not shown (all \(check.cases.count) are in the report: --format json --out FILE)"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    enum CodingKeys: String, CodingKey {
        case schema, base, candidate, policy, checks, verdict
        case exitCode = "exit_code"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(base, forKey: .base)
        try container.encode(candidate, forKey: .candidate)
        try container.encode(policy, forKey: .policy)
        try container.encode(checks, forKey: .checks)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(exitCode, forKey: .exitCode)
    }
}

/// One rule of the gate and how it went. Codes are stable: scripts may match on them.
public struct GateCheck: Sendable, Hashable, Encodable {
    /// One of `GatePolicy.ruleCodes`.
    public var code: String
    public var passed: Bool
    /// A failure of this rule means missing evidence (exit 3), not a worse model (exit 1).
    public var infrastructure: Bool
    /// `fail`: a failure decides the verdict; `warn`: a failure is listed and the gate still passes.
    public var level: RuleLevel
    public var message: String
    /// The cases or groups behind a failure (masked like the rest of the report), golden cases first.
    public var cases: [String]
    /// The first `goldenCases` of `cases` are golden: never cut from any listing.
    public var goldenCases: Int

    public init(
        code: String, passed: Bool, infrastructure: Bool = false, level: RuleLevel = .fail, message: String,
        cases: [String] = [],
        goldenCases: Int = 0
    ) {
        self.code = code
        self.passed = passed
        self.infrastructure = infrastructure
        self.level = level
        self.message = message
        self.cases = cases
        self.goldenCases = min(goldenCases, cases.count)
    }

    /// The cases a listing shows: every golden one, then up to `limit` others; and how many are left out.
    public func listed(limit: Int) -> (shown: ArraySlice<String>, hidden: Int) {
        let count = min(cases.count, goldenCases + max(0, limit))
        return (cases.prefix(count), cases.count - count)
    }

    enum CodingKeys: String, CodingKey {
        case code, passed, infrastructure, level, message, cases
        case goldenCases = "golden_cases"
    }
}

/// The JSON of `evalgate gate --format json --out FILE`: the decision and the diff it judged.
public struct GateReport: Sendable, Encodable {
    public var gate: GateResult
    public var diff: RunDiff

    public init(gate: GateResult, diff: RunDiff) {
        self.gate = gate
        self.diff = diff
    }
}
