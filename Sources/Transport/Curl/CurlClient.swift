import CCurl
import Foundation
import Synchronization

/// The libcurl HTTP client: one multi handle driven by one dedicated thread, however many requests are in flight.
///
/// Callers on any task call `send` or `stream`; the request is queued as a command, `curl_multi_wakeup` wakes the loop
/// thread, and the loop adds an easy handle to the multi handle. Connections are reused across requests (HTTP/1.1
/// keep-alive, HTTP/2 multiplexing over TLS when the server offers it). Swift task cancellation removes the transfer.
public final class CurlClient: HTTPTransport, Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Verify the server's certificate and host name. Turning this off is `insecure`: say so explicitly.
        public var verifyTLS: Bool
        /// A PEM bundle of CA certificates to trust instead of the system's.
        public var caFile: String?
        /// Connections kept open in the cache for reuse.
        public var maxCachedConnections: Int
        /// At most this many connections to one host (0: no limit). Requests over the limit wait for a connection.
        public var maxConnectionsPerHost: Int
        /// Offer HTTP/2 over TLS (ALPN). Cleartext HTTP always uses HTTP/1.1: libcurl 7.88 mishandles reused h2c.
        public var http2: Bool
        public var userAgent: String

        public init(
            verifyTLS: Bool = true,
            caFile: String? = nil,
            maxCachedConnections: Int = 512,
            maxConnectionsPerHost: Int = 0,
            http2: Bool = true,
            userAgent: String = "evalgate"
        ) {
            self.verifyTLS = verifyTLS
            self.caFile = caFile
            self.maxCachedConnections = maxCachedConnections
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.http2 = http2
            self.userAgent = userAgent
        }

        public static let `default` = Configuration()
        /// No certificate or host-name checks: for self-signed test servers only.
        public static let insecure = Configuration(verifyTLS: false)
    }

    public let configuration: Configuration
    private let loop: CurlLoop

    /// The version of the libcurl this process runs with, e.g. "7.88.1".
    public static var libcurlVersion: String {
        String(cString: evalgate_curl_version())
    }

    public init(configuration: Configuration = .default) throws(TransportError) {
        self.configuration = configuration
        self.loop = try CurlLoop(configuration: configuration)
    }

    deinit {
        loop.shutdown()
    }

    /// Stops the loop thread; requests in flight fail with `invalidRequest` ("client shut down").
    public func shutdown() {
        loop.shutdown()
    }

    /// Number of transfers the loop is running now (for tests and diagnostics).
    public var activeTransfers: Int { loop.activeCount }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = CurlTransfer(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                transfer.delivery = .buffered(continuation)
                loop.submit(transfer)
            }
        } onCancel: {
            transfer.requestCancel()
            loop.cancel(transfer)
        }
    }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamResponse {
        let transfer = CurlTransfer(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<HTTPStreamResponse, any Error>) in
                let (body, bodyContinuation) = AsyncThrowingStream<Data, any Error>.makeStream()
                bodyContinuation.onTermination = { [self] termination in
                    // The consumer stopped listening (dropped the stream or its task was cancelled): free the transfer.
                    // Capturing the client keeps it, and its loop, alive for as long as someone reads the body.
                    if case .cancelled = termination {
                        transfer.requestCancel()
                        self.loop.cancel(transfer)
                    }
                }
                transfer.streamBody = body
                transfer.delivery = .streaming(head: continuation, body: bodyContinuation)
                loop.submit(transfer)
            }
        } onCancel: {
            transfer.requestCancel()
            loop.cancel(transfer)
        }
    }
}

/// The thread that owns the multi handle and every easy handle.
///
/// Threading rule (why `@unchecked Sendable`): `multi`, `active`, `idleHandles` and `running` are touched only on the
/// loop thread. Other threads touch only `commands` (behind a mutex) and call `curl_multi_wakeup`, which libcurl
/// documents as safe from any thread (since 7.68).
final class CurlLoop: @unchecked Sendable {
    enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
        case shutdown
    }

    private let configuration: CurlClient.Configuration
    private let multi: UnsafeMutableRawPointer
    private let commands = Mutex<[Command]>([])
    private let isShutDown = Atomic<Bool>(false)
    private let activeCounter = Atomic<Int>(0)
    private let exited = Mutex<Bool>(false)

    // Loop-thread state.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    private static let verbose =
        ProcessInfo.processInfo.environment["EVALGATE_CURL_VERBOSE"].map { $0 != "" && $0 != "0" } ?? false

    /// Loads libcurl (on first use, not at process start: see CCurl.h) and initialises it once; nil when it is
    /// ready, else why not.
    private static let globalInit: String? = {
        if let failure = evalgate_curl_load() { return String(cString: failure) }
        evalgate_ignore_sigpipe()
        return evalgate_curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK ? nil : "curl_global_init failed"
    }()

    init(configuration: CurlClient.Configuration) throws(TransportError) {
        if let failure = Self.globalInit {
            throw TransportError(kind: .other, message: failure)
        }
        guard let multi = evalgate_curl_multi_init() else {
            throw TransportError(kind: .other, message: "curl_multi_init failed")
        }
        self.configuration = configuration
        self.multi = multi
        _ = evalgate_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = evalgate_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxCachedConnections)
        if configuration.maxConnectionsPerHost > 0 {
            _ = evalgate_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        }
        let thread = Thread { [self] in run() }
        thread.name = "evalgate-curl"
        thread.start()
    }

    var activeCount: Int { activeCounter.load(ordering: .relaxed) }

    func submit(_ transfer: CurlTransfer) {
        enqueue(.add(transfer))
    }

    func cancel(_ transfer: CurlTransfer) {
        enqueue(.cancel(transfer))
    }

    func shutdown() {
        if isShutDown.exchange(true, ordering: .acquiringAndReleasing) { return }
        enqueue(.shutdown, evenAfterShutdown: true)
    }

    private func enqueue(_ command: Command, evenAfterShutdown: Bool = false) {
        let accepted = exited.withLock { exited -> Bool in
            if exited { return false }
            commands.withLock { $0.append(command) }
            // Under the same lock as `exited`: the multi handle is not cleaned up while we wake it.
            evalgate_curl_multi_wakeup(multi)
            return true
        }
        if !accepted, case .add(let transfer) = command {
            transfer.complete(.failure(TransportError(kind: .invalidRequest, message: "the HTTP client was shut down")))
        }
    }

    // MARK: loop thread

    private func run() {
        var running: Int32 = 0
        while true {
            let pending = commands.withLock { queue -> [Command] in
                let taken = queue
                queue.removeAll(keepingCapacity: true)
                return taken
            }
            var stop = false
            for command in pending {
                switch command {
                case .add(let transfer): start(transfer)
                case .cancel(let transfer):
                    abort(transfer, TransportError(kind: .cancelled, message: "request cancelled"))
                case .shutdown: stop = true
                }
            }
            if stop { break }

            let performed = evalgate_curl_multi_perform(multi, &running)
            readCompletions()
            if performed != CURLM_OK { failAll(performed, "curl_multi_perform") }
            let pollTimeout = enforceIdleTimeouts()
            let polled = evalgate_curl_multi_poll(multi, nil, 0, pollTimeout, nil)
            if polled != CURLM_OK {
                failAll(polled, "curl_multi_poll")
                // Do not spin on a poll that fails at once; new commands are picked up on the next round.
                usleep(10_000)
            }
        }
        let shutDownError = TransportError(kind: .invalidRequest, message: "the HTTP client was shut down")
        for transfer in Array(active.values) { abort(transfer, shutDownError) }
        let late = exited.withLock { exited -> [Command] in
            exited = true
            // Commands that arrived after the last drain: nothing runs them now.
            let late = commands.withLock { queue -> [Command] in
                defer { queue.removeAll() }
                return queue
            }
            for easy in idleHandles { evalgate_curl_easy_cleanup(easy) }
            idleHandles.removeAll()
            evalgate_curl_multi_cleanup(multi)
            return late
        }
        // Outside the lock: completing a stream may run its termination handler, which enqueues (and so locks).
        for case .add(let transfer) in late { transfer.complete(.failure(shutDownError)) }
    }

    /// The multi handle itself failed: every transfer in flight fails with libcurl's reason.
    private func failAll(_ code: CURLMcode, _ call: String) {
        let text = String(cString: evalgate_curl_multi_strerror(code))
        let error = TransportError(kind: .other, curlCode: Int(code.rawValue), message: "\(call) failed: \(text)")
        for transfer in Array(active.values) { abort(transfer, error) }
    }

    private func start(_ transfer: CurlTransfer) {
        if transfer.cancelRequested {
            transfer.complete(.failure(TransportError(kind: .cancelled, message: "request cancelled")))
            return
        }
        guard let easy = idleHandles.popLast() ?? evalgate_curl_easy_init() else {
            transfer.complete(.failure(TransportError(kind: .other, message: "curl_easy_init failed")))
            return
        }
        if let failure = configure(easy, for: transfer) {
            evalgate_curl_easy_reset(easy)
            idleHandles.append(easy)
            transfer.complete(.failure(failure))
            return
        }
        transfer.easy = easy
        active[easy] = transfer
        activeCounter.store(active.count, ordering: .relaxed)
        let code = evalgate_curl_multi_add_handle(multi, easy)
        if code != CURLM_OK {
            finish(
                transfer,
                .failure(TransportError(kind: .other, message: "curl_multi_add_handle failed (\(code.rawValue))")))
        }
    }

    private func abort(_ transfer: CurlTransfer, _ error: TransportError) {
        guard let easy = transfer.easy, active[easy] === transfer else { return }
        finish(transfer, .failure(error))
    }

    /// Removes the transfer from the multi handle, recycles its easy handle and resumes its caller once.
    private func finish(_ transfer: CurlTransfer, _ result: Result<Void, TransportError>) {
        if let easy = transfer.easy {
            var connects = 0
            _ = evalgate_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
            transfer.connectionsOpened = connects
            evalgate_curl_multi_remove_handle(multi, easy)
            active[easy] = nil
            activeCounter.store(active.count, ordering: .relaxed)
            transfer.easy = nil
            evalgate_curl_easy_reset(easy)
            if idleHandles.count < 1024 { idleHandles.append(easy) } else { evalgate_curl_easy_cleanup(easy) }
        }
        if let list = transfer.headerList {
            evalgate_curl_slist_free_all(list)
            transfer.headerList = nil
        }
        transfer.complete(result)
    }

    private func readCompletions() {
        var remaining: Int32 = 0
        while let message = evalgate_curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = active[easy]
            else { continue }
            let code = message.pointee.data.result
            if code == CURLE_OK {
                finish(transfer, .success(()))
            } else {
                finish(transfer, .failure(classify(code, transfer)))
            }
        }
    }

    /// Fails transfers that have been silent longer than their idle timeout; returns how long the loop may sleep.
    private func enforceIdleTimeouts() -> Int32 {
        let now = ContinuousClock.now
        var nearest: Duration = active.isEmpty ? .seconds(10) : .seconds(1)
        // Collected first and aborted after: aborting changes `active`, and copying it on every loop round
        // would cost an allocation per round on the hot path.
        var expired: [CurlTransfer] = []
        for transfer in active.values {
            if !transfer.sent, transfer.isStreaming, let easy = transfer.easy {
                var pretransfer: curl_off_t = 0
                _ = evalgate_easy_getinfo_off(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer)
                if pretransfer > 0 {
                    transfer.sent = true
                    transfer.lastActivity = now
                }
            }
            guard let deadline = transfer.idleDeadline else { continue }
            if deadline <= now {
                expired.append(transfer)
            } else {
                nearest = min(nearest, deadline - now)
            }
        }
        for transfer in expired {
            let idle = transfer.request.timeouts.idle ?? .zero
            abort(
                transfer,
                TransportError(
                    kind: .idleTimeout, message: "no data received for \(idle.formattedMilliseconds) (idle timeout)")
            )
        }
        return Int32(clamping: max(1, nearest.wholeMilliseconds))
    }

    private func classify(_ code: CURLcode, _ transfer: CurlTransfer) -> TransportError {
        if let local = transfer.localFailure { return local }
        let text = transfer.curlErrorText
        let message = text.isEmpty ? String(cString: evalgate_curl_easy_strerror(code)) : text
        let raw = Int(code.rawValue)
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            // Pre-transfer time is zero until the connection (new or reused, TLS included) is ready and the request
            // is about to go out; connect time alone is zero on a reused connection too, so it cannot tell.
            var pretransfer: curl_off_t = 0
            if let easy = transfer.easy {
                _ = evalgate_easy_getinfo_off(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer)
            }
            return TransportError(
                kind: pretransfer == 0 ? .connectTimeout : .totalTimeout, curlCode: raw, message: message)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CRL_BADFILE:
            return TransportError(kind: .tls, curlCode: raw, message: message)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_SSL_CONNECT_ERROR,
            CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND:
            return TransportError(kind: .connect, curlCode: raw, message: message)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY,
            CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_BAD_CONTENT_ENCODING:
            return TransportError(kind: .connectionLost, curlCode: raw, message: message)
        case CURLE_FILESIZE_EXCEEDED:
            return TransportError(
                kind: .tooLarge,
                curlCode: raw,
                message: "response body exceeds the cap of \(transfer.request.maxResponseBytes) bytes"
            )
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return TransportError(kind: .invalidRequest, curlCode: raw, message: message)
        case CURLE_ABORTED_BY_CALLBACK:
            return TransportError(kind: .cancelled, curlCode: raw, message: message)
        default:
            return TransportError(kind: .other, curlCode: raw, message: message)
        }
    }

    /// Sets every option of one request on an easy handle. Returns an error when an option is refused.
    private func configure(_ easy: UnsafeMutableRawPointer, for transfer: CurlTransfer) -> TransportError? {
        let request = transfer.request
        var failure: TransportError?
        func check(_ code: CURLcode, _ what: String) {
            if code != CURLE_OK, failure == nil {
                failure = TransportError(
                    kind: .invalidRequest,
                    curlCode: Int(code.rawValue),
                    message: "\(what): \(String(cString: evalgate_curl_easy_strerror(code)))"
                )
            }
        }
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        check(evalgate_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer), "error buffer")
        check(evalgate_easy_setopt_string(easy, CURLOPT_URL, request.url), "URL")
        check(evalgate_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        check(evalgate_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "nosignal")
        check(evalgate_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, ""), "accept-encoding")
        check(evalgate_easy_setopt_string(easy, CURLOPT_USERAGENT, configuration.userAgent), "user agent")
        check(evalgate_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1), "nodelay")
        check(evalgate_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "keepalive")
        // Through an HTTPS proxy (https_proxy in the environment), the proxy's "200 Connection established" block
        // would otherwise reach the header callback and pass for the server's head.
        check(evalgate_easy_setopt_long(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1), "suppress connect headers")
        // Over TLS, wait for a connection that may multiplex (HTTP/2) rather than open another. Cleartext is always
        // HTTP/1.1 here, where waiting would only hold new requests until the first response arrives.
        let isTLS = request.url.lowercased().hasPrefix("https:")
        check(evalgate_easy_setopt_long(easy, CURLOPT_PIPEWAIT, isTLS && configuration.http2 ? 1 : 0), "pipewait")
        check(
            evalgate_easy_setopt_long(
                easy,
                CURLOPT_HTTP_VERSION,
                configuration.http2 ? Int(CURL_HTTP_VERSION_2TLS) : Int(CURL_HTTP_VERSION_1_1)
            ),
            "HTTP version"
        )
        // TLS
        check(evalgate_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0), "verify peer")
        check(evalgate_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0), "verify host")
        if let caFile = configuration.caFile {
            check(evalgate_easy_setopt_string(easy, CURLOPT_CAINFO, caFile), "CA file")
        }
        // Timeouts. The idle timeout is enforced by the loop itself, with millisecond precision.
        if let total = request.timeouts.total {
            check(evalgate_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, total.wholeMilliseconds), "timeout")
        }
        if let connect = request.timeouts.connect {
            check(
                evalgate_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, connect.wholeMilliseconds), "connect timeout"
            )
        }
        // A declared Content-Length over the cap fails before the body is read.
        check(
            evalgate_easy_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxResponseBytes)), "size cap")
        // Method and body
        switch request.method {
        case .get:
            check(evalgate_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "GET")
        case .head:
            check(evalgate_easy_setopt_long(easy, CURLOPT_NOBODY, 1), "HEAD")
        case .post, .put, .delete:
            if request.method != .post {
                check(evalgate_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method.rawValue), "method")
            }
        }
        if let body = request.body ?? (request.method == .post ? Data() : nil) {
            check(evalgate_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
            body.withUnsafeBytes { raw in
                // COPYPOSTFIELDS copies the bytes now, so the Data may go away after this call.
                let pointer =
                    raw.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                    ?? UnsafeMutableRawPointer(mutating: ("" as StaticString).utf8Start)
                check(evalgate_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, pointer), "body")
            }
        }
        // Headers. "Expect:" switches off the 100-continue round trip libcurl adds to large bodies.
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for field in request.headers.fields {
            list = evalgate_curl_slist_append(list, "\(field.name): \(field.value)")
        }
        if request.headers["Expect"] == nil { list = evalgate_curl_slist_append(list, "Expect:") }
        transfer.headerList = list
        check(evalgate_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list), "headers")
        // EVALGATE_CURL_VERBOSE=1 prints libcurl's own trace on stderr, for troubleshooting TLS and proxies.
        // Outgoing header values are masked (see curlDebugCallback): keys never reach the trace.
        if Self.verbose {
            check(evalgate_easy_setopt_debug_cb(easy, CURLOPT_DEBUGFUNCTION, curlDebugCallback), "debug callback")
            check(evalgate_easy_setopt_long(easy, CURLOPT_VERBOSE, 1), "verbose")
        }
        // Callbacks
        check(evalgate_easy_setopt_data_cb(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback), "header callback")
        check(evalgate_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context), "header data")
        check(evalgate_easy_setopt_data_cb(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback), "write callback")
        check(evalgate_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context), "write data")
        return failure
    }
}

private let curlHeaderCallback: evalgate_curl_data_cb = { pointer, size, count, context in
    let length = size * count
    guard let pointer, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    pointer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        transfer.receiveHeaderLine(UnsafeBufferPointer(start: bytes, count: length))
    }
    return length
}

private let curlWriteCallback: evalgate_curl_data_cb = { pointer, size, count, context in
    let length = size * count
    guard let pointer, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let keepGoing = pointer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        transfer.receiveBody(UnsafeBufferPointer(start: bytes, count: length))
    }
    // Returning a different count makes libcurl stop the transfer with CURLE_WRITE_ERROR.
    return keepGoing ? length : 0
}

/// libcurl's trace, on stderr: its own text and incoming headers as they are; outgoing headers with their values
/// masked except a few harmless ones, since Authorization, api-key and any custom secret header travel there.
private let curlDebugCallback: evalgate_curl_debug_cb = { _, type, data, size, _ in
    guard let data, type == CURLINFO_TEXT || type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT else { return 0 }
    let text = data.withMemoryRebound(to: UInt8.self, capacity: size) {
        String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
    }
    let prefix = type == CURLINFO_TEXT ? "* " : (type == CURLINFO_HEADER_IN ? "< " : "> ")
    var lines: [String] = []
    for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
        var line = String(line).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        if type == CURLINFO_HEADER_OUT, let masked = maskingQueryValues(requestLine: line) {
            line = masked
        } else if type == CURLINFO_HEADER_OUT, let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let harmless: Set<String> = [
                "host", "user-agent", "accept", "accept-encoding", "content-type", "content-length", "expect",
                "connection",
            ]
            if !harmless.contains(name) { line = String(line[..<colon]) + ": [masked]" }
        }
        lines.append(prefix + line)
    }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    return 0
}

/// `POST /v1/chat/completions?api-version=[masked]&key=[masked] HTTP/1.1` for a request line with a query (its
/// values may be keys); nil for any other line.
func maskingQueryValues(requestLine line: String) -> String? {
    let parts = line.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[2].hasPrefix("HTTP/"), let question = parts[1].firstIndex(of: "?") else { return nil }
    let target = parts[1]
    let items = target[target.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map {
        item in
        guard let equals = item.firstIndex(of: "=") else { return String(item) }
        return item[...equals] + "[masked]"
    }
    return "\(parts[0]) \(target[...question])\(items.joined(separator: "&")) \(parts[2])"
}

extension Duration {
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    var formattedMilliseconds: String { "\(wholeMilliseconds) ms" }
}
