import EvalCore
import Foundation
import ScriptedEndpoint
import Testing

@Suite("scripts: per model, recorded, echo, custom statuses")
struct ScriptTests {
    private func content(_ response: TestResponse) throws -> String? {
        try response.json()["choices"]?[0]?["message"]?["content"]?.stringValue
    }

    @Test("perModel routes by model and answers an unknown model with OpenAI's 404")
    func perModel() async throws {
        let script = Script.perModel([
            "v1": { request in .text("v1 says \(request.lastUserText ?? "")") },
            "v2": { _ in .completion(ScriptedCompletion(content: "v2", finishReason: "length")) },
        ])
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let one = try await exchange(port: endpoint.port, HTTPRequest.chat(model: "v1", user: "hi"))
            #expect(try content(one) == "v1 says hi")
            let two = try await exchange(port: endpoint.port, HTTPRequest.chat(model: "v2"))
            #expect(try content(two) == "v2")
            #expect(try two.json()["choices"]?[0]?["finish_reason"] == "length")

            let unknown = try await exchange(port: endpoint.port, HTTPRequest.chat(model: "v3"))
            #expect(unknown.status == 404)
            #expect(
                try unknown.json()["error"] == [
                    "message": "The model `v3` does not exist", "type": "invalid_request_error", "param": nil,
                    "code": "model_not_found",
                ])
        }
    }

    @Test("recorded answers replay by model and prompt, repeats in order")
    func recorded() async throws {
        let script = Script.recorded([
            RecordedAnswer(model: "base", lastUserText: "2+2?", content: "4", promptTokens: 11, completionTokens: 1),
            RecordedAnswer(model: "tuned", lastUserText: "2+2?", content: "four", finishReason: "stop"),
            RecordedAnswer(model: "tuned", lastUserText: "2+2?", content: "4!"),
        ])
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let base = try await exchange(port: endpoint.port, HTTPRequest.chat(model: "base", user: "2+2?"))
            #expect(try content(base) == "4")
            #expect(try base.json()["usage"] == ["prompt_tokens": 11, "completion_tokens": 1, "total_tokens": 12])
            var tuned: [String?] = []
            for _ in 0..<3 {
                let response = try await exchange(port: endpoint.port, HTTPRequest.chat(model: "tuned", user: "2+2?"))
                tuned.append(try content(response))
            }
            #expect(tuned == ["four", "4!", "four"])
            let streamed = try await exchange(
                port: endpoint.port, HTTPRequest.chat(model: "base", user: "2+2?", stream: true))
            #expect(try streamed.streamedContent() == "4")

            let unrecorded = try await exchange(port: endpoint.port, HTTPRequest.chat(model: "base", user: "3+3?"))
            #expect(unrecorded.status == 404)
            #expect(try unrecorded.json()["error"]?["code"] == "recording_not_found")
            let unknownModel = try await exchange(port: endpoint.port, HTTPRequest.chat(model: "other", user: "2+2?"))
            #expect(unknownModel.status == 404)
            #expect(try unknownModel.json()["error"]?["code"] == "model_not_found")

            let models = try await exchange(port: endpoint.port, HTTPRequest.make("GET", "/v1/models"))
            #expect(try models.json()["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["base", "tuned"])
        }
    }

    @Test("a recorded answer reads from and writes to its JSON line")
    func recordedAnswerCodable() throws {
        let line =
            #"{"model":"m","last_user_text":"q","content":"a","finish_reason":"length","#
            + #""usage":{"prompt_tokens":3,"completion_tokens":2}}"#
        let answer = try JSONDecoder().decode(RecordedAnswer.self, from: Data(line.utf8))
        #expect(
            answer
                == RecordedAnswer(
                    model: "m", lastUserText: "q", content: "a", finishReason: "length", promptTokens: 3,
                    completionTokens: 2))
        let again = try JSONDecoder().decode(RecordedAnswer.self, from: JSONEncoder().encode(answer))
        #expect(again == answer)
        let minimalLine = #"{"model":"m","last_user_text":"q","content":"a"}"#
        let minimal = try JSONDecoder().decode(RecordedAnswer.self, from: Data(minimalLine.utf8))
        #expect(minimal == RecordedAnswer(model: "m", lastUserText: "q", content: "a"))
    }

    @Test("echo answers the last user message, text parts joined")
    func echo() async throws {
        try await ScriptedEndpoint.withEndpoint(.echo()) { endpoint in
            let body = #"""
                {"model":"m","messages":[{"role":"user","content":"old"},{"role":"assistant","content":"x"},
                {"role":"user","content":[{"type":"text","text":"part one"},{"type":"image_url","image_url":{"url":"u"}},{"type":"text","text":"part two"}]}]}
                """#
            let response = try await exchange(port: endpoint.port, HTTPRequest.make(body: body))
            #expect(try content(response) == "echo: part one\npart two")
        }
    }

    @Test("a status reply sends any answer with its headers")
    func statusReply() async throws {
        let script = Script { _ in
            .status(418, body: "short and stout", headers: [("Content-Type", "text/plain"), ("x-teapot", "yes")])
        }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat())
            #expect(response.status == 418)
            #expect(response.text == "short and stout")
            #expect(response.header("content-type") == "text/plain")
            #expect(response.header("x-teapot") == "yes")
            #expect(response.header("x-request-id") == "req_0")
        }
    }

    @Test("openAIError builds OpenAI's error body")
    func openAIError() async throws {
        let script = Script { _ in
            .openAIError(
                status: 400, message: "Bad \"thing\"", type: "invalid_request_error", code: "bad", param: "messages")
        }
        try await ScriptedEndpoint.withEndpoint(script) { endpoint in
            let response = try await exchange(port: endpoint.port, HTTPRequest.chat())
            #expect(response.status == 400)
            #expect(response.header("content-type") == "application/json")
            #expect(
                try response.json() == [
                    "error": [
                        "message": "Bad \"thing\"", "type": "invalid_request_error", "param": "messages", "code": "bad",
                    ]
                ])
        }
    }

    @Test("a request parses without a server: text parts, stream options, headers")
    func requestValue() {
        let request = ScriptedRequest(
            headers: [(name: "Content-Type", value: "application/json"), (name: "X-Scripted-Fault", value: "stall")],
            body: Array(
                #"{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}"#
                    .utf8))
        #expect(request.model == "m")
        #expect(request.stream)
        #expect(request.includeUsage)
        #expect(request.lastUserText == "a\nb")
        #expect(request.header("x-scripted-fault") == "stall")
        #expect(request.header("CONTENT-TYPE") == "application/json")
        #expect(request.header("missing") == nil)

        let notJSON = ScriptedRequest(body: Array("nope".utf8))
        #expect(notJSON.json == nil)
        #expect(notJSON.messages.isEmpty)
        #expect(notJSON.lastUserText == nil)

        let built = ScriptedRequest(
            json: ["model": "x", "messages": [["role": "user", "content": "hi"]]], sequence: 4)
        #expect(built.lastUserText == "hi")
        #expect(built.sequence == 4)
    }
}
