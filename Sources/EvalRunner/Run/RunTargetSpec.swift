public import EvalCore
import Foundation

/// One model version to run: where it is served, under which model name, and how hard it may be pushed.
public struct RunTargetSpec: Sendable, Hashable {
    /// The version's name in logs and reports: `v1.3`, `lora-support-ckpt-300`.
    public var label: String
    /// The model name sent in requests; vLLM serves each LoRA adapter under its own.
    public var model: String
    /// What the weights behind `model` are: an adapter path, a checkpoint hash, a date. Servers often keep one model
    /// name across new weights, so the response cache is keyed by the label and this, never by the model name
    /// alone. Nil when not given.
    public var revision: String?
    public var endpoint: ChatEndpoint
    /// Request params for every case of this target. They win over a suite's `defaults.params` and a case's own
    /// `params` (the runner notes each param they override): what the person running says is what is sent.
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
        tokensPerMinute: Int? = nil,
        revision: String? = nil
    ) {
        self.label = label
        self.model = model
        self.revision = revision
        self.endpoint = endpoint
        self.params = params
        self.stream = stream
        self.maxConcurrency = maxConcurrency
        self.requestsPerSecond = requestsPerSecond
        self.tokensPerMinute = tokensPerMinute
    }

    /// The target as the run manifest records it: no credential, ever.
    public var recorded: RunTarget {
        RunTarget(
            label: label, model: model, baseURL: endpoint.displayURL, params: params, revision: revision,
            stream: stream ? true : nil
        )
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
            throw ChatError(
                kind: .invalidRequest,
                message:
                    "param \"\(context.codingPath.last?.stringValue ?? "?")\" has the wrong type: \(context.debugDescription)"
            )
        } catch {
            throw ChatError(kind: .invalidRequest, message: "params cannot be used: \(error)")
        }
    }
}

extension ChatParameters {
    /// The params as the request body carries them (wire keys, the per-repeat seed included): what a result line
    /// records as sent.
    public var recorded: [String: JSONValue] {
        wireFields() ?? [:]
    }
}
