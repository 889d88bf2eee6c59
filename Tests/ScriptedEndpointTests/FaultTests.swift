import EvalCore
import Foundation
import ScriptedEndpoint
import Testing

@Suite("faults, from the script and from the x-scripted-fault header")
struct FaultTests {
    /// A script that answers every request with `fault`.
    private func faulty(_ fault: ScriptedFault) -> Script {
        Script { _ in .fault(fault) }
    }

    @Test(
        "rateLimited is a 429 with retry-after headers and OpenAI's rate-limit error, and the connection stays usable")
    func rateLimited() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.rateLimited(retryAfter: "2", retryAfterMs: "1500"))) {
            endpoint in
            let (limited, again) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                try socket.send(HTTPRequest.chat())
                let limited = try socket.readResponse()
                try socket.send(HTTPRequest.chat())
                return (limited, try socket.readResponse())
            }
            #expect(limited.status == 429)
            #expect(limited.header("retry-after") == "2")
            #expect(limited.header("retry-after-ms") == "1500")
            let error = try #require(try limited.json()["error"])
            #expect(error["type"] == "rate_limit_error")
            #expect(error["code"] == "rate_limit_exceeded")
            #expect(error["message"]?.stringValue?.isEmpty == false)
            #expect(again.status == 429)
            #expect(endpoint.connectionCount == 1)
        }
    }

    @Test("rateLimited without retry hints sends no retry headers")
    func rateLimitedWithoutHints() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.rateLimited(retryAfter: nil))) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat())
            #expect(response.status == 429)
            #expect(response.header("retry-after") == nil)
            #expect(response.header("retry-after-ms") == nil)
        }
    }

    @Test("serverError answers its status with an OpenAI server_error body", arguments: [500, 503])
    func serverError(status: Int) async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.serverError(status: status))) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(stream: true))
            #expect(response.status == status)
            #expect(response.header("content-type") == "application/json")
            #expect(try response.json()["error"]?["type"] == "server_error")
        }
    }

    @Test("resetMidBody: the client gets the head and part of a plain body, then the connection ends")
    func resetPlain() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.resetMidBody)) { endpoint in
            let (head, rest) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                try socket.send(HTTPRequest.chat())
                return (try socket.readHead(), socket.readToEnd())
            }
            #expect(head.status == 200)
            let length = try #require(head.header("content-length").flatMap { Int($0) })
            #expect(rest.bytes.count < length)
            #expect(!rest.bytes.isEmpty)
            #expect(rest.ending == .reset || rest.ending == .eof)
        }
    }

    @Test("resetMidBody on a stream: the chunked body never ends")
    func resetStream() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.resetMidBody)) { endpoint in
            let (head, rest) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                try socket.send(HTTPRequest.chat(stream: true))
                return (try socket.readHead(), socket.readToEnd())
            }
            #expect(head.header("transfer-encoding") == "chunked")
            let text = String(decoding: rest.bytes, as: UTF8.self)
            #expect(!text.hasSuffix("0\r\n\r\n"))
            #expect(!text.contains("[DONE]"))
            #expect(rest.ending == .reset || rest.ending == .eof)
        }
    }

    @Test("stall: no byte arrives until shutdown, and shutdown closes the connection")
    func stall() async throws {
        let endpoint = try await ScriptedEndpoint.start(faulty(.stall))
        let port = endpoint.port
        async let outcome = onThread {
            let socket = try TestSocket(port: port)
            try socket.send(HTTPRequest.chat())
            return socket.readToEnd()
        }
        await endpoint.waitForRequests(1)
        try await endpoint.shutdown()
        let (bytes, ending) = try await outcome
        #expect(bytes.isEmpty)
        #expect(ending == .eof || ending == .reset)
    }

    @Test("malformedJSON: a plain 200 whose complete body is not JSON")
    func malformedPlain() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.malformedJSON)) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat())
            #expect(response.status == 200)
            #expect(response.header("content-length") == String(response.body.count))
            #expect(throws: (any Error).self) { try response.json() }
        }
    }

    @Test("truncatedJSON: a whole HTTP body whose JSON stops halfway, for a plain and a streaming request")
    func truncatedJSON() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.truncatedJSON)) { endpoint in
            for stream in [false, true] {
                let response = try await exchange(port: endpoint.port, HTTPRequest.chat(stream: stream))
                #expect(response.status == 200)
                #expect(response.header("content-length") == String(response.body.count))
                let error = try #require(throws: JSONParseError.self) { try JSONValue.parse(response.body) }
                #expect(error.offset >= response.body.count, "the JSON runs out, it is not wrong before its end")
            }
        }
    }

    @Test("malformedJSON on a stream: one event is not JSON, the stream still ends with [DONE]")
    func malformedStream() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.malformedJSON)) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(stream: true))
            let events = response.events
            #expect(events.last == "[DONE]")
            let unparsable = events.filter { (try? JSONValue.parse(Data($0.utf8))) == nil && $0 != "[DONE]" }
            #expect(unparsable.count == 1)
        }
    }

    @Test("truncatedSSE: some chunks, no finish reason, no [DONE], then the connection closes")
    func truncatedStream() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.truncatedSSE)) { endpoint in
            let (response, rest) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                try socket.send(HTTPRequest.chat(stream: true))
                let response = try socket.readResponse()
                return (response, socket.readToEnd())
            }
            #expect(response.status == 200)
            #expect(response.header("connection") == "close")
            #expect(!response.events.isEmpty)
            #expect(!response.events.contains("[DONE]"))
            let chunks = try response.eventJSON()
            #expect(chunks.allSatisfy { $0["choices"]?[0]?["finish_reason"] == .null })
            let content = try response.streamedContent()
            #expect(!content.isEmpty)
            #expect(ScriptedFault.fillerContent.hasPrefix(content))
            #expect(content != ScriptedFault.fillerContent)
            #expect(rest.bytes.isEmpty)
            #expect(rest.ending == .eof)
        }
    }

    @Test("truncatedSSE on a plain request: part of the content-length, then an orderly close")
    func truncatedPlain() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.truncatedSSE)) { endpoint in
            let (head, rest) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                try socket.send(HTTPRequest.chat())
                return (try socket.readHead(), socket.readToEnd())
            }
            let length = try #require(head.header("content-length").flatMap { Int($0) })
            #expect(!rest.bytes.isEmpty)
            #expect(rest.bytes.count < length)
            #expect(rest.ending == .eof)
        }
    }

    @Test(
        "oversizedBody: a plain body of exactly that many bytes that is still a completion",
        arguments: [100_000, 3_000_000])
    func oversizedPlain(bytes: Int) async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.oversizedBody(bytes: bytes))) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat())
            #expect(response.status == 200)
            #expect(response.body.count == bytes)
            #expect(response.header("content-length") == String(bytes))
            let content = try #require(try response.json()["choices"]?[0]?["message"]?["content"]?.stringValue)
            #expect(content.utf8.count > bytes - 400)
            #expect(content.utf8.allSatisfy { $0 == UInt8(ascii: "a") })
        }
    }

    @Test("oversizedBody smaller than a completion is that many bytes of padding")
    func oversizedTiny() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.oversizedBody(bytes: 10))) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat())
            #expect(response.body.count == 10)
        }
    }

    @Test("oversizedBody on a stream: one delta of that many characters")
    func oversizedStream() async throws {
        try await ScriptedEndpoint.withEndpoint(faulty(.oversizedBody(bytes: 200_000))) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(stream: true))
            #expect(try response.streamedContent().utf8.count == 200_000)
            #expect(response.events.last == "[DONE]")
        }
    }

    @Test("slowTrickle: a plain body arrives complete, its pieces spaced by the interval")
    func tricklePlain() async throws {
        let interval = Duration.milliseconds(5)
        try await ScriptedEndpoint.withEndpoint(faulty(.slowTrickle(interval: interval))) { endpoint in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat())
            let elapsed = clock.now - start
            #expect(
                try response.json()["choices"]?[0]?["message"]?["content"]?.stringValue == ScriptedFault.fillerContent)
            let pieces = (response.body.count + ScriptedFault.tricklePieceBytes - 1) / ScriptedFault.tricklePieceBytes
            #expect(pieces > 3)
            // The head and first piece go at once; each further piece waits for the interval.
            #expect(elapsed >= interval * (pieces - 1))
        }
    }

    @Test("slowTrickle: a stream arrives complete, one event per interval")
    func trickleStream() async throws {
        let interval = Duration.milliseconds(5)
        try await ScriptedEndpoint.withEndpoint(faulty(.slowTrickle(interval: interval))) { endpoint in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat(stream: true))
            let elapsed = clock.now - start
            #expect(try response.streamedContent() == ScriptedFault.fillerContent)
            #expect(response.events.last == "[DONE]")
            // The head and first event go at once; each further event waits for the interval.
            #expect(elapsed >= interval * (response.events.count - 1))
        }
    }

    @Test("slowTrickle: the first read holds only part of the body; shutdown ends the trickle")
    func trickleArrivesInPieces() async throws {
        // An interval far longer than any test: the second piece can never arrive before shutdown.
        let endpoint = try await ScriptedEndpoint.start(faulty(.slowTrickle(interval: .seconds(3600))))
        let port = endpoint.port
        let socket = try await onThread { () -> SendableBox<TestSocket> in
            let socket = try TestSocket(port: port)
            try socket.send(HTTPRequest.chat())
            return SendableBox(socket)
        }
        let head = try await onThread { try socket.value.readHead() }
        let length = try #require(head.header("content-length").flatMap { Int($0) })
        try await endpoint.shutdown()
        let rest = try await onThread { socket.value.readToEnd() }
        #expect(rest.bytes.count == ScriptedFault.tricklePieceBytes)
        #expect(rest.bytes.count < length)
    }

    @Test(
        "the x-scripted-fault header overrides the script",
        arguments: [
            ("rate_limited", 429, "1"),
            ("rate_limited;7", 429, "7"),
            ("server_error_500", 500, nil),
            ("server_error_503", 503, nil),
            ("server_error;502", 502, nil),
            ("Oversized_Body; 5000", 200, nil),
            ("nonsense", 400, nil),
            ("slow_trickle;abc", 400, nil),
        ] as [(String, Int, String?)]
    )
    func headerFaults(value: String, status: Int, retryAfter: String?) async throws {
        let script = Script { _ in .status(299, body: "the script answered") }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let response = try await exchange(
                port: endpoint.port, HTTPRequest.chat(headers: [(ScriptedFault.headerName, value)]))
            #expect(response.status == status)
            #expect(response.header("retry-after") == retryAfter)
            if value.lowercased().hasPrefix("oversized") {
                #expect(response.body.count == 5000)
            } else {
                #expect(try response.json()["error"] != nil)
            }
        }
    }

    @Test(
        "header-requested faults that mangle the body",
        arguments: ["malformed_json", "truncated_sse", "reset_mid_body", "slow_trickle;1"])
    func headerBodyFaults(value: String) async throws {
        let script = Script { _ in .status(299, body: "the script answered") }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let (head, rest) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                // Connection: close makes the endpoint end even the answers that keep the connection open.
                try socket.send(
                    HTTPRequest.chat(stream: true, headers: [("X-Scripted-Fault", value), ("Connection", "close")]))
                return (try socket.readHead(), socket.readToEnd())
            }
            #expect(head.status == 200)
            let text = String(decoding: rest.bytes, as: UTF8.self)
            #expect(rest.ending == .eof || rest.ending == .reset)
            switch value {
            case "malformed_json", "slow_trickle;1":
                #expect(text.contains("data: [DONE]"))
            default:
                #expect(!text.contains("data: [DONE]"))
            }
        }
    }

    @Test("a header-requested stall holds the connection until shutdown")
    func headerStall() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let port = endpoint.port
        async let outcome = onThread {
            let socket = try TestSocket(port: port)
            try socket.send(HTTPRequest.chat(headers: [("x-scripted-fault", "stall")]))
            return socket.readToEnd()
        }
        await endpoint.waitForRequests(1)
        try await endpoint.shutdown()
        let (bytes, _) = try await outcome
        #expect(bytes.isEmpty)
    }

    @Test("fault names parse from header values")
    func parsing() {
        #expect(ScriptedFault(headerValue: "rate_limited") == .rateLimited(retryAfter: "1"))
        #expect(ScriptedFault(headerValue: "reset_mid_body") == .resetMidBody)
        #expect(ScriptedFault(headerValue: "stall") == .stall)
        #expect(ScriptedFault(headerValue: "malformed_json") == .malformedJSON)
        #expect(ScriptedFault(headerValue: "truncated_json") == .truncatedJSON)
        #expect(ScriptedFault(headerValue: "endless_stream;5") == .endlessStream(interval: .milliseconds(5)))
        #expect(ScriptedFault(headerValue: "truncated_sse") == .truncatedSSE)
        #expect(ScriptedFault(headerValue: "slow_trickle") == .slowTrickle(interval: .milliseconds(100)))
        #expect(ScriptedFault(headerValue: "slow_trickle;250") == .slowTrickle(interval: .milliseconds(250)))
        #expect(ScriptedFault(headerValue: "oversized_body") == .oversizedBody(bytes: 1 << 20))
        #expect(ScriptedFault(headerValue: "server_error;42") == nil)
        #expect(ScriptedFault(headerValue: "") == nil)
    }
}

/// Hands a non-Sendable value from one test thread to the next; the test uses it from one thread at a time.
struct SendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
