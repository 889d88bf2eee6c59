import EvalCore
import NIOCore

/// Writing JSON straight into a `ByteBuffer`, without `JSONSerialization` or `JSONEncoder`: the endpoint writes every
/// response by hand so that per-request work stays small.
extension ByteBuffer {
    /// Writes `string` as a JSON string literal, escaped by EvalCore's `JSONEscaping`.
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

    private mutating func writeJSONEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        JSONEscaping.escape(utf8) { self.writeBytes($0) }
    }
}
