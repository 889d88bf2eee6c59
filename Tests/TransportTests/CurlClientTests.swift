import Foundation
import ScriptedEndpoint
import Synchronization
import Testing
import Transport

#if canImport(Glibc)
    import Glibc
#endif

/// The libcurl client against live loopback servers: the scripted endpoint, a socket that never accepts, and
/// `openssl s_server` for TLS.
@Suite struct CurlClientTests {
    static func chatBody(_ text: String, stream: Bool = false, model: String = "m") -> Data {
        let payload: [String: Any] = [
            "model": model,
            "messages": [["role": "user", "content": text]],
            "stream": stream,
        ]
        return try! JSONSerialization.data(withJSONObject: payload)
    }

    static func post(
        _ url: String, _ body: Data, headers: [(String, String)] = [], timeouts: HTTPTimeouts = HTTPTimeouts(),
        cap: Int = HTTPRequest.defaultMaxResponseBytes
    ) -> HTTPRequest {
        var fields = HTTPHeaders([("Content-Type", "application/json")])
        for (name, value) in headers { fields.add(name, value) }
        return HTTPRequest(
            method: .post, url: url, headers: fields, body: body, timeouts: timeouts, maxResponseBytes: cap)
    }

    static func content(of body: Data) throws -> String {
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let choices = try #require(json["choices"] as? [[String: Any]])
        let message = try #require(choices.first?["message"] as? [String: Any])
        return try #require(message["content"] as? String)
    }

    @Test func twoHundredConcurrentRequestsAreAnsweredAndMatched() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let client = try CurlClient()
        let url = endpoint.baseURL + "/chat/completions"
        let answers = try await withThrowingTaskGroup(of: (Int, String, Int).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let response = try await client.send(Self.post(url, Self.chatBody("question \(index) — вопрос")))
                    return (index, try Self.content(of: response.body), response.status)
                }
            }
            var collected: [Int: (String, Int)] = [:]
            for try await (index, text, status) in group { collected[index] = (text, status) }
            return collected
        }
        #expect(answers.count == 200)
        for index in 0..<200 {
            #expect(answers[index]?.1 == 200)
            #expect(answers[index]?.0 == "echo: question \(index) — вопрос")
        }
        #expect(endpoint.requestCount == 200)
        #expect(client.activeTransfers == 0)
        try await endpoint.shutdown()
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let client = try CurlClient()
        for index in 0..<20 {
            let response = try await client.send(
                Self.post(endpoint.baseURL + "/chat/completions", Self.chatBody("n\(index)")))
            #expect(try Self.content(of: response.body) == "echo: n\(index)")
            #expect(response.connectionsOpened == (index == 0 ? 1 : 0))
            #expect(response.headers["x-request-id"] != nil)
        }
        #expect(endpoint.connectionCount == 1)
        try await endpoint.shutdown()
    }

    @Test func getListsModels() async throws {
        let endpoint = try await ScriptedEndpoint.start(.perModel(["alpha": { _ in .completion(.init(content: "a")) }]))
        let client = try CurlClient()
        let response = try await client.send(HTTPRequest(method: .get, url: endpoint.baseURL + "/models"))
        #expect(response.status == 200)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("\"alpha\""))
        try await endpoint.shutdown()
    }

    @Test func httpErrorStatusIsAResponseNotATransportError() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .fault(.rateLimited(retryAfter: "7")) }))
        let client = try CurlClient()
        let response = try await client.send(Self.post(endpoint.baseURL + "/chat/completions", Self.chatBody("x")))
        #expect(response.status == 429)
        #expect(response.headers["retry-after"] == "7")
        try await endpoint.shutdown()
    }

    @Test func streamDeliversHeadThenBodyPieces() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let client = try CurlClient()
        let response = try await client.stream(
            Self.post(
                endpoint.baseURL + "/chat/completions", Self.chatBody("stream me please, a longer text", stream: true))
        )
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for try await piece in response.body { events += parser.feed(piece) }
        events += parser.finish()
        #expect(events.last?.data == "[DONE]")
        var text = ""
        for event in events.dropLast() {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
            let choices = try #require(json["choices"] as? [[String: Any]])
            if let delta = choices.first?["delta"] as? [String: Any], let piece = delta["content"] as? String {
                text += piece
            }
        }
        #expect(text == "echo: stream me please, a longer text")
        try await endpoint.shutdown()
    }

    // MARK: cancellation

    @Test func cancellingTheTaskFreesTheTransfer() async throws {
        let (arrived, arrivedContinuation) = AsyncStream<Void>.makeStream()
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in
                arrivedContinuation.yield()
                return .fault(.stall)
            }))
        let client = try CurlClient()
        let request = Self.post(endpoint.baseURL + "/chat/completions", Self.chatBody("never answered"))
        let task = Task { try await client.send(request) }
        var iterator = arrived.makeAsyncIterator()
        _ = await iterator.next()  // the server holds the request: the transfer is in flight
        #expect(client.activeTransfers == 1)
        task.cancel()
        let result = await task.result
        #expect(throws: TransportError.self) { try result.get() }
        if case .failure(let error as TransportError) = result { #expect(error.kind == .cancelled) }
        #expect(client.activeTransfers == 0)
        try await endpoint.shutdown()
    }

    @Test func cancelledBeforeStartNeverSends() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let client = try CurlClient()
        let request = Self.post(endpoint.baseURL + "/chat/completions", Self.chatBody("x"))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.send(request)
        }
        let result = await task.result
        if case .failure(let error as TransportError) = result {
            #expect(error.kind == .cancelled)
        } else {
            Issue.record("expected a cancelled TransportError, got \(result)")
        }
        #expect(client.activeTransfers == 0)
        try await endpoint.shutdown()
    }

    @Test func cancellingAStreamConsumerFreesTheTransfer() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { request in
                request.stream ? .fault(.slowTrickle(interval: .seconds(30))) : .completion(.init(content: "after"))
            }))
        let client = try CurlClient()
        let url = endpoint.baseURL + "/chat/completions"
        let response = try await client.stream(Self.post(url, Self.chatBody("x", stream: true)))
        #expect(response.status == 200)
        #expect(client.activeTransfers == 1)
        // The trickled body would take minutes: the consumer gives up while waiting for it.
        let consumer = Task {
            var pieces = 0
            for try await _ in response.body { pieces += 1 }
            return pieces
        }
        consumer.cancel()
        _ = await consumer.result
        // Commands run in order on the loop thread: once a later request is answered, the cancel has been handled.
        let after = try await client.send(Self.post(url, Self.chatBody("y")))
        #expect(after.status == 200)
        #expect(client.activeTransfers == 0)
        try await endpoint.shutdown()
    }

    // MARK: timeouts

    @Test func totalTimeoutWhenTheServerStalls() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .fault(.stall) }))
        let client = try CurlClient()
        let request = Self.post(
            endpoint.baseURL + "/chat/completions", Self.chatBody("x"),
            timeouts: HTTPTimeouts(total: .milliseconds(300), connect: .seconds(5), idle: nil)
        )
        let error = try await #require(throws: TransportError.self) { try await client.send(request) }
        #expect(error.kind == .totalTimeout)
        #expect(error.curlCode == 28)
        #expect(error.message.contains("timed out"))
        try await endpoint.shutdown()
    }

    @Test func idleTimeoutWhenAStreamGoesSilent() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .fault(.stall) }))
        let client = try CurlClient()
        let request = Self.post(
            endpoint.baseURL + "/chat/completions", Self.chatBody("x", stream: true),
            timeouts: HTTPTimeouts(total: .seconds(60), connect: .seconds(5), idle: .milliseconds(300))
        )
        let error = try await #require(throws: TransportError.self) { _ = try await client.stream(request) }
        #expect(error.kind == .idleTimeout)
        #expect(client.activeTransfers == 0)
        try await endpoint.shutdown()
    }

    @Test func idleTimeoutInTheMiddleOfABody() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in .fault(.slowTrickle(interval: .seconds(30))) }))
        let client = try CurlClient()
        let request = Self.post(
            endpoint.baseURL + "/chat/completions", Self.chatBody("x", stream: true),
            timeouts: HTTPTimeouts(total: .seconds(60), connect: .seconds(5), idle: .milliseconds(300))
        )
        let response = try await client.stream(request)
        #expect(response.status == 200)
        let error = try await #require(throws: TransportError.self) { for try await _ in response.body {} }
        #expect(error.kind == .idleTimeout)
        try await endpoint.shutdown()
    }

    @Test func timeoutOnAReusedConnectionIsATotalTimeout() async throws {
        let calls = Atomic<Int>(0)
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in
                calls.add(1, ordering: .relaxed).oldValue == 0 ? .text("first") : .fault(.stall)
            }))
        let client = try CurlClient()
        let url = endpoint.baseURL + "/chat/completions"
        _ = try await client.send(Self.post(url, Self.chatBody("x")))
        let error = try await #require(throws: TransportError.self) {
            try await client.send(
                Self.post(
                    url, Self.chatBody("y"),
                    timeouts: HTTPTimeouts(total: .milliseconds(300), connect: .seconds(5), idle: nil)))
        }
        #expect(error.kind == .totalTimeout)
        #expect(endpoint.connectionCount == 1)
        try await endpoint.shutdown()
    }

    @Test func wholeResponsesHaveNoIdleLimit() async throws {
        // The server thinks longer than the idle limit before answering: only streams are held to it.
        let endpoint = try await ScriptedEndpoint.start(
            Script(latency: .milliseconds(600), handler: { _ in .text("slow but fine") }))
        let client = try CurlClient()
        let request = Self.post(
            endpoint.baseURL + "/chat/completions", Self.chatBody("x"),
            timeouts: HTTPTimeouts(total: .seconds(30), connect: .seconds(5), idle: .milliseconds(200))
        )
        let response = try await client.send(request)
        #expect(try Self.content(of: response.body) == "slow but fine")
        try await endpoint.shutdown()
    }

    @Test func streamsQueuedForAConnectionAreNotIdle() async throws {
        // One connection per host: the second stream waits for the first; its idle clock starts when it is sent.
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in .fault(.slowTrickle(interval: .milliseconds(50))) }))
        let client = try CurlClient(configuration: .init(maxConnectionsPerHost: 1))
        let url = endpoint.baseURL + "/chat/completions"
        let timeouts = HTTPTimeouts(total: .seconds(60), connect: .seconds(5), idle: .milliseconds(400))
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let response = try await client.stream(
                        Self.post(url, Self.chatBody("x", stream: true), timeouts: timeouts))
                    var bytes = 0
                    for try await piece in response.body { bytes += piece.count }
                    return bytes
                }
            }
            for try await bytes in group { #expect(bytes > 0) }
        }
        #expect(endpoint.connectionCount == 1)
        try await endpoint.shutdown()
    }

    @Test func connectTimeoutWhenTheListenQueueIsFull() async throws {
        let listener = try FullListener()
        defer { listener.close() }
        let client = try CurlClient()
        let request = HTTPRequest(
            url: "http://127.0.0.1:\(listener.port)/v1/models",
            timeouts: HTTPTimeouts(total: .seconds(30), connect: .milliseconds(300), idle: nil)
        )
        let error = try await #require(throws: TransportError.self) { try await client.send(request) }
        #expect(error.kind == .connectTimeout)
    }

    // MARK: faults

    @Test func refusedConnectionIsAConnectError() async throws {
        let port = try closedPort()
        let client = try CurlClient()
        let error = try await #require(throws: TransportError.self) {
            try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/v1/models"))
        }
        #expect(error.kind == .connect)
        #expect(error.curlCode == 7)
    }

    @Test func resetMidBodyIsAConnectionLoss() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .fault(.resetMidBody) }))
        let client = try CurlClient()
        let error = try await #require(throws: TransportError.self) {
            try await client.send(Self.post(endpoint.baseURL + "/chat/completions", Self.chatBody("x")))
        }
        #expect(error.kind == .connectionLost)
        try await endpoint.shutdown()
    }

    @Test func oversizedBodyIsRefusedAtTheCap() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script(handler: { _ in .fault(.oversizedBody(bytes: 3_000_000)) }))
        let client = try CurlClient()
        let request = Self.post(endpoint.baseURL + "/chat/completions", Self.chatBody("x"), cap: 1_000_000)
        let error = try await #require(throws: TransportError.self) { try await client.send(request) }
        #expect(error.kind == .tooLarge)
        #expect(error.message.contains("1000000"))
        // Under the cap the same answer arrives whole.
        let whole = try await client.send(
            Self.post(endpoint.baseURL + "/chat/completions", Self.chatBody("x"), cap: 4_000_000))
        #expect(whole.body.count == 3_000_000)
        try await endpoint.shutdown()
    }

    @Test func oversizedStreamIsCutAtTheCap() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let client = try CurlClient()
        let longText = String(repeating: "слово ", count: 20_000)
        let request = Self.post(
            endpoint.baseURL + "/chat/completions", Self.chatBody(longText, stream: true), cap: 50_000)
        let response = try await client.stream(request)
        var received = 0
        let error = try await #require(throws: TransportError.self) {
            for try await piece in response.body { received += piece.count }
        }
        #expect(error.kind == .tooLarge)
        #expect(received <= 50_000)
        try await endpoint.shutdown()
    }

    @Test(arguments: ["not a url", "ftp://127.0.0.1/x", "file:///etc/passwd"])
    func unusableURLsAreInvalidRequests(url: String) async throws {
        let client = try CurlClient()
        let error = try await #require(throws: TransportError.self) { try await client.send(HTTPRequest(url: url)) }
        #expect(error.kind == .invalidRequest)
    }

    @Test func requestsAfterShutdownFail() async throws {
        let client = try CurlClient()
        client.shutdown()
        let error = try await #require(throws: TransportError.self) {
            try await client.send(HTTPRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(error.kind == .invalidRequest)
        #expect(error.message.contains("shut down"))
    }

    @Test func shutdownWhileStreamsArriveFailsThemCleanly() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .fault(.stall) }))
        let url = endpoint.baseURL + "/chat/completions"
        for _ in 0..<5 {
            let client = try CurlClient()
            let outcomes = await withTaskGroup(of: TransportError.Kind?.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        do {
                            _ = try await client.stream(Self.post(url, Self.chatBody("x", stream: true)))
                            return nil
                        } catch let error as TransportError {
                            return error.kind
                        } catch {
                            return .other
                        }
                    }
                    if index == 50 {
                        group.addTask {
                            client.shutdown()
                            return .invalidRequest
                        }
                    }
                }
                var kinds: [TransportError.Kind?] = []
                for await kind in group { kinds.append(kind) }
                return kinds
            }
            // Every stream ends: a head never came (the server stalls), so each one failed with "shut down".
            #expect(outcomes.count == 101)
            #expect(outcomes.allSatisfy { $0 == .invalidRequest })
            #expect(client.activeTransfers == 0)
        }
        try await endpoint.shutdown()
    }

    // MARK: TLS

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs /usr/bin/openssl"))
    func tlsIsVerifiedByDefaultAndTrustsAGivenCAFile() async throws {
        let server = try OpenSSLServer(connections: 3)
        defer { server.stop() }
        let url = "https://localhost:\(server.port)/"

        let strict = try CurlClient()
        let error = try await #require(throws: TransportError.self) { try await strict.send(HTTPRequest(url: url)) }
        #expect(error.kind == .tls)
        #expect(error.curlCode == 60)  // CURLE_PEER_FAILED_VERIFICATION

        let trusting = try CurlClient(configuration: .init(caFile: server.certificatePath))
        let verified = try await trusting.send(HTTPRequest(url: url))
        #expect(verified.status == 200)

        let insecure = try CurlClient(configuration: .insecure)
        let unverified = try await insecure.send(HTTPRequest(url: url))
        #expect(unverified.status == 200)
    }
}

/// HTTP/2 over TLS against nghttpd (Debian's nghttp2-server; `.ci/run` installs it).
@Suite struct HTTP2Tests {
    static let nghttpd = "/usr/sbin/nghttpd"

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: nghttpd), "needs nghttpd (apt-get install nghttp2-server)")
    )
    func concurrentRequestsShareOneMultiplexedConnection() async throws {
        let server = try NGHTTPServer()
        defer { server.stop() }
        let client = try CurlClient(configuration: .init(caFile: server.certificatePath))
        let url = "https://localhost:\(server.port)/models"
        let versions = try await withThrowingTaskGroup(of: (String, Int, String, Int).self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let response = try await client.send(HTTPRequest(url: url))
                    return (
                        response.head.httpVersion, response.status, String(decoding: response.body, as: UTF8.self),
                        response.connectionsOpened
                    )
                }
            }
            var all: [(String, Int, String, Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(versions.count == 20)
        for (version, status, body, _) in versions {
            #expect(version == "2")
            #expect(status == 200)
            #expect(body == "{\"ok\":true}\n")
        }
        // One request opened the connection; the other 19 were multiplexed onto it.
        #expect(versions.map(\.3).reduce(0, +) == 1)
    }
}

/// `nghttpd` serving a folder over HTTP/2 with TLS on a free loopback port.
final class NGHTTPServer {
    let port: Int
    let certificatePath: String
    private let process: Process
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-h2-\(UUID().uuidString)")
        let docroot = directory.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: docroot, withIntermediateDirectories: true)
        try Data("{\"ok\":true}\n".utf8).write(to: docroot.appendingPathComponent("models"))
        let tls = try OpenSSLServer.makeCertificate(in: directory)
        certificatePath = tls.certificate
        port = try closedPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: HTTP2Tests.nghttpd)
        process.arguments = ["-v", "-a", "127.0.0.1", "-d", docroot.path, "\(port)", tls.key, tls.certificate]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // With -v, nghttpd prints "IPv4: listen 127.0.0.1:PORT" once it listens (without -v it prints nothing).
        var buffer = Data()
        while !String(decoding: buffer, as: UTF8.self).contains("listen") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw POSIXError(.EIO) }
            buffer.append(chunk)
        }
        // Drain the rest of its verbose log so the pipe never fills and blocks the server.
        let reader = output.fileHandleForReading
        Thread {
            while !reader.availableData.isEmpty {}
        }.start()
    }

    func stop() {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }
}

// MARK: helpers

/// A TCP listener with a backlog of zero whose queue is filled by two idle connections, so the kernel drops the
/// next SYN and a connect attempt hangs until the client's connect timeout.
final class FullListener {
    let port: Int
    private var descriptors: [Int32] = []

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        descriptors.append(listener)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 else {
                    throw POSIXError(.EADDRINUSE)
                }
            }
        }
        guard listen(listener, 0) == 0 else { throw POSIXError(.EIO) }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: bound.sin_port))
        // Fill the accept queue (backlog 0 holds one established connection; a second SYN stays half-open).
        for _ in 0..<3 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            descriptors.append(filler)
            var target = address
            target.sin_port = bound.sin_port
            _ = withUnsafePointer(to: &target) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    func close() {
        for descriptor in descriptors { _ = Glibc.close(descriptor) }
        descriptors.removeAll()
    }
}

/// A port on loopback with nothing listening: bound, read, closed.
func closedPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { _ = Glibc.close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// `openssl s_server -www` on loopback with a fresh self-signed certificate for localhost.
final class OpenSSLServer {
    let port: Int
    let certificatePath: String
    private let process: Process
    private let directory: URL

    /// - Parameter connections: the server exits by itself after this many connections.
    init(connections: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let tls = try Self.makeCertificate(in: directory)
        certificatePath = tls.certificate
        let keyPath = tls.key

        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "s_server", "-accept", "127.0.0.1:0", "-cert", certificatePath, "-key", keyPath, "-www", "-naccept",
            "\(connections)",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens: read until that line.
        var buffer = Data()
        var found: Int?
        while found == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
                let colon = line.lastIndex(of: ":")
            {
                found = Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
        }
        guard let found else {
            process.terminate()
            throw POSIXError(.EIO)
        }
        port = found
    }

    /// A fresh self-signed certificate for localhost and 127.0.0.1, written into `directory`.
    static func makeCertificate(in directory: URL) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let generate = Process()
        generate.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        generate.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        generate.standardOutput = FileHandle.nullDevice
        generate.standardError = FileHandle.nullDevice
        try generate.run()
        generate.waitUntilExit()
        guard generate.terminationStatus == 0 else { throw POSIXError(.EIO) }
        return (certificate, key)
    }

    func stop() {
        // No waitUntilExit: Foundation reaps the child itself, and waiting from a test task can hang on Linux.
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }
}
