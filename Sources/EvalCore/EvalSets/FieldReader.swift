/// Reads typed fields out of one parsed document (a line of `cases.jsonl`, or `suite.yaml`) and reports every
/// problem at its location. It never stops at the first problem: each reader returns what it could read and
/// records a diagnostic for the rest, so one pass finds everything.
struct FieldReader {
    /// Names JSON's types in JSON words and YAML's in YAML words.
    enum Dialect {
        case json
        case yaml
    }

    /// The line and column of the value at a path (of its key when the flag is set).
    typealias Locator = (FieldPath, Bool) -> (line: Int, column: Int)

    let file: String
    let dialect: Dialect
    let locate: Locator
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, dialect: Dialect, locate: @escaping Locator) {
        self.file = file
        self.dialect = dialect
        self.locate = locate
    }

    var hasErrors: Bool { diagnostics.contains(where: \.isError) }

    mutating func error(_ message: String, at path: FieldPath, key: Bool = false) {
        let (line, column) = locate(path, key)
        diagnostics.append(.error(message, path: file, line: line, column: column))
    }

    mutating func warning(_ message: String, at path: FieldPath, key: Bool = false) {
        let (line, column) = locate(path, key)
        diagnostics.append(.warning(message, path: file, line: line, column: column))
    }

    // MARK: Types

    func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return dialect == .json ? "array" : "list"
        case .object: return dialect == .json ? "object" : "mapping"
        }
    }

    var anObject: String { dialect == .json ? "an object" : "a mapping" }
    var aList: String { dialect == .json ? "an array" : "a list" }

    mutating func mistyped(_ path: FieldPath, expected: String, found value: JSONValue) {
        error(EvalSetMessages.mistyped(path, expected: expected, found: typeName(value)), at: path)
    }

    // MARK: Scalars

    /// A string; nil (with a diagnostic) otherwise.
    mutating func string(_ value: JSONValue, at path: FieldPath) -> String? {
        guard let text = value.stringValue else {
            mistyped(path, expected: "a string", found: value)
            return nil
        }
        return text
    }

    /// An optional string field of `fields`: nil when absent or null.
    mutating func optionalString(_ key: String, of fields: [String: JSONValue], at base: FieldPath) -> String? {
        guard let value = fields[key], !value.isNull else { return nil }
        return string(value, at: base.appending(key))
    }

    mutating func optionalBool(_ key: String, of fields: [String: JSONValue], at base: FieldPath) -> Bool? {
        guard let value = fields[key], !value.isNull else { return nil }
        guard let flag = value.boolValue else {
            mistyped(base.appending(key), expected: "true or false", found: value)
            return nil
        }
        return flag
    }

    mutating func object(_ value: JSONValue, at path: FieldPath) -> [String: JSONValue]? {
        guard let fields = value.objectValue else {
            mistyped(path, expected: anObject, found: value)
            return nil
        }
        return fields
    }

    /// A list of strings; `[]` (with diagnostics for each bad item) when it is not.
    mutating func strings(_ value: JSONValue, at path: FieldPath) -> [String] {
        guard let items = value.arrayValue else {
            mistyped(path, expected: "\(aList) of strings", found: value)
            return []
        }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            if let text = string(item, at: path.appending(index: index)) { strings.append(text) }
        }
        return strings
    }

    /// `facts`: a string, a list of strings or an object of key-values, as lines (see `Facts`); `[]` with a diagnostic
    /// at the bad place otherwise.
    mutating func facts(_ value: JSONValue, at path: FieldPath) -> [String] {
        switch Facts.lines(from: value) {
        case .success(let lines):
            return lines
        case .failure(let problem):
            let place: FieldPath
            switch problem.place {
            case .value: place = path
            case .item(let index): place = path.appending(index: index)
            case .key(let key): place = path.appending(key)
            }
            mistyped(place, expected: problem.expected, found: problem.found)
            return []
        }
    }

    /// `ideal`: a string, or a list of strings (every acceptable answer).
    mutating func ideals(_ value: JSONValue, at path: FieldPath) -> [String] {
        if let single = value.stringValue { return [single] }
        guard let items = value.arrayValue else {
            mistyped(path, expected: "a string or \(aList) of strings", found: value)
            return []
        }
        if items.isEmpty { error(EvalSetMessages.empty(path), at: path) }
        return strings(value, at: path)
    }

    // MARK: Checks

    /// The check specs of a `checks` list, each with its path so the caller can report its validation there.
    mutating func checks(_ value: JSONValue, at path: FieldPath) -> [(spec: CheckSpec, path: FieldPath)] {
        guard let items = value.arrayValue else {
            mistyped(path, expected: "\(aList) of checks", found: value)
            return []
        }
        var specs: [(CheckSpec, FieldPath)] = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let fields = object(item, at: itemPath) else { continue }
            guard let type = fields["type"] else {
                error(EvalSetMessages.missing(itemPath.appending("type"), "every check names its type"), at: itemPath)
                continue
            }
            guard string(type, at: itemPath.appending("type")) != nil, let spec = CheckSpec(json: item) else {
                continue
            }
            specs.append((spec, itemPath))
        }
        return specs
    }

    // MARK: Params

    /// Request params. The keys that `ChatParameters` types are checked for the type it decodes, so that a
    /// mistake shows here rather than as a failed request in the middle of a run; other keys pass through.
    mutating func params(_ value: JSONValue, at path: FieldPath) -> [String: JSONValue] {
        guard let fields = object(value, at: path) else { return [:] }
        for key in fields.keys.sorted() {
            let keyPath = path.appending(key)
            let item = fields[key]!
            switch key {
            case "model", "messages", "stream":
                error(EvalSetMessages.reservedParam(keyPath), at: keyPath, key: true)
            case "temperature", "top_p":
                // OpenAI's ranges; servers refuse values outside them with a 400 on every case of the run.
                let upper: Double = key == "temperature" ? 2 : 1
                if let number = item.doubleValue {
                    if !(0...upper).contains(number) {
                        error(
                            EvalSetMessages.outOfRange(keyPath, range: "between 0 and \(Int(upper))", found: item),
                            at: keyPath)
                    }
                } else {
                    mistyped(keyPath, expected: "a number", found: item)
                }
            case "max_tokens", "n":
                if let number = item.intValue {
                    if number < 1 {
                        error(EvalSetMessages.outOfRange(keyPath, range: "at least 1", found: item), at: keyPath)
                    }
                } else {
                    mistyped(keyPath, expected: "a whole number", found: item)
                }
            case "seed":
                if item.intValue == nil { mistyped(keyPath, expected: "a whole number", found: item) }
            case "stop":
                if item.stringValue == nil, item.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
                    mistyped(keyPath, expected: "a string or \(aList) of strings", found: item)
                }
            case "response_format":
                if item.objectValue == nil { mistyped(keyPath, expected: anObject, found: item) }
            default:
                break
            }
        }
        return fields
    }

    // MARK: Messages

    static let roles = ["system", "developer", "user", "assistant", "tool"]
    static let messageFields = ["role", "content", "name", "tool_call_id", "tool_calls"]

    /// Chat messages in OpenAI's shape; nil when any of them is invalid.
    mutating func messages(_ value: JSONValue, at path: FieldPath) -> [ChatMessage]? {
        guard let items = value.arrayValue else {
            mistyped(path, expected: "\(aList) of messages", found: value)
            return nil
        }
        if items.isEmpty {
            error(EvalSetMessages.empty(path), at: path)
            return nil
        }
        var messages: [ChatMessage] = []
        var valid = true
        for (index, item) in items.enumerated() {
            if let message = message(item, at: path.appending(index: index)) {
                messages.append(message)
            } else {
                valid = false
            }
        }
        return valid ? messages : nil
    }

    private mutating func message(_ value: JSONValue, at path: FieldPath) -> ChatMessage? {
        guard let fields = object(value, at: path) else { return nil }
        let before = diagnostics.count
        var role: String?
        if let roleValue = fields["role"] {
            if let text = string(roleValue, at: path.appending("role")) {
                if Self.roles.contains(text) {
                    role = text
                } else {
                    error(
                        EvalSetMessages.notOneOf(path.appending("role"), Self.roles, found: text),
                        at: path.appending("role"))
                }
            }
        } else {
            error(EvalSetMessages.missing(path.appending("role"), "every message has a role"), at: path)
        }
        var content: String?
        var parts: [JSONValue]?
        switch fields["content"] {
        case .string(let text)?:
            content = text
        case .array(let items)?:
            parts = items
            for (index, part) in items.enumerated() {
                let partPath = path.appending("content").appending(index: index)
                guard let partFields = object(part, at: partPath) else { continue }
                guard let type = partFields["type"] else {
                    error(
                        EvalSetMessages.missing(partPath.appending("type"), "every content part names its type"),
                        at: partPath)
                    continue
                }
                _ = string(type, at: partPath.appending("type"))
            }
        case nil, .null?:
            break
        case let other?:
            mistyped(path.appending("content"), expected: "a string or \(aList) of content parts", found: other)
        }
        let name = optionalString("name", of: fields, at: path)
        let toolCallID = optionalString("tool_call_id", of: fields, at: path)
        var toolCalls: [JSONValue]?
        if let calls = fields["tool_calls"], !calls.isNull {
            if let items = calls.arrayValue {
                toolCalls = items
            } else {
                mistyped(path.appending("tool_calls"), expected: aList, found: calls)
            }
        }
        if content == nil, parts == nil, fields["content"]?.isNull ?? true, !(role == "assistant" && toolCalls != nil) {
            error(EvalSetMessages.missingContent(path.appending("content")), at: path)
        }
        if role == "tool", toolCallID == nil, fields["tool_call_id"] == nil {
            error(EvalSetMessages.toolMessageNeedsCallID(path.appending("tool_call_id")), at: path)
        }
        unknownFields(fields, known: Self.messageFields, at: path, in: "a message")
        guard diagnostics[before...].allSatisfy({ !$0.isError }), let role else { return nil }
        return ChatMessage(
            role: role, content: content, contentParts: parts, name: name, toolCallID: toolCallID, toolCalls: toolCalls
        )
    }

    // MARK: Unknown fields

    /// A warning (an error when `severe`) for each field not in `known`, with a "did you mean" when one is close.
    mutating func unknownFields(
        _ fields: [String: JSONValue], known: [String], at base: FieldPath, in place: String, severe: Bool = false
    ) {
        for key in fields.keys.sorted() where !known.contains(key) {
            let suggestion = closestName(to: key, in: known.filter { fields[$0] == nil })
            let message = EvalSetMessages.unknownField(base.appending(key), in: place, suggestion: suggestion)
            if severe {
                error(message, at: base.appending(key), key: true)
            } else {
                warning(message, at: base.appending(key), key: true)
            }
        }
    }
}
