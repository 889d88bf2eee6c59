import EvalCore
import Foundation

/// A fast reader of `result` lines for reports: it decodes the fields a report needs and skips the answer's text
/// without building it (unless a finding is to be quoted from it), about ten times faster than `JSONDecoder` on a
/// typical line. It reads the tokens of EvalCore's `JSONScanner`, and it is strict: any line it does not fully
/// understand (another record, a missing field, a field written twice, a judge's record) returns nil, and the caller
/// decodes the line with `RunLog.decode`, which gives the same result or the located error message. So the fast path
/// can make a report faster but never different.
struct ResultLineParser {
    private var scanner: JSONScanner
    /// The answer's text on the line, read only when the result has findings.
    private var content: JSONStringToken?

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.scanner = JSONScanner(bytes)
    }

    /// Why the line goes to the full decoder: the scanner's error, or a field this reader does not take.
    private typealias Failure = JSONParseError

    private var declined: Failure { scanner.failure() }

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
        var kind: String?
        var caseID: String?
        var caseHash: String?
        var repeatIndex: Int?
        var tags: [String]?
        var status: String?
        var checks: [CheckRecord]?
        var response: ResponseRecord??
        var error: ErrorRecord??
        var finishedAt: String?
        try object { parser, key throws(Failure) in
            switch key {
            case "record": try Self.once(&record, try parser.string())
            case "suite": try Self.once(&suite, try parser.string())
            case "kind": try Self.once(&kind, try parser.string())
            case "case": try Self.once(&caseID, try parser.string())
            case "case_hash": try Self.once(&caseHash, try parser.string())
            case "repeat": try Self.once(&repeatIndex, try parser.integer())
            case "tags": try Self.once(&tags, try parser.strings())
            case "status": try Self.once(&status, try parser.string())
            case "checks": try Self.once(&checks, try parser.checks())
            case "response": try Self.once(&response, nullable: try parser.response())
            case "error": try Self.once(&error, nullable: try parser.errorRecord())
            case "finished_at": try Self.once(&finishedAt, try parser.string())
            default: try parser.skipValue()
            }
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd, record == "result", let suite, let kind = kind.flatMap(SuiteKind.init(rawValue:)),
            let caseID, let caseHash, let repeatIndex, let tags,
            let status = status.flatMap(CaseResult.Status.init(rawValue:)),
            let checks, let finishedAt
        else { throw declined }
        var answer = response ?? nil
        // Findings are quoted with the answer around them (`Excerpt`): only then is the answer's text built.
        if var answered = answer, let content, checks.contains(where: { !$0.findings.isEmpty }) {
            answered.content = scanner.text(of: content)
            answer = answered
        }
        return CaseResult(
            suite: suite, kind: kind, caseID: caseID, caseHash: caseHash, repeatIndex: repeatIndex, tags: tags,
            status: status, checks: checks, response: answer, error: error ?? nil, finishedAt: finishedAt)
    }

    private mutating func checks() throws(Failure) -> [CheckRecord] {
        var checks: [CheckRecord] = []
        try array { parser throws(Failure) in
            var type: String?
            var passed: Bool?
            var findings: [Finding]?
            var notes: [Finding]?
            try parser.object { parser, key throws(Failure) in
                switch key {
                case "type": try Self.once(&type, try parser.string())
                case "passed": try Self.once(&passed, try parser.bool())
                case "findings": try Self.once(&findings, try parser.findings())
                case "notes": try Self.once(&notes, try parser.findings())
                // A judge's record is read by the full decoder, so that no reader of this result misses it.
                case "judge": throw parser.declined
                default: try parser.skipValue()
                }
            }
            guard let type, let passed else { throw parser.declined }
            checks.append(CheckRecord(type: type, passed: passed, findings: findings ?? [], notes: notes ?? []))
        }
        return checks
    }

    private mutating func findings() throws(Failure) -> [Finding] {
        var findings: [Finding] = []
        try array { parser throws(Failure) in
            var rule: String?
            var message: String?
            var span: TextSpan??
            var text: String??
            try parser.object { parser, key throws(Failure) in
                switch key {
                case "rule": try Self.once(&rule, try parser.string())
                case "message": try Self.once(&message, try parser.string())
                case "text":
                    try Self.once(
                        &text, nullable: try parser.nullable { parser throws(Failure) in try parser.string() })
                case "span":
                    try Self.once(
                        &span,
                        nullable: try parser.nullable { parser throws(Failure) in
                            var start: Int?
                            var end: Int?
                            try parser.object { parser, key throws(Failure) in
                                switch key {
                                case "start": try Self.once(&start, try parser.integer())
                                case "end": try Self.once(&end, try parser.integer())
                                default: try parser.skipValue()
                                }
                            }
                            guard let start, let end else { throw parser.declined }
                            return TextSpan(start: start, end: end)
                        })
                default: try parser.skipValue()
                }
            }
            guard let rule, let message else { throw parser.declined }
            findings.append(Finding(ruleID: rule, message: message, span: span ?? nil, text: text ?? nil))
        }
        return findings
    }

    private mutating func response() throws(Failure) -> ResponseRecord? {
        try nullable { parser throws(Failure) in
            var content: JSONStringToken?
            var promptTokens: Int??
            var completionTokens: Int??
            var latency: Double?
            var attempts: Int?
            var cached: Bool?
            var finishReason: String??
            try parser.object { parser, key throws(Failure) in
                switch key {
                case "content": try Self.once(&content, try parser.scanner.string())
                case "prompt_tokens":
                    try Self.once(
                        &promptTokens, nullable: try parser.nullable { parser throws(Failure) in try parser.integer() })
                case "completion_tokens":
                    try Self.once(
                        &completionTokens,
                        nullable: try parser.nullable { parser throws(Failure) in try parser.integer() })
                case "latency_ms": try Self.once(&latency, try parser.number())
                case "attempts": try Self.once(&attempts, try parser.integer())
                case "cached": try Self.once(&cached, try parser.bool())
                case "finish_reason":
                    try Self.once(
                        &finishReason, nullable: try parser.nullable { parser throws(Failure) in try parser.string() })
                default: try parser.skipValue()
                }
            }
            guard let content, let latency, let attempts, let cached else { throw parser.declined }
            parser.content = content
            return ResponseRecord(
                content: "", finishReason: finishReason ?? nil, promptTokens: promptTokens ?? nil,
                completionTokens: completionTokens ?? nil,
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
                case "class": try Self.once(&errorClass, try parser.string())
                case "message": try Self.once(&message, try parser.string())
                case "attempts": try Self.once(&attempts, try parser.integer())
                default: try parser.skipValue()
                }
            }
            guard let errorClass, let message, let attempts else { throw parser.declined }
            return ErrorRecord(errorClass: errorClass, message: message, attempts: attempts)
        }
    }

    // MARK: JSON pieces

    /// Sets a field once: a key written twice (at any level) goes to the full decoder, which decides which one counts.
    private static func once<T>(_ field: inout T?, _ value: T?) throws(Failure) {
        guard field == nil else { throw Failure(offset: 0, message: "a field written twice") }
        field = value
    }

    /// `once` for a field that may be `null`: a `null` counts as written.
    private static func once<T>(_ field: inout T??, nullable value: T?) throws(Failure) {
        guard field == nil else { throw Failure(offset: 0, message: "a field written twice") }
        field = .some(value)
    }

    private mutating func object(_ field: (inout ResultLineParser, String) throws(Failure) -> Void) throws(Failure) {
        var object = try scanner.openObject()
        while let key = try scanner.nextKey(in: &object) {
            try field(&self, scanner.text(of: key))
        }
    }

    private mutating func array(_ element: (inout ResultLineParser) throws(Failure) -> Void) throws(Failure) {
        var array = try scanner.openArray()
        while try scanner.nextElement(in: &array) {
            try element(&self)
        }
    }

    private mutating func nullable<T>(_ value: (inout ResultLineParser) throws(Failure) -> T) throws(Failure) -> T? {
        try scanner.null() ? nil : try value(&self)
    }

    private mutating func strings() throws(Failure) -> [String] {
        var values: [String] = []
        try array { parser throws(Failure) in values.append(try parser.string()) }
        return values
    }

    private mutating func string() throws(Failure) -> String {
        scanner.text(of: try scanner.string())
    }

    private mutating func bool() throws(Failure) -> Bool {
        try scanner.bool()
    }

    /// An integer written as digits (JSONDecoder also takes `1.0`; such a line goes to it).
    private mutating func integer() throws(Failure) -> Int {
        guard let value = scanner.int64(of: try scanner.number()), let integer = Int(exactly: value) else {
            throw declined
        }
        return integer
    }

    private mutating func number() throws(Failure) -> Double {
        guard let value = scanner.double(of: try scanner.number()) else { throw declined }
        return value
    }

    private mutating func skipValue() throws(Failure) {
        try scanner.skipValue()
    }
}
