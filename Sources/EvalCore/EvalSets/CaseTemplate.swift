import Foundation

/// `{{name}}` templating of a case: its `vars` (an object of strings, numbers or booleans) are substituted into the
/// strings of its prompt (`prompt`, `messages`, `input`), `system` (the suite's `defaults.system` too) and `ideal`.
/// A placeholder naming no variable is an error with a "did you mean"; a case without `vars` is left as written.
struct CaseTemplate {
    /// The fields whose strings are templated.
    static let templatedFields = ["prompt", "messages", "input", "system", "ideal"]

    let values: [String: String]

    /// The case's vars, or nil when it has none (or they are malformed: the errors are on `reader`).
    static func read(_ fields: [String: JSONValue], reader: inout FieldReader, at root: FieldPath) -> CaseTemplate? {
        guard let value = fields["vars"], !value.isNull else { return nil }
        let path = root.appending("vars")
        guard let object = reader.object(value, at: path) else { return nil }
        var values: [String: String] = [:]
        for (name, item) in object {
            switch item {
            case .string(let text): values[name] = text
            case .int(let number): values[name] = String(number)
            case .double(let number): values[name] = String(number)
            case .bool(let flag): values[name] = String(flag)
            default: reader.mistyped(path.appending(name), expected: "a string, number or boolean", found: item)
            }
        }
        return CaseTemplate(values: values)
    }

    /// `fields` with every templated string filled in; unknown placeholders are reported at their field.
    func apply(to fields: [String: JSONValue], reader: inout FieldReader, at root: FieldPath) -> [String: JSONValue] {
        var result = fields
        for name in Self.templatedFields {
            guard let value = fields[name] else { continue }
            result[name] = substitute(value, reader: &reader, at: root.appending(name))
        }
        return result
    }

    /// `text` with its placeholders filled in, reporting unknown names at `path`.
    func fill(_ text: String, reader: inout FieldReader, at path: FieldPath) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            output += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let value = values[name] {
                output += value
            } else {
                let suggestion = didYouMean(closestName(to: name, in: values.keys.sorted()))
                let known = values.isEmpty ? "" : " (vars: \(values.keys.sorted().joined(separator: ", ")))"
                reader.error("'{{\(name)}}' names no variable of the case\(known)\(suggestion)", at: path)
                output += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return output + rest
    }

    private func substitute(_ value: JSONValue, reader: inout FieldReader, at path: FieldPath) -> JSONValue {
        switch value {
        case .string(let text): return .string(fill(text, reader: &reader, at: path))
        case .array(let items):
            return .array(items.enumerated().map { substitute($1, reader: &reader, at: path.appending(index: $0)) })
        case .object(let object):
            return .object(
                object.reduce(into: [:]) {
                    $0[$1.key] = substitute($1.value, reader: &reader, at: path.appending($1.key))
                })
        default: return value
        }
    }
}
