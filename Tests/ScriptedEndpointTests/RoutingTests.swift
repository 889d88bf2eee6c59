import EvalCore
import ScriptedEndpoint
import Testing

@Suite("routes, methods and invalid requests")
struct RoutingTests {
    @Test("GET /v1/models lists the script's models in OpenAI's list format")
    func models() async throws {
        let script = Script.perModel(["model-b": { _ in .text("b") }, "model-a": { _ in .text("a") }])
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            for path in ["/v1/models", "/models"] {
                let response = try await exchange(port: endpoint.port, HTTPRequest.make("GET", path))
                #expect(response.status == 200)
                #expect(response.header("x-request-id")?.hasPrefix("req_") == true)
                #expect(
                    try response.json() == [
                        "object": "list",
                        "data": [
                            ["id": "model-a", "object": "model", "created": 0, "owned_by": "evalgate"],
                            ["id": "model-b", "object": "model", "created": 0, "owned_by": "evalgate"],
                        ],
                    ])
            }
            #expect(endpoint.requestCount == 0)
        }
    }

    @Test("an echo script lists no models unless told")
    func echoModels() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.make("GET", "/v1/models"))
            #expect(try response.json() == ["object": "list", "data": []])
        }
        try await ScriptedEndpoint.withEndpoint(.echo(models: ["echo-1"])) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.make("GET", "/v1/models"))
            #expect(try response.json()["data"]?[0]?["id"] == "echo-1")
        }
    }

    @Test("chat completions are also served without /v1 and with a query string")
    func alternativePaths() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            for path in ["/chat/completions", "/v1/chat/completions?api-version=1"] {
                let body = HTTPRequest.chatBody(model: "m", user: path)
                let response = try await exchange(port: endpoint.port, HTTPRequest.make("POST", path, body: body))
                #expect(try response.json()["choices"]?[0]?["message"]?["content"]?.stringValue == "echo: \(path)")
            }
        }
    }

    @Test("an unknown path is a 404 with an OpenAI error body")
    func unknownPath() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            let response = try await exchange(
                port: endpoint.port, HTTPRequest.make("POST", "/v1/embeddings", body: "{}"))
            #expect(response.status == 404)
            #expect(response.header("x-request-id") != nil)
            let error = try #require(try response.json()["error"])
            #expect(error["type"] == "invalid_request_error")
            #expect(error["code"] == "unknown_url")
            #expect(error["message"]?.stringValue?.contains("/v1/embeddings") == true)
        }
    }

    @Test(
        "a known path with the wrong method is a 405",
        arguments: [("GET", "/v1/chat/completions", "POST"), ("POST", "/v1/models", "GET")])
    func wrongMethod(method: String, path: String, allowed: String) async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            let response = try await exchange(
                port: endpoint.port, HTTPRequest.make(method, path, body: method == "POST" ? "{}" : nil))
            #expect(response.status == 405)
            #expect(response.header("allow") == allowed)
            #expect(try response.json()["error"]?["code"] == "method_not_allowed")
        }
    }

    @Test(
        "a chat request that is not JSON or lacks model or messages is a 400",
        arguments: [
            ("not json at all", "invalid_json", nil),
            (#"["model"]"#, "invalid_json", nil),
            (#"{"messages":[]}"#, "missing_required_parameter", "model"),
            (#"{"model":"m"}"#, "missing_required_parameter", "messages"),
        ] as [(String, String, String?)]
    )
    func badRequest(body: String, code: String, param: String?) async throws {
        let script = Script { _ in .text("never") }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let response = try await exchange(
                port: endpoint.port, HTTPRequest.make("POST", "/v1/chat/completions", body: body))
            #expect(response.status == 400)
            #expect(response.header("x-request-id") == "req_0")
            let error = try #require(try response.json()["error"])
            #expect(error["type"] == "invalid_request_error")
            #expect(error["code"]?.stringValue == code)
            #expect(error["param"] == param.map(JSONValue.string) ?? .null)
            #expect(endpoint.requestCount == 1)
        }
    }

    @Test("a request that is not HTTP gets a 400 and a closed connection")
    func garbage() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            let (response, rest) = try await onThread {
                let socket = try TestSocket(port: endpoint.port)
                try socket.send("THIS IS NOT HTTP\u{01}\r\n\r\n")
                let response = try socket.readResponse()
                return (response, socket.readToEnd())
            }
            #expect(response.status == 400)
            #expect(response.header("connection") == "close")
            #expect(try response.json()["error"]?["type"] == "invalid_request_error")
            #expect(rest.bytes.isEmpty)
        }
    }
}
