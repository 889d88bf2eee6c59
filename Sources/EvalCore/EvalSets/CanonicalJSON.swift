/// The canonical JSON text of a value, the input of every content hash: compact, object keys sorted by their UTF-8
/// bytes, strings escaped only where JSON requires it (`"`, `\`, control characters), integers in decimal and other
/// numbers in Swift's shortest round-trip form.
///
/// Written out here rather than taken from `JSONValue.canonicalData()`: that goes through `JSONEncoder`, whose key
/// order and number formatting belong to Foundation and may change between platforms or releases, and a hash that
/// is stored in run logs must not.
public enum CanonicalJSON {
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var output = Output()
        write(value, to: &output)
        return output.buffer
    }

    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// The SHA-256 of the canonical text, as 64 hex digits. The text is streamed into the hasher in blocks, never
    /// held whole.
    public static func sha256(_ value: JSONValue) -> String {
        var output = Output(hasher: SHA256())
        write(value, to: &output)
        output.flush()
        return output.hasher!.finalizeHex()
    }

    /// Where the text goes: a growing buffer, or (with a hasher) a block handed to the hasher whenever it fills.
    private struct Output {
        var buffer: [UInt8] = []
        var hasher: SHA256?
        static let block = 16 * 1024

        init(hasher: SHA256? = nil) {
            self.hasher = hasher
            if hasher != nil { buffer.reserveCapacity(Self.block + 256) }
        }

        mutating func append(_ byte: UInt8) {
            buffer.append(byte)
        }

        mutating func append(_ text: StaticString) {
            buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        mutating func append(contentsOf bytes: some Collection<UInt8>) {
            buffer.append(contentsOf: bytes)
        }

        /// Hands a full block to the hasher; called between values, so a block ends on no particular boundary.
        mutating func flushIfFull() {
            if hasher != nil, buffer.count >= Self.block { flush() }
        }

        mutating func flush() {
            guard hasher != nil else { return }
            buffer.withUnsafeBytes { hasher!.update($0) }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    private static func write(_ value: JSONValue, to output: inout Output) {
        switch value {
        case .null: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .int(let integer): output.append(contentsOf: String(integer).utf8)
        case .double(let number):
            if number.isFinite {
                output.append(contentsOf: number.description.utf8)
            } else {
                // Not representable in JSON; the loaders never produce it.
                output.append("null")
            }
        case .string(let text): writeString(text, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(item, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let fields):
            output.append(UInt8(ascii: "{"))
            let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, field) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(field.key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(field.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
        output.flushIfFull()
    }

    private static func writeString(_ text: String, to output: inout Output) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in JSONEscaping.escape(bytes) { output.append(contentsOf: $0) } }
        output.append(UInt8(ascii: "\""))
    }
}
