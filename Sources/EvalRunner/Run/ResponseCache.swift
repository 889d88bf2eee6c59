public import EvalCore
import Foundation

/// Answers kept on disk so that a rerun of an unchanged run asks the endpoint nothing.
///
/// The key is a SHA-256 of everything that changes an answer: the endpoint (base URL and query items), the target's
/// label and revision (servers keep one model name across new weights: a new adapter under the same name must not
/// be answered from the old one's entries), whether the answer is streamed (a streamed run measures time to first
/// token, which a cached plain answer has not), the whole request body (model, messages and every param, the
/// per-repeat seed included) and the repeat index, so each repeat has its own entry. Nothing in an entry is secret:
/// an entry holds the answer, its token usage, its latency and the server's `system_fingerprint`.
/// Errors are never stored. An entry is the answer's `ResponseRecord`, as the run log has it. One file per entry (`ab/abcdef….json`), written to a temporary name and renamed, so a
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
    static let formatVersion = 2

    public let directory: String
    public let mode: Mode

    public init(directory: String, mode: Mode) {
        self.directory = directory
        self.mode = mode
    }

    /// The entry's key for one request of a target.
    public static func key(target: RunTargetSpec, request: ChatRequest, repeatIndex: Int) -> String {
        let endpoint = target.endpoint
        var hasher = SHA256()
        var text = "evalgate-cache/\(formatVersion)\n\(endpoint.baseURL)\n"
        for (name, value) in endpoint.queryItems.sorted(by: { $0.key < $1.key }) { text += "\(name)=\(value)&" }
        // Length-prefixed, so that no label and revision run into each other.
        let revision = target.revision ?? ""
        text += "\nlabel:\(target.label.utf8.count):\(target.label)\nrevision:\(revision.utf8.count):\(revision)"
        text += "\nstream:\(target.stream)\n\(repeatIndex)\n"
        hasher.update(Array(text.utf8))
        // The body is compact JSON with sorted keys: the same request always gives the same bytes.
        hasher.update(Array((try? request.encodedBody(stream: false)) ?? Data()))
        return hasher.finalizeHex()
    }

    /// Whether an entry is there (read mode only); cheaper than loading it.
    public func contains(key: String) -> Bool {
        mode == .use && FileManager.default.fileExists(atPath: path(for: key))
    }

    /// The stored answer as a run log records a cached one: `cached` set, no attempts.
    public func load(key: String) -> ResponseRecord? {
        guard mode == .use, let data = FileManager.default.contents(atPath: path(for: key)),
            var record = try? JSONDecoder().decode(ResponseRecord.self, from: data)
        else { return nil }
        record.cached = true
        record.attempts = 0
        return record
    }

    /// Stores an answer; a failure to write only costs a future cache miss, so it is reported, not thrown.
    /// Plain POSIX calls: this runs once per answer, and FileManager's folder and file helpers cost several times more.
    @discardableResult
    public func store(_ answer: ResponseRecord, key: String) -> Bool {
        guard mode != .off else { return false }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(answer) else { return false }
        let file = path(for: key)
        let folder = (file as NSString).deletingLastPathComponent
        let temporary = folder + "/.\(key).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        // Owner only: an entry holds a whole answer.
        var fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno == ENOENT {
            // The first entry of this two-letter folder (or of the cache).
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard fd >= 0 else { return false }
        let written = data.withUnsafeBytes { buffer in write(fd, buffer.baseAddress, buffer.count) }
        close(fd)
        guard written == data.count, rename(temporary, file) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    func path(for key: String) -> String {
        "\(directory)/\(key.prefix(2))/\(key).json"
    }
}
