/// EvalCore's one JSON scanner (RFC 8259, UTF-8): every JSON reader in evalgate is declared on it — `JSONValue.parse`,
/// Reporting's fast `result`-line reader, the diagnostics' `JSONLocator` and Scoring's `JSONSpans`.
///
/// A cursor over the bytes: it scans one token at a time (a string, a number, a literal, a container's opening,
/// separators and closing) and hands back where it is (`JSONStringToken` and `JSONNumberToken` carry their byte
/// ranges, `location(ofByte:in:)` turns an offset into line and column); what to build from the tokens is the
/// reader's business. It is strict where `JSONDecoder` is strict (escapes, surrogate pairs, UTF-8, number grammar)
/// and stricter where `JSONDecoder` is lenient: no trailing commas, no byte-order mark. Containers nest at most
/// `maximumDepth` deep, so that no input can overflow the stack of a recursive reader.
///
/// A failure is a `JSONParseError` at the byte where the document stops fitting (`unexpected end of JSON` past the
/// last byte, `invalid JSON` elsewhere). Two offsets are kept as the parser has always reported them: a control
/// character after an escape in the same string is reported one byte past it, and bytes that are not UTF-8 inside a
/// string are reported just past the string's closing quote.
///
/// Hot readers in other modules call it per token, so its body is inlinable.
@frozen
public struct JSONScanner {
    /// The document.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    public var index: Int
    @usableFromInline var depth = 0

    /// How deep objects and arrays may nest.
    public static var maximumDepth: Int { 512 }

    @inlinable
    public init(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    // MARK: Bytes

    /// The byte at `index`, nil at the end.
    @inlinable
    public var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    @inlinable
    public var isAtEnd: Bool { index >= bytes.count }

    /// Skips JSON's four whitespace bytes.
    @inlinable
    public mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next byte that is not whitespace (`index` moved to it), nil at the end.
    @inlinable
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return current
    }

    /// The error for the byte at `index`.
    @inlinable
    public func failure() -> JSONParseError {
        JSONParseError(offset: index, message: index >= bytes.count ? "unexpected end of JSON" : "invalid JSON")
    }

    // MARK: Containers

    /// Opens the object at the next byte that is not whitespace; read its members with `nextKey(in:)`.
    @inlinable
    public mutating func openObject() throws(JSONParseError) -> JSONContainer {
        try open(UInt8(ascii: "{"))
    }

    /// Opens the array at the next byte that is not whitespace; read its elements with `nextElement(in:)`.
    @inlinable
    public mutating func openArray() throws(JSONParseError) -> JSONContainer {
        try open(UInt8(ascii: "["))
    }

    @inlinable
    mutating func open(_ bracket: UInt8) throws(JSONParseError) -> JSONContainer {
        skipWhitespace()
        guard current == bracket, depth < Self.maximumDepth else { throw failure() }
        depth += 1
        index += 1
        return JSONContainer()
    }

    /// The next member's key, with its `:` read and `index` at the value; nil once the closing `}` is read.
    @inlinable
    public mutating func nextKey(in object: inout JSONContainer) throws(JSONParseError) -> JSONStringToken? {
        guard let key = try nextKeyToken(in: &object) else { return nil }
        try colon()
        return key
    }

    /// `nextKey(in:)` up to the key's closing quote, for a reader that judges the key before the rest (a duplicate).
    @inlinable
    mutating func nextKeyToken(in object: inout JSONContainer) throws(JSONParseError) -> JSONStringToken? {
        guard try next(in: &object, closing: UInt8(ascii: "}")) else { return nil }
        guard current == UInt8(ascii: "\"") else { throw failure() }
        return try string()
    }

    /// The `:` after a key, and the whitespace after it.
    @inlinable
    mutating func colon() throws(JSONParseError) {
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw failure() }
        index += 1
        skipWhitespace()
    }

    /// True when another element follows (`index` at it), false once the closing `]` is read.
    @inlinable
    public mutating func nextElement(in array: inout JSONContainer) throws(JSONParseError) -> Bool {
        try next(in: &array, closing: UInt8(ascii: "]"))
    }

    /// Reads the separator before an item, or the closing bracket.
    @inlinable
    mutating func next(in container: inout JSONContainer, closing: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        if container.isEmpty {
            container.isEmpty = false
        } else if current == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
            return true
        } else if current != closing {
            throw failure()
        }
        guard current == closing else { return true }
        index += 1
        depth -= 1
        return false
    }

    // MARK: Scalars

    /// Reads `true`, `false` or `null` (given as `word`) at `index`.
    @inlinable
    public mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw failure() }
        index += count
    }

    /// Reads `true` or `false` at the next byte that is not whitespace.
    @inlinable
    public mutating func bool() throws(JSONParseError) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default: throw failure()
        }
    }

    /// Reads `null` when it is the next value (true), or nothing (false).
    @inlinable
    public mutating func null() throws(JSONParseError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Reads the string at the next byte that is not whitespace, checking its escapes and its UTF-8.
    @inlinable
    public mutating func string() throws(JSONParseError) -> JSONStringToken {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw failure() }
        let start = index
        index += 1
        var hasEscapes = false
        var isUTF8 = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                guard isUTF8 else { throw failure() }
                return JSONStringToken(range: start..<index, hasEscapes: hasEscapes)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                index += 1
                try escape()
            } else if byte < 0x20 {
                if hasEscapes { index += 1 }
                throw failure()
            } else if byte < 0x80 {
                index += 1
            } else if let length = Self.utf8Length(bytes, at: index) {
                index += length
            } else {
                isUTF8 = false
                index += 1
            }
        }
        throw failure()
    }

    /// Checks one escape, its backslash read.
    @inlinable
    mutating func escape() throws(JSONParseError) {
        guard let escaped = current else { throw failure() }
        index += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            _ = try unicodeEscape()
        default:
            throw failure()
        }
    }

    /// The scalar of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair.
    @inlinable
    mutating func unicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let high = try hex4()
        switch high {
        case 0xD800...0xDBFF:
            guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw failure() }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low),
                let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            else { throw failure() }
            return scalar
        case 0xDC00...0xDFFF:
            throw failure()
        default:
            // Below 0xD800 or above 0xDFFF: always a scalar.
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        }
    }

    @inlinable
    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// The length of the well-formed UTF-8 sequence of a non-ASCII scalar at `offset` (no overlong forms, no
    /// surrogates, nothing above U+10FFFF), nil when it is not one.
    @inlinable
    static func utf8Length(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch bytes[offset] {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: return nil
        }
        guard offset + length <= bytes.count, bytes[offset + 1] >= lower, bytes[offset + 1] <= upper else { return nil }
        for next in offset + 2..<offset + length where bytes[next] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// The text of a string this scanner read, its escapes decoded.
    @inlinable
    public func text(of token: JSONStringToken) -> String {
        let inside = UnsafeBufferPointer(rebasing: bytes[token.range.lowerBound + 1..<token.range.upperBound - 1])
        guard token.hasEscapes else { return String(decoding: inside, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(inside.count)
        var reader = JSONScanner(bytes, from: token.range.lowerBound + 1)
        let end = token.range.upperBound - 1
        while reader.index < end {
            let byte = bytes[reader.index]
            reader.index += 1
            guard byte == UInt8(ascii: "\\") else {
                decoded.append(byte)
                continue
            }
            let escaped = bytes[reader.index]
            reader.index += 1
            switch escaped {
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                // The token was checked when it was read: the escape is well-formed.
                if let scalar = try? reader.unicodeEscape(), let encoded = UTF8.encode(scalar) {
                    decoded.append(contentsOf: encoded)
                }
            default: decoded.append(escaped)
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Reads the number at the next byte that is not whitespace: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    @inlinable
    public mutating func number() throws(JSONParseError) -> JSONNumberToken {
        skipWhitespace()
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, Self.isDigit(first) else { throw failure() }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var isIntegral = true
        if current == UInt8(ascii: ".") {
            isIntegral = false
            index += 1
            guard let byte = current, Self.isDigit(byte) else { throw failure() }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isIntegral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let byte = current, Self.isDigit(byte) else { throw failure() }
            skipDigits()
        }
        return JSONNumberToken(range: start..<index, isIntegral: isIntegral)
    }

    @inlinable
    mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { index += 1 }
    }

    @inlinable
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The value of a number written without fraction or exponent, nil when it is not one or does not fit.
    @inlinable
    public func int64(of token: JSONNumberToken) -> Int64? {
        guard token.isIntegral else { return nil }
        var position = token.range.lowerBound
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var value: Int64 = 0
        while position < token.range.upperBound {
            let digit = Int64(bytes[position] &- UInt8(ascii: "0"))
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowShift || overflowAdd { return nil }
            value = next
            position += 1
        }
        return value
    }

    /// The value of a number as `Double`, nil when it is not finite (`1e999`).
    @inlinable
    public func double(of token: JSONNumberToken) -> Double? {
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[token.range]), as: UTF8.self)),
            value.isFinite
        else { return nil }
        return value
    }

    // MARK: Typed values, for readers that build records

    /// The text of the string at the next value.
    @inlinable
    public mutating func stringValue() throws(JSONParseError) -> String {
        text(of: try string())
    }

    /// The text of the string at the next value, nil for `null`.
    @inlinable
    public mutating func optionalString() throws(JSONParseError) -> String? {
        if try null() { return nil }
        return try stringValue()
    }

    /// The integer at the next value, written without fraction or exponent and within `Int`; any other number fails
    /// (`1.0` and `1e2`, which `JSONDecoder` may also take for integers, are left to the reader's fallback).
    @inlinable
    public mutating func integer() throws(JSONParseError) -> Int {
        let start = index
        let token = try number()
        guard let value = int64(of: token), let int = Int(exactly: value) else {
            throw JSONParseError(offset: start, message: "invalid JSON")
        }
        return int
    }

    /// As `integer()`, nil for `null`.
    @inlinable
    public mutating func optionalInteger() throws(JSONParseError) -> Int? {
        if try null() { return nil }
        return try integer()
    }

    // MARK: Values

    /// Reads one whole value of any kind, checking it as `JSONValue.parse` would, without building it.
    public mutating func skipValue() throws(JSONParseError) {
        switch peek() {
        case UInt8(ascii: "{"):
            var object = try openObject()
            while try nextKey(in: &object) != nil { try skipValue() }
        case UInt8(ascii: "["):
            var array = try openArray()
            while try nextElement(in: &array) { try skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            guard double(of: try number()) != nil else { throw failure() }
        }
    }

    /// Checks that nothing but whitespace follows the document's value.
    @inlinable
    public mutating func end() throws(JSONParseError) {
        skipWhitespace()
        guard isAtEnd else { throw JSONParseError(offset: index, message: "unexpected text after the JSON value") }
    }

    /// Reads one whole document, checking it as `JSONValue.parse` would, without building it: one value, then
    /// nothing but whitespace.
    public mutating func skipDocument() throws(JSONParseError) {
        try skipValue()
        try end()
    }

    // MARK: Locations

    /// The 1-based line (lines end at `\n`) and column (in characters) of the byte at `offset` in a document.
    public static func location(ofByte offset: Int, in bytes: some Collection<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = bytes.startIndex
        let upper = bytes.index(bytes.startIndex, offsetBy: min(max(offset, 0), bytes.count))
        var position = bytes.startIndex
        while position < upper {
            let next = bytes.index(after: position)
            if bytes[position] == UInt8(ascii: "\n") {
                line += 1
                lineStart = next
            }
            position = next
        }
        return (line, SourceText.column(ofByte: bytes.distance(from: lineStart, to: upper), in: bytes[lineStart...]))
    }
}

/// An object or array being read by a `JSONScanner`.
@frozen
public struct JSONContainer {
    /// No member or element read yet.
    @usableFromInline var isEmpty = true

    @inlinable
    init() {}
}

/// A string a `JSONScanner` read: its bytes, quotes included, and whether it has escapes to decode.
@frozen
public struct JSONStringToken: Hashable, Sendable {
    public var range: Range<Int>
    public var hasEscapes: Bool

    @inlinable
    public init(range: Range<Int>, hasEscapes: Bool) {
        self.range = range
        self.hasEscapes = hasEscapes
    }
}

/// A number a `JSONScanner` read: its bytes, and whether it is written without fraction or exponent.
@frozen
public struct JSONNumberToken: Hashable, Sendable {
    public var range: Range<Int>
    public var isIntegral: Bool

    @inlinable
    public init(range: Range<Int>, isIntegral: Bool) {
        self.range = range
        self.isIntegral = isIntegral
    }
}
