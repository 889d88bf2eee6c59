/// One tool call of an assistant answer (`choices[0].message.tool_calls[i]`).
public struct ScriptedToolCall: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The function arguments as the JSON text the model produced (sent as a JSON string, as OpenAI does).
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A successful assistant answer, sent as a `chat.completion` or, when the request asked for it, as a stream of
/// `chat.completion.chunk` events.
public struct ScriptedCompletion: Sendable, Hashable {
    public var content: String
    public var finishReason: String
    /// The model echoed in the response; nil echoes the requested model.
    public var model: String?
    /// `usage.prompt_tokens`; nil counts about 4 characters per token over the text of the request's messages.
    public var promptTokens: Int?
    /// `usage.completion_tokens`; nil counts about 4 characters per token over the content and tool-call arguments.
    public var completionTokens: Int?
    public var toolCalls: [ScriptedToolCall]
    /// `system_fingerprint` of a plain (non-streamed) answer; nil leaves it out.
    public var systemFingerprint: String?

    /// - Parameter finishReason: nil means `"tool_calls"` when there are tool calls, else `"stop"`.
    public init(
        content: String,
        finishReason: String? = nil,
        model: String? = nil,
        promptTokens: Int? = nil,
        completionTokens: Int? = nil,
        toolCalls: [ScriptedToolCall] = [],
        systemFingerprint: String? = nil
    ) {
        self.content = content
        self.finishReason = finishReason ?? (toolCalls.isEmpty ? "stop" : "tool_calls")
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.toolCalls = toolCalls
        self.systemFingerprint = systemFingerprint
    }
}

/// A misbehaviour of the endpoint, for testing how a client copes.
///
/// Faults that need an answer to mangle (`resetMidBody`, `malformedJSON`, `truncatedSSE`, `slowTrickle`) use
/// ``fillerContent`` as the assistant's content. Each fault answers a streaming request as a stream and a plain
/// request with a JSON body, unless its case says otherwise.
public enum ScriptedFault: Sendable, Hashable {
    /// 429 with `retry-after` / `retry-after-ms` headers (when not nil) and an OpenAI `rate_limit_error` body.
    case rateLimited(retryAfter: String? = "1", retryAfterMs: String? = nil)
    /// The given status (500, 503, ...) with an OpenAI `server_error` body.
    case serverError(status: Int)
    /// Sends the head (with the full `content-length`, or chunked for a stream) and about half of the body, then
    /// resets the connection (SO_LINGER 0, so the client sees ECONNRESET or an early EOF).
    case resetMidBody
    /// Reads the request and never answers; the connection stays open until the client goes away or the endpoint
    /// shuts down. Later requests on that connection are ignored too.
    case stall
    /// 200 with a whole body that is not valid JSON (a comma missing in the middle); for a stream, one `data:` event
    /// that is not JSON between valid ones.
    case malformedJSON
    /// 200 with a body whose `content-length` matches what is sent, but whose JSON stops halfway (a body cut by a
    /// proxy or a dying server), for a plain and a streaming request alike.
    case truncatedJSON
    /// A stream: the role chunk and about half of the content chunks, then the end of the chunked body and a closed
    /// connection, with no finish reason and no `data: [DONE]`. A plain request gets about half of its
    /// `content-length` and then an orderly close (FIN, not a reset).
    case truncatedSSE
    /// Answers normally, but in pieces: each SSE event (a stream) or each ``tricklePieceBytes``-byte piece of the
    /// body (a plain answer) is a separate write. The head goes with the first piece; each further piece follows
    /// `interval` after the one before.
    case slowTrickle(interval: Duration)
    /// 200 with a well-formed completion body of exactly `bytes` bytes (its content is `a` repeated; a body smaller
    /// than a minimal completion is `bytes` bytes of `a`). A stream carries one content delta of `bytes` characters.
    case oversizedBody(bytes: Int)
    /// 200 and a body that never ends: a stream of content deltas (a plain request: a JSON body whose content string
    /// never closes), ``endlessPieceBytes`` bytes every `interval`, until the client goes away. What a total
    /// timeout must cut.
    case endlessStream(interval: Duration)

    /// The assistant content of the faults that mangle an otherwise normal answer.
    public static let fillerContent =
        "This answer comes from a scripted fault: the quick brown fox jumps over the lazy dog."

    /// The size of the pieces in which ``slowTrickle(interval:)`` sends a non-streaming body.
    public static let tricklePieceBytes = 32

    /// The bytes ``endlessStream(interval:)`` writes each time.
    public static let endlessPieceBytes = 16 * 1024

    /// The request header that asks for a fault, overriding the script: ``headerName`` `: <name>[;arg]`.
    ///
    /// | value | fault |
    /// |---|---|
    /// | `rate_limited[;<retry-after>]` | ``rateLimited(retryAfter:retryAfterMs:)`` (default retry-after `1`) |
    /// | `server_error_500`, `server_error_503` | ``serverError(status:)`` |
    /// | `server_error;<status>` | ``serverError(status:)`` with any status |
    /// | `reset_mid_body` | ``resetMidBody`` |
    /// | `stall` | ``stall`` |
    /// | `malformed_json` | ``malformedJSON`` |
    /// | `truncated_json` | ``truncatedJSON`` |
    /// | `truncated_sse` | ``truncatedSSE`` |
    /// | `slow_trickle[;<milliseconds>]` | ``slowTrickle(interval:)`` (default 100 ms) |
    /// | `oversized_body[;<bytes>]` | ``oversizedBody(bytes:)`` (default 1 MiB) |
    /// | `endless_stream[;<milliseconds>]` | ``endlessStream(interval:)`` (default 1 ms) |
    ///
    /// An unknown value is answered with 400 and an OpenAI error body.
    public static let headerName = "x-scripted-fault"

    /// Parses the value of the ``headerName`` header; nil when it names no fault.
    public init?(headerValue: String) {
        let parts = headerValue.split(separator: ";", maxSplits: 1).map { $0.trimmingSpaces() }
        guard let name = parts.first else { return nil }
        let argument = parts.count > 1 ? parts[1] : nil
        switch name.lowercased() {
        case "rate_limited":
            self = .rateLimited(retryAfter: argument ?? "1")
        case "server_error_500":
            self = .serverError(status: 500)
        case "server_error_503":
            self = .serverError(status: 503)
        case "server_error":
            guard let status = argument.flatMap({ Int($0) }), (100...999).contains(status) else { return nil }
            self = .serverError(status: status)
        case "reset_mid_body":
            self = .resetMidBody
        case "stall":
            self = .stall
        case "malformed_json":
            self = .malformedJSON
        case "truncated_json":
            self = .truncatedJSON
        case "truncated_sse":
            self = .truncatedSSE
        case "slow_trickle":
            guard let milliseconds = argument.map({ Int($0) }) ?? 100, milliseconds >= 0 else { return nil }
            self = .slowTrickle(interval: .milliseconds(milliseconds))
        case "endless_stream":
            guard let milliseconds = argument.map({ Int($0) }) ?? 1, milliseconds >= 0 else { return nil }
            self = .endlessStream(interval: .milliseconds(milliseconds))
        case "oversized_body":
            guard let bytes = argument.map({ Int($0) }) ?? 1 << 20, bytes >= 0 else { return nil }
            self = .oversizedBody(bytes: bytes)
        default:
            return nil
        }
    }
}

/// What the endpoint answers to one chat-completion request.
public enum ScriptedReply: Sendable {
    case completion(ScriptedCompletion)
    /// Any HTTP answer: `body` is sent as is, with `content-type: application/json` unless `headers` names another.
    case status(Int, body: String, headers: [(String, String)] = [])
    case fault(ScriptedFault)

    /// A completion with this content and defaults for everything else.
    public static func text(_ content: String) -> ScriptedReply {
        .completion(ScriptedCompletion(content: content))
    }

    /// An OpenAI error answer: `{"error":{"message":..,"type":..,"param":..,"code":..}}` with the given status.
    public static func openAIError(
        status: Int,
        message: String,
        type: String,
        code: String? = nil,
        param: String? = nil,
        headers: [(String, String)] = []
    ) -> ScriptedReply {
        let body = OpenAIWire.errorJSON(message: message, type: type, param: param, code: code)
        return .status(status, body: body, headers: headers)
    }

    /// The 404 OpenAI answers for a model it does not serve (`code` `model_not_found`).
    public static func modelNotFound(_ model: String) -> ScriptedReply {
        .openAIError(
            status: 404,
            message: "The model `\(model)` does not exist",
            type: "invalid_request_error",
            code: "model_not_found"
        )
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var trimmed = self
        while let first = trimmed.first, first == " " || first == "\t" { trimmed.removeFirst() }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return String(trimmed)
    }
}
