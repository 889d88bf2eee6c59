import EvalCore
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One HTTP/1.1 connection: decodes requests (NIO's `HTTPRequestDecoder` sits before it), answers them one at a
/// time in order, and writes every response as raw bytes so that heads, bodies and faults are fully under control.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private let core: EndpointCore
    /// The request being received.
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    /// Complete requests waiting for the answer in progress (HTTP pipelining).
    private var queue = CircularBuffer<(head: HTTPRequestHead, body: ByteBuffer?)>()
    /// An answer is in progress (including its latency).
    private var busy = false
    /// The connection will never answer again (stalled, reset or closing).
    private var silenced = false
    private var active = true
    private var scheduled: Scheduled<Void>?

    init(core: EndpointCore) {
        self.core = core
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = nil
            if !busy, queue.isEmpty, !silenced,
                head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" })
            {
                let interim = ByteBuffer(staticString: "HTTP/1.1 100 Continue\r\n\r\n")
                context.writeAndFlush(wrapOutboundOut(interim), promise: nil)
            }
        case .body(var part):
            if body == nil {
                body = part
            } else {
                body!.writeBuffer(&part)
            }
        case .end:
            guard let head else { return }
            queue.append((head, body))
            self.head = nil
            self.body = nil
            processNext(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        scheduled?.cancel()
        scheduled = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard active, !silenced else { return }
        silenced = true
        if !busy, error is HTTPParserError {
            var buffer = context.channel.allocator.buffer(capacity: 256)
            var body = context.channel.allocator.buffer(capacity: 128)
            OpenAIWire.writeError(
                message: "The request is not valid HTTP/1.1.", type: "invalid_request_error", into: &body)
            Self.writeHead(
                status: 400, contentType: "application/json", requestID: core.nextAuxiliaryRequestID(),
                keepAlive: false, contentLength: body.readableBytes, into: &buffer)
            buffer.writeBuffer(&body)
            context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.close(promise: nil)
        }
    }

    // MARK: - Dispatch

    private func processNext(context: ChannelHandlerContext) {
        guard active, !busy, !silenced, let next = queue.popFirst() else { return }
        busy = true
        handle(head: next.head, body: next.body, context: context)
    }

    /// Ends the answer in progress: the next queued request is served, or the connection closes once `lastWrite`
    /// is done when the client did not want keep-alive.
    private func answered(keepAlive: Bool, lastWrite: EventLoopFuture<Void>, context: ChannelHandlerContext) {
        if keepAlive {
            busy = false
            processNext(context: context)
        } else {
            silenced = true
            lastWrite.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    private func handle(head: HTTPRequestHead, body: ByteBuffer?, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive
        let path = head.uri.firstIndex(of: "?").map { String(head.uri[..<$0]) } ?? head.uri
        switch path {
        case "/v1/chat/completions", "/chat/completions":
            guard head.method == .POST else {
                return sendError(
                    405, message: "Only POST is allowed on \(path).", type: "invalid_request_error",
                    code: "method_not_allowed", extraHeaders: [("allow", "POST")],
                    requestID: core.nextAuxiliaryRequestID(), keepAlive: keepAlive, context: context)
            }
            handleChat(head: head, path: path, body: body, keepAlive: keepAlive, context: context)
        case "/v1/models", "/models":
            guard head.method == .GET else {
                return sendError(
                    405, message: "Only GET is allowed on \(path).", type: "invalid_request_error",
                    code: "method_not_allowed", extraHeaders: [("allow", "GET")],
                    requestID: core.nextAuxiliaryRequestID(), keepAlive: keepAlive, context: context)
            }
            var list = context.channel.allocator.buffer(capacity: 64 + 96 * core.script.models.count)
            OpenAIWire.writeModelList(core.script.models, into: &list)
            sendWhole(
                status: 200, contentType: "application/json", body: list, requestID: core.nextAuxiliaryRequestID(),
                keepAlive: keepAlive, context: context)
        default:
            sendError(
                404, message: "Unknown request URL: \(head.method.rawValue) \(path).", type: "invalid_request_error",
                code: "unknown_url", requestID: core.nextAuxiliaryRequestID(), keepAlive: keepAlive, context: context)
        }
    }

    private func handleChat(
        head: HTTPRequestHead,
        path: String,
        body: ByteBuffer?,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        let sequence = core.nextChatSequence()
        let requestID = "req_\(sequence)"
        let request = ScriptedRequest(
            method: "POST",
            path: path,
            query: head.uri.firstIndex(of: "?").map { String(head.uri[head.uri.index(after: $0)...]) },
            headers: head.headers.map { (name: $0.name, value: $0.value) },
            body: body.map { Array($0.readableBytesView) } ?? [],
            sequence: sequence
        )
        func reject(_ message: String, param: String? = nil, code: String? = nil) {
            sendError(
                400, message: message, type: "invalid_request_error", param: param, code: code, requestID: requestID,
                keepAlive: keepAlive, context: context)
        }
        guard let json = request.json, json.objectValue != nil else {
            return reject("We could not parse the JSON body of your request.", code: "invalid_json")
        }
        guard let model = request.model, !model.isEmpty else {
            return reject("You must provide a model parameter.", param: "model", code: "missing_required_parameter")
        }
        guard json["messages"]?.arrayValue != nil else {
            return reject(
                "Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter")
        }

        let reply: ScriptedReply
        if let value = request.header(ScriptedFault.headerName) {
            guard let fault = ScriptedFault(headerValue: value) else {
                return reject("Unknown \(ScriptedFault.headerName) '\(value)'.", code: "unknown_fault")
            }
            reply = .fault(fault)
        } else {
            reply = core.script.handler(request)
        }
        if case .fault(.stall) = reply {
            silenced = true
            return
        }
        let latency = core.script.latency
        if latency > .zero {
            scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(latency)) {
                self.scheduled = nil
                guard self.active else { return }
                self.send(reply, to: request, requestID: requestID, keepAlive: keepAlive, context: context)
            }
        } else {
            send(reply, to: request, requestID: requestID, keepAlive: keepAlive, context: context)
        }
    }

    // MARK: - Answers

    private func send(
        _ reply: ScriptedReply,
        to request: ScriptedRequest,
        requestID: String,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        switch reply {
        case .completion(let completion):
            let answer = Answer(
                completion: completion, content: .text(completion.content), request: request,
                chunkCharacters: core.script.streamChunkCharacters)
            let allocator = context.channel.allocator
            if request.stream {
                sendStream(
                    answer.streamEvents(allocator: allocator), requestID: requestID, keepAlive: keepAlive,
                    context: context)
            } else {
                sendWhole(
                    status: 200, contentType: "application/json", body: answer.body(allocator: allocator),
                    requestID: requestID, keepAlive: keepAlive, context: context)
            }
        case .status(let status, let text, let headers):
            var contentType = "application/json"
            var extra: [(String, String)] = []
            for (name, value) in headers {
                switch name.lowercased() {
                case "content-type": contentType = value
                case "content-length", "transfer-encoding", "connection", "x-request-id": continue
                default: extra.append((name, value))
                }
            }
            sendWhole(
                status: status, contentType: contentType, body: ByteBuffer(string: text), extraHeaders: extra,
                requestID: requestID, keepAlive: keepAlive, context: context)
        case .fault(let fault):
            send(fault, to: request, requestID: requestID, keepAlive: keepAlive, context: context)
        }
    }

    private func send(
        _ fault: ScriptedFault,
        to request: ScriptedRequest,
        requestID: String,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        let allocator = context.channel.allocator
        let filler = Answer(
            completion: ScriptedCompletion(content: ScriptedFault.fillerContent),
            content: .text(ScriptedFault.fillerContent), request: request,
            chunkCharacters: core.script.streamChunkCharacters)
        switch fault {
        case .rateLimited(let retryAfter, let retryAfterMs):
            var headers: [(String, String)] = []
            if let retryAfter { headers.append(("retry-after", retryAfter)) }
            if let retryAfterMs { headers.append(("retry-after-ms", retryAfterMs)) }
            sendError(
                429, message: "Rate limit reached for requests. Please try again later.", type: "rate_limit_error",
                code: "rate_limit_exceeded", extraHeaders: headers, requestID: requestID, keepAlive: keepAlive,
                context: context)

        case .serverError(let status):
            let message =
                switch status {
                case 503: "The server is overloaded or not ready yet."
                default: "The server had an error while processing your request. Sorry about that!"
                }
            sendError(
                status, message: message, type: "server_error", requestID: requestID, keepAlive: keepAlive,
                context: context)

        case .stall:
            silenced = true

        case .resetMidBody:
            var buffer = allocator.buffer(capacity: 1024)
            let headBytes: Int
            let bodyBytes: Int
            if request.stream {
                Self.writeStreamHead(requestID: requestID, keepAlive: keepAlive, into: &buffer)
                headBytes = buffer.readableBytes
                let events = filler.streamEvents(allocator: allocator)
                for index in events.ranges.indices { Self.writeChunk(events.event(index), into: &buffer) }
                buffer.writeStaticString("0\r\n\r\n")
                bodyBytes = buffer.readableBytes - headBytes
            } else {
                let body = filler.body(allocator: allocator)
                Self.writeHead(
                    status: 200, contentType: "application/json", requestID: requestID, keepAlive: keepAlive,
                    contentLength: body.readableBytes, into: &buffer)
                headBytes = buffer.readableBytes
                bodyBytes = body.readableBytes
                buffer.writeImmutableBuffer(body)
            }
            buffer.moveWriterIndex(to: buffer.readerIndex + headBytes + bodyBytes / 2)
            silenced = true
            context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
                Self.reset(context: context)
            }

        case .malformedJSON:
            if request.stream {
                var events = filler
                events.malformed = true
                sendStream(
                    events.streamEvents(allocator: allocator), requestID: requestID, keepAlive: keepAlive,
                    context: context)
            } else {
                var body = allocator.buffer(capacity: 256)
                OpenAIWire.writeMalformedCompletion(model: filler.model, sequence: request.sequence, into: &body)
                sendWhole(
                    status: 200, contentType: "application/json", body: body, requestID: requestID,
                    keepAlive: keepAlive, context: context)
            }

        case .truncatedJSON:
            var body = allocator.buffer(capacity: 256)
            OpenAIWire.writeTruncatedCompletion(model: filler.model, sequence: request.sequence, into: &body)
            sendWhole(
                status: 200, contentType: "application/json", body: body, requestID: requestID,
                keepAlive: keepAlive, context: context)

        case .truncatedSSE:
            var buffer = allocator.buffer(capacity: 1024)
            if request.stream {
                let events = filler.streamEvents(allocator: allocator)
                Self.writeStreamHead(requestID: requestID, keepAlive: false, into: &buffer)
                for index in 0..<(1 + events.contentEvents / 2) { Self.writeChunk(events.event(index), into: &buffer) }
                buffer.writeStaticString("0\r\n\r\n")
            } else {
                let body = filler.body(allocator: allocator)
                Self.writeHead(
                    status: 200, contentType: "application/json", requestID: requestID, keepAlive: false,
                    contentLength: body.readableBytes, into: &buffer)
                buffer.writeImmutableBuffer(body.getSlice(at: body.readerIndex, length: body.readableBytes / 2)!)
            }
            silenced = true
            context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }

        case .slowTrickle(let interval):
            var pieces: [ByteBuffer] = []
            var first = allocator.buffer(capacity: 512)
            if request.stream {
                let events = filler.streamEvents(allocator: allocator)
                Self.writeStreamHead(requestID: requestID, keepAlive: keepAlive, into: &first)
                for index in events.ranges.indices {
                    var piece = index == 0 ? first : allocator.buffer(capacity: events.ranges[index].count + 16)
                    Self.writeChunk(events.event(index), into: &piece)
                    if index == events.ranges.count - 1 { piece.writeStaticString("0\r\n\r\n") }
                    pieces.append(piece)
                }
            } else {
                let body = filler.body(allocator: allocator)
                Self.writeHead(
                    status: 200, contentType: "application/json", requestID: requestID, keepAlive: keepAlive,
                    contentLength: body.readableBytes, into: &first)
                var rest = body
                while rest.readableBytes > 0 {
                    var piece = rest.readSlice(length: min(ScriptedFault.tricklePieceBytes, rest.readableBytes))!
                    if pieces.isEmpty {
                        first.writeBuffer(&piece)
                        pieces.append(first)
                    } else {
                        pieces.append(piece)
                    }
                }
                if pieces.isEmpty { pieces.append(first) }
            }
            trickle(pieces, from: 0, interval: TimeAmount(interval), keepAlive: keepAlive, context: context)

        case .endlessStream(let interval):
            silenced = true
            var head = allocator.buffer(capacity: 512)
            var piece = allocator.buffer(capacity: ScriptedFault.endlessPieceBytes + 64)
            var payload = allocator.buffer(capacity: ScriptedFault.endlessPieceBytes)
            if request.stream {
                let events = filler.streamEvents(allocator: allocator)
                Self.writeStreamHead(requestID: requestID, keepAlive: false, into: &head)
                Self.writeChunk(events.event(0), into: &head)
                let delta = events.event(1)
                while payload.readableBytes < ScriptedFault.endlessPieceBytes { payload.writeImmutableBuffer(delta) }
            } else {
                Self.writeHead(
                    status: 200, contentType: "application/json", requestID: requestID, keepAlive: false,
                    contentLength: nil, into: &head)
                var opening = allocator.buffer(capacity: 128)
                opening.writeStaticString(
                    #"{"id":"chatcmpl-endless","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":""#
                )
                Self.writeChunk(opening, into: &head)
                payload.writeRepeatingByte(UInt8(ascii: "a"), count: ScriptedFault.endlessPieceBytes)
            }
            Self.writeChunk(payload, into: &piece)
            context.writeAndFlush(wrapOutboundOut(head), promise: nil)
            endless(piece, interval: TimeAmount(interval), context: context)

        case .oversizedBody(let bytes):
            let answer = Answer(
                completion: ScriptedCompletion(content: "", completionTokens: bytes / 4),
                content: .repeated(UInt8(ascii: "a"), count: 0), request: request,
                chunkCharacters: core.script.streamChunkCharacters)
            if request.stream {
                var big = answer
                big.content = .repeated(UInt8(ascii: "a"), count: bytes)
                sendStream(
                    big.streamEvents(allocator: allocator), requestID: requestID, keepAlive: keepAlive,
                    context: context)
            } else {
                let minimal = answer.body(allocator: allocator).readableBytes
                var body: ByteBuffer
                if bytes >= minimal {
                    var big = answer
                    big.content = .repeated(UInt8(ascii: "a"), count: bytes - minimal)
                    body = big.body(allocator: allocator)
                } else {
                    body = allocator.buffer(capacity: bytes)
                    body.writeRepeatingByte(UInt8(ascii: "a"), count: bytes)
                }
                sendWhole(
                    status: 200, contentType: "application/json", body: body, requestID: requestID,
                    keepAlive: keepAlive, context: context)
            }
        }
    }

    /// Writes `piece` every `interval` for as long as the connection lives (each write waits for the one before).
    private func endless(_ piece: ByteBuffer, interval: TimeAmount, context: ChannelHandlerContext) {
        guard active else { return }
        context.writeAndFlush(wrapOutboundOut(piece)).assumeIsolated().whenSuccess {
            guard self.active else { return }
            self.scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
                self.scheduled = nil
                self.endless(piece, interval: interval, context: context)
            }
        }
    }

    /// Writes `pieces[index...]`, one every `interval`, then ends the answer.
    private func trickle(
        _ pieces: [ByteBuffer],
        from index: Int,
        interval: TimeAmount,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        guard active else { return }
        let written = context.writeAndFlush(wrapOutboundOut(pieces[index]))
        guard index + 1 < pieces.count else {
            return answered(keepAlive: keepAlive, lastWrite: written, context: context)
        }
        scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            self.scheduled = nil
            self.trickle(pieces, from: index + 1, interval: interval, keepAlive: keepAlive, context: context)
        }
    }

    /// Closes with SO_LINGER 0, so the kernel sends RST instead of FIN.
    private static func reset(context: ChannelHandlerContext) {
        guard let provider = context.channel as? any SocketOptionProvider else {
            return context.close(promise: nil)
        }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func sendError(
        _ status: Int,
        message: String,
        type: String,
        param: String? = nil,
        code: String? = nil,
        extraHeaders: [(String, String)] = [],
        requestID: String,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        var body = context.channel.allocator.buffer(capacity: 160 + message.utf8.count)
        OpenAIWire.writeError(message: message, type: type, param: param, code: code, into: &body)
        sendWhole(
            status: status, contentType: "application/json", body: body, extraHeaders: extraHeaders,
            requestID: requestID, keepAlive: keepAlive, context: context)
    }

    /// A response with a `content-length`: head and body in one write when the body is small.
    private func sendWhole(
        status: Int,
        contentType: String,
        body: ByteBuffer,
        extraHeaders: [(String, String)] = [],
        requestID: String,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        var buffer = context.channel.allocator.buffer(capacity: 256 + min(body.readableBytes, 1 << 16))
        Self.writeHead(
            status: status, contentType: contentType, requestID: requestID, keepAlive: keepAlive,
            contentLength: body.readableBytes, extraHeaders: extraHeaders, into: &buffer)
        let done: EventLoopFuture<Void>
        if body.readableBytes <= 1 << 16 {
            buffer.writeImmutableBuffer(body)
            done = context.writeAndFlush(wrapOutboundOut(buffer))
        } else {
            context.write(wrapOutboundOut(buffer), promise: nil)
            done = context.writeAndFlush(wrapOutboundOut(body))
        }
        answered(keepAlive: keepAlive, lastWrite: done, context: context)
    }

    private func sendStream(
        _ events: OpenAIWire.StreamEvents,
        requestID: String,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        let capacity = events.bytes.readableBytes + 16 * events.ranges.count + 256
        var buffer = context.channel.allocator.buffer(capacity: capacity)
        Self.writeStreamHead(requestID: requestID, keepAlive: keepAlive, into: &buffer)
        for index in events.ranges.indices { Self.writeChunk(events.event(index), into: &buffer) }
        buffer.writeStaticString("0\r\n\r\n")
        let done = context.writeAndFlush(wrapOutboundOut(buffer))
        answered(keepAlive: keepAlive, lastWrite: done, context: context)
    }

    // MARK: - Heads and chunks

    static func writeHead(
        status: Int,
        contentType: String,
        requestID: String,
        keepAlive: Bool,
        contentLength: Int?,
        extraHeaders: [(String, String)] = [],
        into buffer: inout ByteBuffer
    ) {
        if status == 200 {
            buffer.writeStaticString("HTTP/1.1 200 OK\r\nserver: evalgate-scripted\r\ncontent-type: ")
        } else {
            buffer.writeStaticString("HTTP/1.1 ")
            buffer.writeDecimal(status)
            buffer.writeStaticString(" ")
            buffer.writeString(HTTPResponseStatus(statusCode: status).reasonPhrase)
            buffer.writeStaticString("\r\nserver: evalgate-scripted\r\ncontent-type: ")
        }
        buffer.writeString(contentType)
        if let contentLength {
            buffer.writeStaticString("\r\ncontent-length: ")
            buffer.writeDecimal(contentLength)
        } else {
            buffer.writeStaticString("\r\ntransfer-encoding: chunked\r\ncache-control: no-cache")
        }
        if keepAlive {
            buffer.writeStaticString("\r\nconnection: keep-alive\r\nx-request-id: ")
        } else {
            buffer.writeStaticString("\r\nconnection: close\r\nx-request-id: ")
        }
        buffer.writeString(requestID)
        for (name, value) in extraHeaders {
            buffer.writeStaticString("\r\n")
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
        }
        buffer.writeStaticString("\r\n\r\n")
    }

    static func writeStreamHead(requestID: String, keepAlive: Bool, into buffer: inout ByteBuffer) {
        writeHead(
            status: 200, contentType: "text/event-stream; charset=utf-8", requestID: requestID, keepAlive: keepAlive,
            contentLength: nil, into: &buffer)
    }

    /// One chunk of a chunked body: hex length, CRLF, bytes, CRLF.
    static func writeChunk(_ bytes: ByteBuffer, into buffer: inout ByteBuffer) {
        buffer.writeString(String(bytes.readableBytes, radix: 16))
        buffer.writeStaticString("\r\n")
        buffer.writeImmutableBuffer(bytes)
        buffer.writeStaticString("\r\n")
    }
}

/// One answer to write: the completion, the content to send (text or padding) and what the request asked for.
struct Answer {
    var completion: ScriptedCompletion
    var content: OpenAIWire.Content
    var model: String
    var sequence: Int
    var usage: OpenAIWire.Usage
    var includeUsage: Bool
    var chunkCharacters: Int
    var malformed = false

    init(completion: ScriptedCompletion, content: OpenAIWire.Content, request: ScriptedRequest, chunkCharacters: Int) {
        self.completion = completion
        self.content = content
        self.model = completion.model ?? request.model ?? ""
        self.sequence = request.sequence
        self.usage = OpenAIWire.usage(of: completion, for: request)
        self.includeUsage = request.includeUsage
        self.chunkCharacters = chunkCharacters
    }

    func body(allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 320 + completion.content.utf8.count)
        OpenAIWire.writeCompletion(
            completion, content: content, model: model, sequence: sequence, usage: usage, into: &buffer)
        return buffer
    }

    func streamEvents(allocator: ByteBufferAllocator) -> OpenAIWire.StreamEvents {
        OpenAIWire.streamEvents(
            completion, content: content, model: model, sequence: sequence, usage: includeUsage ? usage : nil,
            chunkCharacters: chunkCharacters, malformed: malformed, allocator: allocator)
    }
}
