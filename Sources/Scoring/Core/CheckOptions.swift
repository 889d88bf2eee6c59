public import EvalCore

/// Why a check could not be built from its options. The message says what was expected and what was found;
/// the eval-set loader adds the file, line and column.
public struct CheckConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The options of one check spec, read with typed accessors. Every key read is remembered, so `unknownOption` can
/// report options the check does not know (a typo such as `valeu` must not be silently ignored).
public struct CheckOptions: Sendable {
    public let type: String
    private let values: [String: JSONValue]
    private var readKeys: Set<String> = []

    public init(type: String, values: [String: JSONValue]) {
        self.type = type
        self.values = values
    }

    public init(_ spec: CheckSpec) {
        self.init(type: spec.type, values: spec.options)
    }

    /// The first option given that the check never read, in the one wording of unknown keys with a "did you mean"
    /// among the options it did read (`unknown field "valeu" in check 'contains'; did you mean 'value'?`); nil when
    /// every option was read.
    public var unknownOption: String? {
        DocumentReader.firstError(wording: .checkOption(type)) { reader in
            reader.unknownKeys(values, known: readKeys.sorted(), at: .root, in: "check '\(type)'")
        }.error
    }

    public func has(_ key: String) -> Bool { values[key] != nil }

    public mutating func raw(_ key: String) -> JSONValue? {
        readKeys.insert(key)
        return values[key]
    }

    /// The option `key` read by `read` with a reader worded as check options are; nil when absent or null, and the
    /// first problem thrown.
    private mutating func read<T>(_ key: String, _ read: (inout DocumentReader, JSONValue, FieldPath) -> T?)
        throws(CheckConfigurationError) -> T?
    {
        guard let value = raw(key), !value.isNull else { return nil }
        let (result, error) = DocumentReader.firstError(wording: .checkOption(type)) { read(&$0, value, [.key(key)]) }
        if let error { throw CheckConfigurationError(error) }
        return result
    }

    private func missing(_ key: String, expected: String) -> CheckConfigurationError {
        CheckConfigurationError("check '\(type)' needs option '\(key)' (\(expected))")
    }

    public mutating func string(_ key: String) throws(CheckConfigurationError) -> String {
        guard let value = try optionalString(key) else { throw missing(key, expected: "a string") }
        return value
    }

    public mutating func optionalString(_ key: String) throws(CheckConfigurationError) -> String? {
        try read(key) { reader, value, path in reader.string(value, at: path) }
    }

    public mutating func bool(_ key: String, default fallback: Bool) throws(CheckConfigurationError) -> Bool {
        try read(key) { reader, value, path in reader.bool(value, at: path) } ?? fallback
    }

    public mutating func optionalInt(_ key: String) throws(CheckConfigurationError) -> Int? {
        try read(key) { reader, value, path in reader.int(value, at: path) }
    }

    public mutating func int(_ key: String) throws(CheckConfigurationError) -> Int {
        guard let value = try optionalInt(key) else { throw missing(key, expected: "an integer") }
        return value
    }

    public mutating func optionalDouble(_ key: String) throws(CheckConfigurationError) -> Double? {
        try read(key) { reader, value, path in reader.number(value, at: path) }
    }

    /// A list of strings; a single string is accepted as a list of one.
    public mutating func optionalStrings(_ key: String) throws(CheckConfigurationError) -> [String]? {
        try read(key) { reader, value, path in
            if let single = value.stringValue { return [single] }
            guard let items = value.arrayValue else {
                reader.mistyped(path, expected: "a string or a list of strings", found: value)
                return nil
            }
            // A bad item is named as the option's, as the option is what the check's author wrote.
            if let bad = items.first(where: { $0.stringValue == nil }) {
                reader.mistyped(path, expected: "a list of strings", found: bad)
                return nil
            }
            return items.compactMap(\.stringValue)
        }
    }

    public mutating func strings(_ key: String) throws(CheckConfigurationError) -> [String] {
        guard let value = try optionalStrings(key), !value.isEmpty else {
            throw missing(key, expected: "a non-empty list of strings")
        }
        return value
    }

    /// Some of a fixed set of string values: one, or a list (in the order given, without repeats); nil when absent.
    public mutating func optionalChoices(_ key: String, of allowed: [String]) throws(CheckConfigurationError)
        -> [String]?
    {
        guard let values = try optionalStrings(key) else { return nil }
        guard !values.isEmpty else {
            throw missing(
                key, expected: "one of \(allowed.map { "'\($0)'" }.joined(separator: ", ")), or a list of them")
        }
        var chosen: [String] = []
        for value in values where !chosen.contains(value) {
            _ = try choose(key, .string(value), of: allowed)
            chosen.append(value)
        }
        return chosen
    }

    /// `value` when it is one of `allowed`; thrown otherwise, with a "did you mean".
    private func choose(_ key: String, _ value: JSONValue, of allowed: [String]) throws(CheckConfigurationError)
        -> String
    {
        let (chosen, error) = DocumentReader.firstError(wording: .checkOption(type)) {
            $0.choice(value, at: [.key(key)], of: allowed)
        }
        guard let chosen else { throw CheckConfigurationError(error ?? "option '\(key)' of check '\(type)'") }
        return chosen
    }

    /// One of a fixed set of string values.
    public mutating func choice(_ key: String, of allowed: [String], default fallback: String)
        throws(CheckConfigurationError) -> String
    {
        guard let value = try optionalString(key) else { return fallback }
        return try choose(key, .string(value), of: allowed)
    }
}

extension DocumentReader.Wording {
    /// `option 'value' of check 'contains' expects a string, found array`.
    static func checkOption(_ type: String) -> Self {
        Self { field, expected, found in "option '\(field)' of check '\(type)' expects \(expected), found \(found)" }
    }
}
