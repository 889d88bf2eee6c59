import Foundation

/// The exact McNemar test on the discordant pairs of a paired comparison.
///
/// Of the cases answered by both versions, only those whose verdict changed carry information: `regressed` (passed
/// in the baseline, failed in the candidate) and `fixed` (the reverse). Under "no change" each of the `n = regressed
/// + fixed` discordant cases is equally likely to go either way, so the smaller count is Binomial(n, ½); the
/// two-sided p-value is 2·P(X ≤ min(regressed, fixed)), capped at 1. Exact, so it holds for the handful of
/// discordant cases a golden set produces, where the χ² approximation does not.
public enum McNemar {
    /// The two-sided exact p-value; 1 when there are no discordant cases.
    public static func pValue(regressed: Int, fixed: Int) -> Double {
        let n = regressed + fixed
        guard n > 0 else { return 1 }
        let k = min(regressed, fixed)
        return min(1, 2 * Binomial.cdf(k, trials: n, probability: 0.5))
    }
}

/// Binomial probabilities computed in log space, so that thousands of trials neither overflow nor underflow.
enum Binomial {
    /// P(X ≤ k) for X ~ Binomial(trials, probability).
    static func cdf(_ k: Int, trials n: Int, probability p: Double) -> Double {
        guard k >= 0 else { return 0 }
        guard k < n else { return 1 }
        let logP = log(p)
        let logQ = log1p(-p)
        var terms: [Double] = []
        terms.reserveCapacity(k + 1)
        for i in 0...k {
            terms.append(logChoose(n, i) + Double(i) * logP + Double(n - i) * logQ)
        }
        let largest = terms.max() ?? 0
        let sum = terms.reduce(0) { $0 + exp($1 - largest) }
        return min(1, exp(largest + log(sum)))
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }
}
