/// The smallest change in pass rate a paired comparison of this many cases could detect.
///
/// From Connor's (1987) sample size for McNemar's test: a change δ with discordant rate ψ is detected at two-sided
/// level α with power 1−β when √n·δ ≥ z₁₋α/₂·√ψ + z₁₋β·√(ψ − δ²). ψ is the observed discordant rate, but never less
/// than δ itself (a change of δ needs at least δ of the cases to change verdict), so that a comparison without any
/// changed case still gets an honest, finite answer. Solved for δ by bisection.
public enum DetectableEffect {
    /// The smallest detectable change (a fraction, 0…1); 1 when even a change of every case would not be detected.
    public static func minimum(cases n: Int, discordant: Int, alpha: Double = 0.05, power: Double = 0.8) -> Double {
        guard n > 0 else { return 1 }
        let za = Normal.quantile(1 - alpha / 2)
        let zb = Normal.quantile(power)
        let observed = Double(discordant) / Double(n)
        let root = Double(n).squareRoot()
        func detected(_ delta: Double) -> Bool {
            let psi = max(observed, delta)
            return root * delta >= za * psi.squareRoot() + zb * max(0, psi - delta * delta).squareRoot()
        }
        guard detected(1) else { return 1 }
        var low = 0.0
        var high = 1.0
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if detected(middle) { high = middle } else { low = middle }
        }
        return high
    }
}
