import EvalCore
import Foundation
import Testing

/// The hand-written writers against `JSONEncoder` (keys sorted, slashes not escaped), which wrote every run log line
/// before them: the bytes must be the same, so that logs, caches and request bodies do not change.
@Suite("JSONWriter and the result line writer write what JSONEncoder writes")
struct JSONWriterTests {
    static func encoder(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try [UInt8](encoder.encode(value))
    }

    @Test(
        "doubles in the foundation style",
        arguments: [
            0.0, -0.0, 1.0, -5.0, 0.25, 1e-7, 1.5e300, 123456789.0, 1e16, 1e21, 0.1 + 0.2, -2.5e-5, 4.0e15,
            Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude,
        ])
    func doubles(number: Double) throws {
        var writer = JSONWriter(numbers: .foundation)
        writer.double(number)
        #expect(writer.bytes == (try Self.encoder([number])).dropFirst().dropLast(), "\(number)")
        #expect(!writer.invalidNumber)
    }

    @Test("canonical doubles keep their .0; non-finite numbers are null and flagged")
    func canonicalAndInvalid() {
        var canonical = JSONWriter(numbers: .canonical)
        canonical.double(5)
        #expect(String(decoding: canonical.bytes, as: UTF8.self) == "5.0")
        var writer = JSONWriter(numbers: .foundation)
        writer.double(.nan)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "null")
        #expect(writer.invalidNumber)
    }

    @Test("integers", arguments: [0, 1, -1, 9, 10, -10, 1_234_567_890, Int.max, Int.min])
    func integers(value: Int) throws {
        var writer = JSONWriter(numbers: .foundation)
        writer.int(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
        var wide = JSONWriter(numbers: .foundation)
        wide.int(Int64(value))
        #expect(wide.bytes == writer.bytes)
    }

    @Test("JSON values, strings with every kind of escape, keys sorted by bytes", arguments: [5 as UInt64, 6, 7])
    func values(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, random: &random)
            var writer = JSONWriter(numbers: .foundation)
            writer.value(value)
            #expect(writer.bytes == (try Self.encoder(value)), "\(value)")
        }
    }

    @Test("result lines: every field, present and absent", arguments: [21 as UInt64, 22, 23, 24])
    func resultLines(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<250 {
            let result = Self.randomResult(random: &random)
            let line = RunLogLine.result(result)
            #expect(RunLog.encode(line) == (try Self.encoder(line)) + [0x0A], "\(result)")
            // And it reads back as a result that is written the same (a double such as 5.0 reads back as the
            // integer 5, so the values may differ in type but never in bytes).
            let readBack = try RunLog.decode(RunLog.encode(line).dropLast()).get()
            #expect(RunLog.encode(readBack) == RunLog.encode(line))
            if let response = result.response {
                #expect(response.encodedJSON() == (try Self.encoder(response)))
            }
        }
    }

    @Test("a result with a number JSON cannot carry is written as JSONEncoder fails it: {}")
    func nonFinite() {
        var random = SplitMix64(seed: 99)
        var result = Self.randomResult(random: &random)
        result.response = ResponseRecord(content: "x", latencyMs: .infinity, attempts: 1)
        #expect(RunLog.encode(.result(result)) == Array("{}\n".utf8))
    }

    // MARK: generators

    static let pieces = [
        "", "a", "ответ", "\"", "\\", "/", "\n", "\r\n", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
        "é", "😀", "\u{2028}", "</script>", "key", "Key", "k1", "k10", "k9", "_", "~", "z", "ä", " ",
    ]

    static func randomString(random: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func randomDouble(random: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return Double(Int.random(in: -1000...1000, using: &random))
        case 1: return Double.random(in: -1...1, using: &random)
        case 2: return Double.random(in: -1e22...1e22, using: &random)
        default: return Double(Int.random(in: 0...100_000, using: &random)) / 1000
        }
    }

    static func randomValue(depth: Int, random: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<(depth > 2 ? 5 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2:
            return .int(
                Int64.random(in: Int64.min...Int64.max, using: &random) >> Int64.random(in: 0...63, using: &random))
        case 3: return .double(randomDouble(random: &random))
        case 4: return .string(randomString(random: &random))
        case 5:
            return .array(
                (0..<Int.random(in: 0...3, using: &random)).map { _ in randomValue(depth: depth + 1, random: &random) })
        default:
            var fields: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                fields[randomString(random: &random)] = randomValue(depth: depth + 1, random: &random)
            }
            return .object(fields)
        }
    }

    static func maybe<T>(_ random: inout SplitMix64, _ make: (inout SplitMix64) -> T) -> T? {
        Bool.random(using: &random) ? make(&random) : nil
    }

    static func randomFindings(random: inout SplitMix64) -> [Finding] {
        (0..<Int.random(in: 0...2, using: &random)).map { _ in
            Finding(
                ruleID: randomString(random: &random), message: randomString(random: &random),
                span: maybe(&random) {
                    TextSpan(start: Int.random(in: 0...100, using: &$0), end: Int.random(in: 0...900, using: &$0))
                },
                text: maybe(&random) { randomString(random: &$0) })
        }
    }

    static func randomResult(random: inout SplitMix64) -> CaseResult {
        let checks = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            CheckRecord(
                type: randomString(random: &random), passed: Bool.random(using: &random),
                findings: randomFindings(random: &random), notes: randomFindings(random: &random),
                judge: maybe(&random) { random in
                    JudgeRecord(
                        target: randomString(random: &random), model: randomString(random: &random),
                        rubric: randomString(random: &random), rubricHash: randomString(random: &random),
                        settingsHash: maybe(&random) { randomString(random: &$0) },
                        raw: [randomString(random: &random)], votes: [randomString(random: &random), "pass"],
                        reason: maybe(&random) { randomString(random: &$0) },
                        score: maybe(&random) { randomDouble(random: &$0) },
                        promptTokens: maybe(&random) { Int.random(in: 0...9999, using: &$0) },
                        completionTokens: maybe(&random) { Int.random(in: 0...9999, using: &$0) },
                        latencyMs: randomDouble(random: &random), cached: Bool.random(using: &random),
                        quote: maybe(&random) { randomString(random: &$0) })
                })
        }
        return CaseResult(
            suite: randomString(random: &random), kind: SuiteKind.allCases.randomElement(using: &random)!,
            caseID: randomString(random: &random), caseHash: randomString(random: &random),
            repeatIndex: Int.random(in: 0...20, using: &random),
            tags: (0..<Int.random(in: 0...3, using: &random)).map { _ in randomString(random: &random) },
            status: CaseResult.Status.allCases.randomElement(using: &random)!, checks: checks,
            response: maybe(&random) { random in
                ResponseRecord(
                    content: randomString(random: &random), finishReason: maybe(&random) { randomString(random: &$0) },
                    model: maybe(&random) { randomString(random: &$0) },
                    promptTokens: maybe(&random) { Int.random(in: 0...9999, using: &$0) },
                    completionTokens: maybe(&random) { Int.random(in: 0...9999, using: &$0) },
                    latencyMs: randomDouble(random: &random),
                    timeToFirstTokenMs: maybe(&random) { randomDouble(random: &$0) },
                    attempts: Int.random(in: 0...5, using: &random), cached: Bool.random(using: &random),
                    systemFingerprint: maybe(&random) { randomString(random: &$0) })
            },
            error: maybe(&random) { random in
                ErrorRecord(
                    errorClass: randomString(random: &random), message: randomString(random: &random),
                    status: maybe(&random) { Int.random(in: 100...599, using: &$0) },
                    attempts: Int.random(in: 0...5, using: &random))
            },
            finishedAt: "2026-12-05T10:00:00.123Z",
            params: maybe(&random) { random in
                guard case .object(let fields) = randomValue(depth: 2, random: &random) else { return [:] }
                return fields
            })
    }
}
