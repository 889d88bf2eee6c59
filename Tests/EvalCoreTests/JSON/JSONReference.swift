import EvalCore
import Foundation

/// The outside truth the JSON scanner is held against: `JSONDecoder`, and what our readers make of the same bytes.
enum JSONReference {
    /// What `JSONDecoder` makes of `bytes`, nil when it refuses them.
    static func decoded(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// What `JSONValue.parse` makes of `bytes`, nil when it refuses them.
    static func parsed(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONValue.parse(bytes)
    }

    /// Whether `JSONScanner.skipDocument` reads `bytes` as one whole document.
    static func skips(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            return (try? scanner.skipDocument()) != nil
        }
    }

    /// Where our readers and `JSONDecoder` part on one input, or nil when they agree: what we accept, `JSONDecoder`
    /// accepts as the same value (numbers compared by value); what `JSONDecoder` refuses, we refuse; the scanner
    /// alone accepts exactly what the parser accepts. `lenient` says whether a refusal of ours that `JSONDecoder`
    /// accepts is one of its documented leniencies.
    static func disagreement(_ bytes: [UInt8], lenient: ([UInt8]) -> Bool) -> String? {
        let ours = parsed(bytes)
        let theirs = decoded(bytes)
        if (ours != nil) != skips(bytes) {
            return "JSONValue.parse \(ours == nil ? "refuses" : "accepts") but JSONScanner.skipDocument does not"
        }
        switch (ours, theirs) {
        case (let ours?, let theirs?):
            return ours.equalsByValue(theirs) ? nil : "values differ: \(ours) against JSONDecoder's \(theirs)"
        case (.some, nil):
            return "accepted, but JSONDecoder refuses it"
        case (nil, .some):
            return lenient(bytes) ? nil : "refused, but JSONDecoder accepts it"
        case (nil, nil):
            return nil
        }
    }

    /// The leniencies of `JSONDecoder` the scanner does not share (README "JSON"): a byte-order mark before the
    /// document; a comma before a closing bracket; UTF-16 input, which it transcodes (the scanner reads UTF-8 only);
    /// and the value of a repeated key, which it drops without reading it, so that an invalid string or number there
    /// goes unseen (`JSONSerialization`, which reads every value, refuses such a document as the scanner does).
    static func isDocumentedLeniency(_ bytes: [UInt8]) -> Bool {
        if let utf8 = transcodedFromUTF16(bytes), parsed(utf8) != nil { return true }
        if (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) == nil,
            hasRepeatedKey(bytes)
        {
            return true
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return true }
        var withoutTrailingCommas: [UInt8] = []
        var index = 0
        var inString = false
        var trailing = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    withoutTrailingCommas.append(byte)
                    index += 1
                    if index < bytes.count { withoutTrailingCommas.append(bytes[index]) }
                } else {
                    if byte == UInt8(ascii: "\"") { inString = false }
                    withoutTrailingCommas.append(byte)
                }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") { inString = true }
            if byte == UInt8(ascii: ",") {
                var next = index + 1
                while next < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[next]) { next += 1 }
                if next < bytes.count, bytes[next] == UInt8(ascii: "]") || bytes[next] == UInt8(ascii: "}") {
                    trailing = true
                    index += 1
                    continue
                }
            }
            withoutTrailingCommas.append(byte)
            index += 1
        }
        return trailing && parsed(withoutTrailingCommas) != nil
    }

    /// The UTF-8 of a UTF-16 document, as `JSONDecoder` detects one: a byte-order mark, or a NUL byte among the first
    /// two (JSON text starts with an ASCII character); nil for anything else.
    static func transcodedFromUTF16(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2, bytes.count.isMultiple(of: 2) else { return nil }
        let bigEndian: Bool
        var body = bytes[...]
        switch (bytes[0], bytes[1]) {
        case (0xFE, 0xFF):
            bigEndian = true
            body = bytes.dropFirst(2)
        case (0xFF, 0xFE):
            bigEndian = false
            body = bytes.dropFirst(2)
        case (0x00, let second) where second != 0x00: bigEndian = true
        case (let first, 0x00) where first != 0x00: bigEndian = false
        default: return nil
        }
        let units = stride(from: body.startIndex, to: body.endIndex, by: 2).map { index -> UInt16 in
            let (high, low) = bigEndian ? (body[index], body[index + 1]) : (body[index + 1], body[index])
            return UInt16(high) << 8 | UInt16(low)
        }
        var utf8: [UInt8] = []
        let failed = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: true) {
            utf8.append($0)
        }
        return failed ? nil : utf8
    }

    /// Whether some object of `bytes` writes a key twice, read up to where the document stops being JSON: the keys
    /// the scanner reads before its first error.
    static func hasRepeatedKey(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            var found = false
            func value() throws(JSONParseError) {
                switch scanner.peek() {
                case UInt8(ascii: "{"):
                    var object = try scanner.openObject()
                    var keys: Set<String> = []
                    while let key = try scanner.nextKey(in: &object) {
                        if !keys.insert(scanner.text(of: key)).inserted { found = true }
                        try value()
                    }
                case UInt8(ascii: "["):
                    var array = try scanner.openArray()
                    while try scanner.nextElement(in: &array) { try value() }
                default: try scanner.skipValue()
                }
            }
            try? value()
            return found
        }
    }
}
