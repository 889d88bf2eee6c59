public import EvalCore
import Foundation

/// One model version to run: where it is served, under which model name, and how hard it may be pushed.
public struct RunTargetSpec: Sendable, Hashable {
    /// The version's name in logs and reports: `v1.3`, `lora-support-ckpt-300`.
    public var label: String
    /// The model name sent in requests; vLLM serves each LoRA adapter under its own.
    public var model: String
    public var endpoint: ChatEndpoint
    /// Request params for every case of this target; a case's own params (and its suite's) go on top.
    public var params: [String: JSONValue]
    /// Ask for server-sent events (records time to first token).
    public var stream: Bool
    /// At most this many requests in flight to this target; nil: only the run's global limit.
    public var maxConcurrency: Int?
    /// Start at most this many requests per second.
    public var requestsPerSecond: Double?
    /// Spend at most this many tokens (prompt + completion, as the server reports them) per minute.
    public var tokensPerMinute: Int?

    public init(
        label: String,
        model: String,
        endpoint: ChatEndpoint,
        params: [String: JSONValue] = [:],
        stream: Bool = false,
        maxConcurrency: Int? = nil,
        requestsPerSecond: Double? = nil,
        tokensPerMinute: Int? = nil
    ) {
        self.label = label
        self.model = model
        self.endpoint = endpoint
        self.params = params
        self.stream = stream
        self.maxConcurrency = maxConcurrency
        self.requestsPerSecond = requestsPerSecond
        self.tokensPerMinute = tokensPerMinute
    }

    /// The target as the run manifest records it: no credential, ever.
    public var recorded: RunTarget {
        RunTarget(label: label, model: model, baseURL: endpoint.displayURL, params: params, stream: stream ? true : nil)
    }
}

extension ChatParameters {
    /// Reads request params as an eval set or a config file writes them (`temperature`, `max_tokens`, any other
    /// key passed through). Throws a message naming the param when one has the wrong type.
    public init(params: [String: JSONValue]) throws(ChatError) {
        guard !params.isEmpty else {
            self.init()
            return
        }
        do {
            self = try JSONDecoder().decode(ChatParameters.self, from: JSONValue.object(params).canonicalData())
        } catch let DecodingError.typeMismatch(_, context) {
            throw ChatError(kind: .invalidRequest, message: "param \"\(context.codingPath.last?.stringValue ?? "?")\" has the wrong type: \(context.debugDescription)")
        } catch {
            throw ChatError(kind: .invalidRequest, message: "params cannot be used: \(error)")
        }
    }
}
