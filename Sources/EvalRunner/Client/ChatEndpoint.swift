import Foundation
public import Transport

/// Where and how to reach an OpenAI-compatible server: OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp server, LM Studio.
///
/// Secrets are never stored here: the endpoint names the environment variables that hold them, and the client reads
/// them when it is created.
public struct ChatEndpoint: Sendable, Hashable {
    /// The API root that `/chat/completions` and `/models` hang off, e.g. `http://localhost:8000/v1`.
    public var baseURL: String
    /// Sends `Authorization: Bearer <value of this variable>` when set.
    public var apiKeyEnvironmentVariable: String?
    /// Extra headers sent as given, e.g. `OpenAI-Organization`. Do not put secrets here: use `secretHeaders`.
    public var headers: [String: String]
    /// Headers whose value is read from an environment variable: header name → variable name.
    /// Azure OpenAI authenticates with `api-key: <key>`, so `["api-key": "AZURE_OPENAI_API_KEY"]`.
    public var secretHeaders: [String: String]
    /// Query items added to every URL, e.g. Azure's `api-version`.
    public var queryItems: [String: String]
    /// Query items whose value is read from an environment variable: item name → variable name. Their values are
    /// secrets: masked in the curl trace and redacted wherever the process writes.
    public var secretQueryItems: [String: String]
    public var timeouts: HTTPTimeouts
    public var maxResponseBytes: Int

    public init(
        baseURL: String,
        apiKeyEnvironmentVariable: String? = nil,
        headers: [String: String] = [:],
        secretHeaders: [String: String] = [:],
        queryItems: [String: String] = [:],
        secretQueryItems: [String: String] = [:],
        timeouts: HTTPTimeouts = HTTPTimeouts(),
        maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes
    ) {
        self.baseURL = baseURL
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
        self.headers = headers
        self.secretHeaders = secretHeaders
        self.queryItems = queryItems
        self.secretQueryItems = secretQueryItems
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
    }

    /// The base URL as it may be shown and recorded: no user or password, and no query (which may carry a key).
    public var displayURL: String { Self.redactedURL(baseURL) }

    /// For a 404: when the base URL's path ends without a version segment (`/v1`, `/v2beta`, `/openai/v1`...), the
    /// hint that OpenAI-compatible servers serve chat/completions under `/v1`; nil when the path has one.
    public var missingVersionHint: String? {
        guard let components = URLComponents(string: baseURL), !components.path.contains("/deployments/") else {
            return nil
        }
        let last = components.path.split(separator: "/").last.map(String.init) ?? ""
        let versioned = last.count >= 2 && last.first == "v" && last.dropFirst().first?.isNumber == true
        guard !versioned else { return nil }
        var suggested = components
        suggested.path = (components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path) + "/v1"
        suggested.query = nil
        return
            "the base URL has no /v1: OpenAI-compatible servers answer under it; did you mean '\(Self.redactedURL(suggested.string ?? baseURL))'?"
    }

    /// `url` without credentials: user info is dropped, and every query value is replaced by `REDACTED`.
    public static func redactedURL(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "<unparseable URL>" }
        components.user = nil
        components.password = nil
        if let items = components.queryItems, !items.isEmpty {
            components.queryItems = items.map { URLQueryItem(name: $0.name, value: $0.value == nil ? nil : "REDACTED") }
        }
        return components.string ?? "<unparseable URL>"
    }

    /// Checks the base URL: an http or https URL with a host.
    public func validate() throws(ChatError) {
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw ChatError(
                kind: .invalidRequest,
                message: "base URL must be an http:// or https:// URL with a host, found '\(displayURL)'"
            )
        }
    }

    /// The URL of an API path below the base URL: `path` is appended to the base's path, and the endpoint's
    /// query items are merged with any the base URL already carries.
    func url(_ path: String, secretQuery: [String: String] = [:]) -> String {
        let queryItems = self.queryItems.merging(secretQuery) { _, secret in secret }
        guard var components = URLComponents(string: baseURL) else { return baseURL + path }
        var basePath = components.percentEncodedPath
        while basePath.hasSuffix("/") { basePath.removeLast() }
        components.percentEncodedPath = basePath + path
        if !queryItems.isEmpty {
            var items = components.queryItems ?? []
            let given = Set(queryItems.keys)
            items.removeAll { given.contains($0.name) }
            items += queryItems.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            components.queryItems = items
            // URLComponents leaves "+" as is, which servers read as a space.
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        }
        return components.string ?? baseURL + path
    }
}
