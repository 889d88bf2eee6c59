/// Why a run could not start or go on. `badInput` is the user's to fix (exit 2); `infrastructure` is the machine's
/// (a log that cannot be written, exit 3).
public struct RunError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case badInput
        case infrastructure
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func badInput(_ message: String) -> RunError { RunError(.badInput, message) }
    public static func infrastructure(_ message: String) -> RunError { RunError(.infrastructure, message) }

    public var description: String { message }
}
