public import EvalCore
import Foundation

/// The draws the bootstrap needs, on EvalCore's seeded `SplitMix64`.
extension SplitMix64 {
    /// Uniform in (0, 1]: 53 random bits, never 0, so that its logarithm is finite.
    public mutating func nextUnitOpen() -> Double {
        Double((next() >> 11) + 1) * 0x1p-53
    }

    /// A standard normal draw (Box–Muller).
    public mutating func standardNormal() -> Double {
        let u = nextUnitOpen()
        let v = nextUnitOpen()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A draw from Binomial(n, p), exactly for small variances: the gaps between successes are geometric, so it costs about n·min(p, 1−p)
    /// steps rather than n.
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        if n <= 0 || p <= 0 { return 0 }
        if p >= 1 { return n }
        if p > 0.5 { return n - binomial(n, 1 - p) }
        let variance = Double(n) * p * (1 - p)
        if variance > 1000 {
            // The exact method costs n·p steps; past a variance of 1,000 (skewness under 0.03) the normal
            // approximation with continuity rounding is indistinguishable and costs one draw.
            let draw = (Double(n) * p + variance.squareRoot() * standardNormal()).rounded()
            return Int(min(Double(n), max(0, draw)))
        }
        let logQ = log1p(-p)
        var count = 0
        var position = 0.0
        let limit = Double(n)
        while true {
            // Trials up to and including the next success: ⌊ln U / ln(1−p)⌋ + 1.
            position += (log(nextUnitOpen()) / logQ).rounded(.down) + 1
            if position > limit { return count }
            count += 1
        }
    }
}
