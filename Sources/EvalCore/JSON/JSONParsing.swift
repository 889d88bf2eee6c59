extension JSONValue {
    /// Parses one JSON document (RFC 8259, UTF-8).
    ///
    /// Built on `JSONScanner` rather than on `JSONDecoder`: decoding `JSONValue` with `Codable` probes each type in
    /// turn, and every failed probe throws, which dominated the cost of parsing a request or a response (each throw
    /// also captures a backtrace inside a Swift Testing process). This parser throws once, at the first bad byte.
    /// Numbers follow `JSONValue`'s decoding: a value that is integral and fits `Int64` is `.int`, anything else
    /// `.double`; of duplicate keys the first wins, unless `rejectingDuplicateKeys` makes a second one an error (for
    /// files people write, where a repeated key is a mistake that would otherwise be dropped without a word). It reads
    /// the tokens of `JSONScanner`, so it is as strict as that: unlike `JSONDecoder`, no trailing commas, no BOM.
    public static func parse(
        _ bytes: some Collection<UInt8>, rejectingDuplicateKeys: Bool = false
    ) throws(JSONParseError) -> JSONValue {
        let parsed: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable {
            JSONParser.parse($0, rejectingDuplicateKeys: rejectingDuplicateKeys)
        }
        if let parsed { return try parsed.get() }
        return try Array(bytes).withUnsafeBufferPointer {
            JSONParser.parse($0, rejectingDuplicateKeys: rejectingDuplicateKeys)
        }.get()
    }

    /// Parses a JSON document held in a string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { JSONParser.parse($0) }.get()
    }
}

/// Why a JSON document could not be parsed: the byte offset of the first byte that does not fit.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) at byte \(offset)" }
}

/// Builds a `JSONValue` from the tokens of a `JSONScanner`.
private struct JSONParser {
    private var scanner: JSONScanner
    private let rejectingDuplicateKeys: Bool

    private init(_ bytes: UnsafeBufferPointer<UInt8>, rejectingDuplicateKeys: Bool) {
        self.scanner = JSONScanner(bytes)
        self.rejectingDuplicateKeys = rejectingDuplicateKeys
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, rejectingDuplicateKeys: Bool = false) -> Result<
        JSONValue, JSONParseError
    > {
        var parser = JSONParser(bytes, rejectingDuplicateKeys: rejectingDuplicateKeys)
        do throws(JSONParseError) {
            let value = try parser.value()
            try parser.scanner.end()
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    private mutating func value() throws(JSONParseError) -> JSONValue {
        switch scanner.peek() {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["):
            var array = try scanner.openArray()
            var items: [JSONValue] = []
            while try scanner.nextElement(in: &array) { items.append(try value()) }
            return .array(items)
        case UInt8(ascii: "\""): return .string(scanner.text(of: try scanner.string()))
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try scanner.bool())
        case UInt8(ascii: "n"):
            try scanner.literal("null")
            return .null
        default: return try number()
        }
    }

    private mutating func object() throws(JSONParseError) -> JSONValue {
        var object = try scanner.openObject()
        var fields: [String: JSONValue] = [:]
        while let keyToken = try scanner.nextKeyToken(in: &object) {
            let key = scanner.text(of: keyToken)
            if rejectingDuplicateKeys, fields.index(forKey: key) != nil {
                throw JSONParseError(offset: keyToken.range.lowerBound, message: "duplicate key '\(key)' in an object")
            }
            try scanner.colon()
            let value = try value()
            // The first of duplicate keys wins, as with JSONDecoder.
            if fields.index(forKey: key) == nil { fields[key] = value }
        }
        return .object(fields)
    }

    private mutating func number() throws(JSONParseError) -> JSONValue {
        let token = try scanner.number()
        if let integer = scanner.int64(of: token) { return .int(integer) }
        guard let double = scanner.double(of: token) else { throw scanner.failure() }
        // Like JSONValue's Codable decoding: a number with an integral value (`1.0`, `1e3`) is an integer.
        if double.rounded() == double, abs(double) < 9.2e18 { return .int(Int64(double)) }
        return .double(double)
    }
}
