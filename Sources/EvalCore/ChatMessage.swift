/// One message of a chat conversation, in OpenAI's chat-completions shape. Eval sets store prompts as these and
/// the chat client sends them as they are.
///
/// `content` is either plain text (`content`) or, as OpenAI also allows, an array of content parts
/// (`contentParts`: `{"type": "text", "text": ...}`, `{"type": "image_url", ...}`), which is kept intact so that
/// it goes back to the endpoint exactly as it was written. When both are set, `contentParts` is what gets encoded.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// "system", "developer", "user", "assistant", "tool"...
    public var role: String
    public var content: String?
    public var contentParts: [JSONValue]?
    public var name: String?
    /// For a `tool` message: the id of the tool call it answers.
    public var toolCallID: String?
    /// For an `assistant` message: the tool calls it made, in OpenAI's shape.
    public var toolCalls: [JSONValue]?

    public init(
        role: String,
        content: String? = nil,
        contentParts: [JSONValue]? = nil,
        name: String? = nil,
        toolCallID: String? = nil,
        toolCalls: [JSONValue]? = nil
    ) {
        self.role = role
        self.content = content
        self.contentParts = contentParts
        self.name = name
        self.toolCallID = toolCallID
        self.toolCalls = toolCalls
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: "system", content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: "user", content: text) }
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: "assistant", content: text) }
    public static func tool(_ text: String, callID: String) -> ChatMessage {
        ChatMessage(role: "tool", content: text, toolCallID: callID)
    }

    /// The message's text: `content`, or the `text` of its text parts joined with "\n". Nil when it has neither.
    public var text: String? {
        if let content { return content }
        guard let contentParts else { return nil }
        let texts = contentParts.compactMap { part -> String? in
            guard part["type"]?.stringValue == "text" else { return nil }
            return part["text"]?.stringValue
        }
        return texts.isEmpty ? nil : texts.joined(separator: "\n")
    }

    private enum CodingKeys: String, CodingKey {
        case role, content, name
        case toolCallID = "tool_call_id"
        case toolCalls = "tool_calls"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        toolCallID = try container.decodeIfPresent(String.self, forKey: .toolCallID)
        toolCalls = try container.decodeIfPresent([JSONValue].self, forKey: .toolCalls)
        switch try container.decodeIfPresent(JSONValue.self, forKey: .content) {
        case nil, .null?:
            content = nil
            contentParts = nil
        case .string(let text)?:
            content = text
            contentParts = nil
        case .array(let parts)?:
            content = nil
            contentParts = parts
        case let other?:
            throw DecodingError.typeMismatch(
                String.self,
                DecodingError.Context(
                    codingPath: container.codingPath + [CodingKeys.content],
                    debugDescription:
                        "expected \"content\" to be a string, an array of parts or null, found \(other.typeName)"
                )
            )
        }
    }

    /// Fields that are nil are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        if let contentParts {
            try container.encode(contentParts, forKey: .content)
        } else if let content {
            try container.encode(content, forKey: .content)
        }
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
        try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
    }
}

extension [ChatMessage] {
    /// What was said in the conversation, without its system and developer messages: the one message's text when
    /// there is one, else `role: text` lines. What a person labelling an answer, or a judge, is shown as the prompt.
    public var conversationText: String {
        let spoken = filter { $0.role != "system" && $0.role != "developer" }
        if spoken.count == 1 { return spoken[0].text ?? "" }
        return spoken.map { "\($0.role): \($0.text ?? "")" }.joined(separator: "\n")
    }
}
