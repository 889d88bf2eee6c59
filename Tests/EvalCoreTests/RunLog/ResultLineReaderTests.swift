import EvalCore
import Foundation
import Testing

/// `RunLog.decode` reads result lines by hand and leaves the rest to `JSONDecoder`, which read every line before: the
/// two must agree on every line, the values read and the errors given.
@Suite("result lines read by hand read as JSONDecoder reads them")
struct ResultLineReaderTests {
    /// What `RunLog.decode` gave before the hand reader: JSONDecoder's value, or only that it failed.
    static func reference(_ line: String) -> RunLogLine? {
        try? JSONDecoder().decode(RunLogLine.self, from: Data(line.utf8))
    }

    static func decoded(_ line: String) -> RunLogLine? {
        try? RunLog.decode(Array(line.utf8)).get()
    }

    @Test(
        "generated results, every field present and absent, in JSONEncoder's bytes", arguments: [31 as UInt64, 32, 33])
    func generated(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<300 {
            let result = JSONWriterTests.randomResult(random: &random)
            let line = try #require(String(bytes: RunLog.encode(.result(result)).dropLast(), encoding: .utf8))
            let reference = try #require(Self.reference(line), "JSONDecoder cannot read \(line)")
            #expect(Self.decoded(line) == reference, "\(line)")
            // Without judges and params (which may hold numbers it leaves to the decoder) the hand reader reads it.
            let byHand = Array(line.utf8).withUnsafeBufferPointer(ResultLineReader.result)
            if result.params == nil, result.checks.allSatisfy({ $0.judge == nil }) {
                #expect(byHand.map(RunLogLine.result) == reference, "\(line)")
            }
            if result.checks.contains(where: { $0.judge != nil }) { #expect(byHand == nil, "\(line)") }
        }
    }

    @Test("generated results with their keys shuffled and whitespace and unknown keys between them")
    func shuffled() throws {
        var random = SplitMix64(seed: 41)
        for _ in 0..<200 {
            let result = JSONWriterTests.randomResult(random: &random)
            guard case .object(var fields) = try JSONValue.parse(RunLog.encode(.result(result))) else {
                Issue.record("a result line is not an object")
                return
            }
            fields["zz_unknown"] = .array([.int(1), .object(["a": .null])])
            let members = fields.map { key, value in
                "\(Self.jsonString(key)) :\t\(String(decoding: Self.bytes(value), as: UTF8.self))"
            }
            .shuffled(using: &random)
            let line = "  {" + members.joined(separator: " ,\n ") + "}  "
            let reference = try #require(Self.reference(line), "JSONDecoder cannot read \(line)")
            #expect(Self.decoded(line) == reference, "\(line)")
        }
    }

    static let base =
        #"{"case":"c1","case_hash":"h","checks":[{"findings":[{"message":"m","rule":"pii.email","span":{"end":5,"start":1},"text":"x@y.z"}],"passed":false,"type":"pii"}],"finished_at":"2026-12-05T10:00:00Z","kind":"eval","record":"result","repeat":0,"response":{"attempts":1,"cached":false,"content":"ответ","latency_ms":12.5},"status":"failed","suite":"s","tags":["a"]}"#

    /// Lines made by editing `base`: (what is replaced, by what).
    static let edits: [(String, String)] = [
        (#""kind""#, #""error":null,"params":null,"kind""#),
        (#","text":"x@y.z""#, #","text":null"#),
        (#""findings""#, #""notes":null,"judge":null,"findings""#),
        (#""latency_ms":12.5"#, #""latency_ms":12,"model":null,"ttft_ms":null"#),
        (#""repeat":0"#, #""repeat":1.0"#),
        (#""repeat":0"#, #""repeat":1e1"#),
        (#""repeat":0"#, #""repeat":-0"#),
        (#""repeat":0"#, #""repeat":99999999999999999999"#),
        (#""repeat":0"#, #""repeat":"0""#),
        (#""latency_ms":12.5"#, #""latency_ms":1e999"#),
        (#""latency_ms":12.5"#, #""latency_ms":null"#),
        (
            #""kind""#,
            #""params":{"temperature":0.7,"max_tokens":256,"seed":-3,"top_p":1.0,"n":1e2,"stop":["\n",null,true],"x":{"y":[]}},"kind""#
        ),
        (#""kind""#, #""params":{"big":18446744073709551616},"kind""#),
        (#""kind""#, #""params":{"a":1,"a":2},"kind""#),
        (#""kind""#, #""params":[1],"kind""#),
        (#""suite":"s""#, #""suite":"s","suite":"t""#),
        (#","suite":"s""#, ""),
        (#""suite":"s""#, #""suite":null"#),
        (#""tags":["a"]"#, #""tags":"a""#),
        (#""kind":"eval""#, #""kind":"weird""#),
        (#""status":"failed""#, #""status":"FAILED""#),
        (#""record":"result""#, #""record":"end""#),
        (#""record":"result""#, #""rec\u006Frd":"result""#),
        (#""case":"c1""#, #""case":"c\u0031 \ud83d\ude00""#),
        (#""case":"c1""#, #""case":"\ud800""#),
        (#""passed":false"#, #""passed":0"#),
        (#""span":{"end":5,"start":1}"#, #""span":{"end":5}"#),
        (#""findings":[{"#, #""judge":{"target":"j"},"findings":[{"#),
    ]

    static let handMadeLines: [String] =
        [base] + edits.map { base.replacingOccurrences(of: $0.0, with: $0.1) } + [
            base + ",", base + "{}", String(base.dropLast()), "[]", "",
        ]

    @Test("hand-made lines, good and bad: the same value or the same failure", arguments: handMadeLines)
    func handMade(line: String) {
        #expect(Self.decoded(line) == Self.reference(line), "\(line)")
    }

    @Test("the lines a run writes are read by hand; other records and judges are not")
    func coverage() {
        func byHand(_ line: String) -> CaseResult? { Array(line.utf8).withUnsafeBufferPointer(ResultLineReader.result) }
        #expect(byHand(Self.base)?.caseID == "c1")
        #expect(
            byHand(Self.base.replacingOccurrences(of: #""kind""#, with: #""params":{"t":0.5,"m":2},"kind""#))?.params
                == ["t": .double(0.5), "m": .int(2)])
        #expect(byHand(Self.base.replacingOccurrences(of: #""record":"result""#, with: #""record":"end""#)) == nil)
        #expect(byHand(Self.base.replacingOccurrences(of: #""repeat":0"#, with: #""repeat":1.0"#)) == nil)
    }

    @Test("a line the hand reader leaves to the decoder keeps the decoder's error, with its column")
    func errorsUnchanged() {
        let line = Self.base.replacingOccurrences(of: #""repeat":0"#, with: #""repeat":"0""#)
        guard case .failure(let error) = RunLog.decode(Array(line.utf8)) else {
            Issue.record("a string repeat was read")
            return
        }
        #expect(error.message.contains("repeat"), "\(error.message)")
        #expect(error.column != nil)
    }

    static func jsonString(_ text: String) -> String {
        String(decoding: bytes(.string(text)), as: UTF8.self)
    }

    static func bytes(_ value: JSONValue) -> [UInt8] {
        (try? JSONWriterTests.encoder(value)) ?? []
    }
}
