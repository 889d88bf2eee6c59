/// A result line of a run log read with `JSONScanner`: what `JSONDecoder` gives for `RunLogLine.result` on the lines
/// a run writes, at a fraction of its cost (`rescore`, `--resume`, `merge` and `export` read every line of a log).
///
/// It reads only what it can read exactly as the decoder would, and answers nil ("not sure") for everything else:
/// another record, a duplicate key, a missing or mistyped field, a key or number it would have to interpret (an
/// integer written `1.0`, a parameter `1e2` that the decoder may take for an integer), a judge record. `RunLog.decode`
/// then gives the line to `JSONDecoder`, which decides it and words the error; `ResultLineReaderTests` compares the
/// two on generated results and on hand-made lines.
public enum ResultLineReader {
    /// The result on the line, or nil when the line is not a result line this reader is sure of.
    public static func result(_ bytes: UnsafeBufferPointer<UInt8>) -> CaseResult? {
        var scanner = JSONScanner(bytes)
        return try? read(&scanner)
    }

    /// Why the reader leaves a line to `JSONDecoder`; never shown.
    private struct Unsure: Error {}

    private static func read(_ scanner: inout JSONScanner) throws -> CaseResult {
        var record = try scanner.openObject()
        var seen = Fields()
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
        var params: [String: JSONValue]?
        var isResult = false
        while let token = try scanner.nextKey(in: &record) {
            switch try seen.insert(token, scanner, keys: resultKeys) {
            case 0: caseID = try scanner.stringValue()
            case 1: caseHash = try scanner.stringValue()
            case 2:
                var list: [CheckRecord] = []
                var array = try scanner.openArray()
                while try scanner.nextElement(in: &array) { list.append(try check(&scanner)) }
                checks = list
            case 3: if !(try scanner.null()) { error = try errorRecord(&scanner) }
            case 4: finishedAt = try scanner.stringValue()
            case 5: kind = SuiteKind(rawValue: try scanner.stringValue())
            case 6: if !(try scanner.null()) { params = try object(&scanner) }
            case 7:
                guard try scanner.stringValue() == "result" else { throw Unsure() }
                isResult = true
            case 8: repeatIndex = try scanner.integer()
            case 9: if !(try scanner.null()) { response = try responseRecord(&scanner) }
            case 10: status = CaseResult.Status(rawValue: try scanner.stringValue())
            case 11: suite = try scanner.stringValue()
            case 12: tags = try strings(&scanner)
            default: try scanner.skipValue()
            }
        }
        try scanner.end()
        guard isResult, let suite, let kind, let caseID, let caseHash, let repeatIndex, let tags, let status,
            let checks, let finishedAt
        else { throw Unsure() }
        return CaseResult(
            suite: suite, kind: kind, caseID: caseID, caseHash: caseHash, repeatIndex: repeatIndex, tags: tags,
            status: status, checks: checks, response: response, error: error, finishedAt: finishedAt, params: params)
    }

    // The keys of each record, in the order the writer writes them (sorted); a key's position is its number.
    private static let resultKeys: [StaticString] = [
        "case", "case_hash", "checks", "error", "finished_at", "kind", "params", "record", "repeat", "response",
        "status", "suite", "tags",
    ]
    private static let checkKeys: [StaticString] = ["findings", "judge", "notes", "passed", "type"]
    private static let findingKeys: [StaticString] = ["message", "rule", "span", "text"]
    private static let spanKeys: [StaticString] = ["end", "start"]
    private static let errorKeys: [StaticString] = ["attempts", "class", "message", "status"]
    private static let responseKeys: [StaticString] = [
        "attempts", "cached", "completion_tokens", "content", "finish_reason", "latency_ms", "model", "prompt_tokens",
        "system_fingerprint", "ttft_ms",
    ]

    /// The known keys met so far in one object: a second time is left to the decoder.
    private struct Fields {
        var seen: UInt32 = 0

        /// The key's position in `keys`, or -1 for a key the record does not know (skipped, as the decoder skips
        /// it). A key written with escapes is left to the decoder.
        mutating func insert(_ token: JSONStringToken, _ scanner: JSONScanner, keys: [StaticString]) throws -> Int {
            guard !token.hasEscapes else { throw Unsure() }
            let start = token.range.lowerBound + 1
            let count = token.range.count - 2
            for (position, key) in keys.enumerated() where key.utf8CodeUnitCount == count {
                let same = key.withUTF8Buffer { key in
                    (0..<count).allSatisfy { key[$0] == scanner.bytes[start + $0] }
                }
                guard same else { continue }
                let bit: UInt32 = 1 << UInt32(position)
                guard seen & bit == 0 else { throw Unsure() }
                seen |= bit
                return position
            }
            return -1
        }
    }

    private static func strings(_ scanner: inout JSONScanner) throws -> [String] {
        var list: [String] = []
        var array = try scanner.openArray()
        while try scanner.nextElement(in: &array) { list.append(try scanner.stringValue()) }
        return list
    }

    private static func double(_ scanner: inout JSONScanner) throws -> Double {
        guard let value = scanner.double(of: try scanner.number()) else { throw Unsure() }
        return value
    }

    private static func optionalDouble(_ scanner: inout JSONScanner) throws -> Double? {
        if try scanner.null() { return nil }
        return try double(&scanner)
    }

    private static func check(_ scanner: inout JSONScanner) throws -> CheckRecord {
        var object = try scanner.openObject()
        var seen = Fields()
        var type: String?
        var passed: Bool?
        var findings: [Finding] = []
        var notes: [Finding] = []
        while let token = try scanner.nextKey(in: &object) {
            switch try seen.insert(token, scanner, keys: checkKeys) {
            case 0: if !(try scanner.null()) { findings = try findingList(&scanner) }
            case 1: guard try scanner.null() else { throw Unsure() }  // judges: left to the decoder
            case 2: if !(try scanner.null()) { notes = try findingList(&scanner) }
            case 3: passed = try scanner.bool()
            case 4: type = try scanner.stringValue()
            default: try scanner.skipValue()
            }
        }
        guard let type, let passed else { throw Unsure() }
        return CheckRecord(type: type, passed: passed, findings: findings, notes: notes)
    }

    private static func findingList(_ scanner: inout JSONScanner) throws -> [Finding] {
        var list: [Finding] = []
        var array = try scanner.openArray()
        while try scanner.nextElement(in: &array) {
            var object = try scanner.openObject()
            var seen = Fields()
            var message: String?
            var rule: String?
            var span: TextSpan?
            var text: String?
            while let token = try scanner.nextKey(in: &object) {
                switch try seen.insert(token, scanner, keys: findingKeys) {
                case 0: message = try scanner.stringValue()
                case 1: rule = try scanner.stringValue()
                case 2: if !(try scanner.null()) { span = try textSpan(&scanner) }
                case 3: text = try scanner.optionalString()
                default: try scanner.skipValue()
                }
            }
            guard let message, let rule else { throw Unsure() }
            list.append(Finding(ruleID: rule, message: message, span: span, text: text))
        }
        return list
    }

    private static func textSpan(_ scanner: inout JSONScanner) throws -> TextSpan {
        var object = try scanner.openObject()
        var seen = Fields()
        var start: Int?
        var end: Int?
        while let token = try scanner.nextKey(in: &object) {
            switch try seen.insert(token, scanner, keys: spanKeys) {
            case 0: end = try scanner.integer()
            case 1: start = try scanner.integer()
            default: try scanner.skipValue()
            }
        }
        guard let start, let end else { throw Unsure() }
        return TextSpan(start: start, end: end)
    }

    private static func errorRecord(_ scanner: inout JSONScanner) throws -> ErrorRecord {
        var object = try scanner.openObject()
        var seen = Fields()
        var attempts: Int?
        var errorClass: String?
        var message: String?
        var status: Int?
        while let token = try scanner.nextKey(in: &object) {
            switch try seen.insert(token, scanner, keys: errorKeys) {
            case 0: attempts = try scanner.integer()
            case 1: errorClass = try scanner.stringValue()
            case 2: message = try scanner.stringValue()
            case 3: status = try scanner.optionalInteger()
            default: try scanner.skipValue()
            }
        }
        guard let attempts, let errorClass, let message else { throw Unsure() }
        return ErrorRecord(errorClass: errorClass, message: message, status: status, attempts: attempts)
    }

    private static func responseRecord(_ scanner: inout JSONScanner) throws -> ResponseRecord {
        var object = try scanner.openObject()
        var seen = Fields()
        var attempts: Int?
        var cached: Bool?
        var completionTokens: Int?
        var content: String?
        var finishReason: String?
        var latencyMs: Double?
        var model: String?
        var promptTokens: Int?
        var fingerprint: String?
        var ttft: Double?
        while let token = try scanner.nextKey(in: &object) {
            switch try seen.insert(token, scanner, keys: responseKeys) {
            case 0: attempts = try scanner.integer()
            case 1: cached = try scanner.bool()
            case 2: completionTokens = try scanner.optionalInteger()
            case 3: content = try scanner.stringValue()
            case 4: finishReason = try scanner.optionalString()
            case 5: latencyMs = try double(&scanner)
            case 6: model = try scanner.optionalString()
            case 7: promptTokens = try scanner.optionalInteger()
            case 8: fingerprint = try scanner.optionalString()
            case 9: ttft = try optionalDouble(&scanner)
            default: try scanner.skipValue()
            }
        }
        guard let attempts, let cached, let content, let latencyMs else { throw Unsure() }
        return ResponseRecord(
            content: content, finishReason: finishReason, model: model, promptTokens: promptTokens,
            completionTokens: completionTokens, latencyMs: latencyMs, timeToFirstTokenMs: ttft, attempts: attempts,
            cached: cached, systemFingerprint: fingerprint)
    }

    /// A JSON value as `JSONValue`'s decoder takes it (null, bool, `Int64`, `Double`, string, array, object), except
    /// a number it may read either way: one with a fraction or exponent whose value is whole, or an integer that
    /// does not fit `Int64`.
    private static func value(_ scanner: inout JSONScanner) throws -> JSONValue {
        switch scanner.peek() {
        case UInt8(ascii: "n"):
            _ = try scanner.null()
            return .null
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try scanner.bool())
        case UInt8(ascii: "\""): return .string(try scanner.stringValue())
        case UInt8(ascii: "["):
            var list: [JSONValue] = []
            var array = try scanner.openArray()
            while try scanner.nextElement(in: &array) { list.append(try value(&scanner)) }
            return .array(list)
        case UInt8(ascii: "{"): return .object(try object(&scanner))
        default:
            let token = try scanner.number()
            if token.isIntegral {
                guard let int = scanner.int64(of: token) else { throw Unsure() }
                return .int(int)
            }
            guard let double = scanner.double(of: token), double.rounded(.towardZero) != double else {
                throw Unsure()
            }
            return .double(double)
        }
    }

    private static func object(_ scanner: inout JSONScanner) throws -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        var object = try scanner.openObject()
        while let token = try scanner.nextKey(in: &object) {
            let key = scanner.text(of: token)
            let value = try value(&scanner)
            guard fields.updateValue(value, forKey: key) == nil else { throw Unsure() }
        }
        return fields
    }
}
