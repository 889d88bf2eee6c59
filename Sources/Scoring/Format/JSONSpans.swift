public import EvalCore

/// Where each value of a JSON document is, by JSON pointer: the evidence span of a schema violation.
///
/// `JSONValue.parse` checks the document; this walks the same bytes again, only when there is something to point
/// at, and records the span of every value (of duplicate keys, the first, as the parser keeps it).
public struct JSONSpans: Sendable {
    public private(set) var spans: [String: TextSpan] = [:]

    /// Indexes `document`, a valid JSON text, whose first byte is at `base` in the response.
    public init(_ document: Substring, base: Int) {
        let bytes = Array(document.utf8)
        var walker = Walker(bytes: bytes, base: base)
        walker.value(at: "")
        spans = walker.spans
    }

    public subscript(pointer: String) -> TextSpan? { spans[pointer] }

    private struct Walker {
        let bytes: [UInt8]
        let base: Int
        var index = 0
        var spans: [String: TextSpan] = [:]

        init(bytes: [UInt8], base: Int) {
            self.bytes = bytes
            self.base = base
        }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func value(at pointer: String) {
            skipWhitespace()
            let start = index
            switch current {
            case UInt8(ascii: "{"):
                index += 1
                while true {
                    skipWhitespace()
                    guard current == UInt8(ascii: "\"") else { break }
                    let keyStart = index
                    skipString()
                    let key = (try? JSONValue.parse(bytes[keyStart..<index]))?.stringValue ?? ""
                    skipWhitespace()
                    guard current == UInt8(ascii: ":") else { break }
                    index += 1
                    let member = pointer + "/" + escapePointer(key)
                    value(at: member)
                    skipWhitespace()
                    guard current == UInt8(ascii: ",") else { break }
                    index += 1
                }
                if current == UInt8(ascii: "}") { index += 1 }
            case UInt8(ascii: "["):
                index += 1
                var item = 0
                skipWhitespace()
                if current == UInt8(ascii: "]") {
                    index += 1
                    break
                }
                while current != nil {
                    value(at: pointer + "/\(item)")
                    item += 1
                    skipWhitespace()
                    guard current == UInt8(ascii: ",") else { break }
                    index += 1
                }
                if current == UInt8(ascii: "]") { index += 1 }
            case UInt8(ascii: "\""):
                skipString()
            case nil:
                return
            default:
                // A number or a literal: everything up to the next delimiter.
                while let byte = current,
                    !(byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
                        || byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D)
                {
                    index += 1
                }
            }
            if spans[pointer] == nil { spans[pointer] = TextSpan(start: base + start, end: base + index) }
        }

        private mutating func skipString() {
            index += 1
            while let byte = current {
                index += 1
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    return
                }
            }
        }
    }
}
