import Foundation

/// Numbers as reports print them: fixed decimals, a dot, no locale, so that golden files match on every machine.
enum Format {
    static func percent(_ rate: Double?) -> String {
        guard let rate else { return "—" }
        return String(format: "%.1f%%", rate * 100)
    }

    /// A change in pass rate in percentage points: `+2.5 pts`, `-3.0 pts`, `±0.0 pts`.
    static func points(_ delta: Double) -> String {
        let value = (delta * 1000).rounded() / 10
        if value == 0 { return "±0.0 pts" }
        return String(format: "%+.1f pts", value)
    }

    static func interval(_ interval: WilsonInterval?) -> String {
        guard let interval else { return "—" }
        return String(format: "%.1f–%.1f%%", interval.lower * 100, interval.upper * 100)
    }

    static func pointsInterval(_ bootstrap: PairedBootstrap) -> String {
        pointsRange(bootstrap.lower, bootstrap.upper)
    }

    /// `-3.0…+12.5 pts`.
    static func pointsRange(_ lower: Double, _ upper: Double) -> String {
        String(format: "%+.1f…%+.1f pts", lower * 100, upper * 100)
            .replacingOccurrences(of: "+0.0", with: "0.0").replacingOccurrences(of: "-0.0", with: "0.0")
    }

    static func pValue(_ p: Double) -> String {
        if p < 0.001 { return "< 0.001" }
        if p >= 0.995 { return "1.00" }
        return p < 0.01 ? String(format: "%.3f", p) : String(format: "%.2f", p)
    }

    /// `p = 0.02`, or `p < 0.001` for the smallest values.
    static func pClause(_ p: Double) -> String {
        p < 0.001 ? "p < 0.001" : "p = \(pValue(p))"
    }

    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.0f ms", value)
    }

    static func signedMilliseconds(_ base: Double?, _ candidate: Double?) -> String {
        guard let base, let candidate else { return "—" }
        return String(format: "%+.0f ms", candidate - base)
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.1f", value)
    }

    static func signed(_ base: Double?, _ candidate: Double?) -> String {
        guard let base, let candidate else { return "—" }
        return String(format: "%+.1f", candidate - base)
    }

    static func plural(_ count: Int, _ noun: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? noun : (plural ?? noun + "s"))"
    }

    /// `passed 2 of 3` for a case run more than once; empty for a single repeat.
    static func repeats(passed: Int, failed: Int, errors: Int) -> String {
        let total = passed + failed + errors
        guard total > 1 else { return "" }
        return "\(passed)/\(total) passed" + (errors > 0 ? ", \(errors) errored" : "")
    }
}
