public import EvalCore

/// The subset of JSON Schema the `json` check validates against, checked when the check is built.
///
/// Keywords: `type` (a name or a list of names: object, array, string, number, integer, boolean, null),
/// `properties`, `required`, `additionalProperties` (true, false or a schema), `items` (one schema for every item),
/// `minItems`, `maxItems`, `enum`, `const`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers, as
/// in draft 6 and later), `minLength`, `maxLength` (counted in Unicode scalars, as the standard says), `pattern` (ICU
/// syntax, searched anywhere in the string unless anchored). `true` and `false` are schemas too. The annotations
/// `$schema`, `$id`, `$comment`, `title`, `description`, `default` and `examples` are accepted and ignored; any other
/// keyword is an error, so a schema never silently checks less than its author thinks.
public indirect enum JSONSchema: Sendable {
    case always(Bool)
    case keywords(Keywords)

    public struct Keywords: Sendable {
        var types: [String]?
        var properties: [(name: String, schema: JSONSchema)] = []
        var required: [String] = []
        var additionalProperties: JSONSchema?
        var items: JSONSchema?
        var minItems: Int?
        var maxItems: Int?
        var enumValues: [JSONValue]?
        var constValue: JSONValue?
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum: Double?
        var exclusiveMaximum: Double?
        var minLength: Int?
        var maxLength: Int?
        var pattern: TextPattern?
    }

    public static let supportedKeywords = [
        "additionalProperties", "const", "enum", "exclusiveMaximum", "exclusiveMinimum", "items", "maxItems",
        "maxLength", "maximum", "minItems", "minLength", "minimum", "pattern", "properties", "required", "type",
    ]
    public static let ignoredAnnotations = [
        "$comment", "$id", "$schema", "default", "description", "examples", "title",
    ]
    public static let typeNames = ["object", "array", "string", "number", "integer", "boolean", "null"]

    /// A problem with the schema itself: where in the schema (a JSON pointer) and what.
    public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "at \(quoted(pointerText(path))): \(message)" }
    }

    /// Reads and checks a schema.
    public init(_ value: JSONValue) throws(SchemaError) {
        self = try Self.read(value, at: "")
    }

    private static func read(_ value: JSONValue, at path: String) throws(SchemaError) -> JSONSchema {
        if let flag = value.boolValue { return .always(flag) }
        guard let fields = value.objectValue else {
            throw SchemaError(
                path: path, message: "expected a schema (an object, true or false), found \(value.typeName)")
        }
        for key in fields.keys.sorted() where !supportedKeywords.contains(key) && !ignoredAnnotations.contains(key) {
            throw SchemaError(
                path: path,
                message:
                    "unknown keyword \(quoted(key)); supported keywords: \(supportedKeywords.joined(separator: ", "))"
                    + " (annotations \(ignoredAnnotations.joined(separator: ", ")) are ignored)"
            )
        }
        var keywords = Keywords()
        func fail(_ keyword: String, _ expected: String, _ found: JSONValue) -> SchemaError {
            SchemaError(path: path, message: "\(quoted(keyword)) expects \(expected), found \(found.typeName)")
        }
        if let type = fields["type"] {
            let names = type.stringValue.map { [$0] } ?? type.arrayValue?.compactMap(\.stringValue)
            guard let names, !names.isEmpty, names.count == type.arrayValue?.count ?? 1 else {
                throw fail("type", "a type name or a list of type names", type)
            }
            for name in names where !typeNames.contains(name) {
                throw SchemaError(
                    path: path,
                    message: "'type' expects one of \(typeNames.joined(separator: ", ")), found \(quoted(name))"
                )
            }
            keywords.types = names
        }
        if let properties = fields["properties"] {
            guard let members = properties.objectValue else {
                throw fail("properties", "an object of schemas", properties)
            }
            for name in members.keys.sorted() {
                let schema = try read(members[name]!, at: path + "/properties/" + escapePointer(name))
                keywords.properties.append((name, schema))
            }
        }
        if let required = fields["required"] {
            let names = required.arrayValue?.compactMap(\.stringValue)
            guard let names, names.count == required.arrayValue?.count else {
                throw fail("required", "a list of strings", required)
            }
            keywords.required = names
        }
        if let additional = fields["additionalProperties"] {
            keywords.additionalProperties = try read(additional, at: path + "/additionalProperties")
        }
        if let items = fields["items"] {
            guard items.arrayValue == nil else {
                throw SchemaError(
                    path: path,
                    message: "'items' expects one schema for every item (lists of schemas are not supported)")
            }
            keywords.items = try read(items, at: path + "/items")
        }
        if let values = fields["enum"] {
            guard let list = values.arrayValue, !list.isEmpty else { throw fail("enum", "a non-empty list", values) }
            keywords.enumValues = list
        }
        keywords.constValue = fields["const"]
        func count(_ keyword: String) throws(SchemaError) -> Int? {
            guard let value = fields[keyword] else { return nil }
            guard let number = value.intValue, number >= 0, let int = Int(exactly: number) else {
                throw SchemaError(
                    path: path, message: "\(quoted(keyword)) expects a non-negative integer, found \(render(value))")
            }
            return int
        }
        func number(_ keyword: String) throws(SchemaError) -> Double? {
            guard let value = fields[keyword] else { return nil }
            guard let number = value.doubleValue else { throw fail(keyword, "a number", value) }
            return number
        }
        keywords.minItems = try count("minItems")
        keywords.maxItems = try count("maxItems")
        keywords.minLength = try count("minLength")
        keywords.maxLength = try count("maxLength")
        keywords.minimum = try number("minimum")
        keywords.maximum = try number("maximum")
        keywords.exclusiveMinimum = try number("exclusiveMinimum")
        keywords.exclusiveMaximum = try number("exclusiveMaximum")
        if let pattern = fields["pattern"] {
            guard let source = pattern.stringValue else { throw fail("pattern", "a string", pattern) }
            do {
                keywords.pattern = try TextPattern(source)
            } catch {
                throw SchemaError(
                    path: path,
                    message: "'pattern' is not a valid regular expression \(quoted(source)): \(error.reason)")
            }
        }
        return .keywords(keywords)
    }

    // MARK: - Validation

    /// Why a value does not fit: where in the value (a JSON pointer, "" for the whole value) and what.
    public struct Violation: Sendable, Hashable {
        public var path: String
        public var message: String
        /// The property a `required` violation is about: it is absent, so it has no span of its own.
        public var missingProperty: String?
    }

    /// Every violation, depth first, in document order of the schema's keywords.
    public func validate(_ value: JSONValue) -> [Violation] {
        var violations: [Violation] = []
        validate(value, at: "", into: &violations)
        return violations
    }

    private func validate(_ value: JSONValue, at path: String, into violations: inout [Violation]) {
        func report(_ message: String) {
            violations.append(Violation(path: path, message: message))
        }
        let keywords: Keywords
        switch self {
        case .always(true): return
        case .always(false):
            report("no value is allowed here, found \(value.typeName)")
            return
        case .keywords(let schemaKeywords): keywords = schemaKeywords
        }
        if let types = keywords.types, !types.contains(where: { Self.matches(value, type: $0) }) {
            report("expected \(types.joined(separator: " or ")), found \(value.typeName)")
            return
        }
        if let values = keywords.enumValues, !values.contains(where: { Self.equal($0, value) }) {
            report("expected one of \(values.map(Self.render).joined(separator: ", ")), found \(Self.render(value))")
        }
        if let constant = keywords.constValue, !Self.equal(constant, value) {
            report("expected \(Self.render(constant)), found \(Self.render(value))")
        }
        switch value {
        case .object(let members):
            for name in keywords.required where members[name] == nil {
                violations.append(
                    Violation(path: path, message: "missing required property \(quoted(name))", missingProperty: name))
            }
            let declared = Set(keywords.properties.map(\.name))
            for (name, schema) in keywords.properties {
                if let member = members[name] {
                    schema.validate(member, at: path + "/" + escapePointer(name), into: &violations)
                }
            }
            if let additional = keywords.additionalProperties {
                for name in members.keys.sorted() where !declared.contains(name) {
                    if case .always(false) = additional {
                        violations.append(
                            Violation(path: path + "/" + escapePointer(name), message: "unexpected property"))
                    } else {
                        additional.validate(members[name]!, at: path + "/" + escapePointer(name), into: &violations)
                    }
                }
            }
        case .array(let items):
            if let minimum = keywords.minItems, items.count < minimum {
                report("expected at least \(counted(minimum, "item")), found \(items.count)")
            }
            if let maximum = keywords.maxItems, items.count > maximum {
                report("expected at most \(counted(maximum, "item")), found \(items.count)")
            }
            if let schema = keywords.items {
                for (index, item) in items.enumerated() {
                    schema.validate(item, at: path + "/\(index)", into: &violations)
                }
            }
        case .string(let text):
            let length = text.unicodeScalars.count
            if let minimum = keywords.minLength, length < minimum {
                report("expected at least \(counted(minimum, "character")), found \(length)")
            }
            if let maximum = keywords.maxLength, length > maximum {
                report("expected at most \(counted(maximum, "character")), found \(length)")
            }
            if let pattern = keywords.pattern, pattern.firstMatch(in: text) == nil {
                report("expected a string matching \(quoted(pattern.pattern)), found \(Self.render(value))")
            }
        case .int, .double:
            let number = value.doubleValue ?? 0
            let found = Self.render(value)
            if let bound = keywords.minimum, number < bound {
                report("expected at least \(Self.render(bound)), found \(found)")
            }
            if let bound = keywords.exclusiveMinimum, number <= bound {
                report("expected more than \(Self.render(bound)), found \(found)")
            }
            if let bound = keywords.maximum, number > bound {
                report("expected at most \(Self.render(bound)), found \(found)")
            }
            if let bound = keywords.exclusiveMaximum, number >= bound {
                report("expected less than \(Self.render(bound)), found \(found)")
            }
        case .null, .bool:
            break
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .int), ("number", .double), ("integer", .int):
            return true
        case ("integer", .double(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    /// JSON equality, with numbers compared by value (`1` equals `1.0`).
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool { a.equalsByValue(b) }

    /// Compact JSON for messages, clipped.
    static func render(_ value: JSONValue) -> String {
        let text = String(decoding: value.canonicalData(), as: UTF8.self)
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }

    static func render(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

/// A JSON pointer token: `~` → `~0`, `/` → `~1`.
func escapePointer(_ name: String) -> String {
    name.replacing("~", with: "~0").replacing("/", with: "~1")
}

/// A pointer as messages show it: the whole document is `/`.
func pointerText(_ path: String) -> String {
    path.isEmpty ? "/" : path
}
