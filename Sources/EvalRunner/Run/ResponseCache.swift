import EvalCore
import Foundation

/// Answers kept on disk so that a rerun of an unchanged run asks the endpoint nothing.
///
/// The key is a SHA-256 of everything that changes an answer: the endpoint (base URL and query items), the model, the
/// whole request body (messages and every param, the per-repeat seed included) and the repeat index, so each repeat
/// has its own entry. Nothing in an entry is secret: an entry holds the answer, its token usage and its latency.
/// Errors are never stored. One file per entry (`ab/abcdef….json`), written to a temporary name and renamed, so a
/// killed run never leaves half an entry; an entry that does not decode is treated as absent.
public struct ResponseCache: Sendable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Answer from the cache when possible; store new answers.
        case use
        /// Ask the endpoint again and overwrite the entries.
        case refresh
        /// Neither read nor write.
        case off
    }

    /// Bumped when the key's input or the entry's shape changes: old entries are then simply not found.
    static let formatVersion = 1

    public let directory: String
    public let mode: Mode

    public init(directory: String, mode: Mode) {
        self.directory = directory
        self.mode = mode
    }

    /// The entry's key for one request.
    public static func key(endpoint: ChatEndpoint, request: ChatRequest, repeatIndex: Int) -> String {
        var hasher = SHA256()
        var text = "evalgate-cache/\(formatVersion)\n\(endpoint.baseURL)\n"
        for (name, value) in endpoint.queryItems.sorted(by: { $0.key < $1.key }) { text += "\(name)=\(value)&" }
        text += "\n\(repeatIndex)\n"
        hasher.update(Array(text.utf8))
        // The body is compact JSON with sorted keys: the same request always gives the same bytes.
        hasher.update(Array((try? request.encodedBody(stream: false)) ?? Data()))
        return hasher.finalizeHex()
    }

    public func load(key: String) -> CachedAnswer? {
        guard mode == .use, let data = FileManager.default.contents(atPath: path(for: key)) else { return nil }
        return try? JSONDecoder().decode(CachedAnswer.self, from: data)
    }

    /// Stores an answer; a failure to write only costs a future cache miss, so it is reported, not thrown.
    @discardableResult
    public func store(_ answer: CachedAnswer, key: String) -> Bool {
        guard mode != .off else { return false }
        let file = path(for: key)
        let folder = (file as NSString).deletingLastPathComponent
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(answer) else { return false }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let temporary = folder + "/.\(key).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: data) else { return false }
            guard rename(temporary, file) == 0 else {
                unlink(temporary)
                return false
            }
            return true
        } catch {
            return false
        }
    }

    func path(for key: String) -> String {
        "\(directory)/\(key.prefix(2))/\(key).json"
    }
}

/// A cached answer: what the run log needs to record it again.
public struct CachedAnswer: Sendable, Hashable, Codable {
    public var content: String
    public var finishReason: String?
    public var model: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var latencyMs: Double
    public var timeToFirstTokenMs: Double?

    public init(
        content: String,
        finishReason: String? = nil,
        model: String? = nil,
        promptTokens: Int? = nil,
        completionTokens: Int? = nil,
        latencyMs: Double,
        timeToFirstTokenMs: Double? = nil
    ) {
        self.content = content
        self.finishReason = finishReason
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latencyMs = latencyMs
        self.timeToFirstTokenMs = timeToFirstTokenMs
    }

    enum CodingKeys: String, CodingKey {
        case content
        case finishReason = "finish_reason"
        case model
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case latencyMs = "latency_ms"
        case timeToFirstTokenMs = "ttft_ms"
    }
}
