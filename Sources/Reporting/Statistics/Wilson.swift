/// A proportion with its 95% (or other) Wilson score interval.
///
/// Wilson rather than the normal ("Wald") interval: it stays inside [0, 1] and keeps its coverage for small counts
/// and for rates near 0 or 1, which is where eval sets live (a golden set passing 44 of 44).
public struct WilsonInterval: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The interval for `successes` of `trials` at the two-sided `confidence`; [0, 1] when there are no trials.
    ///
    /// center = (p + z²/2n) / (1 + z²/n), half width = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²).
    public init(successes: Int, trials: Int, confidence: Double = 0.95) {
        guard trials > 0 else {
            self.init(lower: 0, upper: 1)
            return
        }
        let n = Double(trials)
        let p = Double(successes) / n
        let z = Normal.quantile(1 - (1 - confidence) / 2)
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        self.init(lower: max(0, center - half), upper: min(1, center + half))
    }
}
