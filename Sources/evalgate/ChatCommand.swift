import ArgumentParser
import EvalCore
import EvalRunner
import Foundation

/// `evalgate chat`: one prompt to one model, the answer on stdout. For checking that an endpoint works.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Send one prompt to an OpenAI-compatible endpoint and print the answer."
    )

    @OptionGroup var endpoint: EndpointOptions

    @Option(name: .long, help: "Model name (vLLM serves each LoRA adapter under its own name).")
    var model: String

    @Option(name: .long, help: "System message sent before the prompt.")
    var system: String?

    @Option(name: .long) var temperature: Double?
    @Option(name: .long) var topP: Double?
    @Option(name: .long) var maxTokens: Int?
    @Option(name: .long) var seed: Int64?

    @Flag(name: .long, help: "Stream the answer (server-sent events) and report time to first token.")
    var stream = false

    @Flag(name: .long, help: "Print the whole result as JSON instead of the answer text.")
    var json = false

    @Argument(help: "The user message.")
    var prompt: String

    func run() async throws {
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(prompt))
        var parameters = ChatParameters()
        parameters.temperature = temperature
        parameters.topP = topP
        parameters.maxTokens = maxTokens
        parameters.seed = seed
        let request = ChatRequest(model: model, messages: messages, parameters: parameters)
        let client: ChatClient
        do { client = try endpoint.makeClient() } catch let error as CLIError { throw error.report() }
        do {
            let response = try await client.complete(request, stream: stream)
            if json {
                print(ChatOutput(response).jsonLine)
            } else {
                print(response.content)
                FileHandle.standardError.write(Data((ChatOutput(response).summary + "\n").utf8))
            }
        } catch {
            throw CLIError.infrastructure(error.description).report()
        }
    }
}

/// `evalgate models`: the model ids an endpoint serves.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models an OpenAI-compatible endpoint serves."
    )

    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
        let client: ChatClient
        do { client = try endpoint.makeClient() } catch let error as CLIError { throw error.report() }
        do {
            for id in try await client.models() { print(id) }
        } catch {
            throw CLIError.infrastructure(error.description).report()
        }
    }
}

/// What `chat` prints about a response.
struct ChatOutput {
    let response: ChatResponse

    init(_ response: ChatResponse) { self.response = response }

    var summary: String {
        var parts = ["model=\(response.model ?? "?")", "finish=\(response.finishReason ?? "?")"]
        if let usage = response.usage {
            parts.append("tokens=\(usage.promptTokens)+\(usage.completionTokens)")
        }
        parts.append("latency=\(Self.ms(response.latency))")
        if let ttft = response.timeToFirstToken { parts.append("ttft=\(Self.ms(ttft))") }
        if response.attempts > 1 { parts.append("attempts=\(response.attempts)") }
        if let id = response.requestID { parts.append("request=\(id)") }
        return parts.joined(separator: " ")
    }

    var jsonLine: String {
        var object: [String: JSONValue] = [
            "content": .string(response.content),
            "status": .int(Int64(response.status)),
            "latency_ms": .double(Self.milliseconds(response.latency)),
            "attempts": .int(Int64(response.attempts)),
            "streamed": .bool(response.streamed),
        ]
        if let model = response.model { object["model"] = .string(model) }
        if let finish = response.finishReason { object["finish_reason"] = .string(finish) }
        if let id = response.requestID { object["request_id"] = .string(id) }
        if let ttft = response.timeToFirstToken { object["ttft_ms"] = .double(Self.milliseconds(ttft)) }
        if let usage = response.usage {
            object["usage"] = [
                "prompt_tokens": .int(Int64(usage.promptTokens)),
                "completion_tokens": .int(Int64(usage.completionTokens)),
                "total_tokens": .int(Int64(usage.totalTokens)),
            ]
        }
        return String(decoding: JSONValue.object(object).canonicalData(), as: UTF8.self)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return (Double(seconds) * 1000 + Double(attoseconds) / 1e15).rounded(toPlaces: 3)
    }

    static func ms(_ duration: Duration) -> String { "\(milliseconds(duration)) ms" }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let factor = pow(10.0, Double(places))
        return (self * factor).rounded() / factor
    }
}
