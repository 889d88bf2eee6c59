import EvalCore
import EvalRunner
import Foundation
import Testing

private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

/// The message of the WireError that `body` throws, or nil when it does not throw.
private func decodeError(_ body: String) -> String? {
    do {
        _ = try ChatWire.decodeCompletion(Data(body.utf8))
        return nil
    } catch {
        return error.message
    }
}

private func streamError(_ chunks: [String]) -> String? {
    var accumulator = StreamAccumulator()
    do {
        for chunk in chunks { try accumulator.consume(eventData: chunk) }
        return nil
    } catch {
        return error.message
    }
}

@Suite("ChatWire request")
struct ChatWireRequestTests {
    @Test func minimalBody() throws {
        let request = ChatRequest(model: "gpt-x", messages: [.user("hi")])
        #expect(
            text(try request.encodedBody(stream: false))
                == #"{"messages":[{"content":"hi","role":"user"}],"model":"gpt-x"}"#)
    }

    @Test func typedParametersUseWireNames() throws {
        let parameters = ChatParameters(
            temperature: 0.7, topP: 0.9, maxTokens: 256, seed: 42, stop: ["END"], n: 2,
            responseFormat: ["type": "json_object"]
        )
        let request = ChatRequest(model: "m", messages: [.system("be brief"), .user("q")], parameters: parameters)
        #expect(
            text(try request.encodedBody(stream: false)) == """
                {"max_tokens":256,"messages":[{"content":"be brief","role":"system"},{"content":"q","role":"user"}],\
                "model":"m","n":2,"response_format":{"type":"json_object"},"seed":42,"stop":["END"],"temperature":0.7,\
                "top_p":0.9}
                """)
    }

    @Test func extrasPassThroughAndTypedFieldsWin() throws {
        let parameters = ChatParameters(
            temperature: 0.5,
            extra: [
                "temperature": 2, "max_tokens": 9, "logprobs": true, "tools": [["type": "function"]],
                "model": "other", "messages": [], "stream": true, "stream_options": ["include_usage": false],
            ]
        )
        let body = try JSONValue.parse(
            ChatRequest(model: "m", messages: [.user("q")], parameters: parameters).encodedBody(stream: false)
        )
        #expect(body["temperature"] == 0.5)
        #expect(body["max_tokens"] == nil, "a typed key given only in extra is dropped: typed fields win")
        #expect(body["logprobs"] == true)
        #expect(body["tools"] == [["type": "function"]])
        #expect(body["model"] == "m")
        #expect(body["messages"]?.arrayValue?.count == 1)
        #expect(body["stream"] == nil)
        #expect(body["stream_options"] == nil)
    }

    @Test func streamingAsksForUsage() throws {
        let request = ChatRequest(model: "m", messages: [.user("q")])
        #expect(
            text(try request.encodedBody(stream: true)) == """
                {"messages":[{"content":"q","role":"user"}],"model":"m","stream":true,\
                "stream_options":{"include_usage":true}}
                """)
    }

    @Test func streamOptionsFromExtraAreKept() throws {
        let parameters = ChatParameters(extra: [
            "stream_options": ["include_usage": false, "include_obfuscation": false]
        ])
        let body = try JSONValue.parse(
            ChatRequest(model: "m", messages: [], parameters: parameters).encodedBody(stream: true)
        )
        #expect(body["stream"] == true)
        #expect(body["stream_options"] == ["include_usage": false, "include_obfuscation": false])
    }

    @Test func bodyIsStable() throws {
        let parameters = ChatParameters(seed: 1, extra: ["b": 1, "a": 2, "c": ["z": 1, "y": 2]])
        let request = ChatRequest(model: "m", messages: [.user("q")], parameters: parameters)
        let first = try request.encodedBody(stream: true)
        for _ in 0..<5 { #expect(try request.encodedBody(stream: true) == first) }
        #expect(text(first).contains(#""a":2,"b":1,"c":{"y":2,"z":1}"#))
    }

    @Test func nonFiniteNumbersThrow() {
        let request = ChatRequest(model: "m", messages: [], parameters: ChatParameters(temperature: .nan))
        #expect(throws: EncodingError.self) { try request.encodedBody(stream: false) }
    }

    @Test func parametersDecodeFromWireForm() throws {
        let json =
            #"{"temperature":1,"top_p":0.5,"max_tokens":10,"seed":7,"stop":"\n","n":1,"#
            + #""response_format":{"type":"text"},"logit_bias":{"50256":-100},"user":null}"#
        let parameters = try JSONDecoder().decode(ChatParameters.self, from: Data(json.utf8))
        #expect(
            parameters
                == ChatParameters(
                    temperature: 1, topP: 0.5, maxTokens: 10, seed: 7, stop: ["\n"], n: 1,
                    responseFormat: ["type": "text"], extra: ["logit_bias": ["50256": -100], "user": nil]
                ))
        let again = try JSONDecoder().decode(ChatParameters.self, from: JSONEncoder().encode(parameters))
        #expect(again == parameters)
    }

    @Test func parametersRejectBadStop() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ChatParameters.self, from: Data(#"{"stop":[1,2]}"#.utf8))
        }
    }
}

@Suite("ChatWire ChatMessage")
struct ChatWireMessageTests {
    @Test func encodingLeavesOutNilFields() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(text(try encoder.encode(ChatMessage.assistant("ok"))) == #"{"content":"ok","role":"assistant"}"#)
        #expect(
            text(try encoder.encode(ChatMessage.tool("42", callID: "call_1")))
                == #"{"content":"42","role":"tool","tool_call_id":"call_1"}"#)
        let calls: [JSONValue] = [["id": "c", "type": "function", "function": ["name": "f", "arguments": "{}"]]]
        #expect(
            text(try encoder.encode(ChatMessage(role: "assistant", toolCalls: calls))).hasPrefix(
                #"{"role":"assistant","tool_calls":[{"function":"#))
    }

    @Test func contentPartsRoundTrip() throws {
        let json =
            #"{"role":"user","content":[{"type":"text","text":"what is this?"},"#
            + #"{"type":"image_url","image_url":{"url":"https://x/y.png"}}],"name":"ann"}"#
        let message = try JSONDecoder().decode(ChatMessage.self, from: Data(json.utf8))
        #expect(message.content == nil)
        #expect(message.contentParts?.count == 2)
        #expect(message.name == "ann")
        #expect(message.text == "what is this?")
        let again = try JSONValue.parse(JSONEncoder().encode(message))
        #expect(again == (try JSONValue.parse(Data(json.utf8))))
    }

    @Test func nullContentAndWrongContent() throws {
        let message = try JSONDecoder().decode(
            ChatMessage.self, from: Data(#"{"role":"assistant","content":null}"#.utf8))
        #expect(message == ChatMessage(role: "assistant"))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ChatMessage.self, from: Data(#"{"role":"user","content":5}"#.utf8))
        }
    }
}

@Suite("ChatWire completion")
struct ChatWireCompletionTests {
    @Test func decodesAPlainCompletion() throws {
        let body = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-5.4",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null,"annotations":[]},
             "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,
             "prompt_tokens_details":{"cached_tokens":3,"audio_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":4,"audio_tokens":0}},
             "service_tier":"default","system_fingerprint":"fp_1"}
            """
        let result = try ChatWire.decodeCompletion(Data(body.utf8))
        #expect(
            result
                == CompletionResult(
                    id: "chatcmpl-1", model: "gpt-5.4", systemFingerprint: "fp_1",
                    choices: [ChoiceResult(index: 0, content: "Hello!", finishReason: "stop")],
                    usage: TokenUsage(
                        promptTokens: 19, completionTokens: 10, totalTokens: 29, reasoningTokens: 4,
                        cachedTokens: 3)
                ))
        #expect(result.content == "Hello!")
        #expect(result.finishReason == "stop")
    }

    @Test func toolCallsWithNullContent() throws {
        let body = """
            {"id":"c","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,
             "tool_calls":[{"id":"call_abc","type":"function","function":{"name":"get_weather",
             "arguments":"{\\"location\\": \\"Boston, MA\\"}"}},
             {"id":"call_def","type":"custom","custom":{"name":"grep","input":"foo"}},
             {"id":"call_ghi","type":"function","function":{"name":"f","arguments":{"x":1}}}]},
             "logprobs":null,"finish_reason":"tool_calls"}]}
            """
        let result = try ChatWire.decodeCompletion(Data(body.utf8))
        #expect(result.content == "")
        #expect(result.finishReason == "tool_calls")
        #expect(result.usage == nil)
        #expect(
            result.choices.first?.toolCalls == [
                ToolCall(
                    id: "call_abc", type: "function", name: "get_weather", arguments: #"{"location": "Boston, MA"}"#),
                ToolCall(id: "call_def", type: "custom", name: "grep", arguments: "foo"),
                ToolCall(id: "call_ghi", type: "function", name: "f", arguments: #"{"x":1}"#),
            ])
    }

    @Test func choicesAreSortedAndIndexDefaultsToPosition() throws {
        let body =
            #"{"choices":[{"index":2,"message":{"content":"c"}},{"index":0,"message":{"content":"a"}},"#
            + #"{"index":1,"message":{"content":"b","refusal":"no"}}]}"#
        let result = try ChatWire.decodeCompletion(Data(body.utf8))
        #expect(result.choices.map(\.index) == [0, 1, 2])
        #expect(result.choices.map(\.content) == ["a", "b", "c"])
        #expect(result.choices[1].refusal == "no")

        let unindexed = try ChatWire.decodeCompletion(
            Data(#"{"choices":[{"message":{"content":"x"}},{"message":{}}]}"#.utf8))
        #expect(unindexed.choices.map(\.index) == [0, 1])
        #expect(unindexed.content == "x")
    }

    @Test func contentPartsAreJoined() throws {
        let body =
            #"{"choices":[{"message":{"content":[{"type":"thinking","thinking":"hm"},"#
            + #"{"type":"text","text":"Hel"},{"type":"text","text":"lo"}]}}]}"#
        #expect(try ChatWire.decodeCompletion(Data(body.utf8)).content == "Hello")
    }

    @Test func noChoicesGivesEmptyContent() throws {
        let result = try ChatWire.decodeCompletion(Data(#"{"choices":[]}"#.utf8))
        #expect(result.content == "")
        #expect(result.finishReason == nil)
    }

    @Test func usageToleratesMissingCounts() throws {
        let usage = try JSONDecoder().decode(
            TokenUsage.self, from: Data(#"{"prompt_tokens":5,"completion_tokens":2}"#.utf8))
        #expect(usage == TokenUsage(promptTokens: 5, completionTokens: 2, totalTokens: 7))
        #expect(usage.reasoningTokens == nil)
        let full = TokenUsage(promptTokens: 1, completionTokens: 2, totalTokens: 3, reasoningTokens: 4, cachedTokens: 5)
        let json = try JSONValue.parse(JSONEncoder().encode(full))
        #expect(json["completion_tokens_details"]?["reasoning_tokens"] == 4)
        #expect(json["prompt_tokens_details"]?["cached_tokens"] == 5)
        #expect(try JSONDecoder().decode(TokenUsage.self, from: JSONEncoder().encode(full)) == full)
    }

    @Test func resultRoundTripsThroughItsOwnCodableForm() throws {
        let result = CompletionResult(
            id: "i", model: "m", systemFingerprint: "fp",
            choices: [
                ChoiceResult(
                    index: 0, content: "x", refusal: nil,
                    toolCalls: [ToolCall(id: "t", name: "f", arguments: "{}")], finishReason: "stop")
            ],
            usage: TokenUsage(promptTokens: 1, completionTokens: 1)
        )
        #expect(try JSONDecoder().decode(CompletionResult.self, from: JSONEncoder().encode(result)) == result)
    }

    // MARK: Malformed bodies

    static let malformed: [(body: String, mustContain: [String])] = [
        ("", ["expected a JSON object with \"choices\"", "an empty body"]),
        (
            "<html>502 Bad Gateway</html>",
            ["expected a JSON object with \"choices\"", "invalid JSON", "502 Bad Gateway"]
        ),
        (#"[{"choices":[]}]"#, ["expected a JSON object with \"choices\"", "found array"]),
        (#"{"id":"x","object":"chat.completion"}"#, ["found an object with keys \"id\", \"object\""]),
        (#"{"choices":"none"}"#, ["expected \"choices\" to be an array, found string \"none\""]),
        (#"{"choices":null}"#, ["expected \"choices\" to be an array, found null"]),
        (#"{"choices":[{"index":0,"text":"hi"}]}"#, ["expected \"choices[0].message\" to be present"]),
        (#"{"choices":[{"message":{"content":42}}]}"#, ["\"choices[0].message.content\"", "found integer 42"]),
        (
            #"{"choices":[{"index":"zero","message":{}}]}"#,
            ["expected \"choices[0].index\" to be an integer", "string"]
        ),
        (
            #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
            ["server error", "Rate limit reached", "rate_limit_exceeded"]
        ),
        (#"{"error":"model overloaded","choices":[]}"#, ["server error", "model overloaded"]),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedBodiesSayWhatWasExpectedAndFound(_ index: Int) {
        let (body, mustContain) = Self.malformed[index]
        let message = decodeError(body)
        #expect(message != nil, "\(body) should not decode")
        for part in mustContain {
            #expect(message?.contains(part) == true, "\(message ?? "nil") should contain \(part)")
        }
    }

    @Test func longBodiesAreClipped() throws {
        let huge = "<html>" + String(repeating: "x", count: 100_000) + "</html>"
        let message = try #require(decodeError(huge))
        #expect(message.count < 320)
        #expect(message.contains("100013 bytes"))
        let hugeObject = #"{"detail":""# + String(repeating: "y", count: 10_000) + #"","choices":{"a":1}}"#
        let objectMessage = try #require(decodeError(hugeObject))
        #expect(objectMessage.count < 320)
        let hugeError = #"{"error":{"message":""# + String(repeating: "z", count: 10_000) + #""}}"#
        #expect(try #require(decodeError(hugeError)).count < 320)
    }

    @Test func wireErrorDescribesItself() {
        #expect(WireError.malformed("expected x, found y").description == "malformed response: expected x, found y")
    }
}

@Suite("ChatWire stream")
struct ChatWireStreamTests {
    static func chunk(_ choices: String, extra: String = "") -> String {
        #"{"id":"chatcmpl-9","object":"chat.completion.chunk","model":"gpt-t","system_fingerprint":"fp_9","#
            + #""choices":\#(choices)\#(extra)}"#
    }

    @Test func reassemblesContentFinishReasonAndUsage() throws {
        var accumulator = StreamAccumulator()
        #expect(
            try accumulator.consume(
                eventData: Self.chunk(
                    #"[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"finish_reason":null}]"#))
                == false)
        #expect(accumulator.sawFirstContent == false, "an empty content delta is not a token")
        try accumulator.consume(eventData: Self.chunk(#"[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]"#))
        #expect(accumulator.sawFirstContent)
        try accumulator.consume(eventData: Self.chunk(#"[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]"#))
        try accumulator.consume(eventData: Self.chunk(#"[{"index":0,"delta":{},"finish_reason":"length"}]"#))
        try accumulator.consume(
            eventData: Self.chunk("[]", extra: #","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}"#))
        #expect(accumulator.sawDone == false)
        #expect(try accumulator.consume(eventData: "[DONE]"))
        #expect(accumulator.sawDone)
        #expect(accumulator.chunkCount == 5)
        #expect(
            accumulator.result()
                == CompletionResult(
                    id: "chatcmpl-9", model: "gpt-t", systemFingerprint: "fp_9",
                    choices: [ChoiceResult(index: 0, content: "Hello", finishReason: "length")],
                    usage: TokenUsage(promptTokens: 3, completionTokens: 2, totalTokens: 5)
                ))
    }

    @Test func mergesInterleavedToolCallsByIndex() throws {
        var accumulator = StreamAccumulator()
        let deltas = [
            #"[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"weather","arguments":""}}]}}]"#,
            #"[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"stock","arguments":"{\"t\":"}}]}}]"#,
            #"[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]"#,
            #"[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}},{"index":1,"function":{"arguments":"\"X\"}"}}]}}]"#,
            #"[{"index":0,"delta":{},"finish_reason":"tool_calls"}]"#,
        ]
        for delta in deltas { try accumulator.consume(eventData: Self.chunk(delta)) }
        #expect(accumulator.sawFirstContent)
        let result = accumulator.result()
        #expect(result.content == "")
        #expect(result.finishReason == "tool_calls")
        #expect(
            result.choices.first?.toolCalls == [
                ToolCall(id: "call_a", type: "function", name: "weather", arguments: #"{"city":"Paris"}"#),
                ToolCall(id: "call_b", type: "function", name: "stock", arguments: #"{"t":"X"}"#),
            ])
    }

    @Test func refusalAndSeveralChoices() throws {
        var accumulator = StreamAccumulator()
        try accumulator.consume(
            eventData: Self.chunk(#"[{"index":0,"delta":{"refusal":""}},{"index":1,"delta":{"content":""}}]"#))
        #expect(accumulator.sawFirstContent == false, "empty deltas are not tokens")
        try accumulator.consume(eventData: Self.chunk(#"[{"index":1,"delta":{"content":"b1"}}]"#))
        #expect(accumulator.sawFirstContent)
        try accumulator.consume(eventData: Self.chunk(#"[{"index":0,"delta":{"refusal":"I can't"}}]"#))
        try accumulator.consume(
            eventData: Self.chunk(#"[{"index":1,"delta":{"content":"b2"},"finish_reason":"stop"}]"#))
        try accumulator.consume(
            eventData: Self.chunk(#"[{"index":0,"delta":{"refusal":" help."},"finish_reason":"stop"}]"#))
        let result = accumulator.result()
        #expect(
            result.choices == [
                ChoiceResult(index: 0, content: "", refusal: "I can't help.", finishReason: "stop"),
                ChoiceResult(index: 1, content: "b1b2", finishReason: "stop"),
            ])
        #expect(accumulator.sawDone == false)
    }

    @Test func nullUsageInEveryChunkIsFine() throws {
        var accumulator = StreamAccumulator()
        try accumulator.consume(
            eventData: Self.chunk(#"[{"index":0,"delta":{"content":"a"}}]"#, extra: #","usage":null"#))
        #expect(accumulator.result().usage == nil)
        #expect(accumulator.result().content == "a")
    }

    static let malformedChunks: [(chunks: [String], mustContain: [String])] = [
        (["{not json"], ["expected a chunk object with \"choices\"", "invalid JSON", "{not json"]),
        ([""], ["an empty body"]),
        ([#"{"id":"x","object":"chat.completion.chunk"}"#], ["found an object with keys \"id\", \"object\""]),
        (["42"], ["found integer 42"]),
        ([#"{"choices":[{"index":0,"delta":{"content":7}}]}"#], ["\"choices[0].delta.content\"", "integer 7"]),
        (
            [
                #"{"choices":[{"index":0,"delta":{"content":"ok"}}]}"#,
                #"{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}"#,
            ],
            ["server error", "The server had an error while processing your request.", "server_error"]
        ),
        ([#"{"error":{"message":"overloaded"},"choices":[]}"#], ["overloaded"]),
    ]

    @Test(arguments: 0..<malformedChunks.count)
    func malformedChunksThrowWithAHelpfulMessage(_ index: Int) {
        let (chunks, mustContain) = Self.malformedChunks[index]
        let message = streamError(chunks)
        #expect(message != nil)
        for part in mustContain {
            #expect(message?.contains(part) == true, "\(message ?? "nil") should contain \(part)")
        }
    }

    @Test func doneMayCarryWhitespace() throws {
        var accumulator = StreamAccumulator()
        #expect(try accumulator.consume(eventData: " [DONE]\n"))
        #expect(accumulator.sawDone)
        #expect(accumulator.result().choices.isEmpty)
    }
}
