public import EvalCore
import Foundation
import Synchronization

/// Answers kept on disk so that a rerun of an unchanged run asks the endpoint nothing.
///
/// The key is a SHA-256 of everything that changes an answer: the endpoint (base URL and query items), the target's
/// label and revision (servers keep one model name across new weights: a new adapter under the same name must not
/// be answered from the old one's entries), whether the answer is streamed (a streamed run measures time to first
/// token, which a cached plain answer has not), the whole request body (model, messages and every param, the
/// per-repeat seed included, as canonical JSON: `CanonicalJSON`, never `JSONEncoder`'s bytes, which belong to
/// Foundation) and the repeat index, so each repeat has its own entry. Nothing in an entry is secret:
/// an entry holds the answer, its token usage, its latency and the server's `system_fingerprint`.
/// Errors are never stored. An entry is the answer's `ResponseRecord`, as the run log has it.
///
/// The entries live in one append-only file, `responses.v3.jsonl` (owner only), one record per line:
/// `<64 hex digits of the key> <the entry's JSON>`, each record written with one `write` to a file opened with
/// `O_APPEND` and framed by a newline before and after it. So runs may share the cache at the same time (appends
/// of whole records do not interleave), and a run killed in the middle of a write leaves at worst a torn last line,
/// which the next record's leading newline closes off and which readers skip (it does not parse). Each process reads
/// the file once, on its first lookup, into an index in memory (key → place in the file); the last record of a key
/// wins, which is how `--refresh` replaces an answer. Nothing is ever rewritten in place, so no lock is needed.
///
/// Caches written by evalgate before this format (one file per entry, `ab/abcdef….json`) are still read: an entry
/// not in the file is looked up there, for as long as such folders exist. New entries go to the file only.
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
    /// 3: the request body is hashed as canonical JSON (2 hashed `JSONEncoder`'s output).
    static let formatVersion = 3
    /// The file of entries inside the cache folder (its name carries the file format's version).
    static let fileName = "responses.v3.jsonl"

    public let directory: String
    public let mode: Mode
    private let file: EntryFile

    public init(directory: String, mode: Mode) {
        self.directory = directory
        self.mode = mode
        file = EntryFile(directory: directory)
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
        hasher.update(text.utf8)
        // Canonical JSON: the same request always gives the same bytes, on every platform and Foundation release.
        CanonicalJSON.bytes(request.bodyValue).withUnsafeBytes { hasher.update($0) }
        return hasher.finalizeHex()
    }

    /// Where an entry is: found by `lookup(key:)`, read by `load(_:)` without computing or parsing the key again.
    public struct Entry: Sendable {
        fileprivate enum Place: Sendable {
            case file(EntryFile.Location)
            /// An entry of the one-file-per-entry format, by its key.
            case legacy(String)
        }
        fileprivate let place: Place
    }

    /// The entry of `key` when the cache has one (read mode only).
    public func lookup(key: String) -> Entry? {
        guard mode == .use, let parsed = EntryFile.Key(hex: key) else { return nil }
        if let location = file.location(of: parsed) { return Entry(place: .file(location)) }
        return file.legacyContents(key: key) != nil ? Entry(place: .legacy(key)) : nil
    }

    /// The stored answer of an entry `lookup(key:)` found, as a run log records a cached one.
    public func load(_ entry: Entry) -> ResponseRecord? {
        let data: Data?
        switch entry.place {
        case .file(let location): data = file.read(at: location)
        case .legacy(let key): data = file.legacyContents(key: key)
        }
        guard mode == .use, let data else { return nil }
        return Self.cachedRecord(data)
    }

    /// True when the cache has no entry at all (read mode only): a run then needs no key to look anything up.
    public var isEmpty: Bool {
        mode != .use || file.isEmpty
    }

    /// Whether an entry is there (read mode only); cheaper than loading it.
    public func contains(key: String) -> Bool {
        lookup(key: key) != nil
    }

    /// The stored answer as a run log records a cached one: `cached` set, no attempts.
    public func load(key: String) -> ResponseRecord? {
        guard mode == .use, let parsed = EntryFile.Key(hex: key),
            let data = file.read(parsed) ?? file.legacyContents(key: key)
        else { return nil }
        return Self.cachedRecord(data)
    }

    /// An entry's JSON as the record a run log keeps for a cached answer (`cached` set, no attempts); nil when it is
    /// not an entry (a record that does not parse is a miss, never an error).
    static func cachedRecord(_ data: Data) -> ResponseRecord? {
        guard var record = ResponseRecord(cacheEntry: data) else { return nil }
        record.cached = true
        record.attempts = 0
        return record
    }

    /// Stores an answer; a failure to write only costs a future cache miss, so it is reported, not thrown.
    @discardableResult
    public func store(_ answer: ResponseRecord, key: String) -> Bool {
        guard mode != .off, let parsed = EntryFile.Key(hex: key) else { return false }
        guard let bytes = answer.encodedJSON() else { return false }
        return file.append(parsed, hex: key, entry: bytes)
    }
}

/// The cache's file of entries and this process's index of it; shared by every copy of a `ResponseCache`.
final class EntryFile: Sendable {
    /// A SHA-256 key as four words: 32 bytes per index entry instead of a 64-character string.
    struct Key: Hashable, Sendable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        init?(hex: String) {
            var hex = hex
            guard let words = hex.withUTF8({ Self.parse($0) }) else { return nil }
            self.words = words
        }

        init?(bytes: UnsafeRawBufferPointer) {
            guard let words = Self.parse(bytes.bindMemory(to: UInt8.self)) else { return nil }
            self.words = words
        }

        private static func parse(_ hex: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64)? {
            guard hex.count == 64 else { return nil }
            func word(_ part: Int) -> UInt64? {
                var word: UInt64 = 0
                for digit in hex[(part * 16)..<(part * 16 + 16)] {
                    switch digit {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): word = word << 4 | UInt64(digit - UInt8(ascii: "0"))
                    case UInt8(ascii: "a")...UInt8(ascii: "f"):
                        word = word << 4 | UInt64(digit - UInt8(ascii: "a") + 10)
                    default: return nil
                    }
                }
                return word
            }
            guard let first = word(0), let second = word(1), let third = word(2), let fourth = word(3) else {
                return nil
            }
            return (first, second, third, fourth)
        }

        static func == (lhs: Key, rhs: Key) -> Bool { lhs.words == rhs.words }

        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
            hasher.combine(words.3)
        }
    }

    /// Where an entry's JSON is in the file.
    struct Location: Sendable {
        var offset: Int
        var length: Int
    }

    private struct State: Sendable {
        /// -1 until opened; -2 when it cannot be opened.
        var descriptor: Int32 = -1
        var index: [Key: Location] = [:]
        var indexed = false
        /// Whether the folder holds entries of the one-file-per-entry format.
        var hasLegacyEntries = false
    }

    let directory: String
    let path: String
    private let state = Mutex(State())

    init(directory: String) {
        self.directory = directory
        path = directory + "/" + ResponseCache.fileName
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// Opens the file (creating the folder and the file, owner only, when needed); -2 when it cannot be opened.
    private func open(_ state: inout State, create: Bool) -> Int32 {
        if state.descriptor != -1 && !(state.descriptor == -2 && create) { return state.descriptor }
        var descriptor = Foundation.open(path, O_RDWR | O_APPEND | O_CLOEXEC | (create ? O_CREAT : 0), 0o600)
        if descriptor < 0 && create && errno == ENOENT {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            descriptor = Foundation.open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_CREAT, 0o600)
        }
        if descriptor < 0 && !create {
            // A cache another user shares read-only still answers.
            descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        }
        state.descriptor = descriptor >= 0 ? descriptor : -2
        return state.descriptor
    }

    /// Reads the whole file once into the index; records that are torn or not shaped like a record are skipped.
    private func buildIndex(_ state: inout State) {
        guard !state.indexed else { return }
        state.indexed = true
        state.hasLegacyEntries = Self.hasLegacyFolders(directory)
        let descriptor = open(&state, create: false)
        guard descriptor >= 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var pending: [UInt8] = []
        var pendingStart = 0
        var fileOffset = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(fileOffset)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var lineStart = 0
            for position in 0..<count where chunk[position] == UInt8(ascii: "\n") {
                if pending.isEmpty {
                    index(line: chunk[lineStart..<position], at: fileOffset + lineStart, into: &state.index)
                } else {
                    pending += chunk[lineStart..<position]
                    index(line: pending[...], at: pendingStart, into: &state.index)
                    pending.removeAll(keepingCapacity: true)
                }
                lineStart = position + 1
            }
            if lineStart < count {
                if pending.isEmpty { pendingStart = fileOffset + lineStart }
                pending += chunk[lineStart..<count]
            }
            fileOffset += count
        }
        // What is left without a newline is a record still being written, or torn: not indexed.
    }

    private func index(line: ArraySlice<UInt8>, at offset: Int, into index: inout [Key: Location]) {
        guard line.count > 66, line[line.startIndex + 64] == UInt8(ascii: " "),
            let key = line.withUnsafeBytes({ Key(bytes: UnsafeRawBufferPointer(rebasing: $0[0..<64])) })
        else { return }
        index[key] = Location(offset: offset + 65, length: line.count - 65)
    }

    /// No record in the file (as this process read it) and no entry of the old format.
    var isEmpty: Bool {
        state.withLock { state in
            buildIndex(&state)
            return state.index.isEmpty && !state.hasLegacyEntries
        }
    }

    func location(of key: Key) -> Location? {
        state.withLock { state in
            buildIndex(&state)
            return state.index[key]
        }
    }

    /// The entry's JSON, if the file has it.
    func read(_ key: Key) -> Data? {
        guard let location = location(of: key) else { return nil }
        return read(at: location)
    }

    /// The JSON at `location` (from `location(of:)`).
    func read(at location: Location) -> Data? {
        // The descriptor stays open until the cache is released, so it can be used outside the lock.
        let descriptor = state.withLock { $0.descriptor }
        guard descriptor >= 0 else { return nil }
        return positionedRead(descriptor, offset: location.offset, count: location.length).map { Data($0) }
    }

    /// Appends one record with one write; the index learns where it went. False when it could not be written whole.
    func append(_ key: Key, hex: String, entry: [UInt8]) -> Bool {
        var record = [UInt8]()
        record.reserveCapacity(entry.count + 67)
        record.append(UInt8(ascii: "\n"))
        record += hex.utf8
        record.append(UInt8(ascii: " "))
        record += entry
        record.append(UInt8(ascii: "\n"))
        return state.withLock { state in
            let descriptor = open(&state, create: true)
            guard descriptor >= 0 else { return false }
            var written = -1
            repeat {
                written = record.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            } while written < 0 && errno == EINTR
            // A short write is left as it is (a torn line that readers skip): writing the rest later could land
            // after another process's record and break that one too.
            guard written == record.count else { return false }
            if state.indexed {
                let end = Int(lseek(descriptor, 0, SEEK_CUR))
                if end >= record.count {
                    state.index[key] = Location(offset: end - record.count + 66, length: entry.count)
                }
            }
            return true
        }
    }

    /// An entry of the one-file-per-entry format (`ab/abcdef….json`), when the folder has such entries.
    func legacyContents(key: String) -> Data? {
        let legacy = state.withLock { state in
            buildIndex(&state)
            return state.hasLegacyEntries
        }
        guard legacy else { return nil }
        return FileManager.default.contents(atPath: "\(directory)/\(key.prefix(2))/\(key).json")
    }

    /// Whether `directory` has a two-hex-digit subfolder, as the one-file-per-entry format made.
    static func hasLegacyFolders(_ directory: String) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return false }
        return names.contains { name in
            name.utf8.count == 2 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }
    }
}

extension ResponseRecord {
    /// Reads a cache entry (a `ResponseRecord` as its `Codable` form writes it) without `JSONDecoder`: the same
    /// fields and types it requires, nil where it would throw. Fields it does not know are ignored, as there.
    init?(cacheEntry data: Data) {
        guard let value = try? JSONValue.parse(data), case .object(let fields) = value else { return nil }
        /// nil: missing or null; .some(nil): of another type.
        func optional<T>(_ key: String, _ read: (JSONValue) -> T?) -> T?? {
            guard let field = fields[key], field != .null else { return .some(nil) }
            return read(field).map { .some($0) } ?? nil
        }
        func integer(_ value: JSONValue) -> Int? {
            guard case .int(let number) = value else { return nil }
            return Int(exactly: number)
        }
        func number(_ value: JSONValue) -> Double? {
            switch value {
            case .int(let number): Double(number)
            case .double(let number): number
            default: nil
            }
        }
        guard case .string(let content)? = fields["content"],
            let latency = fields["latency_ms"].flatMap(number),
            let attempts = fields["attempts"].flatMap(integer),
            case .bool(let cached)? = fields["cached"],
            case .some(let finishReason) = optional("finish_reason", \.stringValue),
            case .some(let model) = optional("model", \.stringValue),
            case .some(let promptTokens) = optional("prompt_tokens", integer),
            case .some(let completionTokens) = optional("completion_tokens", integer),
            case .some(let firstToken) = optional("ttft_ms", number),
            case .some(let fingerprint) = optional("system_fingerprint", \.stringValue)
        else { return nil }
        self.init(
            content: content, finishReason: finishReason, model: model, promptTokens: promptTokens,
            completionTokens: completionTokens, latencyMs: latency, timeToFirstTokenMs: firstToken, attempts: attempts,
            cached: cached, systemFingerprint: fingerprint)
    }
}
