import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so that a bootstrap interval is the same on every
/// machine and every run for the same seed. Reporting keeps its own rather than borrowing EvalRunner's retry
/// jitter generator: Reporting depends on EvalCore only.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
