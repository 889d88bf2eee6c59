import EvalCore

/// How far a version does better on cases drawn from its training data (`train-sample` suites) than on the held-out
/// eval set (`eval` suites): the gap between the two pass rates, with the 95% interval of the difference (Newcombe's,
/// from the two Wilson intervals). A model that learns its training examples rather than the task shows a gap that
/// widens from checkpoint to checkpoint.
public struct OverfittingGap: Sendable, Hashable, Encodable {
    public var label: String
    public var train: GroupRate
    public var heldOut: GroupRate
    /// train − held-out; nil when either has no answered case.
    public var gap: Double?
    public var interval: DifferenceInterval?

    /// nil when the version has no `train-sample` case: there is nothing to compare.
    public init?(label: String, cases: [CaseOutcome], confidence: Double = 0.95) {
        var train = StatusCounts()
        var heldOut = StatusCounts()
        var hasTrain = false
        for outcome in cases {
            if outcome.kind == .trainSample {
                hasTrain = true
                train.add(outcome.verdict)
            } else if outcome.kind == .eval {
                heldOut.add(outcome.verdict)
            }
        }
        guard hasTrain else { return nil }
        self.label = label
        self.train = GroupRate(
            name: SuiteKind.trainSample.rawValue, kind: .trainSample, counts: train, confidence: confidence)
        self.heldOut = GroupRate(name: SuiteKind.eval.rawValue, kind: .eval, counts: heldOut, confidence: confidence)
        if train.answered > 0, heldOut.answered > 0 {
            let difference = DifferenceInterval(
                successes1: train.passed, trials1: train.answered, successes2: heldOut.passed,
                trials2: heldOut.answered,
                confidence: confidence)
            gap = rounded(difference.difference)
            interval = DifferenceInterval(
                difference: gap!, lower: rounded(difference.lower), upper: rounded(difference.upper))
        }
    }

    enum CodingKeys: String, CodingKey {
        case label, train
        case heldOut = "held_out"
        case gap
        case interval = "ci"
    }
}

extension DifferenceInterval {
    init(difference: Double, lower: Double, upper: Double) {
        self.difference = difference
        self.lower = lower
        self.upper = upper
    }
}

/// The gap across checkpoints (in the comparison's order) and where it starts to widen.
///
/// Overfitting starts at the first checkpoint k (after the first) where the gap is wider than at checkpoint k−1 by
/// at least `minWidening`, the held-out pass rate did not rise by that much, and every later checkpoint's gap stays
/// wider than checkpoint k−1's by that much too: a widening that lasts, not one noisy step. Early stopping recommends
/// checkpoint k−1, the last before it.
public struct OverfittingTrend: Sendable, Hashable, Encodable {
    public var gaps: [OverfittingGap]
    /// The label of the checkpoint where the widening starts; nil when the gap does not widen.
    public var startsAt: String?
    /// The last checkpoint before it (early stopping).
    public var recommended: String?
    public var minWidening: Double

    public static let defaultMinWidening = 0.05

    /// nil when no version has a `train-sample` case.
    public init?(labels: [String], cases: [[CaseOutcome]], minWidening: Double = OverfittingTrend.defaultMinWidening) {
        let all = zip(labels, cases).map { OverfittingGap(label: $0, cases: $1) }
        guard all.contains(where: { $0 != nil }) else { return nil }
        gaps = all.compactMap { $0 }
        self.minWidening = minWidening
        // Only versions where both rates were measured make the series.
        let measured = gaps.filter { $0.gap != nil }
        for k in measured.indices.dropFirst() {
            let before = measured[k - 1]
            let gap = measured[k].gap!
            let previous = before.gap!
            let heldOutRise = (measured[k].heldOut.rate ?? 0) - (before.heldOut.rate ?? 0)
            guard gap - previous >= minWidening - 1e-9, heldOutRise < minWidening else { continue }
            guard measured[k...].allSatisfy({ $0.gap! - previous >= minWidening - 1e-9 }) else { continue }
            startsAt = measured[k].label
            recommended = before.label
            break
        }
    }

    enum CodingKeys: String, CodingKey {
        case gaps
        case startsAt = "starts_at"
        case recommended
        case minWidening = "min_widening"
    }
}
