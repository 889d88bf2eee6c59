import Synchronization

/// What a ``ScriptedEndpoint`` answers: a handler called once per chat-completion request, on the endpoint's event
/// loop (keep it quick and non-blocking), plus the delivery settings shared by every answer.
public struct Script: Sendable {
    /// Model names listed by `GET /v1/models`.
    public var models: [String]
    /// Delay before each chat-completion answer is sent (scheduled on the event loop, nothing blocks).
    public var latency: Duration
    /// Characters (grapheme clusters) of content per SSE delta chunk; at least 1.
    public var streamChunkCharacters: Int
    public var handler: @Sendable (ScriptedRequest) -> ScriptedReply

    public init(
        models: [String] = [],
        latency: Duration = .zero,
        streamChunkCharacters: Int = 8,
        handler: @escaping @Sendable (ScriptedRequest) -> ScriptedReply
    ) {
        self.models = models
        self.latency = latency
        self.streamChunkCharacters = streamChunkCharacters
        self.handler = handler
    }

    /// Routes each request by its `model` to one handler; any other model gets OpenAI's 404 `model_not_found`.
    public static func perModel(
        _ models: [String: @Sendable (ScriptedRequest) -> ScriptedReply],
        latency: Duration = .zero
    ) -> Script {
        Script(models: models.keys.sorted(), latency: latency) { request in
            let model = request.model ?? ""
            guard let handler = models[model] else { return .modelNotFound(model) }
            return handler(request)
        }
    }

    /// Replays recorded answers by (model, text of the last user message). Answers recorded more than once for the
    /// same key (repeats) are served in their order, starting over after the last. An unknown model gets the 404
    /// `model_not_found`; a known model with an unrecorded prompt gets a 404 with `code` `recording_not_found`.
    public static func recorded(_ answers: [RecordedAnswer], latency: Duration = .zero) -> Script {
        var byKey: [RecordedAnswer.Key: [ScriptedCompletion]] = [:]
        var models: [String] = []
        for answer in answers {
            if !models.contains(answer.model) { models.append(answer.model) }
            byKey[answer.key, default: []].append(answer.completion)
        }
        let knownModels = Set(models)
        let table = byKey
        let cursors = Cursors()
        return Script(models: models.sorted(), latency: latency) { request in
            let model = request.model ?? ""
            guard knownModels.contains(model) else { return .modelNotFound(model) }
            let key = RecordedAnswer.Key(model: model, lastUserText: request.lastUserText ?? "")
            guard let completions = table[key] else {
                return .openAIError(
                    status: 404,
                    message: "No recorded answer of model `\(model)` for this prompt",
                    type: "invalid_request_error",
                    code: "recording_not_found"
                )
            }
            return .completion(completions[cursors.next(for: key, count: completions.count)])
        }
    }

    /// Answers `"echo: " + lastUserText` (empty text when there is no user message) for any model.
    /// `models` is only what `GET /v1/models` lists.
    public static func echo(models: [String] = [], latency: Duration = .zero) -> Script {
        Script(models: models, latency: latency) { request in
            .text("echo: " + (request.lastUserText ?? ""))
        }
    }
}

/// One recorded answer of a model version, replayed by ``Script/recorded(_:latency:)``.
///
/// Codable as `{"model":..,"last_user_text":..,"content":..,"finish_reason":..,"usage":{"prompt_tokens":..,
/// "completion_tokens":..}}` so that a demo can keep recordings as JSON lines.
public struct RecordedAnswer: Sendable, Hashable, Codable {
    public var model: String
    /// The text of the request's last user message (see ``ScriptedRequest/lastUserText``).
    public var lastUserText: String
    public var content: String
    public var finishReason: String
    public var promptTokens: Int?
    public var completionTokens: Int?

    public init(
        model: String,
        lastUserText: String,
        content: String,
        finishReason: String = "stop",
        promptTokens: Int? = nil,
        completionTokens: Int? = nil
    ) {
        self.model = model
        self.lastUserText = lastUserText
        self.content = content
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    struct Key: Hashable, Sendable {
        var model: String
        var lastUserText: String
    }

    var key: Key { Key(model: model, lastUserText: lastUserText) }

    var completion: ScriptedCompletion {
        ScriptedCompletion(
            content: content,
            finishReason: finishReason,
            model: model,
            promptTokens: promptTokens,
            completionTokens: completionTokens
        )
    }

    private enum CodingKeys: String, CodingKey {
        case model
        case lastUserText = "last_user_text"
        case content
        case finishReason = "finish_reason"
        case usage
    }

    private enum UsageKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        lastUserText = try container.decode(String.self, forKey: .lastUserText)
        content = try container.decode(String.self, forKey: .content)
        finishReason = try container.decodeIfPresent(String.self, forKey: .finishReason) ?? "stop"
        if container.contains(.usage) {
            let usage = try container.nestedContainer(keyedBy: UsageKeys.self, forKey: .usage)
            promptTokens = try usage.decodeIfPresent(Int.self, forKey: .promptTokens)
            completionTokens = try usage.decodeIfPresent(Int.self, forKey: .completionTokens)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(lastUserText, forKey: .lastUserText)
        try container.encode(content, forKey: .content)
        try container.encode(finishReason, forKey: .finishReason)
        if promptTokens != nil || completionTokens != nil {
            var usage = container.nestedContainer(keyedBy: UsageKeys.self, forKey: .usage)
            try usage.encodeIfPresent(promptTokens, forKey: .promptTokens)
            try usage.encodeIfPresent(completionTokens, forKey: .completionTokens)
        }
    }
}

/// Per-key replay positions of a recorded script, shared by all connections.
private final class Cursors: Sendable {
    private let positions = Mutex<[RecordedAnswer.Key: Int]>([:])

    func next(for key: RecordedAnswer.Key, count: Int) -> Int {
        positions.withLock { positions in
            let position = positions[key, default: 0]
            positions[key] = position + 1
            return position % count
        }
    }
}
