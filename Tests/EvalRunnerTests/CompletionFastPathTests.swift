import EvalCore
import Foundation
import Testing

@testable import EvalRunner

/// The one-pass reader of plain completions against the `JSONDecoder` path: on every body it takes, the same
/// result; on the rest it steps aside, and `decodeCompletion` gives what the decoder gives.
@Suite("CompletionFastPath reads what JSONDecoder reads")
struct CompletionFastPathTests {
    static let bodies: [String] = [
        #"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","system_fingerprint":"fp_1","choices":[{"index":0,"message":{"role":"assistant","content":"Привет, \"мир\"\n\u00e9\ud83d\ude00"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}"#,
        #"{"choices":[]}"#,
        #"{"choices":[{"message":{"content":null}}],"usage":null,"error":null,"id":null}"#,
        #" { "choices" : [ { "index" : 1 , "message" : { "content" : "b" } } , { "index" : 0 , "message" : { "content" : "a" , "refusal" : "no" } } ] , "usage" : { "prompt_tokens" : 1 } } "#,
        #"{"choices":[{"message":{"content":"x","tool_calls":null,"extra":{"deep":[1,2,{"a":true}]}}}],"other":[1.5,-2e3]}"#,
        #"{"choices":[{"message":{"content":"x"},"finish_reason":null,"index":null}],"usage":{"total_tokens":9}}"#,
        // The decoder's: usage details, tool calls, content parts, a server error, numbers that are not integers,
        // keys given twice, and broken bodies.
        #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":1,"completion_tokens":2,"completion_tokens_details":{"reasoning_tokens":1},"prompt_tokens_details":{"cached_tokens":1}}}"#,
        #"{"choices":[{"message":{"content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}}]}"#,
        #"{"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"image_url"},{"type":"text","text":"b"}]}}]}"#,
        #"{"error":{"message":"quota"}}"#,
        #"{"choices":[],"error":"bad"}"#,
        #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":1.0}}"#,
        #"{"choices":[{"index":1e0,"message":{"content":"x"}}]}"#,
        #"{"choices":[],"choices":[{"message":{"content":"x"}}]}"#,
        #"{"choices":[{"message":{"content":"x","content":"y"}}]}"#,
        #"{"choices":[{"message":{"content":"x"}}]"#,
        #"{"choices":[{"message":{"content":"x"}}]} trailing"#,
        #"{"choices":[{"message":"x"}]}"#,
        #"{"choices":[{"index":0}]}"#,
        #"{"choices":null}"#,
        #"{"id":"x"}"#,
        #"[]"#,
        "",
        #"{"choices":[{"message":{"content":"\ud800"}}]}"#,
        #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":99999999999999999999}}"#,
        #"{"choices":[{"message":{"content":5}}]}"#,
    ]

    @Test("the same result or the same error, for every body", arguments: bodies)
    func agrees(body: String) {
        let data = Data(body.utf8)
        let viaDecoder = Result { () throws(WireError) in try ChatWire.decodeCompletionWithDecoder(data) }
        let viaAPI = Result { () throws(WireError) in try ChatWire.decodeCompletion(data) }
        #expect(viaAPI == viaDecoder)
        if let fast = data.withUnsafeBytes({ CompletionFastPath.decode($0.bindMemory(to: UInt8.self)) }) {
            #expect(.success(fast) == viaDecoder)
        }
    }

    @Test("the plain answers take the fast path")
    func plainBodiesAreFast() {
        let taken = Self.bodies.prefix(6).filter { body in
            Data(body.utf8).withUnsafeBytes { CompletionFastPath.decode($0.bindMemory(to: UInt8.self)) } != nil
        }
        #expect(taken.count == 6)
        let refused = Self.bodies.dropFirst(6).filter { body in
            Data(body.utf8).withUnsafeBytes { CompletionFastPath.decode($0.bindMemory(to: UInt8.self)) } != nil
        }
        #expect(refused.isEmpty, "\(refused)")
    }
}

/// The request body written by hand against the `JSONEncoder` form it replaced: the same bytes.
@Suite("The hand-written request body is JSONEncoder's")
struct RequestBodyWriterTests {
    static let words = ["", "q", "вопрос", "a/b", "\"", "\\", "\n", "\u{01}", "😀", "stream", "model", "n", "x_y"]

    static func value(_ random: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 1 ? 5 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .int(Int64.random(in: -1_000_000...1_000_000, using: &random))
        case 3: return .double([0.7, 1.0, 1e16, -0.0, 2.5e-8, 123.456][Int.random(in: 0..<6, using: &random)])
        case 4: return .string(words.randomElement(using: &random)!)
        case 5: return .array((0..<Int.random(in: 0...2, using: &random)).map { _ in value(&random, depth: depth + 1) })
        default:
            var fields: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                fields[words.randomElement(using: &random)!] = value(&random, depth: depth + 1)
            }
            return .object(fields)
        }
    }

    @Test("random requests, streamed and not", arguments: [31 as UInt64, 32, 33])
    func agrees(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        func maybe<T>(_ make: (inout SplitMix64) -> T) -> T? { Bool.random(using: &random) ? make(&random) : nil }
        for _ in 0..<300 {
            var extra: [String: JSONValue] = [:]
            for key in ["stream_options", "logprobs", "temperature", "model", "user", "a/b"]
            where Bool.random(using: &random) {
                extra[key] = Self.value(&random)
            }
            let parameters = ChatParameters(
                temperature: maybe { [0.0, 0.7, 1.0, 2.0, 1e-5][Int.random(in: 0..<5, using: &$0)] },
                topP: maybe { Double.random(in: 0...1, using: &$0) },
                maxTokens: maybe { Int.random(in: 1...4096, using: &$0) },
                seed: maybe { Int64.random(in: Int64.min...Int64.max, using: &$0) },
                stop: maybe { _ in ["\n\n", "END"] }, n: maybe { Int.random(in: 1...4, using: &$0) },
                responseFormat: maybe { Self.value(&$0) }, extra: extra)
            let messages = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                ChatMessage(
                    role: ["system", "user", "assistant", "tool"].randomElement(using: &random)!,
                    content: maybe { Self.words.randomElement(using: &$0)! },
                    contentParts: maybe { _ in [["type": "text", "text": "t"], ["type": "image_url"]] },
                    name: maybe { _ in "n" }, toolCallID: maybe { _ in "c1" },
                    toolCalls: maybe { _ in [["id": "c1", "function": ["name": "f", "arguments": "{}"]]] })
            }
            let request = ChatRequest(
                model: Self.words.randomElement(using: &random)!, messages: messages, parameters: parameters)
            for stream in [false, true] {
                #expect(try request.encodedBody(stream: stream) == request.encodedBodyWithEncoder(stream: stream))
            }
        }
    }

    @Test("a number JSON cannot carry is refused, as JSONEncoder refused it")
    func nonFinite() {
        let request = ChatRequest(model: "m", messages: [.user("q")], parameters: ChatParameters(temperature: .nan))
        #expect(throws: EncodingError.self) { try request.encodedBody(stream: false) }
        #expect(throws: EncodingError.self) { try request.encodedBodyWithEncoder(stream: false) }
    }
}
