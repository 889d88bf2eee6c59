import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An OpenAI-compatible HTTP/1.1 server on loopback that answers from a ``Script``: the fake model behind every
/// module's tests, the benchmarks and the demo.
///
/// Routes:
/// - `POST /v1/chat/completions` (also `/chat/completions`): the script's answer, as a `chat.completion` body or,
///   when the request has `"stream": true`, as `text/event-stream` chunks ending with `data: [DONE]`.
/// - `GET /v1/models` (also `/models`): the script's ``Script/models`` in OpenAI's list format.
/// - anything else: 404, or 405 for a known path with another method; 400 when a chat request's body is not JSON
///   or lacks `model` or `messages`. Errors have OpenAI's `{"error":{...}}` shape.
///
/// Every response carries `x-request-id` (`req_<sequence>` for chat requests, `req_aux<n>` for the others) and
/// keeps the connection alive unless the client sent `Connection: close`. `Expect: 100-continue` is honoured.
/// A request header ``ScriptedFault/headerName`` (`x-scripted-fault: <name>[;arg]`) makes the endpoint misbehave
/// instead of asking the script; see ``ScriptedFault/headerName`` for the names.
///
/// Call ``shutdown()`` when done (or use ``withEndpoint(_:host:port:threads:isolation:_:)``): it closes the listener and every
/// open connection, stalled ones too.
public final class ScriptedEndpoint: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let core: EndpointCore
    private let host: String

    /// The bound TCP port.
    public let port: Int

    private init(group: MultiThreadedEventLoopGroup, serverChannel: any Channel, core: EndpointCore, host: String) {
        self.group = group
        self.serverChannel = serverChannel
        self.core = core
        self.host = host
        self.port = serverChannel.localAddress?.port ?? 0
    }

    /// Starts listening on `host:port` (port 0 picks a free one) with `threads` event-loop threads.
    public static func start(
        _ script: Script,
        host: String = "127.0.0.1",
        port: Int = 0,
        threads: Int = 1
    ) async throws -> ScriptedEndpoint {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let core = EndpointCore(script: script)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                core.accepted(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes))
                    )
                    try channel.pipeline.syncOperations.addHandler(ConnectionHandler(core: core))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            return ScriptedEndpoint(group: group, serverChannel: channel, core: core, host: host)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Starts an endpoint, runs `body` with it and shuts it down, also when `body` throws.
    public static func withEndpoint<Result>(
        _ script: Script,
        host: String = "127.0.0.1",
        port: Int = 0,
        threads: Int = 1,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (ScriptedEndpoint) async throws -> Result
    ) async throws -> Result {
        let endpoint = try await start(script, host: host, port: port, threads: threads)
        do {
            let result = try await body(endpoint)
            try await endpoint.shutdown()
            return result
        } catch {
            try? await endpoint.shutdown()
            throw error
        }
    }

    /// `http://<host>:<port>/v1`, the base URL an OpenAI client expects.
    public var baseURL: String {
        let authority = host.contains(":") ? "[\(host)]" : host
        return "http://\(authority):\(port)/v1"
    }

    /// Chat-completion requests received so far (faulted and rejected ones included).
    public var requestCount: Int { core.chatRequestCount }

    /// TCP connections accepted so far; with keep-alive, several requests share one.
    public var connectionCount: Int { core.connectionCount.load(ordering: .relaxed) }

    /// Returns once at least `count` chat-completion requests have been received (not necessarily answered), or
    /// when the task is cancelled or the endpoint shuts down. Lets tests wait for a request without sleeping.
    public func waitForRequests(_ count: Int) async {
        await core.waitForChatRequests(count)
    }

    /// Closes the listener and every open connection, then stops the event loops. Calling it again does nothing.
    public func shutdown() async throws {
        guard core.beginShutdown() else { return }
        try? await serverChannel.close()
        for channel in core.openChannels() {
            try? await channel.close()
        }
        try await group.shutdownGracefully()
    }
}

/// The state every connection shares: the script, the counters and the open channels.
final class EndpointCore: Sendable {
    let script: Script
    let connectionCount = Atomic<Int>(0)
    private let auxiliaryRequests = Atomic<Int>(0)
    private let chat = Mutex(ChatRequests())
    private let channels = Mutex(OpenChannels())

    private struct ChatRequests {
        var count = 0
        var shutDown = false
        var nextWaiterID = 0
        var waiters: [(id: Int, target: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var cancelledWaiters: Set<Int> = []
    }

    private struct OpenChannels {
        var closing = false
        var byID: [ObjectIdentifier: any Channel] = [:]
    }

    init(script: Script) {
        self.script = script
    }

    // MARK: Connections

    func accepted(_ channel: any Channel) {
        connectionCount.add(1, ordering: .relaxed)
        let id = ObjectIdentifier(channel)
        let refused = channels.withLock { state in
            if state.closing { return true }
            state.byID[id] = channel
            return false
        }
        if refused {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.channels.withLock { $0.byID.removeValue(forKey: id) }
        }
    }

    /// Marks the endpoint as shutting down; false when it already was.
    func beginShutdown() -> Bool {
        let first = channels.withLock { state in
            defer { state.closing = true }
            return !state.closing
        }
        guard first else { return false }
        let waiters = chat.withLock { state in
            state.shutDown = true
            defer { state.waiters.removeAll() }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume() }
        return true
    }

    func openChannels() -> [any Channel] {
        channels.withLock { Array($0.byID.values) }
    }

    // MARK: Request numbering

    var chatRequestCount: Int { chat.withLock { $0.count } }

    /// Numbers a new chat-completion request and wakes whoever waits for that many.
    func nextChatSequence() -> Int {
        let (sequence, ready) = chat.withLock { state -> (Int, [CheckedContinuation<Void, Never>]) in
            let sequence = state.count
            state.count += 1
            guard !state.waiters.isEmpty else { return (sequence, []) }
            var ready: [CheckedContinuation<Void, Never>] = []
            state.waiters.removeAll { waiter in
                guard waiter.target <= state.count else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return (sequence, ready)
        }
        for continuation in ready { continuation.resume() }
        return sequence
    }

    func nextAuxiliaryRequestID() -> String {
        "req_aux\(auxiliaryRequests.wrappingAdd(1, ordering: .relaxed).oldValue)"
    }

    func waitForChatRequests(_ target: Int) async {
        let id = chat.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = chat.withLock { state in
                    if state.count >= target || state.shutDown || state.cancelledWaiters.remove(id) != nil {
                        return true
                    }
                    state.waiters.append((id, target, continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = chat.withLock { state -> CheckedContinuation<Void, Never>? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index).continuation
                }
                state.cancelledWaiters.insert(id)
                return nil
            }
            waiter?.resume()
        }
    }
}
