import CCurl
import Foundation
import Synchronization

/// One request in flight on the curl loop.
///
/// Threading rule (why `@unchecked Sendable`): a transfer is created on the caller's task and handed to the loop
/// thread through the command queue; from then on every mutable field is read and written only on the loop thread
/// (libcurl calls the header and write callbacks on that thread, inside `curl_multi_perform`). The one field other
/// threads touch, `cancelRequested`, is an atomic. libcurl forces this shape: its callbacks receive the transfer as a
/// raw pointer, so the state must live in a class whose address is stable.
final class CurlTransfer: @unchecked Sendable {
    enum Delivery {
        /// Collect the whole body, then resume once.
        case buffered(CheckedContinuation<HTTPResponse, any Error>)
        /// Resume `head` when the header block is complete, then yield body pieces to `body`.
        case streaming(
            head: CheckedContinuation<HTTPStreamResponse, any Error>?,
            body: AsyncThrowingStream<Data, any Error>.Continuation)
    }

    let request: HTTPRequest
    private let cancelFlag = CancelFlag()

    // Loop-thread state below.
    var delivery: Delivery?
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>
    let started: ContinuousClock.Instant
    var firstByte: ContinuousClock.Instant?
    var lastActivity: ContinuousClock.Instant
    var status = 0
    var httpVersion = "1.1"
    var headers = HTTPHeaders()
    var headComplete = false
    var body = Data()
    var received = 0
    /// CURLINFO_NUM_CONNECTS, read when the transfer is done.
    var connectionsOpened = 0
    /// A failure decided by us inside a callback (size cap); it explains the CURLE_WRITE_ERROR that follows.
    var localFailure: TransportError?

    init(request: HTTPRequest) {
        self.request = request
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let now = ContinuousClock.now
        self.started = now
        self.lastActivity = now
    }

    deinit {
        errorBuffer.deallocate()
        if let headerList { evalgate_curl_slist_free_all(headerList) }
    }

    var cancelRequested: Bool { cancelFlag.isSet }
    func requestCancel() { cancelFlag.set() }

    /// Set once libcurl has sent the request (its pre-transfer time became non-zero): the idle clock starts then,
    /// not while the transfer waits in libcurl's queue for a connection.
    var sent = false

    var isStreaming: Bool {
        if case .streaming = delivery { return true }
        return false
    }

    /// When a silent stream is declared dead; nil for whole-response requests and before the request is sent.
    var idleDeadline: ContinuousClock.Instant? {
        guard sent, isStreaming, let idle = request.timeouts.idle else { return nil }
        return lastActivity + idle
    }

    var curlErrorText: String {
        let text = String(cString: errorBuffer)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: callbacks (loop thread)

    /// One header line, CRLF included. A status line starts a new block (1xx blocks and proxies send several).
    func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) {
        lastActivity = .now
        // Bytes, not Foundation's character sets: a header line is ASCII framing (RFC 9110: names are tokens, space
        // and tab around values), and this runs for every header of every answer.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var start = 0
        var end = line.count
        while start < end, isSpace(line[start]) { start += 1 }
        while end > start, isSpace(line[end - 1]) { end -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: line[start..<end])
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
            // Header values are ASCII; a server's Latin-1 bytes are read as Latin-1 rather than dropped.
            String(validating: bytes, as: UTF8.self) ?? String(decoding: bytes.map { UInt16($0) }, as: UTF16.self)
        }
        if trimmed.starts(with: "HTTP/".utf8) {
            headers = HTTPHeaders()
            headComplete = false
            let parts = trimmed.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: true)
            if parts.count >= 2 {
                status = Int(text(UnsafeBufferPointer(rebasing: parts[1]))) ?? 0
                httpVersion = text(UnsafeBufferPointer(rebasing: parts[0].dropFirst("HTTP/".count)))
            }
            return
        }
        if trimmed.isEmpty {
            // End of a header block; a 1xx block is followed by the real one.
            if status >= 200 {
                headComplete = true
                resumeHeadIfStreaming()
            }
            return
        }
        if let colon = trimmed.firstIndex(of: UInt8(ascii: ":")) {
            var valueStart = colon + 1
            while valueStart < trimmed.count, trimmed[valueStart] == 0x20 || trimmed[valueStart] == 0x09 {
                valueStart += 1
            }
            headers.add(
                text(UnsafeBufferPointer(rebasing: trimmed[..<colon])),
                text(UnsafeBufferPointer(rebasing: trimmed[valueStart...])))
        }
    }

    /// A piece of the body. Returns false when the transfer must stop (the size cap was crossed).
    func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let now = ContinuousClock.now
        lastActivity = now
        if firstByte == nil { firstByte = now }
        received += bytes.count
        if received > request.maxResponseBytes {
            localFailure = TransportError(
                kind: .tooLarge,
                message: "response body exceeds the cap of \(request.maxResponseBytes) bytes"
            )
            return false
        }
        switch delivery {
        case .buffered:
            body.append(bytes)
        case .streaming(_, let continuation):
            if !headComplete {
                // A body without a header block cannot happen over HTTP, but never lose the order of events.
                headComplete = true
                resumeHeadIfStreaming()
            }
            continuation.yield(Data(bytes))
        case nil:
            break
        }
        return true
    }

    var head: HTTPResponseHead {
        HTTPResponseHead(status: status, headers: headers, httpVersion: httpVersion)
    }

    private func resumeHeadIfStreaming() {
        guard case .streaming(let headContinuation?, let bodyContinuation) = delivery else { return }
        delivery = .streaming(head: nil, body: bodyContinuation)
        headContinuation.resume(
            returning: HTTPStreamResponse(
                head: head,
                body: streamBody ?? AsyncThrowingStream { $0.finish() },
                timeToHead: .now - started
            )
        )
        streamBody = nil
    }

    /// The consumer's end of the body stream, handed over with the head.
    var streamBody: AsyncThrowingStream<Data, any Error>?

    // MARK: completion (loop thread, exactly once)

    func complete(_ result: Result<Void, TransportError>) {
        guard let delivery else { return }
        self.delivery = nil
        let end = ContinuousClock.now
        switch (delivery, result) {
        case (.buffered(let continuation), .success):
            continuation.resume(
                returning: HTTPResponse(
                    head: head,
                    body: body,
                    totalTime: end - started,
                    timeToFirstByte: (firstByte ?? end) - started,
                    connectionsOpened: connectionsOpened
                )
            )
        case (.buffered(let continuation), .failure(let error)):
            continuation.resume(throwing: error)
        case (.streaming(let headContinuation, let bodyContinuation), .success):
            // Finish the body before the stream may be released, so its termination handler sees `.finished`
            // and does not send a cancel back to the loop.
            bodyContinuation.finish()
            if let headContinuation {
                // No body and the head never closed (cannot happen with libcurl, kept total).
                headContinuation.resume(
                    returning: HTTPStreamResponse(
                        head: head,
                        body: streamBody ?? AsyncThrowingStream { $0.finish() },
                        timeToHead: end - started
                    )
                )
            }
            streamBody = nil
        case (.streaming(let headContinuation, let bodyContinuation), .failure(let error)):
            bodyContinuation.finish(throwing: error)
            headContinuation?.resume(throwing: error)
            streamBody = nil
        }
    }
}

/// A flag set once from any thread and read on the loop thread.
private final class CancelFlag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}
