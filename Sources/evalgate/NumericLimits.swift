import ArgumentParser
import EvalRunner

/// The checks of the numeric flags against their ranges (`RunLimits`, shared with the config file), made before
/// anything runs: a value out of range is a usage error that names the range (`--timeout must be between 0.001 and
/// 86400 seconds, found 1e+19`), never a crash on a conversion.
///
/// Numeric options are declared with `parsing: .unconditional`, so that `--concurrency -5` reaches this check
/// instead of being taken for a flag ("Missing value").
enum NumericLimits {
    /// Throws when `value` is given and outside `range`; `unit` ends the message (`seconds`, `bytes`...).
    static func check(_ flag: String, _ value: Double?, in range: ClosedRange<Double>, unit: String = "") throws {
        // `!contains` also refuses NaN, which compares false with everything.
        if let value, !range.contains(value) {
            throw ValidationError("\(flag) \(RunLimits.outOfRange(range, found: value, unit: unit))")
        }
    }

    static func check(_ flag: String, _ value: Int?, in range: ClosedRange<Int>, unit: String = "") throws {
        if let value, !range.contains(value) {
            throw ValidationError("\(flag) \(RunLimits.outOfRange(range, found: value, unit: unit))")
        }
    }
}
