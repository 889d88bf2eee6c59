import EvalCore
import Foundation

/// A fast reader of `result` lines for reports: it decodes the fields a report needs and skips the answer's text
/// without building it (unless a finding is to be quoted from it), about ten times faster than `JSONDecoder` on a
/// typical line. It is strict: any line it does not fully understand (another record, a missing field, a JSON it
/// doubts) returns nil, and the caller decodes the line with `RunLog.decode`, which gives the same result or the
/// located error message. So the fast path can make a report faster but never different.
struct ResultLineParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// Where the answer's text is on the line (its quotes included), read only when the result has findings.
    private var contentRange: Range<Int>?

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private struct Failure: Error {}

    /// The result on the line (its answer's text left empty unless its checks have findings), or nil when the line
    /// needs the full decoder.
    static func parse(_ line: ArraySlice<UInt8>) -> CaseResult? {
        line.withUnsafeBufferPointer { buffer in
            var parser = ResultLineParser(buffer)
            return try? parser.result()
        }
    }

    private mutating func result() throws(Failure) -> CaseResult {
        var record: String?
        var suite: String?
        var kind: SuiteKind?
        var caseID: String?
        var caseHash: String?
        var repeatIndex: Int?
        var tags: [String]?
        var status: CaseResult.Status?
        var checks: [CheckRecord]?
        var response: ResponseRecord?
        var error: ErrorRecord?
        var finishedAt: String?
        try object { parser, key throws(Failure) in
            switch key {
            case "record": try Self.once(&record, try parser.string())
            case "suite": try Self.once(&suite, try parser.string())
            case "kind": try Self.once(&kind, SuiteKind(rawValue: try parser.string()))
            case "case": try Self.once(&caseID, try parser.string())
            case "case_hash": try Self.once(&caseHash, try parser.string())
            case "repeat": try Self.once(&repeatIndex, try parser.integer())
            case "tags": try Self.once(&tags, try parser.strings())
            case "status": try Self.once(&status, CaseResult.Status(rawValue: try parser.string()))
            case "checks": try Self.once(&checks, try parser.checks())
            case "response": try Self.once(&response, try parser.response())
            case "error": try Self.once(&error, try parser.errorRecord())
            case "finished_at": try Self.once(&finishedAt, try parser.string())
            default: try parser.skipValue()
            }
        }
        skipWhitespace()
        guard index == bytes.count, record == "result", let suite, let kind, let caseID, let caseHash, let repeatIndex,
            let tags, let status, let checks, let finishedAt
        else { throw Failure() }
        // Findings are quoted with the answer around them (`Excerpt`): only then is the answer's text built.
        if var answered = response, let contentRange, checks.contains(where: { !$0.findings.isEmpty }) {
            guard case .string(let content)? = try? JSONValue.parse(UnsafeBufferPointer(rebasing: bytes[contentRange]))
            else {
                throw Failure()
            }
            answered.content = content
            response = answered
        }
        return CaseResult(
            suite: suite, kind: kind, caseID: caseID, caseHash: caseHash, repeatIndex: repeatIndex, tags: tags,
            status: status, checks: checks, response: response, error: error, finishedAt: finishedAt)
    }

    private mutating func checks() throws(Failure) -> [CheckRecord] {
        var checks: [CheckRecord] = []
        try array { parser throws(Failure) in
            var type: String?
            var passed: Bool?
            var findings: [Finding] = []
            var notes: [Finding] = []
            try parser.object { parser, key throws(Failure) in
                switch key {
                case "type": type = try parser.string()
                case "passed": passed = try parser.bool()
                case "findings": findings = try parser.findings()
                case "notes": notes = try parser.findings()
                // A judge's record is read by the full decoder, so that no reader of this result misses it.
                case "judge": throw Failure()
                default: try parser.skipValue()
                }
            }
            guard let type, let passed else { throw Failure() }
            checks.append(CheckRecord(type: type, passed: passed, findings: findings, notes: notes))
        }
        return checks
    }

    private mutating func findings() throws(Failure) -> [Finding] {
        var findings: [Finding] = []
        try array { parser throws(Failure) in
            var rule: String?
            var message: String?
            var span: TextSpan?
            var text: String?
            try parser.object { parser, key throws(Failure) in
                switch key {
                case "rule": rule = try parser.string()
                case "message": message = try parser.string()
                case "text": text = try parser.nullable { parser throws(Failure) in try parser.string() }
                case "span":
                    span = try parser.nullable { parser throws(Failure) in
                        var start: Int?
                        var end: Int?
                        try parser.object { parser, key throws(Failure) in
                            switch key {
                            case "start": start = try parser.integer()
                            case "end": end = try parser.integer()
                            default: try parser.skipValue()
                            }
                        }
                        guard let start, let end else { throw Failure() }
                        return TextSpan(start: start, end: end)
                    }
                default: try parser.skipValue()
                }
            }
            guard let rule, let message else { throw Failure() }
            findings.append(Finding(ruleID: rule, message: message, span: span, text: text))
        }
        return findings
    }

    private mutating func response() throws(Failure) -> ResponseRecord? {
        try nullable { parser throws(Failure) in
            var sawContent = false
            var promptTokens: Int?
            var completionTokens: Int?
            var latency: Double?
            var attempts: Int?
            var cached: Bool?
            var finishReason: String?
            try parser.object { parser, key throws(Failure) in
                switch key {
                case "content":
                    let start = parser.index
                    try parser.skipString()
                    parser.contentRange = start..<parser.index
                    sawContent = true
                case "prompt_tokens":
                    promptTokens = try parser.nullable { parser throws(Failure) in try parser.integer() }
                case "completion_tokens":
                    completionTokens = try parser.nullable { parser throws(Failure) in try parser.integer() }
                case "latency_ms": latency = try parser.number()
                case "attempts": attempts = try parser.integer()
                case "cached": cached = try parser.bool()
                case "finish_reason":
                    finishReason = try parser.nullable { parser throws(Failure) in try parser.string() }
                default: try parser.skipValue()
                }
            }
            guard sawContent, let latency, let attempts, let cached else { throw Failure() }
            return ResponseRecord(
                content: "", finishReason: finishReason, promptTokens: promptTokens, completionTokens: completionTokens,
                latencyMs: latency,
                attempts: attempts, cached: cached)
        }
    }

    private mutating func errorRecord() throws(Failure) -> ErrorRecord? {
        try nullable { parser throws(Failure) in
            var errorClass: String?
            var message: String?
            var attempts: Int?
            try parser.object { parser, key throws(Failure) in
                switch key {
                case "class": errorClass = try parser.string()
                case "message": message = try parser.string()
                case "attempts": attempts = try parser.integer()
                default: try parser.skipValue()
                }
            }
            guard let errorClass, let message, let attempts else { throw Failure() }
            return ErrorRecord(errorClass: errorClass, message: message, attempts: attempts)
        }
    }

    // MARK: JSON pieces

    /// Sets a field once: a key written twice goes to the full decoder, which decides which one counts.
    private static func once<T>(_ field: inout T?, _ value: T?) throws(Failure) {
        guard field == nil else { throw Failure() }
        field = value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
        {
            index += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw Failure() }
        index += 1
    }

    private mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func object(_ field: (inout ResultLineParser, String) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try field(&self, key)
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            default: throw Failure()
            }
        }
    }

    private mutating func array(_ element: (inout ResultLineParser) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try element(&self)
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            default: throw Failure()
            }
        }
    }

    private mutating func nullable<T>(_ value: (inout ResultLineParser) throws(Failure) -> T) throws(Failure) -> T? {
        if peek() == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        return try value(&self)
    }

    private mutating func strings() throws(Failure) -> [String] {
        var values: [String] = []
        try array { parser throws(Failure) in values.append(try parser.string()) }
        return values
    }

    /// A string without escapes is built straight from its bytes; one with escapes is left to the full decoder.
    private mutating func string() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            // Escapes and control characters: the full decoder's business.
            if byte == UInt8(ascii: "\\") || byte < 0x20 { throw Failure() }
            // Bytes that are not UTF-8 make the full decoder refuse the line: never repair them into U+FFFD.
            index += byte < 0x80 ? 1 : try utf8Sequence()
        }
        throw Failure()
    }

    /// Skips a string without building it (the answer's text), checking it as the full decoder would: UTF-8, and
    /// only JSON's escapes. A `\u` escape of a surrogate goes to the full decoder, which knows how to pair them.
    private mutating func skipString() throws(Failure) {
        try expect(UInt8(ascii: "\""))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if byte < 0x20 { throw Failure() }
            if byte >= 0x80 {
                index += try utf8Sequence()
            } else if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else { throw Failure() }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 6 <= bytes.count else { throw Failure() }
                    var value: UInt32 = 0
                    for offset in 2..<6 {
                        guard let digit = Self.hexValue(bytes[index + offset]) else { throw Failure() }
                        value = value << 4 | digit
                    }
                    if (0xD800...0xDFFF).contains(value) { throw Failure() }
                    index += 6
                default:
                    throw Failure()
                }
            } else {
                index += 1
            }
        }
        throw Failure()
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The length of the well-formed UTF-8 sequence of a non-ASCII scalar at `index` (no overlong forms, no
    /// surrogates, nothing above U+10FFFF); a malformed one is the full decoder's to report.
    private func utf8Sequence() throws(Failure) -> Int {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
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
        default: throw Failure()
        }
        guard index + length <= bytes.count else { throw Failure() }
        let second = bytes[index + 1]
        guard second >= lower, second <= upper else { throw Failure() }
        for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { throw Failure() }
        return length
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        skipWhitespace()
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Failure() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Failure() }
        index += count
    }

    private mutating func bool() throws(Failure) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default: throw Failure()
        }
    }

    private mutating func numberText() throws(Failure) -> Substring {
        skipWhitespace()
        let start = index
        while index < bytes.count,
            (bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9"))
                || bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")
                || bytes[index] == UInt8(ascii: ".")
                || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")
        {
            index += 1
        }
        guard index > start, Self.isJSONNumber(bytes[start..<index]) else { throw Failure() }
        return Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    /// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` (no `+1`, `01`, `1.` or `.5`).
    private static func isJSONNumber(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var position = text.startIndex
        func digits() -> Int {
            let start = position
            while position < text.endIndex, text[position] >= UInt8(ascii: "0"), text[position] <= UInt8(ascii: "9") {
                position += 1
            }
            return position - start
        }
        if position < text.endIndex, text[position] == UInt8(ascii: "-") { position += 1 }
        let first = position
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || text[first] != UInt8(ascii: "0") else { return false }
        if position < text.endIndex, text[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return false }
        }
        if position < text.endIndex, text[position] == UInt8(ascii: "e") || text[position] == UInt8(ascii: "E") {
            position += 1
            if position < text.endIndex, text[position] == UInt8(ascii: "+") || text[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { return false }
        }
        return position == text.endIndex
    }

    /// An integer written as digits (JSONDecoder also takes `1.0`; such a line goes to it).
    private mutating func integer() throws(Failure) -> Int {
        guard let value = Int(try numberText()) else { throw Failure() }
        return value
    }

    private mutating func number() throws(Failure) -> Double {
        guard let value = Double(try numberText()), value.isFinite else { throw Failure() }
        return value
    }

    private mutating func skipValue() throws(Failure) {
        switch peek() {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"): try object { parser, _ throws(Failure) in try parser.skipValue() }
        case UInt8(ascii: "["): try array { parser throws(Failure) in try parser.skipValue() }
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }
}
