extension JSONValue {
    /// Parses one JSON document (RFC 8259, UTF-8).
    ///
    /// Written by hand rather than through `JSONDecoder`: decoding `JSONValue` with `Codable` probes each type in
    /// turn, and every failed probe throws, which dominated the cost of parsing a request or a response (each throw
    /// also captures a backtrace inside a Swift Testing process). This parser throws once, at the first bad byte.
    /// Numbers follow `JSONValue`'s decoding: a value that is integral and fits `Int64` is `.int`, anything else
    /// `.double`; of duplicate keys the first wins, unless `rejectingDuplicateKeys` makes a second one an error (for
    /// files people write, where a repeated key is a mistake that would otherwise be dropped without a word). Unlike
    /// `JSONDecoder` it is strict: no trailing commas, no BOM.
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

/// A small recursive-descent JSON parser over UTF-8 bytes.
private struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 512
    private let rejectingDuplicateKeys: Bool
    /// Set when the parse stopped on a well-formed document that breaks a rule (a duplicate key).
    private var ruleBroken: JSONParseError?

    private init(_ bytes: UnsafeBufferPointer<UInt8>, rejectingDuplicateKeys: Bool) {
        self.bytes = bytes
        self.rejectingDuplicateKeys = rejectingDuplicateKeys
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, rejectingDuplicateKeys: Bool = false) -> Result<
        JSONValue, JSONParseError
    > {
        var parser = JSONParser(bytes, rejectingDuplicateKeys: rejectingDuplicateKeys)
        guard let value = parser.value() else {
            if let ruleBroken = parser.ruleBroken { return .failure(ruleBroken) }
            let message = parser.index >= bytes.count ? "unexpected end of JSON" : "invalid JSON"
            return .failure(JSONParseError(offset: parser.index, message: message))
        }
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            return .failure(JSONParseError(offset: parser.index, message: "unexpected text after the JSON value"))
        }
        return .success(value)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        index += 1
        return true
    }

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func value() -> JSONValue? {
        skipWhitespace()
        guard let byte = current else { return nil }
        switch byte {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true") ? JSONValue.bool(true) : Optional.none
        case UInt8(ascii: "f"): return literal("false") ? JSONValue.bool(false) : Optional.none
        case UInt8(ascii: "n"): return literal("null") ? JSONValue.null : Optional.none
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return nil
        }
    }

    private mutating func object() -> JSONValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { return nil }
        index += 1
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(fields) }
        while true {
            skipWhitespace()
            let keyStart = index
            guard current == UInt8(ascii: "\""), let key = string() else { return nil }
            if rejectingDuplicateKeys, fields.index(forKey: key) != nil {
                ruleBroken = JSONParseError(offset: keyStart, message: "duplicate key '\(key)' in an object")
                return nil
            }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")), let value = value() else { return nil }
            // The first of duplicate keys wins, as with JSONDecoder.
            if fields.index(forKey: key) == nil { fields[key] = value }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}")) ? JSONValue.object(fields) : Optional.none
        }
    }

    private mutating func array() -> JSONValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { return nil }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return .array(items) }
        while true {
            guard let item = value() else { return nil }
            items.append(item)
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]")) ? JSONValue.array(items) : Optional.none
        }
    }

    /// Parses a string starting at its opening quote.
    private mutating func string() -> String? {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = current else { return nil }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    decoded.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
            case 0..<0x20:
                return nil
            default:
                decoded.append(byte)
            }
        }
        return nil
    }

    /// The scalar of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        switch high {
        case 0xD800...0xDBFF:
            guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        case 0xDC00...0xDFFF:
            return nil
        default:
            return Unicode.Scalar(high)
        }
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func number() -> JSONValue? {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        guard let first = current, isDigit(first) else { return nil }
        index += 1
        if first != UInt8(ascii: "0") {
            while let byte = current, isDigit(byte) { index += 1 }
        }
        var integral = true
        if consume(UInt8(ascii: ".")) {
            integral = false
            guard let byte = current, isDigit(byte) else { return nil }
            while let byte = current, isDigit(byte) { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let byte = current, isDigit(byte) else { return nil }
            while let byte = current, isDigit(byte) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else { return nil }
        // Like JSONValue's Codable decoding: a number with an integral value (`1.0`, `1e3`) is an integer.
        if double.rounded() == double, abs(double) < 9.2e18 { return .int(Int64(double)) }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
