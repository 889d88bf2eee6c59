public import EvalCore
import Foundation

/// Every check type by name. The eval-set loader asks it whether a spec is valid; the runner builds checks from it.
public struct CheckRegistry: Sendable {
    public let types: [String: any Check.Type]

    public init(_ checks: [any Check.Type]) {
        var types: [String: any Check.Type] = [:]
        for check in checks { types[check.type] = check }
        self.types = types
    }

    /// Every built-in check.
    public static let standard = CheckRegistry(StandardChecks.all)

    public var names: [String] { types.keys.sorted() }

    /// Builds a check from a spec, validating its options; unknown types and unknown options are errors.
    public func make(_ spec: CheckSpec) throws(CheckConfigurationError) -> any Check {
        guard let checkType = types[spec.type] else {
            var message = "unknown check type '\(spec.type)'"
            if let suggestion = suggestion(for: spec.type) { message += "; did you mean '\(suggestion)'?" }
            throw CheckConfigurationError(message)
        }
        var options = CheckOptions(spec)
        let check = try checkType.init(options: &options)
        let unused = options.unusedKeys
        if !unused.isEmpty {
            throw CheckConfigurationError(
                "unknown option\(unused.count == 1 ? "" : "s") \(unused.map { "'\($0)'" }.joined(separator: ", ")) for check '\(spec.type)'"
            )
        }
        return check
    }

    /// The closest known type name, when one is close enough to be a typo.
    public func suggestion(for name: String) -> String? {
        let lowered = name.lowercased()
        let scored = names.map { ($0, editDistance(lowered, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, name.count / 3) ? best.0 : nil
    }

    /// A hash of every check's type and version: it changes whenever a verdict may change.
    public var versionHash: String {
        let text = names.map { "\($0)@\(types[$0]!.version)" }.joined(separator: ",")
        return StableHash.hex(Array(text.utf8))
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
