import EvalCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny blocking HTTP/1.1 client over a POSIX socket, so that the endpoint is tested over real loopback TCP
/// without URLSession or libcurl. Use it on its own thread (see ``onThread(_:)``): it blocks.
final class TestSocket {
    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        case malformed(String)
        case endedEarly(received: Int)

        var description: String {
            switch self {
            case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
            case .malformed(let what): "malformed response: \(what)"
            case .endedEarly(let received): "connection ended after \(received) bytes"
            }
        }
    }

    /// How a read-to-the-end finished.
    enum Ending: Equatable, Sendable {
        case eof
        case reset
        case error(Int32)
    }

    private let fd: Int32
    /// Bytes received but not yet consumed by a parser.
    private var pending: [UInt8] = []
    /// How many successful `recv` calls returned data so far.
    private(set) var reads = 0

    /// Connects to 127.0.0.1:`port`. The receive timeout only turns a bug into a failure instead of a hang; no test
    /// relies on it to pass.
    init(port: Int, receiveTimeoutSeconds: Int = 30) throws {
        #if canImport(Glibc)
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure.system("socket", errno) }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure.system("connect", code)
        }
    }

    deinit {
        close(fd)
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { raw in sendNoSignal(fd, raw) }
            guard sent > 0 else { throw Failure.system("send", errno) }
            offset += sent
        }
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// One `recv`: some bytes, or nil at EOF.
    private func receive() throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 { throw Failure.system("recv", errno) }
        if count == 0 { return nil }
        reads += 1
        return Array(buffer[0..<count])
    }

    /// Makes sure `pending` holds at least `count` bytes.
    private func fill(to count: Int) throws {
        while pending.count < count {
            guard let more = try receive() else { throw Failure.endedEarly(received: pending.count) }
            pending += more
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        try fill(to: count)
        defer { pending.removeFirst(count) }
        return Array(pending[0..<count])
    }

    /// Reads through the next CRLF and returns the line without it.
    private func readLine() throws -> String {
        while true {
            if let index = pending.indices.dropLast().first(where: { pending[$0] == 13 && pending[$0 + 1] == 10 }) {
                let line = String(decoding: pending[0..<index], as: UTF8.self)
                pending.removeFirst(index + 2)
                return line
            }
            guard let more = try receive() else { throw Failure.endedEarly(received: pending.count) }
            pending += more
        }
    }

    /// Reads a status line and headers (skipping `1xx` interim responses unless `interim` is true).
    func readHead(interim: Bool = false) throws -> TestResponse {
        while true {
            let statusLine = try readLine()
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
                throw Failure.malformed("status line '\(statusLine)'")
            }
            var headers: [(String, String)] = []
            while true {
                let line = try readLine()
                if line.isEmpty { break }
                guard let colon = line.firstIndex(of: ":") else { throw Failure.malformed("header '\(line)'") }
                headers.append(
                    (
                        String(line[..<colon]),
                        String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                    ))
            }
            if (100..<200).contains(status) && !interim { continue }
            return TestResponse(status: status, headers: headers)
        }
    }

    /// Reads one whole response: by `content-length`, by chunks, or to EOF.
    func readResponse() throws -> TestResponse {
        var response = try readHead()
        let readsBefore = reads
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            response.body = try take(length)
        } else if response.header("transfer-encoding")?.lowercased() == "chunked" {
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
                    throw Failure.malformed("chunk size '\(sizeLine)'")
                }
                if size == 0 {
                    guard try readLine().isEmpty else { throw Failure.malformed("trailers") }
                    break
                }
                let chunk = try take(size)
                response.chunks.append(chunk)
                response.body += chunk
                guard try take(2) == [13, 10] else { throw Failure.malformed("chunk end") }
            }
        } else {
            let rest = readToEnd()
            response.body = rest.bytes
        }
        response.bodyReads = reads - readsBefore
        return response
    }

    /// Reads everything until the peer closes or resets; includes bytes already buffered.
    func readToEnd() -> (bytes: [UInt8], ending: Ending) {
        var bytes = pending
        pending = []
        while true {
            do {
                guard let more = try receive() else { return (bytes, .eof) }
                bytes += more
            } catch Failure.system(_, let code) {
                return (bytes, code == ECONNRESET ? .reset : .error(code))
            } catch {
                return (bytes, .error(-1))
            }
        }
    }
}

/// `send` that reports a closed peer as EPIPE instead of raising SIGPIPE.
private func sendNoSignal(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    #if canImport(Glibc)
        return Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
    #else
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        return Darwin.send(fd, bytes.baseAddress, bytes.count, 0)
    #endif
}

/// A response as the test client saw it.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8] = []
    /// The chunks of a chunked body, in order.
    var chunks: [[UInt8]] = []
    /// How many `recv` calls delivered the body.
    var bodyReads = 0

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSONValue {
        try JSONValue.parse(Data(body))
    }

    /// The `data:` payloads of an event-stream body, in order.
    var events: [String] {
        text.components(separatedBy: "\n\n").compactMap { block in
            block.split(separator: "\n").first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
        }
    }

    /// The `data:` payloads parsed as JSON, without `[DONE]`.
    func eventJSON() throws -> [JSONValue] {
        try events.filter { $0 != "[DONE]" }.map { try JSONValue.parse(Data($0.utf8)) }
    }

    /// The concatenated `delta.content` of a stream.
    func streamedContent() throws -> String {
        try eventJSON().compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
    }
}

/// Request bytes for the test client.
enum HTTPRequest {
    static func make(
        _ method: String = "POST",
        _ path: String = "/v1/chat/completions",
        body: String? = nil,
        headers: [(String, String)] = []
    ) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body {
            text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        } else {
            text += "\r\n"
        }
        return text
    }

    /// A chat request asking `model` with one user message.
    static func chat(
        model: String = "test-model",
        user: String = "Hello",
        stream: Bool = false,
        includeUsage: Bool = false,
        headers: [(String, String)] = []
    ) -> String {
        make(body: chatBody(model: model, user: user, stream: stream, includeUsage: includeUsage), headers: headers)
    }

    static func chatBody(model: String, user: String, stream: Bool = false, includeUsage: Bool = false) -> String {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": .string(user)]],
        ]
        if stream {
            body["stream"] = true
            if includeUsage { body["stream_options"] = ["include_usage": true] }
        }
        return String(decoding: JSONValue.object(body).canonicalData(), as: UTF8.self)
    }
}

/// Runs blocking socket work on a thread of its own, never on the cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}

/// Connects, sends `request` and reads one response, on a thread of its own.
func exchange(port: Int, _ request: String) async throws -> TestResponse {
    try await onThread {
        let socket = try TestSocket(port: port)
        try socket.send(request)
        return try socket.readResponse()
    }
}
