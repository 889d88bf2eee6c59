import EvalCore
public import Foundation
public import Transport

/// One answer from a chat-completions endpoint, with what a run log needs to know about how it came.
public struct ChatResponse: Sendable, Hashable {
    public var completion: CompletionResult
    public var status: Int
    /// The server's request id (`x-request-id`, or the id of the completion when the header is absent).
    public var requestID: String?
    /// The successful attempt, from sending to the last byte.
    public var latency: Duration
    /// Streaming only: from sending to the first piece of content (text, refusal or tool call).
    public var timeToFirstToken: Duration?
    /// Every attempt and every wait between them.
    public var totalDuration: Duration
    public var attempts: Int
    public var streamed: Bool
    /// Attempts before the successful one that the server refused with 429: a sign to slow down.
    public var rateLimitedAttempts: Int = 0

    public var content: String { completion.content }
    public var finishReason: String? { completion.finishReason }
    public var usage: TokenUsage? { completion.usage }
    /// The model name the server echoed.
    public var model: String? { completion.model }
}

/// A client for any OpenAI-compatible `POST {base}/chat/completions` and `GET {base}/models`.
///
/// It retries connection failures, timeouts, 408, 409, 429 and 5xx as the official OpenAI client does (see
/// `RetryPolicy`), and turns every failure into a classified `ChatError` whose text never contains a secret.
public struct ChatClient: Sendable {
    public let endpoint: ChatEndpoint
    public let retry: RetryPolicy
    private let transport: any HTTPTransport
    private let authHeaders: HTTPHeaders
    /// The secret query items' values, read from their variables.
    private let secretQuery: [String: String]
    private let secrets: [String]

    /// - Parameter environment: where the API-key variables named by the endpoint are read.
    public init(
        endpoint: ChatEndpoint,
        transport: any HTTPTransport,
        retry: RetryPolicy = RetryPolicy(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ChatError) {
        try endpoint.validate()
        var headers = HTTPHeaders()
        var secrets: [String] = []
        func read(_ variable: String, for use: String) throws(ChatError) -> String {
            // A key pasted where its variable's name belongs must not be echoed back in the error.
            guard Self.isVariableName(variable) else {
                throw ChatError(
                    kind: .invalidRequest,
                    message:
                        "\(use): expected the name of an environment variable (letters, digits and _, e.g. OPENAI_API_KEY), found something else (\(variable.count) characters, not shown: it may be the secret itself)"
                )
            }
            let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !value.isEmpty else {
                throw ChatError(
                    kind: .invalidRequest,
                    message: "environment variable \(variable) (\(use)) is not set or empty"
                )
            }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw ChatError(
                    kind: .invalidRequest,
                    message:
                        "environment variable \(variable) (\(use)) contains a control character such as a line break"
                )
            }
            return value
        }
        if let variable = endpoint.apiKeyEnvironmentVariable {
            let key = try read(variable, for: "API key")
            headers.set("Authorization", "Bearer \(key)")
            secrets.append(key)
        }
        for (name, variable) in endpoint.secretHeaders.sorted(by: { $0.key < $1.key }) {
            let value = try read(variable, for: "header \(name)")
            headers.set(name, value)
            secrets.append(value)
        }
        var secretQuery: [String: String] = [:]
        for (name, variable) in endpoint.secretQueryItems.sorted(by: { $0.key < $1.key }) {
            let value = try read(variable, for: "query item \(name)")
            secretQuery[name] = value
            secrets.append(value)
            // As it travels in the URL, should a message quote the URL.
            if let encoded = value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed), encoded != value {
                secrets.append(encoded)
            }
        }
        for (name, value) in endpoint.headers.sorted(by: { $0.key < $1.key }) where headers[name] == nil {
            headers.set(name, value)
        }
        self.endpoint = endpoint
        self.retry = retry
        self.transport = transport
        self.authHeaders = headers
        self.secretQuery = secretQuery
        // A server may echo a secret JSON-escaped ("/" as "\/"): redact that spelling too.
        let spellings =
            secrets + secrets.filter { $0.contains("/") }.map { $0.replacingOccurrences(of: "/", with: "\\/") }
        // Longest first, so a secret that contains another is replaced whole.
        self.secrets = spellings.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    // MARK: chat completions

    /// Sends one chat-completions request, retrying as the policy allows.
    public func complete(_ request: ChatRequest, stream: Bool = false) async throws(ChatError) -> ChatResponse {
        let body: Data
        do {
            body = try request.encodedBody(stream: stream)
        } catch {
            throw ChatError(kind: .invalidRequest, message: "could not encode the request: \(error)")
        }
        var headers = authHeaders
        headers.set("Content-Type", "application/json")
        headers.set("Accept", stream ? "text/event-stream" : "application/json")
        let http = HTTPRequest(
            method: .post,
            url: endpoint.url("/chat/completions", secretQuery: secretQuery),
            headers: headers,
            body: body,
            timeouts: endpoint.timeouts,
            maxResponseBytes: endpoint.maxResponseBytes
        )
        let started = ContinuousClock.now
        let (response, attempts, rateLimited) = try await withRetries { () async throws(ChatError) -> ChatResponse in
            stream ? try await streamingAttempt(http) : try await bufferedAttempt(http)
        }
        var result = response
        result.completion = redacted(response.completion)
        result.attempts = attempts
        result.rateLimitedAttempts = rateLimited
        result.totalDuration = ContinuousClock.now - started
        return result
    }

    /// The model ids the server lists at `GET {base}/models`.
    public func models() async throws(ChatError) -> [String] {
        let http = HTTPRequest(
            method: .get,
            url: endpoint.url("/models", secretQuery: secretQuery),
            headers: authHeaders,
            timeouts: endpoint.timeouts,
            maxResponseBytes: endpoint.maxResponseBytes
        )
        let (ids, _, _) = try await withRetries { () async throws(ChatError) -> [String] in
            let response = try await send(http)
            try checkStatus(response.head, body: response.body)
            guard let json = try? JSONValue.parse(response.body), let data = json["data"]?.arrayValue else {
                throw ChatError(
                    kind: .malformed,
                    message: "expected a JSON object with a \"data\" array of models, found \(preview(response.body))",
                    status: response.status,
                    requestID: response.headers["x-request-id"].map(redact)
                )
            }
            return data.compactMap { $0["id"]?.stringValue }
        }
        return ids
    }

    // MARK: attempts

    private func bufferedAttempt(_ http: HTTPRequest) async throws(ChatError) -> ChatResponse {
        let response = try await send(http)
        let requestID = response.headers["x-request-id"].map(redact)
        try checkStatus(response.head, body: response.body)
        let completion = try decodeWhole(response.body, status: response.status, requestID: requestID)
        return ChatResponse(
            completion: completion,
            status: response.status,
            requestID: requestID ?? completion.id,
            latency: response.totalTime,
            timeToFirstToken: nil,
            totalDuration: response.totalTime,
            attempts: 1,
            streamed: false
        )
    }

    /// The total timeout bounds a whole streamed request, as it bounds a plain one. libcurl enforces it on its side,
    /// but a stream faster than its reader leaves pieces buffered that would be read first: an endless fast stream
    /// must end at the deadline, not when the backlog is drained.
    private func checkTotalTimeout(since started: ContinuousClock.Instant) throws(TransportError) {
        guard let total = endpoint.timeouts.total, ContinuousClock.now - started >= total else { return }
        throw TransportError(
            kind: .totalTimeout,
            message:
                "the request took longer than its total timeout of \(Int64((total / .milliseconds(1)).rounded())) ms")
    }

    private func streamingAttempt(_ http: HTTPRequest) async throws(ChatError) -> ChatResponse {
        let started = ContinuousClock.now
        let response: HTTPStreamResponse
        do {
            response = try await transport.stream(http)
        } catch {
            throw classify(error)
        }
        let requestID = response.headers["x-request-id"].map(redact)
        let contentType = response.headers["Content-Type"]?.lowercased() ?? ""
        if !(200..<300).contains(response.status) || contentType.hasPrefix("application/json") {
            // An error status, or a server that ignored `stream: true` and answered in one piece (accepted).
            var body = Data()
            var failure: (any Error)?
            do {
                for try await piece in response.body {
                    try checkTotalTimeout(since: started)
                    body.append(piece)
                }
            } catch {
                failure = error
            }
            try checkCancellation(status: response.status, requestID: requestID)
            // For an error status a cut body only loses the server's message; the status is what matters.
            try checkStatus(response.head, body: body)
            if let failure { throw classify(failure, status: response.status, requestID: requestID) }
            let completion = try decodeWhole(body, status: response.status, requestID: requestID)
            let elapsed = ContinuousClock.now - started
            return ChatResponse(
                completion: completion, status: response.status, requestID: requestID ?? completion.id,
                latency: elapsed, timeToFirstToken: nil, totalDuration: elapsed, attempts: 1, streamed: false
            )
        }

        var parser = SSEParser()
        var accumulator = StreamAccumulator()
        var firstToken: Duration?
        func consume(_ events: [SSEEvent]) throws(ChatError) {
            for event in events where !accumulator.sawDone {
                switch event.type {
                case "message":
                    do {
                        _ = try accumulator.consume(eventData: event.data)
                    } catch {
                        let message = wireFailureMessage(error, input: event.data) { clean in
                            var scratch = StreamAccumulator()
                            do { _ = try scratch.consume(eventData: clean) } catch { return error }
                            return nil
                        }
                        throw ChatError(
                            kind: .malformed, message: message, status: response.status, requestID: requestID)
                    }
                    if firstToken == nil, accumulator.sawFirstContent { firstToken = ContinuousClock.now - started }
                case "error":
                    // Some servers report a failure inside the stream as `event: error`.
                    throw ChatError(
                        kind: .malformed,
                        message: "the stream carried an error event",
                        status: response.status,
                        serverMessage: redactThenClip(event.data, limit: 500),
                        requestID: requestID
                    )
                default:
                    continue  // keep-alive pings and other event types carry no chunk
                }
            }
        }
        do {
            for try await piece in response.body {
                try checkTotalTimeout(since: started)
                try consume(parser.feed(piece))
                if accumulator.sawDone { break }
            }
            try consume(parser.finish())
        } catch let error as ChatError {
            throw error
        } catch {
            throw classify(error, status: response.status, requestID: requestID)
        }
        // A cancelled consumer sees the body end early without an error: that is a cancellation, not a cut stream.
        try checkCancellation(status: response.status, requestID: requestID)
        if accumulator.chunkCount == 0 && !accumulator.sawDone && !contentType.hasPrefix("text/event-stream") {
            throw ChatError(
                kind: .malformed,
                message:
                    "expected a text/event-stream of chat-completion chunks, found Content-Type '\(contentType)' with no events",
                status: response.status,
                requestID: requestID
            )
        }
        let completion = accumulator.result()
        let complete =
            accumulator.sawDone
            || (!completion.choices.isEmpty && completion.choices.allSatisfy { $0.finishReason != nil })
        guard complete else {
            throw ChatError(
                kind: .truncated,
                message:
                    "the stream ended before it was complete: no finish reason and no [DONE] after \(completion.content.utf8.count) bytes of content",
                status: response.status,
                requestID: requestID
            )
        }
        guard !completion.choices.isEmpty else {
            throw ChatError(
                kind: .malformed,
                message: "the stream ended with [DONE] but carried no choices",
                status: response.status,
                requestID: requestID
            )
        }
        let elapsed = ContinuousClock.now - started
        return ChatResponse(
            completion: completion,
            status: response.status,
            requestID: requestID ?? completion.id,
            latency: elapsed,
            timeToFirstToken: firstToken,
            totalDuration: elapsed,
            attempts: 1,
            streamed: true
        )
    }

    private func send(_ http: HTTPRequest) async throws(ChatError) -> HTTPResponse {
        do {
            return try await transport.send(http)
        } catch {
            throw classify(error)
        }
    }

    /// A whole chat-completion body: decoded, with at least one choice.
    private func decodeWhole(_ body: Data, status: Int, requestID: String?) throws(ChatError) -> CompletionResult {
        let completion: CompletionResult
        do {
            completion = try ChatWire.decodeCompletion(body)
        } catch {
            if Self.endsBeforeItsJSON(body) {
                // JSON that stops short is a body cut on its way (a proxy, a dying server): a connection failure,
                // retried like one, as the reference client retries a body it could not read whole. A whole body
                // that is wrong stays `malformed`, never retried.
                throw ChatError(
                    kind: .truncated,
                    message: "the body ended before its JSON was complete (\(body.count) bytes): cut on its way",
                    status: status, requestID: requestID)
            }
            let text = String(decoding: body, as: UTF8.self)
            let message = wireFailureMessage(error, input: text) { clean in
                do { _ = try ChatWire.decodeCompletion(Data(clean.utf8)) } catch { return error }
                return nil
            }
            throw ChatError(kind: .malformed, message: message, status: status, requestID: requestID)
        }
        guard !completion.choices.isEmpty else {
            throw ChatError(
                kind: .malformed,
                message: "expected at least one choice in the completion, found \"choices\": []",
                status: status,
                requestID: requestID
            )
        }
        return completion
    }

    /// True when `body` is the start of a JSON value that stops before its end: the parser ran out of input.
    static func endsBeforeItsJSON(_ body: Data) -> Bool {
        let bytes = [UInt8](body)
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            bytes[first] == UInt8(ascii: "{") || bytes[first] == UInt8(ascii: "[")
        else { return false }
        do {
            _ = try JSONValue.parse(bytes)
            return false
        } catch {
            return error.offset >= bytes.count
        }
    }

    /// The message of a decoding failure. It quotes a clipped part of the input; when the input holds a secret,
    /// the message is made again from a redacted copy, so a secret cut in half by the clipping cannot leak.
    private func wireFailureMessage(_ error: any Error, input: String, redo: (String) -> (any Error)?) -> String {
        guard containsSecret(input) else { return redact(Self.describe(error)) }
        let again = redo(redact(input)) ?? error
        return redact(Self.describe(again))
    }

    private func checkCancellation(status: Int?, requestID: String?) throws(ChatError) {
        if Task.isCancelled {
            throw ChatError(kind: .cancelled, message: "request cancelled", status: status, requestID: requestID)
        }
    }

    // MARK: retries

    /// Runs `attempt` until it succeeds, fails for good, or the policy's attempts are spent.
    /// Returns the value and the number of attempts made.
    /// Runs `attempt` until it succeeds or the policy stops retrying; returns the value, the attempts made and how
    /// many of the failed ones were 429s.
    private func withRetries<T>(_ attempt: () async throws(ChatError) -> T) async throws(ChatError) -> (T, Int, Int) {
        var generator = SystemRandomNumberGenerator()
        var attemptNumber = 0
        var rateLimited = 0
        while true {
            attemptNumber += 1
            do {
                return (try await attempt(), attemptNumber, rateLimited)
            } catch {
                var failure = error
                failure.attempts = attemptNumber
                failure.message = redact(failure.message)
                failure.serverMessage = failure.serverMessage.map(redact)
                failure.serverType = failure.serverType.map(redact)
                failure.serverCode = failure.serverCode.map(redact)
                failure.requestID = failure.requestID.map(redact)
                failure.responseHeaders = failure.responseHeaders.map { headers in
                    HTTPHeaders(headers.fields.map { ($0.name, redact($0.value)) })
                }
                if Task.isCancelled && failure.kind != .cancelled {
                    failure = ChatError(kind: .cancelled, message: "request cancelled", attempts: attemptNumber)
                }
                if failure.kind == .http && failure.status == 429 { rateLimited += 1 }
                guard attemptNumber < retry.maxAttempts, shouldRetry(failure) else { throw failure }
                let delay = retry.delay(
                    beforeRetry: attemptNumber - 1,
                    headers: failure.responseHeaders,
                    now: Date(),
                    using: &generator
                )
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw ChatError(
                        kind: .cancelled, message: "cancelled while waiting to retry", attempts: attemptNumber)
                }
            }
        }
    }

    private func shouldRetry(_ error: ChatError) -> Bool {
        switch error.kind {
        case .http:
            return retry.shouldRetry(
                status: error.status ?? 0, headers: error.responseHeaders ?? HTTPHeaders(), now: Date())
        case .connect, .timeout, .truncated:
            if let transportKind = error.transportKind {
                return retry.shouldRetry(error: TransportError(kind: transportKind, message: error.message))
            }
            // A stream that ended early without a transport error: the connection was closed under it.
            return error.kind == .truncated
        case .malformed, .cancelled, .tooLarge, .invalidRequest:
            return false
        }
    }

    // MARK: errors

    private func checkStatus(_ head: HTTPResponseHead, body: Data) throws(ChatError) {
        guard !(200..<300).contains(head.status) else { return }
        let details = ServerErrorBody(redact(String(decoding: body, as: UTF8.self)))
        var error = ChatError(
            kind: .http,
            message: "HTTP \(head.status)"
                + (head.status == 404 ? endpoint.missingVersionHint.map { " (\($0))" } ?? "" : ""),
            status: head.status,
            serverMessage: details.message,
            serverType: details.type.map(redact),
            serverCode: details.code.map(redact),
            requestID: head.headers["x-request-id"].map(redact)
        )
        error.responseHeaders = head.headers
        throw error
    }

    private func classify(_ error: any Error, status: Int? = nil, requestID: String? = nil) -> ChatError {
        if let chat = error as? ChatError { return chat }
        if let transport = error as? TransportError {
            var result = ChatError(transport)
            result.message = redact(result.message)
            result.status = status
            result.requestID = requestID
            return result
        }
        if error is CancellationError {
            return ChatError(kind: .cancelled, message: "request cancelled", status: status, requestID: requestID)
        }
        return ChatError(kind: .connect, message: redact("\(error)"), status: status, requestID: requestID)
    }

    /// The answer with every secret this client knows replaced, in every text the server chose: a server may echo
    /// the key or a secret header or query value, and whatever uses the answer (a run log, the cache, `chat`'s
    /// output) must not keep it.
    private func redacted(_ completion: CompletionResult) -> CompletionResult {
        guard !secrets.isEmpty else { return completion }
        var clean = completion
        clean.id = completion.id.map(redact)
        clean.model = completion.model.map(redact)
        clean.systemFingerprint = completion.systemFingerprint.map(redact)
        for index in clean.choices.indices {
            clean.choices[index].content = redact(clean.choices[index].content)
            clean.choices[index].refusal = clean.choices[index].refusal.map(redact)
            clean.choices[index].finishReason = clean.choices[index].finishReason.map(redact)
            for call in clean.choices[index].toolCalls.indices {
                clean.choices[index].toolCalls[call].id = clean.choices[index].toolCalls[call].id.map(redact)
                clean.choices[index].toolCalls[call].name = clean.choices[index].toolCalls[call].name.map(redact)
                clean.choices[index].toolCalls[call].arguments = redact(clean.choices[index].toolCalls[call].arguments)
            }
        }
        return clean
    }

    /// `NAME`, `OPENAI_API_KEY`: what an environment variable's name looks like (a key such as `sk-…` does not).
    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first,
            first == "_" || ("A"..."Z").contains(first) || ("a"..."z").contains(first)
        else {
            return false
        }
        return text.unicodeScalars.allSatisfy {
            $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }
    }

    /// Replaces every secret this client knows (the API key, secret header and query values) with `[REDACTED]`:
    /// for anything written from what a server sent, which may echo them.
    public func redact(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: "[REDACTED]")
        }
        return text
    }

    private func containsSecret(_ text: String) -> Bool {
        secrets.contains { text.contains($0) }
    }

    /// Redacts the whole text first, then clips it: clipping first could cut a secret in half and leak its start.
    private func redactThenClip(_ text: String, limit: Int) -> String {
        let clean = redact(text)
        return clean.count > limit ? String(clean.prefix(limit)) + "…" : clean
    }

    static func describe(_ error: any Error) -> String {
        if let wire = error as? WireError, case .malformed(let message) = wire { return message }
        return "\(error)"
    }

    /// The start of a body for an error message: redacted, at most 200 characters, on one line.
    func preview(_ body: Data) -> String {
        if body.isEmpty { return "an empty body" }
        let text = redactThenClip(String(decoding: body, as: UTF8.self), limit: 200)
            .replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
        return "'\(text)'"
    }
}

/// The error body of an HTTP error, in the shapes servers use: OpenAI's `{"error": {"message", "type", "code"}}`,
/// `{"error": "text"}` (Ollama, llama.cpp), `{"detail": ...}` (FastAPI-based servers such as vLLM's validation
/// errors), `{"message": "text"}`, or plain text.
struct ServerErrorBody {
    var message: String?
    var type: String?
    var code: String?

    /// - Parameter body: the body as text, already redacted.
    init(_ body: String) {
        guard !body.isEmpty else { return }
        if let json = try? JSONValue.parse(body) {
            let error = json["error"]
            if let object = error?.objectValue {
                message = object["message"]?.stringValue
                type = object["type"]?.stringValue
                code = object["code"]?.stringValue ?? object["code"]?.intValue.map { String($0) }
            } else if let text = error?.stringValue {
                message = text
            } else if let detail = json["detail"] {
                message = detail.stringValue ?? String(decoding: detail.canonicalData(), as: UTF8.self)
            } else if let text = json["message"]?.stringValue {
                message = text
            }
        } else {
            message = body.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let current = message, current.count > 500 { message = String(current.prefix(500)) + "…" }
    }
}
