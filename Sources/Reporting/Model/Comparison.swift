import EvalCore

/// What `evalgate compare` says about N versions (checkpoints, adapters) run on the same eval sets: a matrix of
/// pass rates (kind, suite, tag × version), which golden sets each version passes, the best version under the
/// constraint that its golden cases all pass, and what changed from each version to the next.
/// JSON schema `evalgate.compare/1` (see JSONSchema.md).
public struct Comparison: Sendable, Encodable {
    public static let schemaVersion = "evalgate.compare/1"

    public var schema = Comparison.schemaVersion
    /// In the order given (oldest first, as a trend reads).
    public var versions: [RunInfo]
    /// Rows `all`, then kinds, suites and tags; one cell per version (nil when the version has no such case).
    public var rows: [MatrixRow]
    public var golden: [GoldenStatus]
    public var best: BestVersion?
    /// Each version against the one before it.
    public var steps: [Step]
    public var warnings: [String]
    /// The train-sample vs held-out gap per version, where it starts to widen and the checkpoint to stop at; nil
    /// without a `train-sample` suite.
    public var overfitting: OverfittingTrend?
    /// Each version's cases (not in the JSON): what the JUnit renderer writes.
    public var versionCases: [[CaseOutcome]]

    enum CodingKeys: String, CodingKey {
        case schema, versions, rows, golden, best, steps, warnings, overfitting
    }

    /// Compares the runs in order; throws when two of them ran different eval sets and `options` does not allow it.
    public static func make(_ runs: [RunIndex], options: DiffOptions = DiffOptions()) throws(DiffError) -> Comparison {
        var steps: [Step] = []
        var warnings: [String] = []
        for (old, new) in zip(runs, runs.dropFirst()) {
            let diff = try RunDiff.make(base: old, candidate: new, options: options)
            steps.append(
                Step(
                    from: old.label, to: new.label, paired: diff.total.paired, regressed: diff.regressed.count,
                    fixed: diff.fixed.count,
                    delta: diff.total.delta, pValue: diff.total.pValue, newFindings: diff.newFindings.count))
            warnings += diff.differences.map {
                "'\(old.label)' → '\(new.label)' differ (allowed by --allow-differences): \($0)"
            }
            warnings += diff.warnings.filter { !warnings.contains($0) }
        }
        if runs.count == 1 { warnings += RunSummary.warnings(runs[0]) }
        let tallies = runs.map { run in
            var tally = GroupTally()
            for outcome in run.cases { tally.add(outcome) }
            return tally
        }
        func rows(_ group: String, _ pick: (GroupTally) -> [String: StatusCounts], order: [String]? = nil)
            -> [MatrixRow]
        {
            let names = order ?? Set(tallies.flatMap { pick($0).keys }).sorted()
            return names.compactMap { name in
                let cells = tallies.map { pick($0)[name].map { GroupRate(name: name, counts: $0) } }
                return cells.contains { $0 != nil } ? MatrixRow(group: group, name: name, cells: cells) : nil
            }
        }
        let matrix =
            rows("all", { ["all": $0.total] }) + rows("kind", \.kinds, order: SuiteKind.allCases.map(\.rawValue))
            + rows("suite", \.suites) + rows("tag", \.tags)
        let golden = zip(runs, tallies).map { run, tally in
            GoldenStatus(label: run.label, counts: tally.kinds[SuiteKind.golden.rawValue] ?? StatusCounts())
        }
        return Comparison(
            versions: runs.map(RunInfo.init), rows: matrix, golden: golden,
            best: Self.best(runs: runs, tallies: tallies, golden: golden), steps: steps, warnings: warnings,
            overfitting: OverfittingTrend(labels: runs.map(\.label), cases: runs.map(\.cases)),
            versionCases: runs.map(\.cases))
    }

    /// Among the versions whose golden cases all passed (all versions when there is no golden suite), the one with
    /// the highest eval pass rate, then the highest overall pass rate, then the latest.
    static func best(runs: [RunIndex], tallies: [GroupTally], golden: [GoldenStatus]) -> BestVersion? {
        let hasGolden = golden.contains { $0.cases > 0 }
        var bestIndex: Int?
        var bestKey: (Double, Double) = (-1, -1)
        for index in runs.indices where !hasGolden || golden[index].fullyPassing {
            let tally = tallies[index]
            let eval = tally.kinds[SuiteKind.eval.rawValue].flatMap(\.passRate) ?? -1
            let total = tally.total.passRate ?? -1
            if bestIndex == nil || (eval, total) >= bestKey {
                bestIndex = index
                bestKey = (eval, total)
            }
        }
        guard let bestIndex else { return nil }
        let eval = bestKey.0 >= 0 ? bestKey.0 : nil
        var reason = hasGolden ? "every golden case passes" : "no golden suite constrains the choice"
        reason +=
            eval.map { "; the highest eval pass rate (\(Format.percent($0)))" }
            ?? "; the highest pass rate (\(Format.percent(bestKey.1)))"
        return BestVersion(label: runs[bestIndex].label, evalRate: eval.map(rounded), reason: reason)
    }
}

public struct MatrixRow: Sendable, Hashable, Encodable {
    /// `all`, `kind`, `suite` or `tag`.
    public var group: String
    public var name: String
    public var cells: [GroupRate?]
}

public struct GoldenStatus: Sendable, Hashable, Encodable {
    public var label: String
    public var passed: Int
    public var failed: Int
    public var errors: Int

    init(label: String, counts: StatusCounts) {
        self.label = label
        passed = counts.passed
        failed = counts.failed
        errors = counts.errors
    }

    public var cases: Int { passed + failed + errors }
    /// Every golden case answered and passed.
    public var fullyPassing: Bool { cases > 0 && failed == 0 && errors == 0 }

    enum CodingKeys: String, CodingKey {
        case label, passed, failed, errors
        case fullyPassing = "fully_passing"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(label, forKey: .label)
        try container.encode(passed, forKey: .passed)
        try container.encode(failed, forKey: .failed)
        try container.encode(errors, forKey: .errors)
        try container.encode(fullyPassing, forKey: .fullyPassing)
    }
}

public struct BestVersion: Sendable, Hashable, Encodable {
    public var label: String
    public var evalRate: Double?
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case label
        case evalRate = "eval_rate"
        case reason
    }
}

public struct Step: Sendable, Hashable, Encodable {
    public var from: String
    public var to: String
    public var paired: Int
    public var regressed: Int
    public var fixed: Int
    public var delta: Double
    public var pValue: Double
    /// PII and promise findings new in `to` against `from` (`RunDiff.newFindings`).
    public var newFindings: Int

    enum CodingKeys: String, CodingKey {
        case from, to, paired, regressed, fixed, delta
        case pValue = "p_value"
        case newFindings = "new_findings"
    }
}

extension StatusCounts {
    var passRate: Double? { answered == 0 ? nil : Double(passed) / Double(answered) }
}
