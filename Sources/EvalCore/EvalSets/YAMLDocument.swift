import Yams

/// `suite.yaml` read with Yams into a `JSONValue`, remembering where each value and key is so that diagnostics can
/// point at it. Scalars take YAML's core types: `null`/`~`, `true`/`false`, integers, floats, else strings
/// (a quoted scalar is always a string).
struct YAMLDocument: Sendable {
    var root: JSONValue
    private var valueLocations: [FieldPath: (line: Int, column: Int)] = [:]
    private var keyLocations: [FieldPath: (line: Int, column: Int)] = [:]
    /// Nodes converted so far and whether a limit was hit: aliases can expand a few hundred bytes into billions of
    /// nodes ("billion laughs") or nest deeper than the stack allows, so both are bounded.
    private var convertedNodes = 0
    private var overLimit = false
    static let maximumNodes = 100_000
    static let maximumDepth = 512

    private init(root: JSONValue) {
        self.root = root
    }

    /// Parses `text`, reporting syntax errors at their line and column; nil when the text is not valid YAML.
    /// An empty document is an empty mapping.
    static func parse(_ text: String, file: String) -> (document: YAMLDocument?, diagnostics: [Diagnostic]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func location(_ mark: Mark) -> (line: Int, column: Int) {
            guard mark.line >= 1, mark.line <= lines.count else { return (max(1, mark.line), max(1, mark.column)) }
            return (mark.line, SourceText.column(ofScalar: mark.column, in: lines[mark.line - 1]))
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let diagnostic: Diagnostic
            switch error {
            case .scanner(let context, let problem, let mark, _),
                .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let place = location(mark)
                let contextText = context.map { "\($0.text) at line \($0.mark.line)" }
                diagnostic = .error(
                    EvalSetMessages.invalidYAML(problem, context: contextText),
                    path: file, line: place.line, column: place.column
                )
            case .duplicatedKeysInMapping(let duplicates, let context):
                let place = location(context.mark)
                diagnostic = .error(
                    EvalSetMessages.duplicateYAMLKeys(duplicates), path: file, line: place.line, column: place.column
                )
            case .reader(let problem, let offset, _, _):
                // Yams gives the offset in characters.
                var line = 1
                var column = 1
                if let offset {
                    for character in text.prefix(offset) {
                        if character == "\n" || character == "\r\n" {
                            line += 1
                            column = 1
                        } else {
                            column += 1
                        }
                    }
                }
                diagnostic = .error(
                    EvalSetMessages.invalidYAML(problem, context: nil), path: file, line: line, column: column
                )
            default:
                diagnostic = .error(
                    EvalSetMessages.invalidYAML("\(error)", context: nil), path: file, line: 1, column: 1)
            }
            return (nil, [diagnostic])
        } catch {
            return (
                nil, [.error(EvalSetMessages.invalidYAML("\(error)", context: nil), path: file, line: 1, column: 1)]
            )
        }
        guard let node else {
            var document = YAMLDocument(root: .object([:]))
            document.valueLocations[.root] = (1, 1)
            return (document, [])
        }
        var document = YAMLDocument(root: .null)
        var diagnostics: [Diagnostic] = []
        document.root = document.convert(node, at: .root, location: location, file: file, diagnostics: &diagnostics)
        return (diagnostics.isEmpty ? document : nil, diagnostics)
    }

    /// Where the value at `path` is (its key when `key` is set); the nearest enclosing value when it is absent.
    func location(of path: FieldPath, key: Bool) -> (line: Int, column: Int) {
        if key, let found = keyLocations[path] { return found }
        var path = path
        while true {
            if let found = valueLocations[path] { return found }
            if path.isRoot { return (1, 1) }
            path = path.parent
        }
    }

    private mutating func convert(
        _ node: Node,
        at path: FieldPath,
        location: (Mark) -> (line: Int, column: Int),
        file: String,
        diagnostics: inout [Diagnostic],
        depth: Int = 0
    ) -> JSONValue {
        if overLimit { return .null }
        convertedNodes += 1
        if convertedNodes > Self.maximumNodes || depth > Self.maximumDepth {
            overLimit = true
            let (line, column) = node.mark.map(location) ?? (1, 1)
            let message =
                depth > Self.maximumDepth
                ? "the YAML document is nested more than \(Self.maximumDepth) levels deep"
                : "the YAML document holds more than \(Self.maximumNodes) values once its aliases are expanded"
            diagnostics.append(.error(message, path: file, line: line, column: column))
            return .null
        }
        if let mark = node.mark { valueLocations[path] = location(mark) }
        switch node {
        case .scalar(let scalar):
            return Self.value(of: scalar, tag: Resolver.default.resolveTag(of: node))
                ?? {
                    let (line, column) = valueLocations[path] ?? (1, 1)
                    diagnostics.append(
                        .error(EvalSetMessages.nonFiniteNumber(path), path: file, line: line, column: column))
                    return .null
                }()
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for (index, item) in sequence.enumerated() {
                items.append(
                    convert(
                        item, at: path.appending(index: index), location: location, file: file,
                        diagnostics: &diagnostics, depth: depth + 1))
            }
            return .array(items)
        case .mapping(let mapping):
            var fields: [String: JSONValue] = [:]
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    let (line, column) = keyNode.mark.map(location) ?? (1, 1)
                    diagnostics.append(.error(EvalSetMessages.nonStringYAMLKey, path: file, line: line, column: column))
                    continue
                }
                let keyPath = path.appending(keyScalar.string)
                if let mark = keyNode.mark { keyLocations[keyPath] = location(mark) }
                fields[keyScalar.string] = convert(
                    valueNode, at: keyPath, location: location, file: file, diagnostics: &diagnostics, depth: depth + 1)
            }
            return .object(fields)
        case .alias:
            // Yams resolves aliases while composing; an alias node cannot reach here.
            return .null
        }
    }

    /// The JSON value of a scalar by its resolved tag; nil for a float that JSON cannot hold (`.inf`, `.nan`).
    private static func value(of scalar: Node.Scalar, tag: Tag.Name) -> JSONValue? {
        switch tag {
        case .null:
            return .null
        case .bool:
            return Bool.construct(from: scalar).map(JSONValue.bool) ?? .string(scalar.string)
        case .int:
            if let integer = Int64.construct(from: scalar) { return .int(integer) }
            return .string(scalar.string)
        case .float:
            guard let number = Double.construct(from: scalar) else { return .string(scalar.string) }
            guard number.isFinite else { return nil }
            // As JSONValue.parse does: an integral number is an integer, so `1.0` here and `1` in JSON hash alike.
            if number.rounded() == number, abs(number) < 9.2e18 { return .int(Int64(number)) }
            return .double(number)
        default:
            return .string(scalar.string)
        }
    }
}
