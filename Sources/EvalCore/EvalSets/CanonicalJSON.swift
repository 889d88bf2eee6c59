/// The canonical JSON text of a value, the input of every content hash: compact, object keys sorted by their UTF-8
/// bytes, strings escaped only where JSON requires it (`"`, `\`, control characters), integers in decimal and other
/// numbers in Swift's shortest round-trip form.
///
/// Written out here rather than taken from `JSONValue.canonicalData()`: that goes through `JSONEncoder`, whose key
/// order and number formatting belong to Foundation and may change between platforms or releases, and a hash that
/// is stored in run logs must not.
public enum CanonicalJSON {
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter(numbers: .canonical)
        writer.value(value)
        return writer.bytes
    }

    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// The SHA-256 of the canonical text, as 64 hex digits. The text is streamed into the hasher in blocks of about
    /// 16 KB (handed over between values), never held whole.
    public static func sha256(_ value: JSONValue) -> String {
        let block = 16 * 1024
        var hasher = SHA256()
        var writer = JSONWriter(numbers: .canonical, capacity: block + 256)
        writer.value(value) { writer in
            guard writer.bytes.count >= block else { return }
            writer.bytes.withUnsafeBytes { hasher.update($0) }
            writer.bytes.removeAll(keepingCapacity: true)
        }
        writer.bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalizeHex()
    }
}
