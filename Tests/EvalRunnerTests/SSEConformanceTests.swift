import EvalCore
import EvalRunner
import Foundation
import Testing
import Transport

/// The 12 recorded OpenAI streams of ../shared/conformance/openai/sse, run through SSEParser and
/// StreamAccumulator, against Fixtures/sse_expected.json (written independently by scripts/sse-expected.py).
private enum Conformance {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let streamsFolder = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/conformance/openai/sse", isDirectory: true)
    static let fixtureURL = testsFolder.appendingPathComponent("Fixtures/sse_expected.json")

    static var available: Bool {
        FileManager.default.fileExists(atPath: streamsFolder.appendingPathComponent("INDEX.json").path)
    }

    /// Stream names from the fixture, so the arguments exist even when ../shared does not.
    static let streamNames: [String] = {
        guard let fixture = try? loadFixture() else { return [] }
        return fixture.streams.keys.sorted()
    }()

    static func loadFixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: fixtureURL))
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The properties are named as the conformance file's keys are.
    struct Fixture: Decodable {
        var streams: [String: Expected]
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The properties are named as the conformance file's keys are.
    struct Expected: Decodable {
        var id: String?
        var model: String?
        var system_fingerprint: String?
        var choices: [ExpectedChoice]
        var usage: ExpectedUsage?
        var saw_done: Bool
        var event_count: Int

        var result: CompletionResult {
            CompletionResult(
                id: id, model: model, systemFingerprint: system_fingerprint,
                choices: choices.map {
                    ChoiceResult(
                        index: $0.index, content: $0.content, refusal: $0.refusal,
                        toolCalls: $0.tool_calls.map {
                            ToolCall(id: $0.id, type: $0.type, name: $0.name, arguments: $0.arguments)
                        },
                        finishReason: $0.finish_reason
                    )
                },
                usage: usage.map {
                    TokenUsage(
                        promptTokens: $0.prompt_tokens, completionTokens: $0.completion_tokens,
                        totalTokens: $0.total_tokens, reasoningTokens: $0.reasoning_tokens,
                        cachedTokens: $0.cached_tokens
                    )
                }
            )
        }
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The properties are named as the conformance file's keys are.
    struct ExpectedChoice: Decodable {
        var index: Int
        var content: String
        var refusal: String?
        var tool_calls: [ExpectedToolCall]
        var finish_reason: String?
    }

    struct ExpectedToolCall: Decodable {
        var id: String?
        var type: String?
        var name: String?
        var arguments: String
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The properties are named as the conformance file's keys are.
    struct ExpectedUsage: Decodable {
        var prompt_tokens: Int
        var completion_tokens: Int
        var total_tokens: Int
        var reasoning_tokens: Int?
        var cached_tokens: Int?
    }
}

/// Cuts `bytes` into pieces of the sizes given, cycling through them.
private func chunked(_ bytes: [UInt8], sizes: [Int]) -> [ArraySlice<UInt8>] {
    var pieces: [ArraySlice<UInt8>] = []
    var start = 0
    var turn = 0
    while start < bytes.count {
        let end = min(bytes.count, start + sizes[turn % sizes.count])
        pieces.append(bytes[start..<end])
        start = end
        turn += 1
    }
    return pieces
}

/// Deterministic irregular sizes 1...97.
private let irregularSizes: [Int] = {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return (0..<64).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(state >> 33) % 97 + 1
    }
}()

@Suite(
    "SSE conformance: recorded OpenAI streams",
    .enabled(if: Conformance.available, "../shared/conformance is absent")
)
struct SSEConformanceTests {
    @Test func fixtureCoversEveryRecordedStream() throws {
        let index = try JSONValue.parse(
            Data(contentsOf: Conformance.streamsFolder.appendingPathComponent("INDEX.json")))
        let recorded = try #require(index["files"]?.objectValue).keys.sorted()
        #expect(recorded.count == 12)
        #expect(recorded == Conformance.streamNames)
    }

    @Test(arguments: Conformance.streamNames)
    func streamReassemblesAsExpected(_ name: String) throws {
        let expected = try #require(try Conformance.loadFixture().streams[name])
        let bytes = try [UInt8](Data(contentsOf: Conformance.streamsFolder.appendingPathComponent(name)))

        let chunkings: [(String, [ArraySlice<UInt8>])] = [
            ("whole", [bytes[...]]),
            ("1 byte", chunked(bytes, sizes: [1])),
            ("7 bytes", chunked(bytes, sizes: [7])),
            ("irregular", chunked(bytes, sizes: irregularSizes)),
            ("4 KiB", chunked(bytes, sizes: [4096])),
        ]
        var reference: [SSEEvent]?
        for (label, pieces) in chunkings {
            var parser = SSEParser()
            var events: [SSEEvent] = []
            for piece in pieces { events += parser.feed(piece) }
            events += parser.finish()

            if let reference {
                #expect(events == reference, "\(label): events differ from one piece")
            } else {
                reference = events
            }
            #expect(events.count == expected.event_count, "\(label)")
            #expect(events.allSatisfy { $0.type == "message" && $0.id == nil }, "\(label)")

            var accumulator = StreamAccumulator()
            var doneAt: Int?
            for (position, event) in events.enumerated() {
                if try accumulator.consume(eventData: event.data) { doneAt = position }
            }
            #expect(accumulator.sawDone == expected.saw_done, "\(label)")
            #expect(doneAt == events.count - 1, "\(label): [DONE] must be the last event")
            #expect(accumulator.result() == expected.result, "\(label)")
            let sawOutput = expected.choices.contains {
                !$0.content.isEmpty || !($0.refusal ?? "").isEmpty || !$0.tool_calls.isEmpty
            }
            #expect(accumulator.sawFirstContent == sawOutput, "\(label)")
        }
    }
}
