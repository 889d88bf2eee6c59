import NIOCore

/// Writing JSON straight into a `ByteBuffer`, without `JSONSerialization` or `JSONEncoder`: the endpoint writes every
/// response by hand so that per-request work stays small.
extension ByteBuffer {
    /// Writes `string` as a JSON string literal: quotes, backslashes and control characters escaped, everything else
    /// (non-ASCII included) copied as UTF-8.
    mutating func writeJSONString(_ string: some StringProtocol) {
        self.writeInteger(UInt8(ascii: "\""))
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { self.writeJSONEscaped($0) }
        if done == nil {
            Array(string.utf8).withUnsafeBufferPointer { self.writeJSONEscaped($0) }
        }
        self.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes `string` as a JSON string literal, or `null` when it is nil.
    mutating func writeJSONStringOrNull(_ string: String?) {
        if let string { self.writeJSONString(string) } else { self.writeStaticString("null") }
    }

    mutating func writeDecimal(_ value: Int) {
        self.writeString(String(value))
    }

    /// The escaping loop: copies runs of bytes that need no escape in one go.
    private mutating func writeJSONEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index {
                self.writeBytes(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            }
            switch byte {
            case UInt8(ascii: "\""): self.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): self.writeStaticString("\\\\")
            case 0x0A: self.writeStaticString("\\n")
            case 0x0D: self.writeStaticString("\\r")
            case 0x09: self.writeStaticString("\\t")
            case 0x08: self.writeStaticString("\\b")
            case 0x0C: self.writeStaticString("\\f")
            default:
                self.writeStaticString("\\u00")
                self.writeInteger(Self.hexDigits[Int(byte >> 4)])
                self.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
            }
            runStart = index + 1
        }
        if runStart < utf8.count {
            self.writeBytes(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
