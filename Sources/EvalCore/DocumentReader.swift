/// The one reader of evalgate's configuration documents: `suite.yaml` and the lines of `cases.jsonl`, labels,
/// `evalgate.yaml`, `gate.yaml`, promise pack files and check options are all read through it.
///
/// Given values of a parsed document and where they sit (`FieldPath`), it reads typed fields (strings, numbers in a
/// range, booleans, lists, mappings, one of a set of names), reports keys nobody knows, and records every problem as
/// a diagnostic at its line and column when the document has lines (`locate`), or at the file when it has none. It
/// never stops at the first problem: each accessor returns what it could read (nil otherwise) and records why not.
///
/// Every reader words a value of the wrong type its own way (`Wording`: `expected "id" to be a string, found
/// number`, `"concurrency" expects an integer, found string`); an unknown key is worded once for all of them:
/// `unknown field "targets[0].modle"; did you mean 'model'?`.
public struct DocumentReader {
    /// Which words name a value's type in messages.
    public enum Dialect: Sendable {
        /// JSON's: number, array, object (`cases.jsonl`, label files).
        case json
        /// YAML's: number, list, mapping (`suite.yaml`).
        case yaml
        /// `JSONValue.typeName`'s: integer, number, array, object (config files, packs, check options).
        case plain
    }

    /// How a reader words a value it cannot use; the field is its path as diagnostics name it (`checks[1].type`).
    public struct Wording: Sendable {
        /// A value of the wrong type (or outside a range described with its type, as in "a rate from 0 to 1").
        public var mistyped: @Sendable (_ field: String, _ expected: String, _ found: String) -> String
        /// A number outside its range, when the range is described apart from the type.
        public var outOfRange: @Sendable (_ field: String, _ range: String, _ found: String) -> String
        /// Whether a mistyped scalar is shown by its value (`found 'high'`, `found true`) rather than its type.
        public var showsValues: Bool
        /// How a number is shown (`3.0`, or `3` without its `.0`).
        public var number: @Sendable (Double) -> String

        public init(
            showsValues: Bool = false,
            number: @escaping @Sendable (Double) -> String = { String($0) },
            mistyped: @escaping @Sendable (_ field: String, _ expected: String, _ found: String) -> String,
            outOfRange: (@Sendable (_ field: String, _ range: String, _ found: String) -> String)? = nil
        ) {
            self.showsValues = showsValues
            self.number = number
            self.mistyped = mistyped
            self.outOfRange = outOfRange ?? mistyped
        }
    }

    /// The line and column of the value at a path (of its key when the flag is set).
    public typealias Locator = (FieldPath, Bool) -> (line: Int, column: Int)

    public let file: String
    public let dialect: Dialect
    public let wording: Wording
    let locate: Locator?
    public private(set) var diagnostics: [Diagnostic] = []

    /// A reader of a document in `file`; without `locate` its diagnostics name the file only.
    public init(file: String, dialect: Dialect, wording: Wording, locate: Locator? = nil) {
        self.file = file
        self.dialect = dialect
        self.wording = wording
        self.locate = locate
    }

    public var hasErrors: Bool { diagnostics.contains(where: \.isError) }

    /// The message of the first error, for readers that stop at one (pack files, check options).
    public var firstError: String? { diagnostics.first(where: \.isError)?.message }

    /// What `read` reads with a reader without lines, and the first error it found: for documents refused at their
    /// first problem (promise pack files, check options), whose callers throw it.
    public static func firstError<T>(
        wording: Wording, _ read: (inout DocumentReader) -> T
    ) -> (value: T, error: String?) {
        var reader = DocumentReader(file: "", dialect: .plain, wording: wording)
        let value = read(&reader)
        return (value, reader.firstError)
    }

    // MARK: Diagnostics

    public mutating func error(_ message: String, at path: FieldPath, key: Bool = false) {
        report(.error, message, at: path, key: key)
    }

    public mutating func warning(_ message: String, at path: FieldPath, key: Bool = false) {
        report(.warning, message, at: path, key: key)
    }

    public mutating func report(_ severity: Diagnostic.Severity, _ message: String, at path: FieldPath, key: Bool) {
        let place = locate?(path, key)
        diagnostics.append(
            Diagnostic(severity: severity, path: file, line: place?.line, column: place?.column, message: message))
    }

    /// Diagnostics found before this reader started (the syntax warnings of the file).
    public mutating func append(_ earlier: [Diagnostic]) {
        diagnostics += earlier
    }

    // MARK: Types

    public func typeName(_ value: JSONValue) -> String {
        switch (value, dialect) {
        case (.int, .json), (.int, .yaml): return "number"
        case (.array, .yaml): return "list"
        case (.object, .yaml): return "mapping"
        default: return value.typeName
        }
    }

    public var anObject: String { dialect == .yaml ? "a mapping" : "an object" }
    public var aList: String { dialect == .yaml ? "a list" : "an array" }

    /// `'text'`, `3`, `true`; a list, mapping or null by its type name.
    public func shown(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "'\(text)'"
        case .int(let number): return String(number)
        case .double(let number): return wording.number(number)
        case .bool(let flag): return String(flag)
        default: return typeName(value)
        }
    }

    /// How a mistyped value is named after "found".
    public func found(_ value: JSONValue) -> String {
        wording.showsValues ? shown(value) : typeName(value)
    }

    public mutating func mistyped(_ path: FieldPath, expected: String, found value: JSONValue) {
        error(wording.mistyped(path.description, expected, found(value)), at: path)
    }

    // MARK: Scalars

    /// A string (a non-empty one when `nonEmpty`); nil with a diagnostic otherwise.
    public mutating func string(_ value: JSONValue, at path: FieldPath, nonEmpty: Bool = false) -> String? {
        guard let text = value.stringValue, !(nonEmpty && text.isEmpty) else {
            mistyped(path, expected: nonEmpty ? "a non-empty string" : "a string", found: value)
            return nil
        }
        return text
    }

    /// An optional string field of `fields`: nil when absent or null.
    public mutating func optionalString(_ key: String, of fields: [String: JSONValue], at base: FieldPath) -> String? {
        guard let value = fields[key], !value.isNull else { return nil }
        return string(value, at: base.appending(key))
    }

    public mutating func bool(_ value: JSONValue, at path: FieldPath) -> Bool? {
        guard let flag = value.boolValue else {
            mistyped(path, expected: "true or false", found: value)
            return nil
        }
        return flag
    }

    public mutating func optionalBool(_ key: String, of fields: [String: JSONValue], at base: FieldPath) -> Bool? {
        guard let value = fields[key], !value.isNull else { return nil }
        return bool(value, at: base.appending(key))
    }

    /// A whole number within `range`. Out of range, the message names `range` as `described` (with `outOfRange`), or
    /// `expected` again when nothing is described. `wholeDoubles` lets `3.0` count as 3.
    public mutating func int(
        _ value: JSONValue, at path: FieldPath, expected: String = "an integer", in range: ClosedRange<Int>? = nil,
        described: String? = nil, wholeDoubles: Bool = true
    ) -> Int? {
        bounded(value, at: path, expected: expected, in: range, described: described) { value in
            (wholeDoubles ? value.intValue : value.int64Value).flatMap { Int(exactly: $0) }
        }
    }

    /// A number within `range` (NaN and infinities are outside every range), worded as `int`'s.
    public mutating func number(
        _ value: JSONValue, at path: FieldPath, expected: String = "a number", in range: ClosedRange<Double>? = nil,
        described: String? = nil
    ) -> Double? {
        bounded(value, at: path, expected: expected, in: range, described: described) { $0.doubleValue }
    }

    private mutating func bounded<Number: Comparable>(
        _ value: JSONValue, at path: FieldPath, expected: String, in range: ClosedRange<Number>?, described: String?,
        read: (JSONValue) -> Number?
    ) -> Number? {
        guard let number = read(value) else {
            mistyped(path, expected: expected, found: value)
            return nil
        }
        guard range?.contains(number) ?? true else {
            let message =
                described.map { wording.outOfRange(path.description, $0, shown(value)) }
                ?? wording.mistyped(path.description, expected, shown(value))
            error(message, at: path)
            return nil
        }
        return number
    }

    /// One of `allowed`; otherwise `expected` (by default the allowed names) with a "did you mean" when one is close.
    /// `suggest` may add names that are not allowed but mean one that is (synonyms).
    public mutating func choice(
        _ value: JSONValue, at path: FieldPath, of allowed: [String], expected: String? = nil,
        suggest: (String) -> String? = { _ in nil }
    ) -> String? {
        let expected = expected ?? "one of " + allowed.map { "'\($0)'" }.joined(separator: ", ")
        guard let text = value.stringValue else {
            mistyped(path, expected: expected, found: value)
            return nil
        }
        guard allowed.contains(text) else {
            let suggestion = closestName(to: text, in: allowed) ?? suggest(text)
            error(wording.mistyped(path.description, expected, "'\(text)'") + didYouMean(suggestion), at: path)
            return nil
        }
        return text
    }

    // MARK: Lists and mappings

    /// A list of strings (a single string as a list of one when `single`); bad items are reported one by one.
    public mutating func strings(
        _ value: JSONValue, at path: FieldPath, expected: String? = nil, single: Bool = false, nonEmpty: Bool = false
    ) -> [String] {
        if single, let text = value.stringValue { return [text] }
        guard let items = value.arrayValue else {
            container(path, expected: expected ?? "\(aList) of strings", found: value)
            return []
        }
        return items.enumerated().compactMap { index, item in
            string(item, at: path.appending(index: index), nonEmpty: nonEmpty)
        }
    }

    /// A mapping; nil with a diagnostic (naming `expected`, by default "a mapping" or "an object") otherwise.
    public mutating func object(_ value: JSONValue, at path: FieldPath, expected: String? = nil) -> [String: JSONValue]?
    {
        guard let fields = value.objectValue else {
            container(path, expected: expected ?? anObject, found: value)
            return nil
        }
        return fields
    }

    /// Where a list or mapping was expected, what was found is named by its type even where values are shown.
    private mutating func container(_ path: FieldPath, expected: String, found value: JSONValue) {
        error(wording.mistyped(path.description, expected, typeName(value)), at: path)
    }

    /// A mapping whose keys must be among `known`; the others are reported as `unknownKeys` does.
    public mutating func object(
        _ value: JSONValue, at path: FieldPath, known: [String], expected: String? = nil, in place: String? = nil
    ) -> [String: JSONValue]? {
        guard let fields = object(value, at: path, expected: expected) else { return nil }
        unknownKeys(fields, known: known, at: path, in: place)
        return fields
    }

    // MARK: Unknown keys

    /// `unknown field "defaults.chekcs" in suite.yaml; did you mean 'checks'?`: the one wording of a key nobody
    /// reads, everywhere.
    public static func unknownField(_ path: FieldPath, in place: String? = nil, suggestion: String?) -> String {
        var message = "unknown field \"\(path)\""
        if let place { message += " in \(place)" }
        return message + didYouMean(suggestion)
    }

    /// A diagnostic at each key of `fields` not in `known` (an error unless `severity` says otherwise), in key order,
    /// suggesting what `suggest` says, else the closest known key not given, else the closest given one (`modle`
    /// beside `model` is most likely a second `model`).
    public mutating func unknownKeys(
        _ fields: [String: JSONValue], known: [String], at base: FieldPath, in place: String? = nil,
        severity: Diagnostic.Severity = .error, suggest: ((String) -> String?)? = nil
    ) {
        for key in fields.keys.sorted() where !known.contains(key) {
            let suggestion =
                suggest?(key) ?? closestName(to: key, in: known.filter { fields[$0] == nil })
                ?? closestName(to: key, in: known)
            let path = base.appending(key)
            report(severity, Self.unknownField(path, in: place, suggestion: suggestion), at: path, key: true)
        }
    }
}

extension JSONValue {
    /// The value of an integer written as one (`3`, not `3.0`).
    fileprivate var int64Value: Int64? {
        if case .int(let number) = self { return number }
        return nil
    }
}
