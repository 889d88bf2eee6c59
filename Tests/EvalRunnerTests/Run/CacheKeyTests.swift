import EvalCore
import Foundation
import Testing

@testable import EvalRunner

/// The response cache's key hashes the request body as canonical JSON (`CanonicalJSON`), never `JSONEncoder`'s
/// bytes: the same request spelled another way (key order, number spelling) has one key, another request another
/// key; the params a result line records and the entries the cache reads back are what `JSONEncoder` and
/// `JSONDecoder` gave before.
@Suite("Response cache key and entries without JSONEncoder")
struct CacheKeyTests {
    static let target = RunTargetSpec(
        label: "v1", model: "m", endpoint: ChatEndpoint(baseURL: "http://127.0.0.1:9/v1"))

    static func request(_ paramsJSON: String, messages: [ChatMessage] = [.user("hi")]) throws -> ChatRequest {
        let params = try #require(try JSONValue.parse(paramsJSON).objectValue)
        return ChatRequest(model: "m", messages: messages, parameters: try ChatParameters(params: params))
    }

    static func key(_ request: ChatRequest, repeatIndex: Int = 0) -> String {
        ResponseCache.key(target: target, request: request, repeatIndex: repeatIndex)
    }

    @Test("params that differ only in key order or number spelling give one key")
    func spellingsShareAKey() throws {
        let first = try Self.request(
            #"{"temperature":0.50,"max_tokens":1e2,"seed":7,"response_format":{"type":"json_object","x":1.0},"#
                + #""logit_bias":{"b":1,"a":-2.0},"stop":"END"}"#)
        let second = try Self.request(
            #"{"stop":["END"],"logit_bias":{"a":-2,"b":1E0},"response_format":{"x":1,"type":"json_object"},"#
                + #""seed":7.0,"max_tokens":100,"temperature":5e-1}"#)
        #expect(Self.key(first) == Self.key(second))
        // Built in code rather than parsed: an integral double in an extra is the integer the body carries.
        let typed = ChatRequest(
            model: "m", messages: [.user("hi")],
            parameters: ChatParameters(extra: ["x": .double(3), "y": .double(0.25)]))
        let integral = ChatRequest(
            model: "m", messages: [.user("hi")], parameters: ChatParameters(extra: ["y": .double(0.25), "x": .int(3)]))
        #expect(Self.key(typed) == Self.key(integral))
    }

    @Test("every other request, param value or repeat is another key")
    func differentRequestsDiffer() throws {
        let base = try Self.request(#"{"temperature":0.5,"logit_bias":{"a":1}}"#)
        let others = [
            try Self.request(#"{"temperature":0.6,"logit_bias":{"a":1}}"#),
            try Self.request(#"{"temperature":0.5,"logit_bias":{"a":2}}"#),
            try Self.request(#"{"temperature":0.5,"logit_bias":{"b":1}}"#),
            try Self.request(#"{"temperature":0.5,"logit_bias":{"a":"1"}}"#),
            try Self.request(#"{"temperature":0.5,"logit_bias":{"a":1},"seed":1}"#),
            try Self.request(#"{"temperature":0.5}"#),
            try Self.request(#"{"temperature":0.5,"logit_bias":{"a":1}}"#, messages: [.user("hi ")]),
            try Self.request(
                #"{"temperature":0.5,"logit_bias":{"a":1}}"#,
                messages: [ChatMessage(role: "system", content: "hi")]),
        ]
        let keys = [Self.key(base)] + others.map { Self.key($0) } + [Self.key(base, repeatIndex: 1)]
        #expect(Set(keys).count == keys.count)
    }

    @Test("the key hashes canonical JSON of the body: fixed text, the body's values")
    func canonicalBody() throws {
        let request = try Self.request(
            #"{"top_p":0.9,"max_tokens":64,"stop":["a/b"],"tools":[{"type":"function"}],"model":"x","stream":true}"#,
            messages: [
                .user("é \"q\"\n"),
                ChatMessage(role: "tool", content: "42", toolCallID: "call_1"),
            ])
        #expect(
            CanonicalJSON.string(request.bodyValue)
                == #"{"max_tokens":64,"messages":[{"content":"é \"q\"\n","role":"user"},{"content":"42","role":"tool","tool_call_id":"call_1"}],"model":"m","stop":["a/b"],"tools":[{"type":"function"}],"top_p":0.9}"#
        )
        // The same values the sent body has (model, messages and stream from the request, never from the params).
        let sent = try JSONValue.parse(try request.encodedBody(stream: false))
        #expect(request.bodyValue == sent)
        #expect(ChatRequest(model: "m", messages: [], parameters: ChatParameters(temperature: .nan)).bodyValue == .null)
    }

    @Test("the params a result line records are what JSONEncoder gave, read back")
    func recordedParams() throws {
        let cases: [ChatParameters] = [
            ChatParameters(),
            ChatParameters(temperature: 0, topP: 1, maxTokens: 5, seed: -3, stop: ["x"], n: 2),
            ChatParameters(
                temperature: 0.1 + 0.2, topP: 1e-7, responseFormat: ["type": "json_schema", "w": .double(2.5)],
                extra: [
                    "temperature": 9, "big": .double(1e20), "neg": .double(-4), "nested": [.double(1), "s", .null],
                ]),
        ]
        for parameters in cases {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let old = try JSONValue.parse(try encoder.encode(parameters)).objectValue ?? [:]
            #expect(parameters.recorded == old)
        }
        #expect(ChatParameters(topP: .infinity).recorded == [:])
    }

    @Test("an entry is read as JSONDecoder read it; an entry of wrong shape is nil, never a crash")
    func entries() throws {
        let records = [
            ResponseRecord(content: "Привет \"x\"", latencyMs: 12, attempts: 1),
            ResponseRecord(
                content: "", finishReason: "length", model: "m", promptTokens: 3, completionTokens: 0,
                latencyMs: 0.25, timeToFirstTokenMs: 0.125, attempts: 4, cached: true, systemFingerprint: "fp"),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for record in records {
            let data = try encoder.encode(record)
            #expect(ResponseRecord(cacheEntry: data) == record)
            #expect(ResponseRecord(cacheEntry: data) == (try JSONDecoder().decode(ResponseRecord.self, from: data)))
        }
        let base = #""attempts":1,"cached":false,"latency_ms":3"#
        #expect(
            ResponseRecord(cacheEntry: Data(#"{"content":"a",\#(base),"model":null,"extra":[1]}"#.utf8))?.model == nil)
        let bad = [
            "", "null", "[]", #"{"content":"a""#, #"{"content":1,\#(base)}"#, #"{\#(base)}"#,
            #"{"content":"a","attempts":1,"cached":false}"#,
            #"{"content":"a","attempts":1.5,"cached":false,"latency_ms":3}"#,
            #"{"content":"a",\#(base),"model":7}"#, #"{"content":"a",\#(base),"prompt_tokens":"3"}"#,
            #"{"content":"a",\#(base),"ttft_ms":true}"#, #"{"content":"a","attempts":1,"cached":0,"latency_ms":3}"#,
        ]
        for text in bad {
            #expect(ResponseRecord(cacheEntry: Data(text.utf8)) == nil, "\(text)")
            #expect((try? JSONDecoder().decode(ResponseRecord.self, from: Data(text.utf8))) == nil, "\(text)")
        }
    }

    @Test("a corrupted entry line is a miss; the entries around it are still found, through lookup and load")
    func corruptedLine() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("evalgate-cachekey-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Self.request(#"{"seed":1}"#)
        let second = try Self.request(#"{"seed":2}"#)
        let broken = try Self.request(#"{"seed":3}"#)
        let writer = ResponseCache(directory: folder, mode: .use)
        #expect(writer.store(ResponseRecord(content: "one", latencyMs: 1, attempts: 1), key: Self.key(first)))
        let handle = try #require(FileHandle(forWritingAtPath: folder + "/" + ResponseCache.fileName))
        try handle.seekToEnd()
        handle.write(Data("\(Self.key(broken)) {\"content\":\"x\",\"attempts\":\"many\"}\n".utf8))
        try handle.close()
        #expect(writer.store(ResponseRecord(content: "two", latencyMs: 1, attempts: 1), key: Self.key(second)))

        let reader = ResponseCache(directory: folder, mode: .use)
        let entry = try #require(reader.lookup(key: Self.key(second)))
        #expect(reader.load(entry)?.content == "two")
        #expect(reader.load(entry)?.cached == true)
        #expect(reader.load(key: Self.key(first))?.content == "one")
        #expect(reader.load(key: Self.key(broken)) == nil)
        if let brokenEntry = reader.lookup(key: Self.key(broken)) { #expect(reader.load(brokenEntry) == nil) }
    }
}
