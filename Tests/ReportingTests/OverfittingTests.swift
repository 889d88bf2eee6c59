import Testing

@testable import Reporting

@Suite struct OverfittingTests {
    /// Newcombe (1998), "Interval estimation for the difference between independent proportions", Table II,
    /// example (a): 56/70 − 48/80 = 0.2000, method 10 (score, from Wilson intervals): 0.0524 to 0.3339.
    @Test func theDifferenceIntervalMatchesNewcombesWorkedExample() {
        let interval = DifferenceInterval(successes1: 56, trials1: 70, successes2: 48, trials2: 80)
        #expect(abs(interval.difference - 0.2) < 1e-12)
        #expect(abs(interval.lower - 0.0524) < 0.00006, "\(interval.lower)")
        #expect(abs(interval.upper - 0.3339) < 0.00006, "\(interval.upper)")
    }

    /// Newcombe's example (h), at the boundary: 0/10 − 0/20 = 0, method 10: −0.1611 to 0.2775.
    @Test func theIntervalStaysMeaningfulAtZero() {
        let interval = DifferenceInterval(successes1: 0, trials1: 10, successes2: 0, trials2: 20)
        #expect(abs(interval.lower + 0.1611) < 0.00006, "\(interval.lower)")
        #expect(abs(interval.upper - 0.2775) < 0.00006, "\(interval.upper)")
    }
}
