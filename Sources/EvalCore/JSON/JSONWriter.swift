/// EvalCore's one JSON byte writer: compact JSON into a growing byte buffer, strings escaped by `JSONEscaping`.
///
/// Two number styles, because two kinds of output need them:
/// - `.foundation` writes what `JSONEncoder` writes on Linux (swift-foundation): a double's `description` with a
///   trailing `.0` dropped (`5.0` → `5`, `0.25` → `0.25`, `1e-07` → `1e-07`). Run log lines and request bodies are
///   written in this style, so that they are byte for byte what the `Codable` path writes (`RunLogWriterTests` and
///   `ChatWireTests` compare the two) and a log written before this writer existed reads the same.
/// - `.canonical` writes a double's `description` whole (`5.0` stays `5.0`): the input of content hashes
///   (`CanonicalJSON`), which must never change.
///
/// Object keys of a `JSONValue` are written sorted by their UTF-8 bytes, as `JSONEncoder`'s `.sortedKeys` does on
/// Linux. A writer that meets a non-finite double writes `null` and sets `invalidNumber`: JSON cannot carry it, and
/// `JSONEncoder` would have thrown, so callers that promise `JSONEncoder`'s behaviour check the flag.
///
/// Written by hand (not `JSONEncoder`) because a run appends one result line per answer: `JSONEncoder` builds a tree
/// of boxed values and a dictionary per object, and cost about a tenth of a run's CPU (issue 19's profile).
public struct JSONWriter: Sendable {
    public enum NumberStyle: Sendable {
        case foundation
        case canonical
    }

    public var bytes: [UInt8]
    public let numbers: NumberStyle
    /// Set when a non-finite double was written (as `null`).
    public private(set) var invalidNumber = false

    public init(numbers: NumberStyle, capacity: Int = 256) {
        self.numbers = numbers
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    public mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    public mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in JSONEscaping.escape(utf8) { bytes.append(contentsOf: $0) } }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func bool(_ flag: Bool) {
        if flag { raw("true") } else { raw("false") }
    }

    public mutating func int<Integer: BinaryInteger>(_ value: Integer) {
        guard value != 0 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        // At most 20 digits and a sign for a 64-bit integer; wider ones take the general path.
        guard value.bitWidth <= 64 else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        var magnitude = UInt64(value.magnitude)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let count = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var position = buffer.count
            while magnitude > 0 {
                position -= 1
                buffer[position] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
            }
            if value < 0 {
                position -= 1
                buffer[position] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[position...]))
            return buffer.count - position
        }
        precondition(count > 0)
    }

    public mutating func double(_ number: Double) {
        guard number.isFinite else {
            invalidNumber = true
            raw("null")
            return
        }
        let text = number.description
        var utf8 = text.utf8[...]
        if numbers == .foundation, utf8.count > 2, text.hasSuffix(".0") { utf8 = utf8.dropLast(2) }
        bytes.append(contentsOf: utf8)
    }

    /// `"key":` for a key known to need no escape (a field name of the writer's own).
    @inline(__always)
    public mutating func key(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    /// `{"key":`: an object's first field.
    @inline(__always)
    public mutating func firstKey(_ name: StaticString) {
        raw("{\"")
        raw(name)
        raw("\":")
    }

    /// `,"key":`: a field after the first.
    @inline(__always)
    public mutating func nextKey(_ name: StaticString) {
        raw(",\"")
        raw(name)
        raw("\":")
    }

    /// A JSON value, object keys sorted by their UTF-8 bytes. `afterEach` runs after every value written, nested
    /// ones included (`CanonicalJSON` hands full blocks to its hasher there).
    public mutating func value(_ value: JSONValue, afterEach: (inout JSONWriter) -> Void = { _ in }) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): bool(flag)
        case .int(let integer): int(integer)
        case .double(let number): double(number)
        case .string(let text): string(text)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(item, afterEach: afterEach)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let fields):
            object(fields, afterEach: afterEach)
        }
        afterEach(&self)
    }

    /// An object of JSON values, keys sorted by their UTF-8 bytes.
    public mutating func object(_ fields: [String: JSONValue], afterEach: (inout JSONWriter) -> Void = { _ in }) {
        bytes.append(UInt8(ascii: "{"))
        let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (index, field) in sorted.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(field.key)
            bytes.append(UInt8(ascii: ":"))
            value(field.value, afterEach: afterEach)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// An array of strings.
    public mutating func strings(_ items: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(item)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
