import EvalCore
import ScriptedEndpoint
import Synchronization
import Testing

@Suite("chat completions over loopback")
struct CompletionTests {
    @Test("a non-streaming answer has OpenAI's shape, the request id and a correct content-length")
    func nonStreamingShape() async throws {
        let script = Script { _ in
            .completion(ScriptedCompletion(content: "Hello there", promptTokens: 7, completionTokens: 3))
        }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(model: "gpt-x"))
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("content-length") == String(response.body.count))
            #expect(response.header("x-request-id") == "req_0")
            #expect(response.header("connection") == "keep-alive")
            let json = try response.json()
            #expect(json["id"] == "chatcmpl-0")
            #expect(json["object"] == "chat.completion")
            #expect(json["created"]?.intValue != nil)
            #expect(json["model"] == "gpt-x")
            #expect(json["choices"]?.arrayValue?.count == 1)
            let choice = try #require(json["choices"]?[0])
            #expect(choice["index"] == 0)
            #expect(choice["message"]?["role"] == "assistant")
            #expect(choice["message"]?["content"] == "Hello there")
            #expect(choice["message"]?["tool_calls"] == nil)
            #expect(choice["finish_reason"] == "stop")
            #expect(json["usage"] == ["prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10])
            #expect(endpoint.requestCount == 1)
        }
    }

    @Test("usage defaults to about four characters per token, and the model override is echoed")
    func defaultUsage() async throws {
        let script = Script { _ in .completion(ScriptedCompletion(content: "abcdefghi", model: "pinned-model")) }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            // Messages: "Be brief." (9 characters, 3 tokens) and "1234" (1 token).
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(user: "1234"))
            let json = try response.json()
            #expect(json["model"] == "pinned-model")
            #expect(json["usage"] == ["prompt_tokens": 4, "completion_tokens": 3, "total_tokens": 7])
        }
    }

    @Test(
        "a streamed answer reassembles to the content, ends with [DONE], and has usage only when asked",
        arguments: [false, true])
    func streaming(includeUsage: Bool) async throws {
        let content = "Привет, мир! 👋🏽 Streaming \"works\"\nwell."
        var script = Script { _ in
            .completion(ScriptedCompletion(content: content, promptTokens: 5, completionTokens: 9))
        }
        script.streamChunkCharacters = 4
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let response = try await exchange(
                port: endpoint.port, HTTPRequest.chat(model: "m1", stream: true, includeUsage: includeUsage))
            #expect(response.status == 200)
            #expect(response.header("content-type") == "text/event-stream; charset=utf-8")
            #expect(response.header("transfer-encoding") == "chunked")
            #expect(response.header("content-length") == nil)
            #expect(response.header("x-request-id") == "req_0")
            #expect(response.events.last == "[DONE]")
            #expect(response.events.filter { $0 == "[DONE]" }.count == 1)

            let chunks = try response.eventJSON()
            #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" && $0["id"] == "chatcmpl-0" })
            #expect(chunks.allSatisfy { $0["model"] == "m1" })
            #expect(chunks.first?["choices"]?[0]?["delta"]?["role"] == "assistant")
            #expect(try response.streamedContent() == content)
            let pieces = chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.filter {
                !$0.isEmpty
            }
            #expect(pieces.allSatisfy { $0.count <= 4 })
            #expect(pieces.count == (content.count + 3) / 4)

            let finishReasons = chunks.compactMap { $0["choices"]?[0]?["finish_reason"]?.stringValue }
            #expect(finishReasons == ["stop"])
            let usageChunks = chunks.filter { $0["usage"] != nil }
            if includeUsage {
                #expect(usageChunks.count == 1)
                #expect(chunks.last?["choices"] == [])
                #expect(chunks.last?["usage"] == ["prompt_tokens": 5, "completion_tokens": 9, "total_tokens": 14])
            } else {
                #expect(usageChunks.isEmpty)
                #expect(chunks.last?["choices"]?[0]?["finish_reason"] == "stop")
            }
        }
    }

    @Test("tool calls appear in the message, and streamed arguments reassemble", arguments: [false, true])
    func toolCalls(stream: Bool) async throws {
        let call = ScriptedToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Москва","unit":"c"}"#)
        let script = Script { _ in .completion(ScriptedCompletion(content: "", toolCalls: [call])) }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(stream: stream))
            if stream {
                let chunks = try response.eventJSON()
                let deltas = chunks.compactMap { $0["choices"]?[0]?["delta"]?["tool_calls"]?[0] }
                #expect(deltas.first?["id"] == "call_1")
                #expect(deltas.first?["function"]?["name"] == "get_weather")
                #expect(deltas.allSatisfy { $0["index"] == 0 })
                let arguments = deltas.compactMap { $0["function"]?["arguments"]?.stringValue }.joined()
                #expect(arguments == call.arguments)
                #expect(chunks.compactMap { $0["choices"]?[0]?["finish_reason"]?.stringValue } == ["tool_calls"])
            } else {
                let message = try #require(try response.json()["choices"]?[0]?["message"])
                #expect(message["content"] == .null)
                #expect(
                    message["tool_calls"] == [
                        [
                            "id": "call_1", "type": "function",
                            "function": ["name": "get_weather", "arguments": .string(call.arguments)],
                        ]
                    ])
                #expect(try response.json()["choices"]?[0]?["finish_reason"] == "tool_calls")
            }
        }
    }

    @Test("two requests over one connection reuse it (keep-alive)")
    func keepAlive() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            let (first, second) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                try socket.send(HTTPRequest.chat(user: "one"))
                let first = try socket.readResponse()
                try socket.send(HTTPRequest.chat(user: "two", stream: true))
                let second = try socket.readResponse()
                return (first, second)
            }
            #expect(try first.json()["choices"]?[0]?["message"]?["content"] == "echo: one")
            #expect(try second.streamedContent() == "echo: two")
            #expect(first.header("x-request-id") == "req_0")
            #expect(second.header("x-request-id") == "req_1")
            #expect(endpoint.connectionCount == 1)
            #expect(endpoint.requestCount == 2)
        }
    }

    @Test("pipelined requests are answered in order")
    func pipelining() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo(latency: .milliseconds(1))) { endpoint in
            let responses = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                try socket.send(HTTPRequest.chat(user: "a") + HTTPRequest.chat(user: "b") + HTTPRequest.chat(user: "c"))
                return try (0..<3).map { _ in try socket.readResponse() }
            }
            let contents = try responses.map { try $0.json()["choices"]?[0]?["message"]?["content"]?.stringValue }
            #expect(contents == ["echo: a", "echo: b", "echo: c"])
            #expect(endpoint.connectionCount == 1)
        }
    }

    @Test("Connection: close is honoured: the answer says so and the connection ends")
    func connectionClose() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            let (response, rest) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                try socket.send(HTTPRequest.chat(user: "bye", headers: [("Connection", "close")]))
                let response = try socket.readResponse()
                return (response, socket.readToEnd())
            }
            #expect(response.header("connection") == "close")
            #expect(try response.json()["choices"]?[0]?["message"]?["content"] == "echo: bye")
            #expect(rest.bytes.isEmpty)
            #expect(rest.ending == .eof)
        }
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is sent")
    func expectContinue() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            let (interim, response) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                let body = HTTPRequest.chatBody(model: "m", user: "large")
                try socket.send(
                    "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\n\r\n")
                let interim = try socket.readHead(interim: true)
                try socket.send(body)
                return (interim, try socket.readResponse())
            }
            #expect(interim.status == 100)
            #expect(try response.json()["choices"]?[0]?["message"]?["content"] == "echo: large")
        }
    }

    @Test(
        "quotes, backslashes, control characters, Cyrillic and emoji round-trip through JSON", arguments: [false, true])
    func escaping(stream: Bool) async throws {
        let content = "He said \"hi\" \\ back\nline\ttab\r\u{01}\u{1F} — Привет, мир 🇺🇦👩‍💻 </script> \u{2028}"
        let script = Script { _ in .completion(ScriptedCompletion(content: content, model: "m\"odel\\")) }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(stream: stream))
            if stream {
                #expect(try response.streamedContent() == content)
                #expect(try response.eventJSON().first?["model"] == "m\"odel\\")
            } else {
                let json = try response.json()
                #expect(json["choices"]?[0]?["message"]?["content"]?.stringValue == content)
                #expect(json["model"] == "m\"odel\\")
                // Non-ASCII stays UTF-8 rather than \u escapes.
                #expect(response.text.contains("Привет, мир 🇺🇦👩‍💻"))
            }
        }
    }

    @Test("50 concurrent connections each get their own answer")
    func concurrentConnections() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            try await withThrowingTaskGroup(of: (Int, TestResponse).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let request = HTTPRequest.chat(user: "question \(index)", stream: index % 2 == 0)
                        return (index, try await exchange(port: endpoint.port, request))
                    }
                }
                for try await (index, response) in group {
                    let content =
                        index % 2 == 0
                        ? try response.streamedContent()
                        : try response.json()["choices"]?[0]?["message"]?["content"]?.stringValue
                    #expect(content == "echo: question \(index)")
                }
            }
            #expect(endpoint.connectionCount == 50)
            #expect(endpoint.requestCount == 50)
        }
    }

    @Test("the script's latency delays each answer by at least that much")
    func latency() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo(latency: .milliseconds(60))) { endpoint in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(user: "slow"))
            #expect(clock.now - start >= .milliseconds(60))
            #expect(try response.json()["choices"]?[0]?["message"]?["content"] == "echo: slow")
        }
    }

    @Test("the handler sees the parsed request, sequence numbers included")
    func requestParsing() async throws {
        let seen = Mutex<[ScriptedRequest]>([])
        let script = Script { request in
            seen.withLock { $0.append(request) }
            return .text("ok")
        }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            _ = try await exchange(
                port: endpoint.port, HTTPRequest.chat(model: "a", user: "first", headers: [("X-Trace", "t1")]))
            _ = try await exchange(
                port: endpoint.port, HTTPRequest.chat(model: "b", user: "second", stream: true, includeUsage: true))
        }
        let requests = seen.withLock { $0 }
        #expect(requests.map(\.sequence) == [0, 1])
        #expect(requests.map(\.model) == ["a", "b"])
        #expect(requests.map(\.lastUserText) == ["first", "second"])
        #expect(requests.map(\.stream) == [false, true])
        #expect(requests.map(\.includeUsage) == [false, true])
        #expect(requests.map(\.path) == ["/v1/chat/completions", "/v1/chat/completions"])
        #expect(requests[0].header("x-trace") == "t1")
        #expect(requests[0].messages.count == 2)
        #expect(requests[0].json?["model"] == "a")
    }
}
