import Foundation

/// Byte-level facts about eval-set files: lines, UTF-8 validity, byte-order marks, and columns counted in
/// characters.
enum SourceText {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The lines of a file, split at "\n" (a "\r" before it is dropped), with their 1-based numbers.
    /// A final "\n" does not start another line.
    static func lines(_ bytes: [UInt8]) -> [(number: Int, bytes: ArraySlice<UInt8>)] {
        var lines: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        var start = bytes.startIndex
        var number = 1
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var lineEnd = end
            if lineEnd > start, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            lines.append((number, bytes[start..<lineEnd]))
            number += 1
            start = end + 1
        }
        return lines
    }

    /// Reads `path` in blocks and calls `body(number, line, offset)` for every line as `lines` splits it (1-based
    /// numbers, a final `\r` left out, `offset` the line's first byte in the file), without holding the file.
    /// False when the file cannot be opened or read.
    static func forEachLine(path: String, _ body: (Int, ArraySlice<UInt8>, Int) -> Void) -> Bool {
        LineScanner.scan(path: path) { line, number, start, _ in
            var end = line.endIndex
            if end > line.startIndex, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            body(number, line[line.startIndex..<end], start)
            return true
        } == nil
    }

    /// One line of a JSONL file parsed as a JSON document, or the one diagnostic that says why it is not: too long,
    /// a byte-order mark, bytes that are not UTF-8, invalid JSON — each at its column. The labelling-file reader and the
    /// eval-set reader start every line with this.
    static func parseJSONLine(
        _ lineBytes: ArraySlice<UInt8>, number: Int, path: String, maxLineBytes: Int,
        rejectingDuplicateKeys: Bool = false
    ) -> Result<(value: JSONValue, bytes: [UInt8]), Diagnostic> {
        func fail(_ message: String, column: Int) -> Result<(value: JSONValue, bytes: [UInt8]), Diagnostic> {
            .failure(.error(message, path: path, line: number, column: column))
        }
        guard lineBytes.count <= maxLineBytes else {
            return fail(EvalSetMessages.lineTooLong(lineBytes.count, limit: maxLineBytes), column: 1)
        }
        if startsWithByteOrderMark(lineBytes) { return fail(EvalSetMessages.byteOrderMark, column: 1) }
        if let bad = firstInvalidUTF8Offset(lineBytes) {
            return fail(
                EvalSetMessages.invalidUTF8(lineBytes[lineBytes.startIndex + bad]),
                column: column(ofByte: bad, in: lineBytes))
        }
        let bytes = Array(lineBytes)
        do {
            return .success((try JSONValue.parse(bytes, rejectingDuplicateKeys: rejectingDuplicateKeys), bytes))
        } catch {
            return fail(EvalSetMessages.invalidJSON(error.message), column: column(ofByte: error.offset, in: bytes))
        }
    }

    static func startsWithByteOrderMark(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: byteOrderMark)
    }

    /// The offset (from the collection's start) of the first byte that is not valid UTF-8, or nil when all are.
    static func firstInvalidUTF8Offset(_ bytes: some Collection<UInt8>) -> Int? {
        // The standard library's validation (what building a String does) is several times faster than the parser
        // below, which is left to find where valid text ends.
        if bytes.withContiguousStorageIfAvailable({ String(validating: $0, as: UTF8.self) != nil }) == true {
            return nil
        }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The 1-based column, in characters, of the byte at `offset` in a line of valid UTF-8.
    static func column(ofByte offset: Int, in line: some Collection<UInt8>) -> Int {
        String(decoding: line.prefix(max(0, offset)), as: UTF8.self).count + 1
    }

    /// The 1-based column, in characters, of the `scalarColumn`-th (1-based) Unicode scalar of `line`, the unit
    /// libyaml counts in.
    static func column(ofScalar scalarColumn: Int, in line: Substring) -> Int {
        let scalars = line.unicodeScalars.prefix(max(0, scalarColumn - 1))
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars)
        return String(prefix).count + 1
    }
}
