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
            message += didYouMean(suggestion(for: spec.type))
            throw CheckConfigurationError(message)
        }
        var options = CheckOptions(spec)
        let check = try checkType.init(options: &options)
        if let unknown = options.unknownOption { throw CheckConfigurationError(unknown) }
        return check
    }

    /// The closest known type name, when one is close enough to be a typo.
    public func suggestion(for name: String) -> String? {
        closestName(to: name, in: names)
    }

    /// A hash of every check's type and version: it changes whenever a verdict may change.
    public var versionHash: String {
        let text = names.map { "\($0)@\(types[$0]!.version)" }.joined(separator: ",")
        return StableHash.hex(Array(text.utf8))
    }
}
