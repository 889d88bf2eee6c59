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

/// The options of one check spec, read with typed accessors. Every key read is remembered, so `unusedKeys` can
/// report options the check does not know (a typo such as `valeu` must not be silently ignored).
public struct CheckOptions: Sendable {
    public let type: String
    private let values: [String: JSONValue]
    private var read: Set<String> = []

    public init(type: String, values: [String: JSONValue]) {
        self.type = type
        self.values = values
    }

    public init(_ spec: CheckSpec) {
        self.init(type: spec.type, values: spec.options)
    }

    /// Keys given but never read by the check.
    public var unusedKeys: [String] { values.keys.filter { !read.contains($0) }.sorted() }

    public func has(_ key: String) -> Bool { values[key] != nil }

    public mutating func raw(_ key: String) -> JSONValue? {
        read.insert(key)
        return values[key]
    }

    private func mistyped(_ key: String, expected: String, found: JSONValue) -> CheckConfigurationError {
        CheckConfigurationError("option '\(key)' of check '\(type)' expects \(expected), found \(found.typeName)")
    }

    private func missing(_ key: String, expected: String) -> CheckConfigurationError {
        CheckConfigurationError("check '\(type)' needs option '\(key)' (\(expected))")
    }

    public mutating func string(_ key: String) throws(CheckConfigurationError) -> String {
        guard let value = try optionalString(key) else { throw missing(key, expected: "a string") }
        return value
    }

    public mutating func optionalString(_ key: String) throws(CheckConfigurationError) -> String? {
        guard let value = raw(key), !value.isNull else { return nil }
        guard let text = value.stringValue else { throw mistyped(key, expected: "a string", found: value) }
        return text
    }

    public mutating func bool(_ key: String, default fallback: Bool) throws(CheckConfigurationError) -> Bool {
        guard let value = raw(key), !value.isNull else { return fallback }
        guard let flag = value.boolValue else { throw mistyped(key, expected: "true or false", found: value) }
        return flag
    }

    public mutating func optionalInt(_ key: String) throws(CheckConfigurationError) -> Int? {
        guard let value = raw(key), !value.isNull else { return nil }
        guard let number = value.intValue, let int = Int(exactly: number) else {
            throw mistyped(key, expected: "an integer", found: value)
        }
        return int
    }

    public mutating func int(_ key: String) throws(CheckConfigurationError) -> Int {
        guard let value = try optionalInt(key) else { throw missing(key, expected: "an integer") }
        return value
    }

    public mutating func optionalDouble(_ key: String) throws(CheckConfigurationError) -> Double? {
        guard let value = raw(key), !value.isNull else { return nil }
        guard let number = value.doubleValue else { throw mistyped(key, expected: "a number", found: value) }
        return number
    }

    /// A list of strings; a single string is accepted as a list of one.
    public mutating func optionalStrings(_ key: String) throws(CheckConfigurationError) -> [String]? {
        guard let value = raw(key), !value.isNull else { return nil }
        if let single = value.stringValue { return [single] }
        guard let items = value.arrayValue else {
            throw mistyped(key, expected: "a string or a list of strings", found: value)
        }
        var strings: [String] = []
        for item in items {
            guard let text = item.stringValue else {
                throw mistyped(key, expected: "a list of strings", found: item)
            }
            strings.append(text)
        }
        return strings
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
            guard allowed.contains(value) else { throw notOneOf(key, allowed, found: value) }
            chosen.append(value)
        }
        return chosen
    }

    private func notOneOf(_ key: String, _ allowed: [String], found value: String) -> CheckConfigurationError {
        CheckConfigurationError(
            "option '\(key)' of check '\(type)' expects one of \(allowed.map { "'\($0)'" }.joined(separator: ", ")), found '\(value)'"
        )
    }

    /// One of a fixed set of string values.
    public mutating func choice(_ key: String, of allowed: [String], default fallback: String)
        throws(CheckConfigurationError) -> String
    {
        guard let value = try optionalString(key) else { return fallback }
        guard allowed.contains(value) else { throw notOneOf(key, allowed, found: value) }
        return value
    }
}
