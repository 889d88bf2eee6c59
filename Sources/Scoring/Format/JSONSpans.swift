public import EvalCore

/// Where each value of a JSON document is, by JSON pointer: the evidence span of a schema violation.
///
/// `JSONValue.parse` checks the document; this walks the same bytes again with `JSONScanner`, only when there is
/// something to point at, and records the span of every value (of duplicate keys, the first, as the parser keeps it).
public struct JSONSpans: Sendable {
    public private(set) var spans: [String: TextSpan] = [:]

    /// Indexes `document`, a valid JSON text, whose first byte is at `base` in the response.
    public init(_ document: Substring, base: Int) {
        let bytes = Array(document.utf8)
        spans = bytes.withUnsafeBufferPointer { buffer in
            var walker = Walker(scanner: JSONScanner(buffer), base: base)
            // The document is valid: a scan that stops keeps the spans found up to there.
            try? walker.value(at: "")
            return walker.spans
        }
    }

    public subscript(pointer: String) -> TextSpan? { spans[pointer] }

    private struct Walker {
        var scanner: JSONScanner
        let base: Int
        var spans: [String: TextSpan] = [:]

        mutating func value(at pointer: String) throws(JSONParseError) {
            let first = scanner.peek()
            let start = scanner.index
            switch first {
            case UInt8(ascii: "{"):
                var object = try scanner.openObject()
                while let key = try scanner.nextKey(in: &object) {
                    try value(at: pointer + "/" + escapePointer(scanner.text(of: key)))
                }
            case UInt8(ascii: "["):
                var array = try scanner.openArray()
                var item = 0
                while try scanner.nextElement(in: &array) {
                    try value(at: pointer + "/\(item)")
                    item += 1
                }
            default:
                try scanner.skipValue()
            }
            if spans[pointer] == nil {
                spans[pointer] = TextSpan(start: base + start, end: base + scanner.index)
            }
        }
    }
}
