/// A YAML configuration file (`evalgate.yaml`, `gate.yaml`) read into a `JSONValue` that remembers where each value
/// and key was written, so that every problem can be reported at its line and column. The same reader as
/// `suite.yaml`: core-schema scalars, alias bombs and deep nesting refused with a located error.
public struct LocatedYAML: Sendable {
    public let path: String
    public let root: JSONValue
    private let document: YAMLDocument

    /// Parses `text` (read from `path`); nil with the diagnostics when it is not valid YAML.
    public static func parse(_ text: String, path: String) -> (yaml: LocatedYAML?, diagnostics: [Diagnostic]) {
        let (document, diagnostics) = YAMLDocument.parse(text, file: path)
        guard let document else { return (nil, diagnostics) }
        return (LocatedYAML(path: path, root: document.root, document: document), diagnostics)
    }

    /// A field's position: keys (`"targets"`) and list indexes (`0`), outermost first.
    public enum PathComponent: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    /// An error at the value of `path` (at its key when `atKey`), or at the nearest enclosing value that exists.
    public func error(_ message: String, at path: [PathComponent], atKey: Bool = false) -> Diagnostic {
        let fieldPath = FieldPath(
            path.map { component -> FieldPath.Component in
                switch component {
                case .key(let key): return .key(key)
                case .index(let index): return .index(index)
                }
            })
        let (line, column) = document.location(of: fieldPath, key: atKey)
        return .error(message, path: self.path, line: line, column: column)
    }
}
