import EvalCore
import Foundation
import Reporting
import Testing

@Suite("Statistics: Wilson, exact McNemar, paired bootstrap, detectable change")
struct StatisticsTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 5e-5) -> Bool { abs(a - b) <= tolerance }

    @Test("Wilson intervals match hand-computed values")
    func wilson() {
        // 8/10, z = 1.959964: center = (0.8 + 0.19207)/1.38415 = 0.71674; half = 1.959964/1.38415·√(0.016 + 0.0096037)
        // = 0.22658 → [0.4902, 0.9433].
        let eight = WilsonInterval(successes: 8, trials: 10)
        #expect(close(eight.lower, 0.4902, 1e-4) && close(eight.upper, 0.9433, 1e-4), "\(eight)")
        // 0/10: [0, z²/(n + z²)] = [0, 3.8415/13.8415] = [0, 0.2775]; 10/10 mirrors it.
        let none = WilsonInterval(successes: 0, trials: 10)
        #expect(close(none.lower, 0, 1e-12) && close(none.upper, 0.2775, 1e-4), "\(none)")
        let all = WilsonInterval(successes: 10, trials: 10)
        #expect(close(all.lower, 0.7225, 1e-4) && close(all.upper, 1, 1e-12), "\(all)")
        // No trials: nothing is known.
        #expect(WilsonInterval(successes: 0, trials: 0) == WilsonInterval(lower: 0, upper: 1))
    }

    @Test(
        "exact McNemar p-values match hand-computed binomial tails",
        arguments: [
            // b=1, c=9: 2·P(X ≤ 1; n=10, ½) = 2·(1 + 10)/1024 = 0.021484375
            (1, 9, 0.021484375),
            (9, 1, 0.021484375),
            // b=0, c=6: 2·(1/64) = 0.03125; b=0, c=5: 2/32 = 0.0625
            (0, 6, 0.03125),
            (0, 5, 0.0625),
            // b=2, c=8: 2·(1 + 10 + 45)/1024 = 0.109375
            (2, 8, 0.109375),
            // equal counts and no discordant case: 1
            (5, 5, 1.0),
            (0, 0, 1.0),
        ]
    )
    func mcnemar(regressed: Int, fixed: Int, expected: Double) {
        #expect(close(McNemar.pValue(regressed: regressed, fixed: fixed), expected, 1e-12))
    }

    @Test("McNemar stays finite and accurate for thousands of discordant cases")
    func mcnemarLarge() {
        // b=450, c=550: the normal approximation with continuity correction gives z = 99/√1000 = 3.1307, p ≈ 0.00174.
        let p = McNemar.pValue(regressed: 450, fixed: 550)
        #expect(p > 0.0015 && p < 0.0020, "\(p)")
        #expect(McNemar.pValue(regressed: 0, fixed: 5000) < 1e-300 || McNemar.pValue(regressed: 0, fixed: 5000) == 0)
    }

    @Test("the paired bootstrap is reproducible for a seed and brackets the observed change")
    func bootstrap() {
        let first = PairedBootstrap(cases: 100, regressed: 0, fixed: 10, seed: 42)
        let again = PairedBootstrap(cases: 100, regressed: 0, fixed: 10, seed: 42)
        #expect(first == again)
        // The change is +0.10 with sd √(0.1·0.9/100) = 0.03: the 95% interval is about [0.05, 0.16], never below 0
        // (no resample can draw a regression that does not exist).
        #expect(first.lower >= 0.03 && first.lower <= 0.07, "\(first)")
        #expect(first.upper >= 0.14 && first.upper <= 0.17, "\(first)")
        // Pinned on seed 42 so that a change in the generator or the order statistics shows up.
        #expect(first.lower == 0.05 && first.upper == 0.16, "\(first)")
        let other = PairedBootstrap(cases: 100, regressed: 0, fixed: 10, seed: 43)
        #expect(other.resamples == 2000 && other.seed == 43)
        // Without discordant cases there is nothing to resample.
        #expect(PairedBootstrap(cases: 50, regressed: 0, fixed: 0, seed: 1).lower == 0)
        // A symmetric change brackets 0.
        let symmetric = PairedBootstrap(cases: 200, regressed: 20, fixed: 20, seed: 7)
        #expect(symmetric.lower < 0 && symmetric.upper > 0, "\(symmetric)")
    }

    @Test("binomial draws have the right mean, exactly and through the normal approximation")
    func binomialMean() {
        var generator = SplitMix64(seed: 1)
        var small = 0
        for _ in 0..<10_000 { small += generator.binomial(50, 0.3) }
        #expect(abs(Double(small) / 10_000 - 15) < 0.2)
        var large = 0
        for _ in 0..<2_000 { large += generator.binomial(100_000, 0.07) }
        #expect(abs(Double(large) / 2_000 - 7_000) < 10)
        // SplitMix64 reference output for seed 0 (Vigna's splitmix64.c): 0xE220A8397B1DCDAF.
        var reference = SplitMix64(seed: 0)
        #expect(reference.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test("the smallest detectable change follows Connor's formula")
    func detectable() {
        // n = 1000, 100 discordant: √1000·δ = 1.96·√0.1 + 0.8416·√(0.1 − δ²) → δ ≈ 0.0280.
        #expect(close(DetectableEffect.minimum(cases: 1000, discordant: 100), 0.0280, 3e-4))
        // n = 10 with no discordant case: ψ = δ, √10·δ = 1.96·√δ + 0.8416·√(δ − δ²) → δ ≈ 0.60 (exact McNemar needs
        // 6 of 6 changed cases for p < 0.05).
        let ten = DetectableEffect.minimum(cases: 10, discordant: 0)
        #expect(ten > 0.55 && ten < 0.65, "\(ten)")
        #expect(DetectableEffect.minimum(cases: 0, discordant: 0) == 1)
        // More cases detect smaller changes.
        #expect(
            DetectableEffect.minimum(cases: 10_000, discordant: 500)
                < DetectableEffect.minimum(cases: 1000, discordant: 50))
    }
}
