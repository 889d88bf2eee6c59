import EvalCore
import NIOCore

/// The OpenAI wire format, written by hand into `ByteBuffer`s: chat completions, stream chunks, model lists and
/// error bodies.
enum OpenAIWire {
    /// The fixed `created` timestamp of every answer, so that answers are byte-for-byte reproducible.
    static let created = 1_700_000_000

    struct Usage: Hashable {
        var prompt: Int
        var completion: Int
        var total: Int { prompt + completion }
    }

    /// Where an answer's content comes from: a string, or (for oversized bodies) one byte repeated.
    enum Content {
        case text(String)
        case repeated(UInt8, count: Int)

        func write(into buffer: inout ByteBuffer) {
            switch self {
            case .text(let text):
                buffer.writeJSONString(text)
            case .repeated(let byte, let count):
                buffer.writeInteger(UInt8(ascii: "\""))
                buffer.writeRepeatingByte(byte, count: count)
                buffer.writeInteger(UInt8(ascii: "\""))
            }
        }
    }

    /// About four characters (Unicode scalars) per token, rounded up.
    static func estimatedTokens(_ text: String) -> Int {
        (text.unicodeScalars.count + 3) / 4
    }

    static func usage(of completion: ScriptedCompletion, for request: ScriptedRequest) -> Usage {
        let prompt =
            completion.promptTokens
            ?? request.messages.reduce(0) { sum, message in
                sum + estimatedTokens(ScriptedRequest.text(ofContent: message["content"]) ?? "")
            }
        let generated =
            completion.completionTokens
            ?? completion.toolCalls.reduce(estimatedTokens(completion.content)) { $0 + estimatedTokens($1.arguments) }
        return Usage(prompt: prompt, completion: generated)
    }

    // MARK: - Errors and model lists

    static func writeError(
        message: String,
        type: String,
        param: String? = nil,
        code: String? = nil,
        into buffer: inout ByteBuffer
    ) {
        buffer.writeStaticString(#"{"error":{"message":"#)
        buffer.writeJSONString(message)
        buffer.writeStaticString(#","type":"#)
        buffer.writeJSONString(type)
        buffer.writeStaticString(#","param":"#)
        buffer.writeJSONStringOrNull(param)
        buffer.writeStaticString(#","code":"#)
        buffer.writeJSONStringOrNull(code)
        buffer.writeStaticString("}}")
    }

    static func errorJSON(message: String, type: String, param: String? = nil, code: String? = nil) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: 128 + message.utf8.count)
        writeError(message: message, type: type, param: param, code: code, into: &buffer)
        return String(buffer: buffer)
    }

    static func writeModelList(_ models: [String], into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"object":"list","data":["#)
        for (index, model) in models.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString(#"{"id":"#)
            buffer.writeJSONString(model)
            buffer.writeStaticString(#","object":"model","created":0,"owned_by":"evalgate"}"#)
        }
        buffer.writeStaticString("]}")
    }

    // MARK: - chat.completion

    static func writeCompletion(
        _ completion: ScriptedCompletion,
        content: Content,
        model: String,
        sequence: Int,
        usage: Usage,
        into buffer: inout ByteBuffer
    ) {
        writeHeader(object: "chat.completion", model: model, sequence: sequence, into: &buffer)
        buffer.writeStaticString(#"[{"index":0,"message":{"role":"assistant","content":"#)
        if case .text(let text) = content, text.isEmpty, !completion.toolCalls.isEmpty {
            buffer.writeStaticString("null")
        } else {
            content.write(into: &buffer)
        }
        if !completion.toolCalls.isEmpty {
            buffer.writeStaticString(#","tool_calls":["#)
            for (index, call) in completion.toolCalls.enumerated() {
                if index > 0 { buffer.writeStaticString(",") }
                buffer.writeStaticString(#"{"id":"#)
                buffer.writeJSONString(call.id)
                buffer.writeStaticString(#","type":"function","function":{"name":"#)
                buffer.writeJSONString(call.name)
                buffer.writeStaticString(#","arguments":"#)
                buffer.writeJSONString(call.arguments)
                buffer.writeStaticString("}}")
            }
            buffer.writeStaticString("]")
        }
        buffer.writeStaticString(#"},"logprobs":null,"finish_reason":"#)
        buffer.writeJSONString(completion.finishReason)
        buffer.writeStaticString("}],")
        writeUsage(usage, into: &buffer)
        if let fingerprint = completion.systemFingerprint {
            buffer.writeStaticString(#","system_fingerprint":"#)
            buffer.writeJSONString(fingerprint)
        }
        buffer.writeStaticString("}")
    }

    /// A chat.completion body that stops in the middle of its content string: not valid JSON.
    static func writeMalformedCompletion(model: String, sequence: Int, into buffer: inout ByteBuffer) {
        writeHeader(object: "chat.completion", model: model, sequence: sequence, into: &buffer)
        buffer.writeStaticString(#"[{"index":0,"message":{"role":"assistant","content":"#)
        buffer.writeJSONString(ScriptedFault.fillerContent)
        // A comma missing in the middle: the body is whole, and wrong.
        buffer.writeStaticString(#"}"finish_reason":"stop"}]}"#)
    }

    /// A completion body cut in the middle of its content string: JSON that stops before it is complete.
    static func writeTruncatedCompletion(model: String, sequence: Int, into buffer: inout ByteBuffer) {
        writeHeader(object: "chat.completion", model: model, sequence: sequence, into: &buffer)
        buffer.writeStaticString(#"[{"index":0,"message":{"role":"assistant","content":"#)
        buffer.writeJSONString(ScriptedFault.fillerContent)
        buffer.truncateTrailingQuote()
    }

    /// `{"id":"chatcmpl-<seq>","object":<object>,"created":..,"model":..,"choices":` — shared by every body.
    private static func writeHeader(object: StaticString, model: String, sequence: Int, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"id":"chatcmpl-"#)
        buffer.writeDecimal(sequence)
        buffer.writeStaticString(#"","object":""#)
        buffer.writeStaticString(object)
        buffer.writeStaticString(#"","created":"#)
        buffer.writeDecimal(created)
        buffer.writeStaticString(#","model":"#)
        buffer.writeJSONString(model)
        buffer.writeStaticString(#","choices":"#)
    }

    private static func writeUsage(_ usage: Usage, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#""usage":{"prompt_tokens":"#)
        buffer.writeDecimal(usage.prompt)
        buffer.writeStaticString(#","completion_tokens":"#)
        buffer.writeDecimal(usage.completion)
        buffer.writeStaticString(#","total_tokens":"#)
        buffer.writeDecimal(usage.total)
        buffer.writeStaticString("}")
    }

    // MARK: - chat.completion.chunk

    /// The SSE events of one streamed answer, written back to back in `bytes`, each `data: ...\n\n`.
    struct StreamEvents {
        var bytes: ByteBuffer
        /// The byte range of each event in `bytes`, in order: role, content deltas, tool-call deltas, finish,
        /// usage (when asked for), `[DONE]`.
        var ranges: [Range<Int>] = []
        /// How many content-delta events follow the role event.
        var contentEvents = 0

        func event(_ index: Int) -> ByteBuffer {
            bytes.getSlice(at: ranges[index].lowerBound, length: ranges[index].count)!
        }
    }

    static func streamEvents(
        _ completion: ScriptedCompletion,
        content: Content,
        model: String,
        sequence: Int,
        usage: Usage?,
        chunkCharacters: Int,
        malformed: Bool = false,
        allocator: ByteBufferAllocator
    ) -> StreamEvents {
        var prefix = allocator.buffer(capacity: 128)
        prefix.writeStaticString("data: ")
        writeHeader(object: "chat.completion.chunk", model: model, sequence: sequence, into: &prefix)
        prefix.writeStaticString("[")

        var events = StreamEvents(bytes: allocator.buffer(capacity: 1024))
        func event(_ body: (inout ByteBuffer) -> Void) {
            let start = events.bytes.writerIndex
            events.bytes.writeImmutableBuffer(prefix)
            body(&events.bytes)
            events.bytes.writeStaticString("\n\n")
            events.ranges.append(start..<events.bytes.writerIndex)
        }
        func delta(_ body: (inout ByteBuffer) -> Void) {
            event { buffer in
                buffer.writeStaticString(#"{"index":0,"delta":{"#)
                body(&buffer)
                buffer.writeStaticString(#"},"logprobs":null,"finish_reason":null}]}"#)
            }
        }

        delta { buffer in
            buffer.writeStaticString(#""role":"assistant","content":"#)
            if case .text(let text) = content, text.isEmpty, !completion.toolCalls.isEmpty {
                buffer.writeStaticString("null")
            } else {
                buffer.writeStaticString(#""""#)
            }
        }
        if malformed {
            let start = events.bytes.writerIndex
            events.bytes.writeStaticString(#"data: {"id":"chatcmpl-"#)
            events.bytes.writeDecimal(sequence)
            events.bytes.writeStaticString(#"","object":"chat.completion.chunk","choices":["#)
            events.bytes.writeStaticString(#"{"index":0,"delta":{"content":"#)
            events.bytes.writeJSONString(ScriptedFault.fillerContent)
            events.bytes.writeStaticString("\n\n")
            events.ranges.append(start..<events.bytes.writerIndex)
            events.contentEvents = 1
        } else {
            switch content {
            case .text(let text):
                for piece in text.pieces(ofCharacters: chunkCharacters) {
                    delta { buffer in
                        buffer.writeStaticString(#""content":"#)
                        buffer.writeJSONString(piece)
                    }
                    events.contentEvents += 1
                }
            case .repeated:
                delta { buffer in
                    buffer.writeStaticString(#""content":"#)
                    content.write(into: &buffer)
                }
                events.contentEvents = 1
            }
            for (index, call) in completion.toolCalls.enumerated() {
                delta { buffer in
                    buffer.writeStaticString(#""tool_calls":[{"index":"#)
                    buffer.writeDecimal(index)
                    buffer.writeStaticString(#","id":"#)
                    buffer.writeJSONString(call.id)
                    buffer.writeStaticString(#","type":"function","function":{"name":"#)
                    buffer.writeJSONString(call.name)
                    buffer.writeStaticString(#","arguments":""}}]"#)
                }
                for piece in call.arguments.pieces(ofCharacters: chunkCharacters) {
                    delta { buffer in
                        buffer.writeStaticString(#""tool_calls":[{"index":"#)
                        buffer.writeDecimal(index)
                        buffer.writeStaticString(#","function":{"arguments":"#)
                        buffer.writeJSONString(piece)
                        buffer.writeStaticString("}}]")
                    }
                }
            }
        }
        event { buffer in
            buffer.writeStaticString(#"{"index":0,"delta":{},"logprobs":null,"finish_reason":"#)
            buffer.writeJSONString(completion.finishReason)
            buffer.writeStaticString("}]}")
        }
        if let usage {
            event { buffer in
                buffer.writeStaticString("],")
                writeUsage(usage, into: &buffer)
                buffer.writeStaticString("}")
            }
        }
        let start = events.bytes.writerIndex
        events.bytes.writeStaticString("data: [DONE]\n\n")
        events.ranges.append(start..<events.bytes.writerIndex)
        return events
    }
}

extension ByteBuffer {
    /// Drops the closing quote of the JSON string just written.
    fileprivate mutating func truncateTrailingQuote() {
        self.moveWriterIndex(to: self.writerIndex - 1)
    }
}

extension String {
    /// Consecutive pieces of at most `count` characters (grapheme clusters, so no emoji is split).
    func pieces(ofCharacters count: Int) -> [Substring] {
        let count = Swift.max(1, count)
        var pieces: [Substring] = []
        var start = startIndex
        while start < endIndex {
            let end = index(start, offsetBy: count, limitedBy: endIndex) ?? endIndex
            pieces.append(self[start..<end])
            start = end
        }
        return pieces
    }
}
