/// The eval-set readers (a line of `cases.jsonl`, `suite.yaml`, a label) are `DocumentReader`s worded as eval sets
/// word diagnostics: `expected "id" to be a string, found number`.
typealias FieldReader = DocumentReader

extension DocumentReader.Wording {
    /// `expected "checks[1].type" to be a string, found number`.
    static var evalSet: Self {
        Self { field, expected, found in EvalSetMessages.mistyped(field, expected: expected, found: found) }
    }
}

/// The fields of eval sets that are more than a type: facts, ideals, checks, request params and chat messages.
extension DocumentReader {
    init(file: String, dialect: Dialect, locate: @escaping Locator) {
        self.init(file: file, dialect: dialect, wording: .evalSet, locate: locate)
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
                _ = number(item, at: keyPath, in: 0...upper, described: "between 0 and \(Int(upper))")
            case "max_tokens", "n":
                _ = int(item, at: keyPath, expected: "a whole number", in: 1...Int.max, described: "at least 1")
            case "seed":
                _ = int(item, at: keyPath, expected: "a whole number")
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
            role = choice(roleValue, at: path.appending("role"), of: Self.roles)
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
        unknownKeys(fields, known: Self.messageFields, at: path, in: "a message", severity: .warning)
        guard diagnostics[before...].allSatisfy({ !$0.isError }), let role else { return nil }
        return ChatMessage(
            role: role, content: content, contentParts: parts, name: name, toolCallID: toolCallID, toolCalls: toolCalls
        )
    }
}
