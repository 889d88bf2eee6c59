import Foundation

/// A YAML configuration file (`evalgate.yaml`, `gate.yaml`) read into a `JSONValue` that remembers where each value
/// and key was written, so that every problem can be reported at its line and column. The same reader as
/// `suite.yaml`: core-schema scalars, alias bombs and deep nesting refused with a located error.
public struct LocatedYAML: Sendable {
    public let path: String
    public let root: JSONValue
    private let document: YAMLDocument

    /// Reads and parses the file at `path`; nil with the diagnostics when it cannot be read (`unreadable`), is not
    /// UTF-8 (`notUTF8`: each file says it in its own words) or is not valid YAML.
    public static func load(path: String, unreadable: String, notUTF8: String) -> (
        yaml: LocatedYAML?, diagnostics: [Diagnostic]
    ) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [.error(unreadable, path: path)])
        }
        guard let text = String(data: data, encoding: .utf8) else { return (nil, [.error(notUTF8, path: path)]) }
        return parse(text, path: path)
    }

    /// Parses `text` (read from `path`); nil with the diagnostics when it is not valid YAML.
    public static func parse(_ text: String, path: String) -> (yaml: LocatedYAML?, diagnostics: [Diagnostic]) {
        let (document, diagnostics) = YAMLDocument.parse(text, file: path)
        guard let document else { return (nil, diagnostics) }
        return (LocatedYAML(path: path, root: document.root, document: document), diagnostics)
    }

    /// A field's position: keys (`"targets"`) and list indexes (`0`), outermost first.
    public typealias PathComponent = FieldPath.Component

    /// An error at the value of `path` (at its key when `atKey`), or at the nearest enclosing value that exists.
    public func error(_ message: String, at path: [PathComponent], atKey: Bool = false) -> Diagnostic {
        let (line, column) = document.location(of: FieldPath(path), key: atKey)
        return .error(message, path: self.path, line: line, column: column)
    }

    /// A reader of this file's fields whose diagnostics are located here and worded by `wording`.
    public func reader(wording: DocumentReader.Wording, diagnostics: [Diagnostic] = []) -> DocumentReader {
        let document = document
        var reader = DocumentReader(file: path, dialect: .plain, wording: wording) { path, key in
            document.location(of: path, key: key)
        }
        reader.append(diagnostics)
        return reader
    }
}
