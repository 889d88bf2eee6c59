import EvalCore
import Foundation
import ScriptedEndpoint
import Synchronization
import Testing
import Transport

@testable import EvalRunner

/// The chat client end to end: libcurl against the scripted endpoint, every outcome classified.
@Suite struct ChatClientTests {
    static let transport = try! CurlClient()
    /// Retries without real waiting: the backoff is a millisecond.
    static let quickRetry = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2))
    static let secret = "sk-test-SECRET-0123456789abcdef"

    static func client(
        _ endpoint: ScriptedEndpoint, retry: RetryPolicy = quickRetry, timeouts: HTTPTimeouts = HTTPTimeouts(),
        configure: (inout ChatEndpoint) -> Void = { _ in }
    ) throws -> ChatClient {
        var settings = ChatEndpoint(
            baseURL: endpoint.baseURL, apiKeyEnvironmentVariable: "TEST_KEY", timeouts: timeouts)
        configure(&settings)
        return try ChatClient(
            endpoint: settings, transport: transport, retry: retry,
            environment: ["TEST_KEY": secret, "AZURE_KEY": "azure-\(secret)"])
    }

    static func request(_ text: String = "Привет", model: String = "m", parameters: ChatParameters = ChatParameters())
        -> ChatRequest
    {
        ChatRequest(model: model, messages: [.system("Ты помощник."), .user(text)], parameters: parameters)
    }

    /// A script that answers with `replies` in order, then with the last one; counts requests.
    static func sequence(_ replies: [ScriptedReply]) -> Script {
        let counter = Atomic<Int>(0)
        return Script(handler: { _ in
            let index = counter.add(1, ordering: .relaxed).oldValue
            return replies[min(index, replies.count - 1)]
        })
    }

    // MARK: answers

    @Test(arguments: [false, true])
    func answersCarryContentUsageModelAndTiming(stream: Bool) async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let client = try Self.client(endpoint)
        let response = try await client.complete(Self.request("Где мой заказ? «ёлка» \"quoted\"\n🙂"), stream: stream)
        #expect(response.content == "echo: Где мой заказ? «ёлка» \"quoted\"\n🙂")
        #expect(response.finishReason == "stop")
        #expect(response.status == 200)
        #expect(response.model == "m")
        #expect(response.streamed == stream)
        #expect(response.attempts == 1)
        #expect(response.requestID?.hasPrefix("req_") == true)
        let usage = try #require(response.usage)
        #expect(usage.totalTokens == usage.promptTokens + usage.completionTokens)
        #expect(usage.completionTokens > 0)
        #expect(response.latency > .zero)
        #expect(response.totalDuration >= response.latency)
        if stream {
            let ttft = try #require(response.timeToFirstToken)
            #expect(ttft <= response.latency)
        } else {
            #expect(response.timeToFirstToken == nil)
        }
        try await endpoint.shutdown()
    }

    @Test func requestCarriesAuthParamsAndPassThroughFields() async throws {
        let seen = Mutex<ScriptedRequest?>(nil)
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { request in
                seen.withLock { $0 = request }
                return .completion(.init(content: "ok"))
            }))
        var parameters = ChatParameters()
        parameters.temperature = 0.2
        parameters.topP = 0.9
        parameters.maxTokens = 64
        parameters.seed = 7
        parameters.stop = ["\n\n"]
        parameters.n = 1
        parameters.responseFormat = ["type": "json_object"]
        parameters.extra = ["logit_bias": ["50256": -100], "user": "eval"]
        let client = try Self.client(endpoint)
        _ = try await client.complete(Self.request(parameters: parameters))
        let request = try #require(seen.withLock { $0 })
        #expect(request.header("authorization") == "Bearer \(Self.secret)")
        let json = try #require(request.json)
        #expect(json["temperature"]?.doubleValue == 0.2)
        #expect(json["top_p"]?.doubleValue == 0.9)
        #expect(json["max_tokens"]?.intValue == 64)
        #expect(json["seed"]?.intValue == 7)
        #expect(json["stop"] == ["\n\n"])
        #expect(json["response_format"] == ["type": "json_object"])
        #expect(json["logit_bias"] == ["50256": -100])
        #expect(json["user"] == "eval")
        #expect(json["messages"]?[0]?["role"] == "system")
        #expect(json["messages"]?[1]?["content"] == "Привет")
        try await endpoint.shutdown()
    }

    @Test func streamingAsksForUsage() async throws {
        let seen = Mutex<ScriptedRequest?>(nil)
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { request in
                seen.withLock { $0 = request }
                return .completion(.init(content: "streamed answer"))
            }))
        let response = try await Self.client(endpoint).complete(Self.request(), stream: true)
        #expect(response.content == "streamed answer")
        let request = try #require(seen.withLock { $0 })
        #expect(request.stream)
        #expect(request.includeUsage)
        #expect(response.usage != nil)
        try await endpoint.shutdown()
    }

    @Test func azureStyleSecretHeaderAndQuery() async throws {
        let seen = Mutex<ScriptedRequest?>(nil)
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { request in
                seen.withLock { $0 = request }
                return .completion(.init(content: "ok"))
            }))
        let client = try Self.client(endpoint) { settings in
            settings.apiKeyEnvironmentVariable = nil
            settings.secretHeaders = ["api-key": "AZURE_KEY"]
            settings.queryItems = ["api-version": "2024-10-21"]
        }
        _ = try await client.complete(Self.request())
        let request = try #require(seen.withLock { $0 })
        #expect(request.header("api-key") == "azure-\(Self.secret)")
        #expect(request.header("authorization") == nil)
        #expect(request.query == "api-version=2024-10-21")
        try await endpoint.shutdown()
    }

    @Test func toolCallsAreReassembledFromAStream() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in
                .completion(
                    .init(
                        content: "", finishReason: "tool_calls",
                        toolCalls: [
                            ScriptedToolCall(id: "call_1", name: "lookup_order", arguments: #"{"order":"A-17"}"#)
                        ]))
            }))
        for stream in [false, true] {
            let response = try await Self.client(endpoint).complete(Self.request(), stream: stream)
            let call = try #require(response.completion.choices.first?.toolCalls.first)
            #expect(call.name == "lookup_order")
            #expect(call.arguments == #"{"order":"A-17"}"#)
            #expect(response.finishReason == "tool_calls")
        }
        try await endpoint.shutdown()
    }

    @Test func serverThatIgnoresStreamingIsAccepted() async throws {
        let body =
            #"{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"whole"},"finish_reason":"stop"}]}"#
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in
                .status(200, body: body, headers: [("Content-Type", "application/json")])
            }))
        let response = try await Self.client(endpoint).complete(Self.request(), stream: true)
        #expect(response.content == "whole")
        #expect(response.streamed == false)
        try await endpoint.shutdown()
    }

    @Test func listsModels() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "support-v1": { _ in .completion(.init(content: "1")) },
                "support-v2": { _ in .completion(.init(content: "2")) },
            ]))
        let models = try await Self.client(endpoint).models()
        #expect(Set(models) == ["support-v1", "support-v2"])
        try await endpoint.shutdown()
    }

    // MARK: retries

    @Test func rateLimitIsRetriedAfterTheServersDelay() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Self.sequence([
                .fault(.rateLimited(retryAfter: nil, retryAfterMs: "5")),
                .fault(.rateLimited(retryAfter: nil, retryAfterMs: "5")),
                .completion(.init(content: "finally")),
            ]))
        let response = try await Self.client(endpoint).complete(Self.request())
        #expect(response.content == "finally")
        #expect(response.attempts == 3)
        #expect(endpoint.requestCount == 3)
        try await endpoint.shutdown()
    }

    @Test func exhaustedRetriesKeepTheServersMessage() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in .fault(.rateLimited(retryAfter: nil, retryAfterMs: "1")) }))
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(endpoint).complete(Self.request())
        }
        #expect(error.kind == .http)
        #expect(error.status == 429)
        #expect(error.errorClass == "http_429")
        #expect(error.attempts == 3)
        #expect(error.serverType == "rate_limit_error")
        #expect(error.serverMessage?.isEmpty == false)
        #expect(endpoint.requestCount == 3)
        try await endpoint.shutdown()
    }

    @Test(arguments: [500, 503])
    func serverErrorsAreRetried(status: Int) async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Self.sequence([.fault(.serverError(status: status)), .completion(.init(content: "ok"))]))
        let response = try await Self.client(endpoint).complete(Self.request())
        #expect(response.content == "ok")
        #expect(response.attempts == 2)
        try await endpoint.shutdown()
    }

    @Test(arguments: [400, 401, 404, 422])
    func clientErrorsAreNotRetried(status: Int) async throws {
        let body = #"{"error":{"message":"bad things","type":"invalid_request_error","code":"bad"}}"#
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .status(status, body: body) }))
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(endpoint).complete(Self.request())
        }
        #expect(error.kind == .http)
        #expect(error.status == status)
        #expect(error.serverMessage == "bad things")
        #expect(error.serverCode == "bad")
        #expect(error.attempts == 1)
        #expect(endpoint.requestCount == 1)
        try await endpoint.shutdown()
    }

    @Test func unknownModelIsAnHTTPErrorWithTheServersWords() async throws {
        let endpoint = try await ScriptedEndpoint.start(.perModel(["known": { _ in .completion(.init(content: "k")) }]))
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(endpoint).complete(Self.request(model: "unknown-adapter"))
        }
        #expect(error.status == 404)
        #expect(error.serverMessage?.contains("unknown-adapter") == true)
        try await endpoint.shutdown()
    }

    // MARK: faults, each classified

    @Test(arguments: [false, true])
    func resetMidBodyIsTruncatedAndRetried(stream: Bool) async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Self.sequence([.fault(.resetMidBody), .completion(.init(content: "second try"))]))
        let response = try await Self.client(endpoint).complete(Self.request(), stream: stream)
        #expect(response.content == "second try")
        #expect(response.attempts == 2)
        let failing = try await ScriptedEndpoint.start(Script(handler: { _ in .fault(.resetMidBody) }))
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(failing, retry: .none).complete(Self.request(), stream: stream)
        }
        #expect(error.kind == .truncated)
        try await endpoint.shutdown()
        try await failing.shutdown()
    }

    @Test(arguments: [false, true])
    func malformedBodyIsMalformedAndNotRetried(stream: Bool) async throws {
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .fault(.malformedJSON) }))
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(endpoint).complete(Self.request(), stream: stream)
        }
        #expect(error.kind == .malformed)
        #expect(error.status == 200)
        #expect(endpoint.requestCount == 1)
        #expect(!error.message.isEmpty)
        try await endpoint.shutdown()
    }

    @Test func truncatedStreamIsTruncated() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .fault(.truncatedSSE) }))
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(endpoint, retry: .none).complete(
                Self.request("a long enough prompt to need chunks"), stream: true)
        }
        #expect(error.kind == .truncated)
        try await endpoint.shutdown()
    }

    @Test func stallIsATimeout() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .fault(.stall) }))
        let timeouts = HTTPTimeouts(total: .milliseconds(250), connect: .seconds(5), idle: nil)
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(endpoint, retry: .none, timeouts: timeouts).complete(Self.request())
        }
        #expect(error.kind == .timeout)
        #expect(error.errorClass == "timeout_total")
        let idle = HTTPTimeouts(total: .seconds(30), connect: .seconds(5), idle: .milliseconds(250))
        let idleError = try await #require(throws: ChatError.self) {
            try await Self.client(endpoint, retry: .none, timeouts: idle).complete(Self.request(), stream: true)
        }
        #expect(idleError.errorClass == "timeout_idle")
        try await endpoint.shutdown()
    }

    @Test func slowTrickleStillCompletes() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in .fault(.slowTrickle(interval: .milliseconds(2))) }))
        let response = try await Self.client(endpoint).complete(Self.request("trickle"), stream: true)
        #expect(!response.content.isEmpty)
        #expect(response.finishReason != nil)
        try await endpoint.shutdown()
    }

    @Test func oversizedBodyIsTooLarge() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in .fault(.oversizedBody(bytes: 2_000_000)) }))
        let client = try Self.client(endpoint) { $0.maxResponseBytes = 1_000_000 }
        let error = try await #require(throws: ChatError.self) { try await client.complete(Self.request()) }
        #expect(error.kind == .tooLarge)
        #expect(endpoint.requestCount == 1)
        try await endpoint.shutdown()
    }

    @Test func refusedConnectionIsAConnectError() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let url = endpoint.baseURL
        try await endpoint.shutdown()
        let client = try ChatClient(
            endpoint: ChatEndpoint(baseURL: url), transport: Self.transport, retry: Self.quickRetry)
        let error = try await #require(throws: ChatError.self) { try await client.complete(Self.request()) }
        #expect(error.kind == .connect)
        #expect(error.attempts == 3)
    }

    @Test func cancellationIsClassified() async throws {
        let (arrived, signal) = AsyncStream<Void>.makeStream()
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in
                signal.yield()
                return .fault(.stall)
            }))
        let client = try Self.client(endpoint)
        let task = Task { try await client.complete(Self.request()) }
        var iterator = arrived.makeAsyncIterator()
        _ = await iterator.next()
        task.cancel()
        let result = await task.result
        guard case .failure(let error as ChatError) = result else {
            Issue.record("expected a ChatError, got \(result)")
            return
        }
        #expect(error.kind == .cancelled)
        #expect(error.attempts == 1)
        try await endpoint.shutdown()
    }

    @Test func cancellingAStreamingRequestIsCancelledNotTruncated() async throws {
        let (arrived, signal) = AsyncStream<Void>.makeStream()
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in
                signal.yield()
                return .fault(.slowTrickle(interval: .seconds(30)))
            }))
        let client = try Self.client(endpoint)
        let task = Task { try await client.complete(Self.request(), stream: true) }
        var iterator = arrived.makeAsyncIterator()
        _ = await iterator.next()
        task.cancel()
        let result = await task.result
        guard case .failure(let error as ChatError) = result else {
            Issue.record("expected a ChatError, got \(result)")
            return
        }
        #expect(error.kind == .cancelled)
        #expect(endpoint.requestCount == 1)
        try await endpoint.shutdown()
    }

    @Test func redirectsAndOtherNon2xxAreHTTPErrors() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in
                .status(302, body: "moved", headers: [("Location", "http://127.0.0.1:9/elsewhere")])
            }))
        for stream in [false, true] {
            let error = try await #require(throws: ChatError.self) {
                try await Self.client(endpoint).complete(Self.request(), stream: stream)
            }
            #expect(error.errorClass == "http_302")
            #expect(error.attempts == 1)
        }
        try await endpoint.shutdown()
    }

    @Test func aLoginPageInsteadOfAStreamIsMalformed() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in
                .status(
                    200, body: "<html><body>Please log in to the proxy</body></html>",
                    headers: [("Content-Type", "text/html")])
            }))
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(endpoint).complete(Self.request(), stream: true)
        }
        #expect(error.kind == .malformed)
        #expect(error.message.contains("text/html"))
        #expect(endpoint.requestCount == 1)
        try await endpoint.shutdown()
    }

    @Test func answersWithoutChoicesAreMalformed() async throws {
        let empty = #"{"id":"x","object":"chat.completion","model":"m","choices":[]}"#
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { request in
                request.stream
                    ? .status(200, body: "data: [DONE]\n\n", headers: [("Content-Type", "text/event-stream")])
                    : .status(200, body: empty, headers: [("Content-Type", "application/json")])
            }))
        for stream in [false, true] {
            let error = try await #require(throws: ChatError.self) {
                try await Self.client(endpoint).complete(Self.request(), stream: stream)
            }
            #expect(error.kind == .malformed)
            #expect(error.message.contains("choice"))
        }
        try await endpoint.shutdown()
    }

    @Test func otherEventTypesAreSkippedAndErrorEventsReported() async throws {
        let chunk =
            #"{"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}"#
        let withPing = ": keep-alive\n\nevent: ping\ndata: {}\n\ndata: \(chunk)\n\ndata: [DONE]\n\n"
        let withError = "event: error\ndata: {\"message\":\"upstream overloaded\"}\n\n"
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { request in
                .status(
                    200, body: request.lastUserText == "error" ? withError : withPing,
                    headers: [("Content-Type", "text/event-stream")])
            }))
        let response = try await Self.client(endpoint).complete(Self.request("ping"), stream: true)
        #expect(response.content == "hi")
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(endpoint).complete(Self.request("error"), stream: true)
        }
        #expect(error.kind == .malformed)
        #expect(error.serverMessage?.contains("upstream overloaded") == true)
        try await endpoint.shutdown()
    }

    @Test func baseURLWithAQueryAndSpecialCharacters() async throws {
        let seen = Mutex<ScriptedRequest?>(nil)
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { request in
                seen.withLock { $0 = request }
                return .completion(.init(content: "ok"))
            }))
        let client = try Self.client(endpoint) { settings in
            settings.baseURL = endpoint.baseURL + "/?tenant=a"
            settings.queryItems = ["sig": "a+b&c", "api-version": "1"]
        }
        _ = try await client.complete(Self.request())
        let request = try #require(seen.withLock { $0 })
        #expect(request.path == "/v1/chat/completions")
        #expect(request.query == "tenant=a&api-version=1&sig=a%2Bb%26c")
        try await endpoint.shutdown()
    }

    // MARK: configuration and secrets

    @Test func missingKeyVariableIsNamedNotGuessed() throws {
        let error = try #require(throws: ChatError.self) {
            try ChatClient(
                endpoint: ChatEndpoint(baseURL: "http://127.0.0.1:9/v1", apiKeyEnvironmentVariable: "NOPE_KEY"),
                transport: Self.transport, environment: [:])
        }
        #expect(error.kind == .invalidRequest)
        #expect(error.message.contains("NOPE_KEY"))
    }

    @Test func keyVariablesAreTrimmedAndControlCharactersRefused() async throws {
        let seen = Mutex<ScriptedRequest?>(nil)
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { request in
                seen.withLock { $0 = request }
                return .completion(.init(content: "ok"))
            }))
        let settings = ChatEndpoint(baseURL: endpoint.baseURL, apiKeyEnvironmentVariable: "K")
        let trimmed = try ChatClient(endpoint: settings, transport: Self.transport, environment: ["K": " sk-abc123\n"])
        _ = try await trimmed.complete(Self.request())
        #expect(seen.withLock { $0 }?.header("authorization") == "Bearer sk-abc123")
        let error = try #require(throws: ChatError.self) {
            try ChatClient(endpoint: settings, transport: Self.transport, environment: ["K": "sk-a\r\nX-Injected: 1"])
        }
        #expect(error.kind == .invalidRequest)
        #expect(error.message.contains("control character"))
        #expect(!error.message.contains("sk-a"))
        try await endpoint.shutdown()
    }

    @Test(arguments: ["localhost:8000/v1", "ftp://host/v1", "", "http://"])
    func unusableBaseURLsAreRefused(url: String) throws {
        let error = try #require(throws: ChatError.self) {
            try ChatClient(endpoint: ChatEndpoint(baseURL: url), transport: Self.transport, environment: [:])
        }
        #expect(error.kind == .invalidRequest)
    }

    @Test func displayURLDropsCredentials() {
        let endpoint = ChatEndpoint(baseURL: "https://user:hunter2@example.com/v1?api-key=abc123")
        #expect(!endpoint.displayURL.contains("hunter2"))
        #expect(!endpoint.displayURL.contains("abc123"))
        #expect(endpoint.displayURL.contains("example.com/v1"))
    }

    @Test func theKeyNeverAppearsInAnyError() async throws {
        // A server that echoes the key back in its error message, as some proxies do.
        let echoKey =
            #"{"error":{"message":"Incorrect API key provided: \#(Self.secret) and azure-\#(Self.secret)","type":"invalid_request_error"}}"#
        let faults: [ScriptedReply] = [
            .status(401, body: echoKey), .status(500, body: "upstream said Bearer \(Self.secret)"),
            .fault(.rateLimited(retryAfter: nil, retryAfterMs: "1")), .fault(.serverError(status: 503)),
            .fault(.resetMidBody),
            .fault(.malformedJSON), .fault(.truncatedSSE), .fault(.oversizedBody(bytes: 2_000_000)), .fault(.stall),
            .status(200, body: "not json \(Self.secret)"),
            // The key straddles the 200- and 500-character clipping points of error messages.
            .status(200, body: String(repeating: "x", count: 190) + Self.secret),
            .status(500, body: String(repeating: "y", count: 490) + Self.secret),
            .status(
                429, body: #"{"error":{"message":"slow down","type":"\#(Self.secret)","code":"\#(Self.secret)"}}"#,
                headers: [("x-request-id", Self.secret)]),
        ]
        for fault in faults {
            let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in fault }))
            for stream in [false, true] {
                let client = try Self.client(
                    endpoint, timeouts: HTTPTimeouts(total: .milliseconds(300), connect: .seconds(5), idle: nil)
                ) {
                    $0.secretHeaders = ["api-key": "AZURE_KEY"]
                    $0.maxResponseBytes = 1_000_000
                }
                let error = try await #require(throws: ChatError.self) {
                    try await client.complete(Self.request(), stream: stream)
                }
                let texts = [
                    error.description, error.message, error.serverMessage ?? "", error.serverType ?? "",
                    error.serverCode ?? "",
                    error.requestID ?? "", String(describing: error), String(reflecting: error),
                    String(describing: error.responseHeaders?.fields ?? []),
                ]
                for text in texts {
                    #expect(!text.contains(Self.secret), "secret leaked in \(error.errorClass): \(text)")
                }
            }
            try await endpoint.shutdown()
        }
    }
}

/// A server faster than its reader: every piece of an endless body is already there, nothing ever fails on the
/// transport's side. Only the client's own deadline can end the request.
private struct EndlessBacklogTransport: HTTPTransport {
    let contentType: String
    let piece: Data

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw TransportError(kind: .other, message: "not used")
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamResponse {
        let piece = self.piece
        let body = AsyncThrowingStream<Data, any Error>(unfolding: { piece })
        return HTTPStreamResponse(
            head: HTTPResponseHead(status: 200, headers: HTTPHeaders([("Content-Type", contentType)])),
            body: body, timeToHead: .zero)
    }
}

extension ChatClientTests {
    /// `timeout` is the wall time of the whole request, a stream included: a body that never ends and never
    /// pauses (so neither libcurl's clock on a backlog nor the idle timeout ends it) is cut at the total timeout.
    @Test(arguments: [
        (
            "text/event-stream",
            #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"aaaa"}}]}"#
                + "\n\n"
        ),
        ("application/json", String(repeating: "a", count: 4096)),
    ])
    func anEndlessFastStreamIsCutAtTheTotalTimeout(contentType: String, piece: String) async throws {
        let endpoint = ChatEndpoint(
            baseURL: "http://127.0.0.1:9/v1",
            timeouts: HTTPTimeouts(total: .milliseconds(200), connect: .seconds(5), idle: .seconds(60)),
            maxResponseBytes: 1 << 30)
        let transport = EndlessBacklogTransport(contentType: contentType, piece: Data(piece.utf8))
        let client = try ChatClient(endpoint: endpoint, transport: transport, retry: .none, environment: [:])
        let error = try await #require(throws: ChatError.self) {
            try await client.complete(Self.request(), stream: true)
        }
        #expect(error.errorClass == "timeout_total", "\(error)")
        #expect(error.message.contains("total timeout of 200 ms"), "\(error)")
    }

    /// The same against the scripted endpoint's endless stream, through libcurl.
    @Test(arguments: [true, false])
    func theScriptedEndlessStreamEndsAtTheTotalTimeout(stream: Bool) async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script { _ in .fault(.endlessStream(interval: .milliseconds(1))) })
        defer { Task { try? await endpoint.shutdown() } }
        let timeouts = HTTPTimeouts(total: .milliseconds(300), connect: .seconds(5), idle: .seconds(60))
        let client = try Self.client(endpoint, retry: .none, timeouts: timeouts) { $0.maxResponseBytes = 1 << 30 }
        let error = try await #require(throws: ChatError.self) {
            try await client.complete(Self.request(), stream: stream)
        }
        #expect(error.errorClass == "timeout_total", "\(error)")
    }
}

extension ChatClientTests {
    /// A 200 whose JSON stops short is a body cut on its way: `truncated`, retried as the reference client retries
    /// a body it could not read whole; the retry that gets a whole answer wins.
    @Test(arguments: [false, true])
    func aBodyCutShortIsTruncatedAndRetried(stream: Bool) async throws {
        let endpoint = try await ScriptedEndpoint.start(Self.sequence([.fault(.truncatedJSON), .text("whole")]))
        defer { Task { try? await endpoint.shutdown() } }
        let response = try await Self.client(endpoint).complete(Self.request(), stream: stream)
        #expect(response.content == "whole")
        #expect(response.attempts == 2)

        let always = try await ScriptedEndpoint.start(Script { _ in .fault(.truncatedJSON) })
        defer { Task { try? await always.shutdown() } }
        let error = try await #require(throws: ChatError.self) {
            try await Self.client(always).complete(Self.request(), stream: stream)
        }
        #expect(error.errorClass == "truncated", "\(error)")
        #expect(error.message.contains("ended before its JSON was complete"))
        #expect(error.status == 200)
        #expect(always.requestCount == 3, "every attempt was used")
    }

    @Test(arguments: [
        ("{\"a\":1", true), ("[1,2", true), ("{\"a\":\"unterminated", true), ("  {", true),
        ("{\"a\":1}", false), ("{\"a\":1,,}", false), ("not json", false), ("", false), ("{\"a\":1} trailing", false),
    ])
    func onlyJSONThatStopsShortCountsAsCut(body: String, cut: Bool) {
        #expect(ChatClient.endsBeforeItsJSON(Data(body.utf8)) == cut)
    }
}
