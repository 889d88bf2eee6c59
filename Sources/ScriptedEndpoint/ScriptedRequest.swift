public import EvalCore
import Foundation

/// One chat-completion request as the scripted endpoint received it, parsed once so that scripts can route on it.
public struct ScriptedRequest: Sendable {
    /// The HTTP method, e.g. `POST`.
    public var method: String
    /// The request path without the query string, e.g. `/v1/chat/completions`.
    public var path: String
    /// The query string without the `?`, e.g. `api-version=2024-10-21`; nil when the URL has none.
    public var query: String?
    /// Every header in the order the client sent it.
    public var headers: [(name: String, value: String)]
    /// The raw request body.
    public var body: [UInt8]
    /// The parsed body; nil when the body is not JSON.
    public var json: JSONValue?
    /// `model` from the body.
    public var model: String?
    /// `messages` from the body; empty when missing.
    public var messages: [JSONValue]
    /// The text of the last message with `role` `user`: its string content, or its `text` parts joined with `\n`.
    public var lastUserText: String?
    /// `stream` from the body.
    public var stream: Bool
    /// `stream_options.include_usage` from the body.
    public var includeUsage: Bool
    /// The 0-based ordinal of this request among every chat-completion request the endpoint received
    /// (the response's id is `chatcmpl-<sequence>` and its `x-request-id` is `req_<sequence>`).
    public var sequence: Int

    /// Parses `body` as an OpenAI chat-completion request. Tests of scripts can build requests with it directly.
    public init(
        method: String = "POST",
        path: String = "/v1/chat/completions",
        query: String? = nil,
        headers: [(name: String, value: String)] = [],
        body: [UInt8],
        sequence: Int = 0
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.sequence = sequence
        let json = try? JSONValue.parse(body)
        self.json = json
        self.model = json?["model"]?.stringValue
        let messages = json?["messages"]?.arrayValue ?? []
        self.messages = messages
        self.lastUserText = Self.lastUserText(in: messages)
        self.stream = json?["stream"]?.boolValue ?? false
        self.includeUsage = json?["stream_options"]?["include_usage"]?.boolValue ?? false
    }

    /// Builds a request from a JSON body, e.g. `ScriptedRequest(json: ["model": "m", "messages": [...]])`.
    public init(json: JSONValue, sequence: Int = 0) {
        self.init(body: Array(json.canonicalData()), sequence: sequence)
    }

    /// The value of the first header named `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// The body decoded as UTF-8.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The text of a message's `content`: the string itself, or the `text` of its parts joined with `\n`.
    public static func text(ofContent content: JSONValue?) -> String? {
        switch content {
        case .string(let text)?:
            return text
        case .array(let parts)?:
            return parts.compactMap { part in part["text"]?.stringValue ?? part.stringValue }.joined(separator: "\n")
        default:
            return nil
        }
    }

    private static func lastUserText(in messages: [JSONValue]) -> String? {
        guard let message = messages.last(where: { $0["role"]?.stringValue == "user" }) else { return nil }
        return text(ofContent: message["content"]) ?? ""
    }
}

extension String {
    /// ASCII case-insensitive comparison, enough for HTTP header names.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        guard self.utf8.count == other.utf8.count else { return false }
        return zip(self.utf8, other.utf8).allSatisfy { a, b in
            a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
        }
    }
}
