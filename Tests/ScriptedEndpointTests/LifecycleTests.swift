import EvalCore
import ScriptedEndpoint
import Testing

@Suite("starting, waiting and shutting down")
struct LifecycleTests {
    @Test("the base URL names the bound loopback port")
    func baseURL() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            #expect(endpoint.port > 0)
            #expect(endpoint.baseURL == "http://127.0.0.1:\(endpoint.port)/v1")
        }
    }

    @Test("shutdown closes idle keep-alive connections and may be called twice")
    func shutdownClosesIdleConnections() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let port = endpoint.port
        let socket = try await onThread { () -> SendableBox<TestSocket> in
            let socket = try TestSocket(port: port)
            try socket.send(HTTPRequest.chat())
            _ = try socket.readResponse()
            return SendableBox(socket)
        }
        try await endpoint.shutdown()
        try await endpoint.shutdown()
        let rest = try await onThread { socket.value.readToEnd() }
        #expect(rest.bytes.isEmpty)
        #expect(rest.ending == .eof || rest.ending == .reset)
        #expect(endpoint.connectionCount == 1)
    }

    @Test("waitForRequests returns once enough requests arrived, at cancellation, and after shutdown")
    func waitForRequests() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        await endpoint.waitForRequests(0)

        let waiter = Task { await endpoint.waitForRequests(2) }
        _ = try await exchange(port: endpoint.port, HTTPRequest.chat())
        _ = try await exchange(port: endpoint.port, HTTPRequest.chat())
        await waiter.value
        #expect(endpoint.requestCount == 2)

        let cancelled = Task { await endpoint.waitForRequests(100) }
        cancelled.cancel()
        await cancelled.value

        let pending = Task { await endpoint.waitForRequests(100) }
        try await endpoint.shutdown()
        await pending.value
        await endpoint.waitForRequests(100)
    }

    @MainActor
    @Test("withEndpoint works from the main actor, returning a non-Sendable result")
    func mainActor() async throws {
        final class Box { var content: String? }
        let box = try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(user: "main"))
            let box = Box()
            box.content = try response.json()["choices"]?[0]?["message"]?["content"]?.stringValue
            return box
        }
        #expect(box.content == "echo: main")
    }

    @Test("several event-loop threads serve requests too")
    func threads() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo(), threads: 2) { endpoint in
            for index in 0..<4 {
                let response = try await exchange(port: endpoint.port, HTTPRequest.chat(user: "\(index)"))
                #expect(try response.json()["choices"]?[0]?["message"]?["content"]?.stringValue == "echo: \(index)")
            }
        }
    }
}
