/// The interval of a difference of two independent proportions p1 − p2 built from their Wilson intervals
/// (Newcombe 1998, method 10, the "hybrid score" interval): with (l1, u1) and (l2, u2) the Wilson intervals,
/// lower = d − √((p1 − l1)² + (u2 − p2)²), upper = d + √((u1 − p1)² + (p2 − l2)²). It keeps the Wilson interval's
/// coverage for small counts and rates near 0 or 1, where a Wald interval of the difference fails.
public struct DifferenceInterval: Sendable, Hashable, Codable {
    public var difference: Double
    public var lower: Double
    public var upper: Double

    public init(successes1: Int, trials1: Int, successes2: Int, trials2: Int, confidence: Double = 0.95) {
        let p1 = trials1 > 0 ? Double(successes1) / Double(trials1) : 0
        let p2 = trials2 > 0 ? Double(successes2) / Double(trials2) : 0
        let first = WilsonInterval(successes: successes1, trials: trials1, confidence: confidence)
        let second = WilsonInterval(successes: successes2, trials: trials2, confidence: confidence)
        difference = p1 - p2
        lower =
            difference
            - ((p1 - first.lower) * (p1 - first.lower) + (second.upper - p2) * (second.upper - p2)).squareRoot()
        upper =
            difference
            + ((first.upper - p1) * (first.upper - p1) + (p2 - second.lower) * (p2 - second.lower)).squareRoot()
    }
}
