/// The ranges of every numeric setting, from flags and from the config file alike: values outside them are refused
/// with the range named, before anything runs (a timeout of 1e19 seconds cannot become a `Duration`).
public enum RunLimits {
    /// Every timeout and wait, in seconds: a millisecond to a day.
    public static let seconds: ClosedRange<Double> = 0.001...86_400
    public static let concurrency: ClosedRange<Int> = 1...10_000
    public static let requestsPerSecond: ClosedRange<Double> = 0.001...1_000_000
    public static let tokensPerMinute: ClosedRange<Int> = 1...1_000_000_000_000
    public static let repeats: ClosedRange<Int> = 1...1_000_000
    public static let maxAttempts: ClosedRange<Int> = 1...100
    /// 1 KiB to 1 GiB: a body is held in memory.
    public static let responseBytes: ClosedRange<Int> = 1024...(1 << 30)
    public static let errorRate: ClosedRange<Double> = 0...1
    public static let rateLimitRequeues: ClosedRange<Int> = 0...1_000
    public static let rateLimitBudget: ClosedRange<Int> = 1...1_000_000

    /// Results one target's log may be asked to hold (cases × repeats): the queue of a run keeps 12 bytes per
    /// result in memory and a report reads the whole log, so a typo such as `--repeats 1000000000000` is refused
    /// before a log is created instead of growing memory until the process dies.
    public static let resultsPerLog = 10_000_000

    /// `seconds` as a Duration; only for values within `seconds` (finite, at most a day).
    public static func duration(seconds: Double) -> Duration {
        .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// `86400`, `0.001`, `1e+19`: a number as a message shows it (no `.0` on whole numbers).
    public static func text(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// `must be between 1 and 100, found 1000`: the message for a number out of its range.
    public static func outOfRange(_ range: ClosedRange<Double>, found: Double, unit: String = "") -> String {
        "must be \(between(range, unit: unit)), found \(text(found))"
    }

    public static func outOfRange(_ range: ClosedRange<Int>, found: Int, unit: String = "") -> String {
        "must be \(between(range, unit: unit)), found \(found)"
    }

    /// `between 0.001 and 86400 seconds`: a range as messages name it.
    public static func between(_ range: ClosedRange<Double>, unit: String = "") -> String {
        "between \(text(range.lowerBound)) and \(text(range.upperBound))\(unit.isEmpty ? "" : " \(unit)")"
    }

    public static func between(_ range: ClosedRange<Int>, unit: String = "") -> String {
        "between \(range.lowerBound) and \(range.upperBound)\(unit.isEmpty ? "" : " \(unit)")"
    }
}
