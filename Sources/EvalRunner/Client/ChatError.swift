public import Transport

/// Why a chat request produced no answer. Every failure of the client is one of these, classified, so the runner can
/// record it as an *error* (never as a check failure) and reports can count errors by class.
public struct ChatError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// No connection: refused, DNS, TLS handshake or certificate.
        case connect
        /// Connect, total or idle timeout (see `transportKind` for which).
        case timeout
        /// The server answered with an HTTP error status (see `status` and `serverMessage`).
        case http
        /// The body was not what the API promises (not JSON, no choices, a broken stream chunk).
        case malformed
        /// The connection was lost, or a stream ended before it was complete.
        case truncated
        case cancelled
        /// The response was larger than the size cap.
        case tooLarge = "too_large"
        /// The request could not be made: bad base URL, missing API-key variable, client shut down.
        case invalidRequest = "invalid_request"
    }

    public var kind: Kind
    public var message: String
    /// The HTTP status, for `.http`, and for other kinds when a response had arrived.
    public var status: Int?
    /// The server's own error message, type and code (OpenAI error JSON, or its equivalent).
    public var serverMessage: String?
    public var serverType: String?
    public var serverCode: String?
    public var requestID: String?
    /// The transport failure below this error, when there was one.
    public var transportKind: TransportError.Kind?
    public var curlCode: Int?
    /// How many attempts were made before giving up.
    public var attempts: Int
    /// The headers of the error response (`retry-after`, rate-limit headers), when there was one.
    public var responseHeaders: HTTPHeaders?

    public init(
        kind: Kind,
        message: String,
        status: Int? = nil,
        serverMessage: String? = nil,
        serverType: String? = nil,
        serverCode: String? = nil,
        requestID: String? = nil,
        transportKind: TransportError.Kind? = nil,
        curlCode: Int? = nil,
        attempts: Int = 1
    ) {
        self.kind = kind
        self.message = message
        self.status = status
        self.serverMessage = serverMessage
        self.serverType = serverType
        self.serverCode = serverCode
        self.requestID = requestID
        self.transportKind = transportKind
        self.curlCode = curlCode
        self.attempts = attempts
    }

    init(_ transport: TransportError) {
        let kind: Kind
        switch transport.kind {
        case .connect, .tls: kind = .connect
        case .connectTimeout, .totalTimeout, .idleTimeout: kind = .timeout
        case .connectionLost: kind = .truncated
        case .tooLarge: kind = .tooLarge
        case .cancelled: kind = .cancelled
        case .invalidRequest: kind = .invalidRequest
        case .other: kind = .connect
        }
        self.init(kind: kind, message: transport.message, transportKind: transport.kind, curlCode: transport.curlCode)
    }

    /// A short class name for reports and run logs: `http_429`, `timeout_idle`, `connect`...
    public var errorClass: String {
        switch kind {
        case .http: return "http_\(status ?? 0)"
        case .timeout:
            switch transportKind {
            case .connectTimeout: return "timeout_connect"
            case .idleTimeout: return "timeout_idle"
            default: return "timeout_total"
            }
        case .connect where transportKind == .tls: return "connect_tls"
        default: return kind.rawValue
        }
    }

    public var description: String {
        var text = "\(errorClass): \(message)"
        if let serverMessage, kind == .http { text += ": \(serverMessage)" }
        if let requestID { text += " (request \(requestID))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        return text
    }
}
