public import EvalCore
public import Foundation

// The OpenAI chat-completions wire format (POST /chat/completions): the request body, the response body and the
// chunks of a streamed response. Reading is tolerant of fields it does not know and strict on what it needs.

// MARK: - Request

/// Sampling and output parameters of a chat request. Every field is optional; nil fields are left out.
///
/// `extra` carries any other request field verbatim (`tools`, `logprobs`, `reasoning_effort`, vendor options...).
/// When `extra` names a key that a typed field also covers (`temperature`, `top_p`, `max_tokens`, `seed`, `stop`,
/// `n`, `response_format`), the typed field wins and the extra entry is dropped, even when the typed field is nil.
///
/// Its Codable form is the wire form: one flat object with OpenAI's key names, unknown keys going to `extra`.
public struct ChatParameters: Sendable, Hashable, Codable {
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    public var seed: Int64?
    /// Stop sequences. Decoding accepts a single string as well as an array; encoding always writes an array.
    public var stop: [String]?
    public var n: Int?
    public var responseFormat: JSONValue?
    public var extra: [String: JSONValue]

    public init(
        temperature: Double? = nil,
        topP: Double? = nil,
        maxTokens: Int? = nil,
        seed: Int64? = nil,
        stop: [String]? = nil,
        n: Int? = nil,
        responseFormat: JSONValue? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.seed = seed
        self.stop = stop
        self.n = n
        self.responseFormat = responseFormat
        self.extra = extra
    }

    /// The wire keys of the typed fields.
    public static let typedKeys: Set<String> = [
        "temperature", "top_p", "max_tokens", "seed", "stop", "n", "response_format",
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: WireKey.self)
        temperature = try container.decodeIfPresent(Double.self, forKey: "temperature")
        topP = try container.decodeIfPresent(Double.self, forKey: "top_p")
        maxTokens = try container.decodeIfPresent(Int.self, forKey: "max_tokens")
        seed = try container.decodeIfPresent(Int64.self, forKey: "seed")
        n = try container.decodeIfPresent(Int.self, forKey: "n")
        responseFormat = try container.decodeIfPresent(JSONValue.self, forKey: "response_format")
        switch try container.decodeIfPresent(JSONValue.self, forKey: "stop") {
        case nil, .null?:
            stop = nil
        case .string(let one)?:
            stop = [one]
        case .array(let items)? where items.allSatisfy({ $0.stringValue != nil }):
            stop = items.compactMap(\.stringValue)
        case let other?:
            throw DecodingError.typeMismatch(
                [String].self,
                DecodingError.Context(
                    codingPath: container.codingPath + [WireKey("stop")],
                    debugDescription: "expected \"stop\" to be a string or an array of strings, found \(other.typeName)"
                )
            )
        }
        var extra: [String: JSONValue] = [:]
        for key in container.allKeys where !Self.typedKeys.contains(key.stringValue) {
            extra[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        self.extra = extra
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try encodeFields(into: &container, skippingExtras: [])
    }

    /// The fields the body carries, as JSON values, built without `JSONEncoder`: the typed fields and the extras that
    /// neither a typed field nor `reserved` covers. Numbers are as a JSON reader gives them back from the body (an
    /// integral double such as `1.0` is the integer 1, as the body writes it). Nil when a number is not finite (the
    /// body cannot carry it).
    func wireFields(skippingExtras reserved: Set<String> = []) -> [String: JSONValue]? {
        var fields: [String: JSONValue] = [:]
        for (key, value) in extra where !Self.typedKeys.contains(key) && !reserved.contains(key) {
            guard let value = value.asReadBack else { return nil }
            fields[key] = value
        }
        if let temperature {
            guard let value = JSONValue.double(temperature).asReadBack else { return nil }
            fields["temperature"] = value
        }
        if let topP {
            guard let value = JSONValue.double(topP).asReadBack else { return nil }
            fields["top_p"] = value
        }
        if let maxTokens { fields["max_tokens"] = .int(Int64(maxTokens)) }
        if let seed { fields["seed"] = .int(seed) }
        if let stop { fields["stop"] = .array(stop.map(JSONValue.string)) }
        if let n { fields["n"] = .int(Int64(n)) }
        if let responseFormat {
            guard let value = responseFormat.asReadBack else { return nil }
            fields["response_format"] = value
        }
        return fields
    }

    /// Writes the typed fields, then the extras that neither a typed field nor `reserved` covers.
    fileprivate func encodeFields(
        into container: inout KeyedEncodingContainer<WireKey>,
        skippingExtras reserved: Set<String>
    ) throws {
        try container.encodeIfPresent(temperature, forKey: "temperature")
        try container.encodeIfPresent(topP, forKey: "top_p")
        try container.encodeIfPresent(maxTokens, forKey: "max_tokens")
        try container.encodeIfPresent(seed, forKey: "seed")
        try container.encodeIfPresent(stop, forKey: "stop")
        try container.encodeIfPresent(n, forKey: "n")
        try container.encodeIfPresent(responseFormat, forKey: "response_format")
        for (key, value) in extra where !Self.typedKeys.contains(key) && !reserved.contains(key) {
            try container.encode(value, forKey: WireKey(key))
        }
    }
}

/// A chat-completions request.
public struct ChatRequest: Sendable, Hashable {
    public var model: String
    public var messages: [ChatMessage]
    public var parameters: ChatParameters

    public init(model: String, messages: [ChatMessage], parameters: ChatParameters = ChatParameters()) {
        self.model = model
        self.messages = messages
        self.parameters = parameters
    }

    /// The JSON body, compact with sorted keys (stable for caching and comparing).
    ///
    /// `model`, `messages` and `stream` always come from this request, never from `parameters.extra`. With
    /// `stream: true` the body asks for `"stream": true` and `"stream_options": {"include_usage": true}` (unless
    /// `extra` gives its own `stream_options`); without, neither `stream` nor `stream_options` is sent.
    /// Throws `EncodingError` for a non-finite number (a NaN temperature).
    public func encodedBody(stream: Bool) throws -> Data {
        // Written with `JSONWriter` in `JSONEncoder`'s style: the bytes `RequestBody` gives `JSONEncoder` (sorted keys,
        // slashes unescaped), without its boxing (`ChatWireTests` compares the two).
        var fields: [(key: String, value: BodyField)] = [("model", .value(.string(model))), ("messages", .messages)]
        var reserved: Set<String> = ["model", "messages", "stream"]
        if stream {
            fields.append(("stream", .value(.bool(true))))
            if parameters.extra["stream_options"] == nil {
                reserved.insert("stream_options")
                fields.append(("stream_options", .value(["include_usage": true])))
            }
        } else {
            reserved.insert("stream_options")
        }
        if let temperature = parameters.temperature { fields.append(("temperature", .double(temperature))) }
        if let topP = parameters.topP { fields.append(("top_p", .double(topP))) }
        if let maxTokens = parameters.maxTokens { fields.append(("max_tokens", .value(.int(Int64(maxTokens))))) }
        if let seed = parameters.seed { fields.append(("seed", .value(.int(seed)))) }
        if let stop = parameters.stop { fields.append(("stop", .value(.array(stop.map(JSONValue.string))))) }
        if let n = parameters.n { fields.append(("n", .value(.int(Int64(n))))) }
        if let format = parameters.responseFormat { fields.append(("response_format", .value(format))) }
        for (key, value) in parameters.extra
        where !ChatParameters.typedKeys.contains(key) && !reserved.contains(key) {
            fields.append((key, .value(value)))
        }
        fields.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        var out = JSONWriter(numbers: .foundation, capacity: 512)
        out.byte(UInt8(ascii: "{"))
        for (index, field) in fields.enumerated() {
            if index > 0 { out.byte(UInt8(ascii: ",")) }
            out.string(field.key)
            out.byte(UInt8(ascii: ":"))
            switch field.value {
            case .value(let value): out.value(value)
            case .double(let number): out.double(number)
            case .messages:
                out.byte(UInt8(ascii: "["))
                for (position, message) in messages.enumerated() {
                    if position > 0 { out.byte(UInt8(ascii: ",")) }
                    Self.write(message, to: &out)
                }
                out.byte(UInt8(ascii: "]"))
            }
        }
        out.byte(UInt8(ascii: "}"))
        guard !out.invalidNumber else {
            throw EncodingError.invalidValue(
                Double.nan, .init(codingPath: [], debugDescription: "a number in the request is not finite"))
        }
        return Data(out.bytes)
    }

    private enum BodyField {
        case value(JSONValue)
        case double(Double)
        case messages
    }

    /// A message as its `Codable` form writes it: keys sorted, nil fields left out, parts before plain content.
    private static func write(_ message: ChatMessage, to out: inout JSONWriter) {
        out.byte(UInt8(ascii: "{"))
        var first = true
        func key(_ name: StaticString) {
            if first { out.key(name) } else { out.nextKey(name) }
            first = false
        }
        if let parts = message.contentParts {
            key("content")
            out.value(.array(parts))
        } else if let content = message.content {
            key("content")
            out.string(content)
        }
        if let name = message.name {
            key("name")
            out.string(name)
        }
        key("role")
        out.string(message.role)
        if let id = message.toolCallID {
            key("tool_call_id")
            out.string(id)
        }
        if let calls = message.toolCalls {
            key("tool_calls")
            out.value(.array(calls))
        }
        out.byte(UInt8(ascii: "}"))
    }

    /// `encodedBody(stream:)` through `JSONEncoder`, for the tests that hold the hand-written body to it.
    func encodedBodyWithEncoder(stream: Bool) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(RequestBody(request: self, stream: stream))
    }

    /// The body of a request that is not streamed, as a JSON value: what the response cache hashes, as canonical
    /// JSON (`CanonicalJSON`), for its key. `.null` when a number is not finite (such a request is never sent).
    public var bodyValue: JSONValue {
        guard var fields = parameters.wireFields(skippingExtras: ["model", "messages", "stream", "stream_options"])
        else { return .null }
        fields["model"] = .string(model)
        fields["messages"] = .array(messages.map(\.canonicalJSON))
        return .object(fields)
    }
}

private struct RequestBody: Encodable {
    let request: ChatRequest
    let stream: Bool

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: WireKey.self)
        try container.encode(request.model, forKey: "model")
        try container.encode(request.messages, forKey: "messages")
        var reserved: Set<String> = ["model", "messages", "stream"]
        if stream {
            try container.encode(true, forKey: "stream")
            if request.parameters.extra["stream_options"] == nil {
                reserved.insert("stream_options")
                try container.encode(["include_usage": true] as JSONValue, forKey: "stream_options")
            }
        } else {
            reserved.insert("stream_options")
        }
        try request.parameters.encodeFields(into: &container, skippingExtras: reserved)
    }
}

// MARK: - Results

/// Token counts of a request, as the endpoint reported them.
///
/// Its Codable form is OpenAI's `usage` object: `prompt_tokens`, `completion_tokens`, `total_tokens`,
/// `completion_tokens_details.reasoning_tokens`, `prompt_tokens_details.cached_tokens`. Missing counts read as 0
/// (the schema's default) and a missing total as prompt + completion.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public var reasoningTokens: Int?
    public var cachedTokens: Int?

    public init(
        promptTokens: Int,
        completionTokens: Int,
        totalTokens: Int? = nil,
        reasoningTokens: Int? = nil,
        cachedTokens: Int? = nil
    ) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
        self.reasoningTokens = reasoningTokens
        self.cachedTokens = cachedTokens
    }

    private enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case completionDetails = "completion_tokens_details"
        case promptDetails = "prompt_tokens_details"
    }

    private struct CompletionDetails: Codable {
        var reasoningTokens: Int?
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    private struct PromptDetails: Codable {
        var cachedTokens: Int?
        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let prompt = try container.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0
        let completion = try container.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0
        self.init(
            promptTokens: prompt,
            completionTokens: completion,
            totalTokens: try container.decodeIfPresent(Int.self, forKey: .totalTokens),
            reasoningTokens: try container.decodeIfPresent(CompletionDetails.self, forKey: .completionDetails)?
                .reasoningTokens,
            cachedTokens: try container.decodeIfPresent(PromptDetails.self, forKey: .promptDetails)?.cachedTokens
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(completionTokens, forKey: .completionTokens)
        try container.encode(totalTokens, forKey: .totalTokens)
        if let reasoningTokens {
            try container.encode(CompletionDetails(reasoningTokens: reasoningTokens), forKey: .completionDetails)
        }
        if let cachedTokens {
            try container.encode(PromptDetails(cachedTokens: cachedTokens), forKey: .promptDetails)
        }
    }
}

/// A tool call the model made.
///
/// Its Codable form is OpenAI's: `{"id", "type": "function", "function": {"name", "arguments"}}`; a `custom` tool
/// call (`"custom": {"name", "input"}`) reads with its input as `arguments`. Arguments that a server sent as a JSON
/// object instead of a string are kept as that object's compact JSON text.
public struct ToolCall: Sendable, Hashable, Codable {
    public var id: String?
    public var type: String?
    public var name: String?
    /// The arguments as the model wrote them: usually JSON, but nothing guarantees it.
    public var arguments: String

    public init(id: String? = nil, type: String? = "function", name: String? = nil, arguments: String = "") {
        self.id = id
        self.type = type
        self.name = name
        self.arguments = arguments
    }

    private enum CodingKeys: String, CodingKey { case id, type, function, custom }
    private enum FunctionKeys: String, CodingKey { case name, arguments, input }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        name = nil
        arguments = ""
        let bodyKey: CodingKeys = type == "custom" ? .custom : .function
        guard container.contains(bodyKey), try !container.decodeNil(forKey: bodyKey) else { return }
        let body = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: bodyKey)
        name = try body.decodeIfPresent(String.self, forKey: .name)
        let argumentsKey: FunctionKeys = bodyKey == .custom ? .input : .arguments
        switch try body.decodeIfPresent(JSONValue.self, forKey: argumentsKey) {
        case nil, .null?: arguments = ""
        case .string(let text)?: arguments = text
        case let other?: arguments = String(decoding: other.canonicalData(), as: UTF8.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(type, forKey: .type)
        if type == "custom" {
            var body = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .custom)
            try body.encodeIfPresent(name, forKey: .name)
            try body.encode(arguments, forKey: .input)
        } else {
            var body = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
            try body.encodeIfPresent(name, forKey: .name)
            try body.encode(arguments, forKey: .arguments)
        }
    }
}

/// One choice of a completion, whether it arrived whole or as a stream.
public struct ChoiceResult: Sendable, Hashable, Codable {
    public var index: Int
    /// The text; "" when the model wrote none (only tool calls, or a refusal).
    public var content: String
    public var refusal: String?
    public var toolCalls: [ToolCall]
    /// "stop", "length", "tool_calls", "content_filter"...; nil when the endpoint never said.
    public var finishReason: String?

    public init(
        index: Int,
        content: String,
        refusal: String? = nil,
        toolCalls: [ToolCall] = [],
        finishReason: String? = nil
    ) {
        self.index = index
        self.content = content
        self.refusal = refusal
        self.toolCalls = toolCalls
        self.finishReason = finishReason
    }

    private enum CodingKeys: String, CodingKey {
        case index, content, refusal
        case toolCalls = "tool_calls"
        case finishReason = "finish_reason"
    }
}

/// A chat completion: what `decodeCompletion` reads from a response body and what `StreamAccumulator` assembles
/// from a stream. Its Codable form is evalgate's own (snake_case keys, choices flattened), for caches and run logs.
public struct CompletionResult: Sendable, Hashable, Codable {
    public var id: String?
    public var model: String?
    public var systemFingerprint: String?
    /// Sorted by index.
    public var choices: [ChoiceResult]
    public var usage: TokenUsage?

    public init(
        id: String? = nil,
        model: String? = nil,
        systemFingerprint: String? = nil,
        choices: [ChoiceResult],
        usage: TokenUsage? = nil
    ) {
        self.id = id
        self.model = model
        self.systemFingerprint = systemFingerprint
        self.choices = choices.sorted { $0.index < $1.index }
        self.usage = usage
    }

    /// The first choice's (index 0) content; "" when there is no choice.
    public var content: String { choices.first?.content ?? "" }
    /// The first choice's finish reason.
    public var finishReason: String? { choices.first?.finishReason }

    private enum CodingKeys: String, CodingKey {
        case id, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }
}

/// A response or stream chunk that is not what the chat-completions format promises.
public enum WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was expected and what was found.
    case malformed(String)

    public var message: String {
        switch self {
        case .malformed(let message): return message
        }
    }

    public var description: String { "malformed response: \(message)" }
}

// MARK: - Non-streaming responses

/// Reading the chat-completions wire format.
public enum ChatWire {
    /// Reads a non-streaming response body (`chat.completion`).
    ///
    /// Needs a JSON object with a `choices` array whose items have a `message` object; `index` defaults to the
    /// position in the array, a null `content` (a message with only tool calls) reads as "". A body carrying
    /// `{"error": ...}` is reported with the server's message.
    public static func decodeCompletion(_ data: Data) throws(WireError) -> CompletionResult {
        if let plain = data.withUnsafeBytes({ CompletionFastPath.decode($0.bindMemory(to: UInt8.self)) }) {
            return plain
        }
        return try decodeCompletionWithDecoder(data)
    }

    /// `decodeCompletion` through `JSONDecoder`: every shape, and the diagnosis of a body that is not a completion.
    static func decodeCompletionWithDecoder(_ data: Data) throws(WireError) -> CompletionResult {
        let wire: CompletionWire
        do {
            wire = try JSONDecoder().decode(CompletionWire.self, from: data)
        } catch {
            throw diagnose(data, error, expected: "a JSON object with \"choices\"")
        }
        if let serverError = wire.error, serverError != .null {
            throw .malformed(
                "expected a JSON object with \"choices\", found a server error: \(serverErrorText(serverError))"
            )
        }
        let choices = wire.choices.enumerated().map { position, choice in
            ChoiceResult(
                index: choice.index ?? position,
                content: choice.message.content?.text ?? "",
                refusal: choice.message.refusal,
                toolCalls: choice.message.toolCalls ?? [],
                finishReason: choice.finishReason
            )
        }
        return CompletionResult(
            id: wire.id,
            model: wire.model,
            systemFingerprint: wire.systemFingerprint,
            choices: choices,
            usage: wire.usage
        )
    }
}

/// The common answer — text choices, plain usage, no tool calls, no server error — read in one pass with
/// `JSONScanner` instead of `JSONDecoder` (about a twentieth of a run's CPU went there). Nil for anything else, and
/// for anything it is not sure of (a key given twice, a number that is not a plain integer, usage details, tool
/// calls, a content array, bad JSON): `decodeCompletion` then takes the `Codable` path, which gives the same result
/// or names the fault. `ChatWireTests` compares the two paths.
enum CompletionFastPath {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> CompletionResult? {
        var scanner = JSONScanner(bytes)
        return try? read(&scanner)
    }

    private struct Unsure: Error {}

    private static func read(_ scanner: inout JSONScanner) throws -> CompletionResult {
        var object = try scanner.openObject()
        var seen: Set<String> = []
        var id: String?
        var model: String?
        var fingerprint: String?
        var choices: [ChoiceResult] = []
        var usage: TokenUsage?
        var sawChoices = false
        while let token = try scanner.nextKey(in: &object) {
            let key = scanner.text(of: token)
            guard seen.insert(key).inserted else { throw Unsure() }
            switch key {
            case "id": id = try scanner.optionalString()
            case "model": model = try scanner.optionalString()
            case "system_fingerprint": fingerprint = try scanner.optionalString()
            case "choices":
                sawChoices = true
                var array = try scanner.openArray()
                while try scanner.nextElement(in: &array) {
                    choices.append(try choice(&scanner, position: choices.count))
                }
            case "usage":
                if try scanner.null() { break }
                usage = try readUsage(&scanner)
            case "error":
                guard try scanner.null() else { throw Unsure() }
            default: try scanner.skipValue()
            }
        }
        try scanner.end()
        guard sawChoices else { throw Unsure() }
        return CompletionResult(id: id, model: model, systemFingerprint: fingerprint, choices: choices, usage: usage)
    }

    private static func choice(_ scanner: inout JSONScanner, position: Int) throws -> ChoiceResult {
        var object = try scanner.openObject()
        var seen: Set<String> = []
        var index: Int?
        var finishReason: String?
        var content: String?
        var refusal: String?
        var sawMessage = false
        while let token = try scanner.nextKey(in: &object) {
            let key = scanner.text(of: token)
            guard seen.insert(key).inserted else { throw Unsure() }
            switch key {
            case "index": index = try scanner.optionalInteger()
            case "finish_reason": finishReason = try scanner.optionalString()
            case "message":
                sawMessage = true
                var message = try scanner.openObject()
                var messageKeys: Set<String> = []
                while let token = try scanner.nextKey(in: &message) {
                    let key = scanner.text(of: token)
                    guard messageKeys.insert(key).inserted else { throw Unsure() }
                    switch key {
                    case "content": content = try scanner.optionalString()
                    case "refusal": refusal = try scanner.optionalString()
                    case "tool_calls": guard try scanner.null() else { throw Unsure() }
                    default: try scanner.skipValue()
                    }
                }
            default: try scanner.skipValue()
            }
        }
        guard sawMessage else { throw Unsure() }
        return ChoiceResult(
            index: index ?? position, content: content ?? "", refusal: refusal, toolCalls: [],
            finishReason: finishReason)
    }

    private static func readUsage(_ scanner: inout JSONScanner) throws -> TokenUsage {
        var object = try scanner.openObject()
        var seen: Set<String> = []
        var prompt: Int?
        var completion: Int?
        var total: Int?
        while let token = try scanner.nextKey(in: &object) {
            let key = scanner.text(of: token)
            guard seen.insert(key).inserted else { throw Unsure() }
            switch key {
            case "prompt_tokens": prompt = try scanner.optionalInteger()
            case "completion_tokens": completion = try scanner.optionalInteger()
            case "total_tokens": total = try scanner.optionalInteger()
            case "completion_tokens_details", "prompt_tokens_details": throw Unsure()
            default: try scanner.skipValue()
            }
        }
        return TokenUsage(promptTokens: prompt ?? 0, completionTokens: completion ?? 0, totalTokens: total)
    }
}

private struct CompletionWire: Decodable {
    var id: String?
    var model: String?
    var systemFingerprint: String?
    var choices: [ChoiceWire]
    var usage: TokenUsage?
    var error: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id, model, choices, usage, error
        case systemFingerprint = "system_fingerprint"
    }
}

private struct ChoiceWire: Decodable {
    var index: Int?
    var message: MessageWire
    var finishReason: String?

    enum CodingKeys: String, CodingKey {
        case index, message
        case finishReason = "finish_reason"
    }
}

private struct MessageWire: Decodable {
    var content: FlexibleText?
    var refusal: String?
    var toolCalls: [ToolCall]?

    enum CodingKeys: String, CodingKey {
        case content, refusal
        case toolCalls = "tool_calls"
    }
}

/// Message text: a string, or (as some servers send) an array of content parts whose `text` parts are joined.
private struct FlexibleText: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
            return
        }
        guard let parts = try? container.decode([JSONValue].self) else {
            throw DecodingError.typeMismatch(
                String.self,
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected a string or an array of content parts"
                )
            )
        }
        text = parts.compactMap { part in
            part["type"]?.stringValue == "text" ? part["text"]?.stringValue : nil
        }.joined()
    }
}

// MARK: - Streaming responses

/// Reassembles a streamed completion from the `data` of its server-sent events, one event at a time.
///
/// Content and refusal deltas are concatenated per choice index; tool-call deltas are merged by their `index`
/// (id, type and name are set when a delta has them, arguments are concatenated); a choice's finish reason is the
/// last one given; usage comes from the chunk that carries it (with `choices: []`); id, model and system
/// fingerprint are the last ones given.
public struct StreamAccumulator: Sendable {
    /// The stream sent `data: [DONE]`.
    public private(set) var sawDone = false
    /// A content, refusal or tool-call delta has arrived: the moment of the first token.
    public private(set) var sawFirstContent = false
    /// Chunks consumed, `[DONE]` excluded.
    public private(set) var chunkCount = 0

    private var id: String?
    private var model: String?
    private var systemFingerprint: String?
    private var usage: TokenUsage?
    private var choices: [Int: PartialChoice] = [:]

    private struct PartialChoice: Sendable {
        var content = ""
        var refusal: String?
        var toolCalls: [Int: ToolCall] = [:]
        var finishReason: String?
    }

    public init() {}

    /// Takes the `data` of one event. Returns true when it is the `[DONE]` sentinel.
    /// Throws when the data is not a chunk object with `choices`, and when it carries `{"error": ...}` (some
    /// servers report a failure mid-stream that way), with the server's message.
    @discardableResult
    public mutating func consume(eventData: String) throws(WireError) -> Bool {
        if eventData == "[DONE]" || eventData.trimmingCharacters(in: .whitespacesAndNewlines) == "[DONE]" {
            sawDone = true
            return true
        }
        let data = Data(eventData.utf8)
        let chunk: ChunkWire
        do {
            chunk = try JSONDecoder().decode(ChunkWire.self, from: data)
        } catch {
            throw diagnose(data, error, expected: "a chunk object with \"choices\"")
        }
        if let serverError = chunk.error, serverError != .null {
            throw .malformed("the stream carried a server error: \(serverErrorText(serverError))")
        }
        guard let chunkChoices = chunk.choices else {
            throw diagnose(data, nil, expected: "a chunk object with \"choices\"")
        }
        chunkCount += 1
        if let value = chunk.id { id = value }
        if let value = chunk.model { model = value }
        if let value = chunk.systemFingerprint { systemFingerprint = value }
        if let value = chunk.usage { usage = value }

        for (position, choice) in chunkChoices.enumerated() {
            let index = choice.index ?? position
            var partial = choices[index] ?? PartialChoice()
            if let delta = choice.delta {
                if let text = delta.content?.text, !text.isEmpty {
                    partial.content += text
                    sawFirstContent = true
                }
                if let text = delta.refusal {
                    partial.refusal = (partial.refusal ?? "") + text
                    if !text.isEmpty { sawFirstContent = true }
                }
                for (toolPosition, toolDelta) in (delta.toolCalls ?? []).enumerated() {
                    let toolIndex = toolDelta.index ?? toolPosition
                    var call = partial.toolCalls[toolIndex] ?? ToolCall(type: nil)
                    if let value = toolDelta.id { call.id = value }
                    if let value = toolDelta.type { call.type = value }
                    if let value = toolDelta.function?.name { call.name = value }
                    if let value = toolDelta.function?.arguments { call.arguments += value }
                    partial.toolCalls[toolIndex] = call
                    sawFirstContent = true
                }
            }
            if let reason = choice.finishReason { partial.finishReason = reason }
            choices[index] = partial
        }
        return false
    }

    /// The completion as assembled so far.
    public func result() -> CompletionResult {
        let assembled = choices.map { index, partial in
            ChoiceResult(
                index: index,
                content: partial.content,
                refusal: partial.refusal,
                toolCalls: partial.toolCalls.sorted { $0.key < $1.key }.map(\.value),
                finishReason: partial.finishReason
            )
        }
        return CompletionResult(
            id: id,
            model: model,
            systemFingerprint: systemFingerprint,
            choices: assembled,
            usage: usage
        )
    }
}

private struct ChunkWire: Decodable {
    var id: String?
    var model: String?
    var systemFingerprint: String?
    var choices: [ChunkChoiceWire]?
    var usage: TokenUsage?
    var error: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id, model, choices, usage, error
        case systemFingerprint = "system_fingerprint"
    }
}

private struct ChunkChoiceWire: Decodable {
    var index: Int?
    var delta: DeltaWire?
    var finishReason: String?

    enum CodingKeys: String, CodingKey {
        case index, delta
        case finishReason = "finish_reason"
    }
}

private struct DeltaWire: Decodable {
    var content: FlexibleText?
    var refusal: String?
    var toolCalls: [ToolCallDeltaWire]?

    enum CodingKeys: String, CodingKey {
        case content, refusal
        case toolCalls = "tool_calls"
    }
}

private struct ToolCallDeltaWire: Decodable {
    var index: Int?
    var id: String?
    var type: String?
    var function: FunctionDeltaWire?
}

private struct FunctionDeltaWire: Decodable {
    var name: String?
    var arguments: String?
}

// MARK: - Diagnostics

/// Explains why `data` did not decode: what was expected and what was found, quoting at most ~200 characters.
private func diagnose(_ data: Data, _ error: (any Error)?, expected: String) -> WireError {
    guard let value = try? JSONValue.parse(data) else {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .malformed("expected \(expected), found an empty body")
        }
        return .malformed("expected \(expected), found invalid JSON: \(snippet(data))")
    }
    guard case .object(let fields) = value else {
        return .malformed("expected \(expected), found \(describe(value))")
    }
    if let serverError = fields["error"], serverError != .null {
        return .malformed("expected \(expected), found a server error: \(serverErrorText(serverError))")
    }
    guard let choices = fields["choices"] else {
        let keys = fields.keys.sorted()
        let listed = keys.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
        let more = keys.count > 8 ? ", …" : ""
        let found = keys.isEmpty ? "an empty object" : "an object with keys \(listed)\(more)"
        return .malformed("expected \(expected), found \(found)")
    }
    guard case .array = choices else {
        return .malformed("expected \"choices\" to be an array, found \(describe(choices))")
    }
    guard let decodingError = error as? DecodingError else {
        return .malformed("expected \(expected), found \(snippet(data))")
    }
    switch decodingError {
    case .typeMismatch(let type, let context):
        let path = pathText(context.codingPath)
        return .malformed(
            "expected \(path) to be \(typeText(type)), found \(describe(lookUp(value, context.codingPath)))"
        )
    case .valueNotFound(let type, let context):
        let path = pathText(context.codingPath)
        return .malformed("expected \(path) to be \(typeText(type)), found null")
    case .keyNotFound(let key, let context):
        let path = pathText(context.codingPath + [key])
        return .malformed("expected \(path) to be present, found \(describe(lookUp(value, context.codingPath)))")
    case .dataCorrupted(let context):
        return .malformed("expected \(expected), found \(context.debugDescription) at \(pathText(context.codingPath))")
    @unknown default:
        return .malformed("expected \(expected), found \(snippet(data))")
    }
}

/// The server's error message, with its type and code when given: `"Rate limit reached" (type: ..., code: ...)`.
private func serverErrorText(_ error: JSONValue) -> String {
    guard case .object(let fields) = error else {
        return error.stringValue.map { clip("\"\($0)\"") } ?? describe(error)
    }
    var text = fields["message"]?.stringValue.map { clip("\"\($0)\"") } ?? describe(error)
    var details: [String] = []
    if let type = fields["type"]?.stringValue { details.append("type: \(clip(type, 40))") }
    if let code = fields["code"], code != .null {
        details.append("code: \(clip(code.stringValue ?? String(decoding: code.canonicalData(), as: UTF8.self), 40))")
    }
    if !details.isEmpty { text += " (\(details.joined(separator: ", ")))" }
    return text
}

/// "integer 42", "string \"abc\"", "an object {...}" clipped.
private func describe(_ value: JSONValue?) -> String {
    guard let value else { return "nothing" }
    if value == .null { return "null" }
    return "\(value.typeName) \(clip(String(decoding: value.canonicalData(), as: UTF8.self), 80))"
}

private func lookUp(_ value: JSONValue, _ path: [any CodingKey]) -> JSONValue? {
    var current: JSONValue? = value
    for key in path {
        if let index = key.intValue {
            current = current?[index]
        } else {
            current = current?[key.stringValue]
        }
    }
    return current
}

/// `choices[0].message.content`
private func pathText(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
        if let index = key.intValue {
            text += "[\(index)]"
        } else {
            text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
    }
    return text.isEmpty ? "the body" : "\"\(text)\""
}

private func typeText(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Int.Type, is Int64.Type: return "an integer"
    case is Double.Type: return "a number"
    case is Bool.Type: return "a boolean"
    default:
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") || (name.hasPrefix("[") && name.contains(":")) { return "an object" }
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "an array" }
        return "an object"
    }
}

private func snippet(_ data: Data) -> String {
    let limit = 200
    if data.isEmpty { return "an empty body" }
    let text = String(decoding: data.prefix(limit * 4), as: UTF8.self)
    if data.count <= limit * 4, text.count <= limit { return "\"\(text)\"" }
    return "\"\(text.prefix(limit))…\" (\(data.count) bytes)"
}

private func clip(_ text: String, _ limit: Int = 200) -> String {
    text.count <= limit ? text : "\(text.prefix(limit))…"
}

// MARK: - Coding keys

/// Any string key: for the flat parameter object whose extra keys are not known in advance.
private struct WireKey: CodingKey, ExpressibleByStringLiteral {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { stringValue = value }
}

extension JSONValue {
    /// The value as `JSONValue.parse` reads it back after it was written: a double with an integral value is an
    /// integer (as the parser reads `1.0` and `1e3`); nil when a number is not finite (JSON cannot carry it).
    fileprivate var asReadBack: JSONValue? {
        switch self {
        case .double(let number):
            guard number.isFinite else { return nil }
            if number.rounded() == number, abs(number) < 9.2e18 { return .int(Int64(number)) }
            return self
        case .array(let items):
            var mapped: [JSONValue] = []
            mapped.reserveCapacity(items.count)
            for item in items {
                guard let item = item.asReadBack else { return nil }
                mapped.append(item)
            }
            return .array(mapped)
        case .object(let fields):
            var mapped: [String: JSONValue] = [:]
            mapped.reserveCapacity(fields.count)
            for (key, value) in fields {
                guard let value = value.asReadBack else { return nil }
                mapped[key] = value
            }
            return .object(mapped)
        case .null, .bool, .int, .string:
            return self
        }
    }
}
