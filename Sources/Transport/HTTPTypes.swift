public import Foundation

/// Header fields in the order they were given or received. Names compare case-insensitively.
public struct HTTPHeaders: Sendable, Hashable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field of that name with one field.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name: name, value: value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { Self.sameName($0.name, name) }
    }

    /// The first value of that name.
    public subscript(name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    public func values(_ name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// Field names compare without regard to ASCII case (RFC 9110 §5.1: a name is a token, so ASCII); other bytes
    /// must be equal.
    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { a, b in
            a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
        }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> some IteratorProtocol<(name: String, value: String)> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }
}

/// How long a transfer may take. `nil` means no limit of that kind.
public struct HTTPTimeouts: Sendable, Hashable {
    /// The whole request, from start to the last byte of the body.
    public var total: Duration?
    /// Establishing the TCP (and TLS) connection.
    public var connect: Duration?
    /// Streams only (`stream(_:)`): the longest silence allowed between two pieces of the response, counted from
    /// the moment the request has been sent. A long answer may take minutes, but a stream that stops moving is dead.
    /// A whole-response request (`send(_:)`) has no idle limit: a model may think silently for long, and `total`
    /// bounds it.
    public var idle: Duration?

    public init(total: Duration? = .seconds(600), connect: Duration? = .seconds(10), idle: Duration? = .seconds(120)) {
        self.total = total
        self.connect = connect
        self.idle = idle
    }
}

public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable, Hashable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
        case head = "HEAD"
    }

    public var method: Method
    public var url: String
    public var headers: HTTPHeaders
    public var body: Data?
    public var timeouts: HTTPTimeouts
    /// The largest response body accepted; a larger one fails with `TransportError.Kind.tooLarge`.
    public var maxResponseBytes: Int

    public static let defaultMaxResponseBytes = 16 * 1024 * 1024

    public init(
        method: Method = .get,
        url: String,
        headers: HTTPHeaders = HTTPHeaders(),
        body: Data? = nil,
        timeouts: HTTPTimeouts = HTTPTimeouts(),
        maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
    }
}

/// What is known of a response once its header block has arrived.
public struct HTTPResponseHead: Sendable, Hashable {
    public var status: Int
    public var headers: HTTPHeaders
    /// "1.1", "2"...
    public var httpVersion: String

    public init(status: Int, headers: HTTPHeaders, httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.httpVersion = httpVersion
    }
}

public struct HTTPResponse: Sendable {
    public var head: HTTPResponseHead
    public var body: Data
    /// From the start of the request to the last byte.
    public var totalTime: Duration
    /// From the start of the request to the first byte of the body (or of the head when there is no body).
    public var timeToFirstByte: Duration
    /// How many new connections this request had to open: 0 when it reused one (keep-alive, or an HTTP/2
    /// connection it was multiplexed onto), 1 when it connected.
    public var connectionsOpened: Int

    public var status: Int { head.status }
    public var headers: HTTPHeaders { head.headers }

    public init(
        head: HTTPResponseHead, body: Data, totalTime: Duration, timeToFirstByte: Duration, connectionsOpened: Int = 0
    ) {
        self.head = head
        self.body = body
        self.totalTime = totalTime
        self.timeToFirstByte = timeToFirstByte
        self.connectionsOpened = connectionsOpened
    }
}

/// A response whose body arrives piece by piece. Iterate `body` to the end; it throws a `TransportError`
/// when the transfer fails after the head arrived (reset, idle timeout, too large). When the consuming task is
/// cancelled the iteration simply ends early, as `AsyncThrowingStream` does: check `Task.isCancelled` after it.
public struct HTTPStreamResponse: Sendable {
    public var head: HTTPResponseHead
    public var body: AsyncThrowingStream<Data, any Error>
    /// From the start of the request to the arrival of the head.
    public var timeToHead: Duration

    public var status: Int { head.status }
    public var headers: HTTPHeaders { head.headers }

    public init(head: HTTPResponseHead, body: AsyncThrowingStream<Data, any Error>, timeToHead: Duration) {
        self.head = head
        self.body = body
        self.timeToHead = timeToHead
    }
}

/// A transfer that failed below HTTP: no response, or a response cut short. An HTTP status >= 400 is not a
/// `TransportError`: it is a response, and the caller decides what it means.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// DNS, refused, unreachable, or a TLS handshake that failed on the way.
        case connect
        /// The server's certificate was refused (unknown CA, wrong host name, expired) or a CA file is unusable:
        /// it fails the same way every time, so it is not retried.
        case tls
        case connectTimeout = "connect_timeout"
        case totalTimeout = "total_timeout"
        case idleTimeout = "idle_timeout"
        /// The peer closed or reset the connection, or sent something that is not HTTP.
        case connectionLost = "connection_lost"
        case tooLarge = "too_large"
        case cancelled
        /// A request that could not be started: bad URL, unsupported scheme, client shut down.
        case invalidRequest = "invalid_request"
        case other
    }

    public var kind: Kind
    /// libcurl's CURLcode, when libcurl reported the failure.
    public var curlCode: Int?
    /// libcurl's own error text, or ours.
    public var message: String

    public init(kind: Kind, curlCode: Int? = nil, message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }

    public var isTimeout: Bool {
        kind == .connectTimeout || kind == .totalTimeout || kind == .idleTimeout
    }

    public var description: String {
        if let curlCode { return "\(kind.rawValue): \(message) (curl \(curlCode))" }
        return "\(kind.rawValue): \(message)"
    }
}

/// Something that performs HTTP requests. The libcurl client is the real one; tests may put a fake behind it.
public protocol HTTPTransport: Sendable {
    /// Sends a request and returns the whole response.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
    /// Sends a request and returns once the response head has arrived; the body streams as it comes.
    func stream(_ request: HTTPRequest) async throws -> HTTPStreamResponse
}
