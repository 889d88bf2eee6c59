/// One prompt of a suite with what its answer must satisfy: a line of `cases.jsonl` with the suite's defaults
/// applied (default checks first, default params under the case's own, default tags first).
public struct EvalCase: Sendable, Hashable, Identifiable {
    /// Which line format the case was written in.
    public enum Format: String, Sendable, Hashable, Codable {
        /// evalgate's own: `id`, `messages` or `prompt`, `checks`...
        case native
        /// An OpenAI-evals sample: `input` (text or messages) and `ideal` (text or a list of texts).
        case openAIEvals = "openai-evals"
    }

    /// Stable across edits of other cases: reports, run logs and diffs name the case by it. An OpenAI-evals line
    /// without one gets `evals-` and 16 hex digits of its content hash.
    public let id: String
    /// The conversation sent to the model: an optional system message, then the prompt's messages.
    public let messages: [ChatMessage]
    public let tags: [String]
    /// The checks that score the answer: the suite's default checks (unless the case opts out), then its own.
    public let checks: [CheckSpec]
    /// Every acceptable ideal answer, as written; empty when the case has none.
    public let ideals: [String]
    /// Request params for this case: the suite's defaults with the case's own on top.
    public let params: [String: JSONValue]
    /// Free-form notes (`"metadata": {...}`) kept for reports; evalgate does not interpret them.
    public let metadata: [String: JSONValue]
    /// Kept without checks on purpose (`"checks": [], "unchecked": true`): its answers are recorded with the
    /// status `unchecked`, counted apart, never as passed. The loader refuses any other case without checks.
    public let unchecked: Bool
    /// The data the answer may rely on: the suite's default `facts`, then the case's own, one line each (key-values
    /// as `key: value`). The `promises` check allows a promise these back.
    public let facts: [String]
    /// The case's 1-based line in `cases.jsonl`.
    public let line: Int
    public let format: Format
    /// SHA-256 (64 hex digits) of `canonicalJSON`: changes exactly when something the case carries changes,
    /// whatever its line number, whitespace or key order. The diff stage names changed cases by it.
    public let contentHash: String

    public init(
        id: String,
        messages: [ChatMessage],
        tags: [String] = [],
        checks: [CheckSpec] = [],
        ideals: [String] = [],
        params: [String: JSONValue] = [:],
        metadata: [String: JSONValue] = [:],
        unchecked: Bool = false,
        facts: [String] = [],
        line: Int = 0,
        format: Format = .native
    ) {
        self.init(
            id: id, messages: messages, tags: tags, checks: checks, ideals: ideals, params: params, metadata: metadata,
            unchecked: unchecked, facts: facts, line: line, format: format, knownHash: nil)
    }

    /// `knownHash` is the case's `contentHash` when the caller knows it: a lazily loaded suite reading again a line
    /// whose bytes have not changed since it hashed the case.
    init(
        id: String, messages: [ChatMessage], tags: [String], checks: [CheckSpec], ideals: [String],
        params: [String: JSONValue], metadata: [String: JSONValue], unchecked: Bool, facts: [String], line: Int,
        format: Format, knownHash: String?
    ) {
        self.id = id
        self.messages = messages
        self.tags = tags
        self.checks = checks
        self.ideals = ideals
        self.params = params
        self.metadata = metadata
        self.unchecked = unchecked
        self.facts = facts
        self.line = line
        self.format = format
        self.contentHash =
            knownHash
            ?? CanonicalJSON.sha256(
                Self.canonicalJSON(
                    id: id, messages: messages, tags: tags, checks: checks, ideals: ideals, params: params,
                    metadata: metadata, unchecked: unchecked, facts: facts
                )
            )
    }

    /// The first ideal answer, when there is one: what checks that compare with "the" ideal use.
    public var ideal: String? { ideals.first }

    /// The canonical form of the case, the input of `contentHash`: everything it carries but its line and format.
    public var canonicalJSON: JSONValue {
        Self.canonicalJSON(
            id: id, messages: messages, tags: tags, checks: checks, ideals: ideals, params: params, metadata: metadata,
            unchecked: unchecked, facts: facts
        )
    }

    private static func canonicalJSON(
        id: String,
        messages: [ChatMessage],
        tags: [String],
        checks: [CheckSpec],
        ideals: [String],
        params: [String: JSONValue],
        metadata: [String: JSONValue],
        unchecked: Bool,
        facts: [String]
    ) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .string(id),
            "messages": .array(messages.map(\.canonicalJSON)),
            "tags": .array(tags.map(JSONValue.string)),
            "checks": .array(checks.map(\.json)),
            "ideals": .array(ideals.map(JSONValue.string)),
            "params": .object(params),
            "metadata": .object(metadata),
        ]
        // Only when set, so that the hashes of every other case stay what they were.
        if unchecked { fields["unchecked"] = .bool(true) }
        // Only a case with facts carries the key, so the hash of every case written before facts existed stays the same.
        if !facts.isEmpty { fields["facts"] = .array(facts.map(JSONValue.string)) }
        return .object(fields)
    }
}

extension ChatMessage {
    /// The message in OpenAI's wire shape, as `encode(to:)` writes it (nil fields left out): what case hashes and
    /// the response cache's key hash.
    public var canonicalJSON: JSONValue {
        var fields: [String: JSONValue] = ["role": .string(role)]
        if let contentParts {
            fields["content"] = .array(contentParts)
        } else if let content {
            fields["content"] = .string(content)
        }
        if let name { fields["name"] = .string(name) }
        if let toolCallID { fields["tool_call_id"] = .string(toolCallID) }
        if let toolCalls { fields["tool_calls"] = .array(toolCalls) }
        return .object(fields)
    }
}
