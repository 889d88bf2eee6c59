/// A problem found in an input file, located at a line and column, rendered as compilers do:
/// `EvalSets/support/cases.jsonl:12:9: error: expected "id" to be a string, found number`.
///
/// Loaders collect every diagnostic they find in one pass; errors make the input unusable, warnings do not.
/// Lines and columns are 1-based; columns count characters (grapheme clusters) of the line, so that an editor's
/// "go to column" lands on the spot for text in any script. A diagnostic about a whole file has no line.
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    /// The file, as the user named it (relative paths stay relative).
    public var path: String
    public var line: Int?
    public var column: Int?
    /// Lowercase, no final period; field names in double quotes, values in single quotes.
    public var message: String

    public init(severity: Severity, path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.severity = severity
        self.path = path
        self.line = line
        self.column = line == nil ? nil : column
        self.message = message
    }

    public static func error(_ message: String, path: String, line: Int? = nil, column: Int? = nil) -> Diagnostic {
        Diagnostic(severity: .error, path: path, line: line, column: column, message: message)
    }

    public static func warning(_ message: String, path: String, line: Int? = nil, column: Int? = nil) -> Diagnostic {
        Diagnostic(severity: .warning, path: path, line: line, column: column, message: message)
    }

    public var isError: Bool { severity == .error }

    /// `path:line:col: error: message`; `path:line: ...` without a column, `path: ...` without a line.
    public var description: String {
        "\(location): \(severity.rawValue): \(message)"
    }

    /// `path:line:col: message`, for a line that already says it is an error (`evalgate: error: ...`).
    public var locatedMessage: String {
        "\(location): \(message)"
    }

    /// `path:line:col`, `path:line` or `path`.
    public var location: String {
        var location = path
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return location
    }
}
