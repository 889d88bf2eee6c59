import EvalCore

/// A percentile bootstrap interval for the change in pass rate of a paired comparison.
///
/// Resampling n paired cases with replacement only matters through how many land in each of the four cells
/// (both pass, both fail, regressed, fixed), and the change in pass rate is (fixed* − regressed*) / n. So each
/// resample draws the discordant count D* ~ Binomial(n, (regressed + fixed) / n) and then fixed* ~ Binomial(D*,
/// fixed / (regressed + fixed)): the same distribution as drawing n case indices (large counts drawn from the normal
/// approximation, see `SplitMix64.binomial`), at a cost proportional to the
/// discordant cases instead of all cases, which keeps a 100,000-case diff fast.
public struct PairedBootstrap: Sendable, Hashable, Codable {
    /// Bounds of the interval for candidate − baseline pass rate, as fractions (−1…1).
    public var lower: Double
    public var upper: Double
    public var confidence: Double
    public var resamples: Int
    public var seed: UInt64

    public init(lower: Double, upper: Double, confidence: Double, resamples: Int, seed: UInt64) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.resamples = resamples
        self.seed = seed
    }

    /// The interval for `cases` paired cases of which `regressed` and `fixed` changed verdict. The bounds are the
    /// order statistics at ⌊B·(1−c)/2⌋ and ⌈B·(1+c)/2⌉ − 1 (0-based) of the B sorted resampled changes.
    public init(
        cases n: Int, regressed: Int, fixed: Int, resamples: Int = 2000, confidence: Double = 0.95, seed: UInt64
    ) {
        precondition(resamples > 0 && regressed >= 0 && fixed >= 0 && regressed + fixed <= n)
        let discordant = regressed + fixed
        guard n > 0, discordant > 0 else {
            self.init(lower: 0, upper: 0, confidence: confidence, resamples: resamples, seed: seed)
            return
        }
        var generator = SplitMix64(seed: seed)
        let discordantRate = Double(discordant) / Double(n)
        let fixedShare = Double(fixed) / Double(discordant)
        var changes: [Int] = []
        changes.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let drawn = generator.binomial(n, discordantRate)
            let fixedDrawn = generator.binomial(drawn, fixedShare)
            changes.append(fixedDrawn - (drawn - fixedDrawn))
        }
        changes.sort()
        let alpha = (1 - confidence) / 2
        let lowIndex = min(resamples - 1, Int((Double(resamples) * alpha).rounded(.down)))
        let highIndex = max(0, min(resamples - 1, Int((Double(resamples) * (1 - alpha)).rounded(.up)) - 1))
        self.init(
            lower: Double(changes[lowIndex]) / Double(n), upper: Double(changes[highIndex]) / Double(n),
            confidence: confidence, resamples: resamples, seed: seed
        )
    }
}
