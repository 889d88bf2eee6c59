import Foundation

/// One line of a run log. The line's `"record"` field says which: `manifest` (first line, once), `result` (one per
/// finished case and repeat), `end` (one per session of the run).
public enum RunLogLine: Sendable, Hashable {
    case manifest(RunManifest)
    case result(CaseResult)
    case end(RunEnd)
}

extension RunLogLine: Codable {
    private enum RecordKey: String, CodingKey { case record }

    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: RecordKey.self).decode(String.self, forKey: .record)
        switch kind {
        case "manifest": self = .manifest(try RunManifest(from: decoder))
        case "result": self = .result(try CaseResult(from: decoder))
        case "end": self = .end(try RunEnd(from: decoder))
        default:
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [RecordKey.record],
                    debugDescription: "unknown record '\(kind)' (expected 'manifest', 'result' or 'end')")
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RecordKey.self)
        switch self {
        case .manifest(let manifest):
            try container.encode("manifest", forKey: .record)
            try manifest.encode(to: encoder)
        case .result(let result):
            try container.encode("result", forKey: .record)
            try result.encode(to: encoder)
        case .end(let end):
            try container.encode("end", forKey: .record)
            try end.encode(to: encoder)
        }
    }
}

/// Why a run log could not be read: located like every other input error.
public struct RunLogError: Error, Sendable, Hashable, CustomStringConvertible {
    public var diagnostic: Diagnostic

    public init(_ diagnostic: Diagnostic) {
        self.diagnostic = diagnostic
    }

    public var description: String { diagnostic.description }

    /// `path:line: message`, for a line that already says it is an error.
    public var locatedMessage: String { diagnostic.locatedMessage }
}

/// Reading and writing run logs: JSONL, a manifest line first, then results and session ends, appended only.
public enum RunLog {
    /// The conventional file name of a target's log: its label made safe for a file name.
    public static func fileName(forLabel label: String) -> String {
        let safe = label.unicodeScalars.map { scalar -> String in
            let allowed = CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar)
            return allowed ? String(scalar) : "_"
        }.joined()
        let trimmed = safe.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return (trimmed.isEmpty ? "run" : trimmed) + ".jsonl"
    }

    /// The line as written: compact JSON, keys sorted, `\n` at the end. One `write` call puts it on disk whole.
    public static func encode(_ line: RunLogLine) -> [UInt8] {
        // Result lines, one per answer, by hand: the same bytes as below at a fraction of the cost.
        if case .result(let result) = line, let bytes = ResultLineWriter.bytes(result) { return bytes }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, number, bool or JSONValue: encoding cannot fail.
        var bytes = (try? [UInt8](encoder.encode(line))) ?? Array("{}".utf8)
        bytes.append(0x0A)
        return bytes
    }

    /// Decodes one line (without its newline); the error names the field that was wrong and its column.
    public static func decode(_ line: some Collection<UInt8>) -> Result<RunLogLine, LineError> {
        // Result lines as a run writes them are read by hand; every other line, and any result line the hand
        // reader is not sure of, by JSONDecoder.
        if let result = line.withContiguousStorageIfAvailable(ResultLineReader.result) ?? nil {
            return .success(.result(result))
        }
        do {
            return .success(try JSONDecoder().decode(RunLogLine.self, from: Data(line)))
        } catch {
            return .failure(locate(error, in: Array(line)))
        }
    }

    /// What was wrong with one line, and where: the 1-based column (in characters) of the value at fault, of the
    /// object missing a field, or of the first byte that is not JSON.
    public struct LineError: Error, Sendable, Hashable {
        public var message: String
        public var column: Int?

        public init(message: String, column: Int? = nil) {
            self.message = message
            self.column = column
        }
    }

    /// Only for lines that failed: the scans cost nothing on the lines that decode.
    private static func locate(_ error: any Error, in bytes: [UInt8]) -> LineError {
        if let bad = SourceText.firstInvalidUTF8Offset(bytes) {
            return LineError(
                message: "not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))",
                column: SourceText.column(ofByte: bad, in: bytes))
        }
        do {
            _ = try JSONValue.parse(bytes)
        } catch {
            return LineError(
                message: "not valid JSON: \(error.message)", column: SourceText.column(ofByte: error.offset, in: bytes))
        }
        guard let decoding = error as? DecodingError else { return LineError(message: "\(error)", column: 1) }
        let codingPath: [any CodingKey]
        switch decoding {
        case .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .dataCorrupted(let context):
            codingPath = context.codingPath
        @unknown default:
            codingPath = []
        }
        let path = FieldPath(
            codingPath.map { key in key.intValue.map(FieldPath.Component.index) ?? .key(key.stringValue) })
        return LineError(
            message: describe(decoding),
            column: SourceText.column(ofByte: JSONLocator.offset(of: path, in: bytes), in: bytes))
    }

    /// One of an enum's names; any other text is an error that lists the names (`expected one of 'passed',
    /// 'failed', 'error', found 'passd'`).
    static func decodeName<Value: RawRepresentable & CaseIterable>(from decoder: any Decoder) throws -> Value
    where Value.RawValue == String {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Value(rawValue: text) else {
            let names = Value.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected one of \(names), found '\(text)'")
        }
        return value
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop(while: { $0 == "." })
                .description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing field \"\(parent.isEmpty ? "" : parent + ".")\(key.stringValue)\""
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "field \"\(path(context.codingPath))\" expected \(typeName(type))"
        case .dataCorrupted(let context):
            let at = path(context.codingPath)
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "field \"\(at)\": \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        default: return "a value of type \(type)"
        }
    }
}

/// Reads a run log line by line without holding it in memory: the manifest first, then each result in file order.
///
/// A last line without its newline is what a killed run leaves behind: it is skipped with a warning when it does
/// not parse. Any other line that does not parse is an error naming the file, the line and the field.
public struct RunLogReader: Sendable {
    public let path: String
    public let manifest: RunManifest
    /// The byte offset just after the manifest line.
    private let bodyOffset: Int

    /// Opens the log and reads its manifest.
    public init(path: String) throws(RunLogError) {
        self.path = path
        var found: (RunManifest, Int)?
        var failure: RunLogError?
        let status = Self.scan(path: path, from: 0) { line, number, offset, _ in
            guard number == 1 else { return false }
            switch RunLog.decode(line) {
            case .success(.manifest(let manifest)):
                if manifest.format > RunManifest.currentFormat {
                    failure = RunLogError(
                        .error(
                            "run log format \(manifest.format) is newer than this evalgate reads (\(RunManifest.currentFormat)); upgrade evalgate",
                            path: path, line: 1))
                } else {
                    found = (manifest, offset)
                }
            case .success:
                failure = RunLogError(
                    .error("expected the manifest record first, found another record", path: path, line: 1, column: 1))
            case .failure(let error):
                failure = RunLogError(
                    .error("expected the manifest record: \(error.message)", path: path, line: 1, column: error.column))
            }
            return false
        }
        if case .failure(let error) = status { throw error }
        if let failure { throw failure }
        guard let found else {
            throw RunLogError(.error("empty run log: expected a manifest line", path: path))
        }
        manifest = found.0
        bodyOffset = found.1
    }

    /// Calls `body` for every result and session end after the manifest, in file order. Returns the warnings
    /// (an incomplete last line); throws at the first bad line.
    @discardableResult
    public func forEach(_ body: (RunLogLine) throws(RunLogError) -> Void) throws(RunLogError) -> [Diagnostic] {
        try forEach(from: start) { line throws(RunLogError) in
            try body(line)
            return true
        }.warnings
    }

    /// Where a pass over the log starts or continues: a line's byte offset and number.
    public struct Position: Sendable, Hashable {
        let offset: Int
        let line: Int
    }

    /// The first line after the manifest.
    public var start: Position { Position(offset: bodyOffset, line: 2) }

    /// Calls `body` for every result and session end from `position` on, in file order, until it returns false: a
    /// pass that stops after some lines and continues later, without reading the lines before `position` again.
    /// Returns where the next pass starts (nil when the log was read to its end) and the warnings (an incomplete
    /// last line); throws at the first bad line.
    public func forEach(
        from position: Position, _ body: (RunLogLine) throws(RunLogError) -> Bool
    ) throws(RunLogError) -> (next: Position?, warnings: [Diagnostic]) {
        var warnings: [Diagnostic] = []
        var failure: RunLogError?
        var next: Position?
        let status = Self.scan(path: path, from: position.offset, firstLine: position.line) {
            line, number, end, complete in
            switch RunLog.decode(line) {
            case .success(.manifest):
                failure = RunLogError(
                    .error("a second manifest record: a run log holds one run", path: path, line: number, column: 1))
                return false
            case .success(let record):
                do throws(RunLogError) {
                    if try body(record) { return true }
                } catch {
                    failure = error
                    return false
                }
                next = Position(offset: end, line: number + 1)
                return false
            case .failure(let error):
                if !complete {
                    warnings.append(
                        .warning(
                            "incomplete last line ignored (the run was stopped while writing it; --resume reruns that case)",
                            path: path, line: number))
                    return false
                }
                failure = RunLogError(.error(error.message, path: path, line: number, column: error.column))
                return false
            }
        }
        if case .failure(let error) = status { throw error }
        if let failure { throw failure }
        return (next, warnings)
    }

    /// Calls `body` with the raw bytes of every line after the manifest (without its newline), its 1-based line
    /// number and whether it ended with a newline, until `body` returns false. For readers that decode only the
    /// fields they need (reports over large logs); `RunLog.decode` gives the message for a line they cannot read.
    public func forEachLine(_ body: (_ line: ArraySlice<UInt8>, _ number: Int, _ complete: Bool) -> Bool)
        throws(RunLogError)
    {
        let status = Self.scan(path: path, from: bodyOffset, firstLine: 2) { line, number, _, complete in
            body(line, number, complete)
        }
        if case .failure(let error) = status { throw error }
    }

    /// Every result line in file order. A key can appear twice only when `evalgate run --retry-errors` ran an errored
    /// case again: the last line for a key is its result.
    public func results() throws(RunLogError) -> (results: [CaseResult], ends: [RunEnd], warnings: [Diagnostic]) {
        var results: [CaseResult] = []
        var ends: [RunEnd] = []
        let warnings = try forEach { line in
            switch line {
            case .result(let result): results.append(result)
            case .end(let end): ends.append(end)
            case .manifest: break
            }
        }
        return (results, ends, warnings)
    }

    /// Reads `path` in chunks and calls `line(bytes, lineNumber, offsetAfterLine, endedWithNewline)` for every
    /// non-empty line until it returns false.
    static func scan(
        path: String,
        from start: Int,
        firstLine: Int = 1,
        _ line: (ArraySlice<UInt8>, Int, Int, Bool) -> Bool
    ) -> Result<Void, RunLogError> {
        let failure = LineScanner.scan(path: path, from: start, firstLine: firstLine) {
            piece, number, lineStart, complete in
            if piece.allSatisfy(Self.isSpace) { return true }
            return line(piece, number, lineStart + piece.count + (complete ? 1 : 0), complete)
        }
        guard let failure else { return .success(()) }
        let verb = FileManager.default.isReadableFile(atPath: path) ? "read" : "open"
        return .failure(
            RunLogError(.error("cannot \(verb) run log: \(String(cString: strerror(failure)))", path: path)))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }
}

/// Appends lines to a run log. Each line goes to the kernel in one `write` on a descriptor opened with `O_APPEND`,
/// so a process killed at any moment leaves every earlier line whole; only the line being written can be cut, and
/// `open(path:)` cuts such a fragment off before appending again.
///
/// Not `Sendable`: one owner (the runner's recording actor) writes.
public final class RunLogWriter {
    public let path: String
    private var fd: Int32
    /// Bytes cut off the end of the file when it was opened (an incomplete last line).
    public private(set) var repairedBytes = 0

    /// Opens `path` for appending, creating it (and its folder) when missing. A new log is readable by its owner
    /// only (0600) unless `shared` (`run --shared-logs`: 0644): answers may quote what a prompt or a server said
    /// that was not meant for everyone on the machine.
    public init(path: String, shared: Bool = false) throws(RunLogError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw RunLogError(
                    .error("cannot create the folder for the run log: \(error.localizedDescription)", path: path))
            }
        }
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, shared ? 0o644 : 0o600)
        guard fd >= 0 else {
            throw RunLogError(
                .error("cannot open run log for writing: \(String(cString: strerror(errno)))", path: path))
        }
        self.fd = fd
        do throws(RunLogError) {
            try Self.lock(fd, path: path)
        } catch {
            self.fd = -1
            throw error
        }
        do throws(RunLogError) {
            repairedBytes = try Self.cutIncompleteTail(fd: fd, path: path)
        } catch {
            _ = Foundation.close(fd)
            throw error
        }
    }

    deinit {
        if fd >= 0 { _ = Foundation.close(fd) }
    }

    /// Takes the lock on the log that already exists at `path` without writing to it, for a writer that replaces
    /// it (`--fresh`): while the returned writer is open no other process can open the log for writing, so a log
    /// another run is writing is never moved aside. Returns nil when there is no file at `path`.
    public static func lockExisting(path: String) throws(RunLogError) -> RunLogWriter? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw RunLogError(.error("cannot open run log: \(String(cString: strerror(errno)))", path: path))
        }
        try lock(fd, path: path)
        return RunLogWriter(path: path, lockedDescriptor: fd)
    }

    private init(path: String, lockedDescriptor: Int32) {
        self.path = path
        self.fd = lockedDescriptor
    }

    /// One writer per log: a second `evalgate run` into the same folder would interleave duplicate lines.
    /// The lock goes with the descriptor (a crashed writer never leaves it behind). Closes `fd` when it fails.
    private static func lock(_ fd: Int32, path: String) throws(RunLogError) {
        guard flock(fd, LOCK_EX | LOCK_NB) != 0 else { return }
        let reason =
            errno == EWOULDBLOCK
            ? "another evalgate process is writing this log; wait for it, or use another --out"
            : "cannot lock the log: \(String(cString: strerror(errno)))"
        _ = Foundation.close(fd)
        throw RunLogError(.error(reason, path: path))
    }

    /// True when the file has no bytes yet: the manifest must be written first.
    public var isEmpty: Bool {
        var info = stat()
        return fstat(fd, &info) == 0 && info.st_size == 0
    }

    public func append(_ line: RunLogLine) throws(RunLogError) {
        try write(RunLog.encode(line))
    }

    /// Forces the written lines to the disk (the end of a session; not needed for crash safety of the process).
    public func sync() {
        _ = fsync(fd)
    }

    public func close() {
        if fd >= 0 {
            _ = Foundation.close(fd)
            fd = -1
        }
    }

    private func write(_ bytes: [UInt8]) throws(RunLogError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Foundation.write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw RunLogError(.error("cannot append to run log: \(String(cString: strerror(errno)))", path: path))
            }
            written += count
        }
    }

    /// When the file does not end with a newline, truncates it after its last newline and returns the bytes cut.
    private static func cutIncompleteTail(fd: Int32, path: String) throws(RunLogError) -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return 0 }
        let size = Int(info.st_size)
        guard size > 0 else { return 0 }
        var byte: UInt8 = 0
        guard pread(fd, &byte, 1, off_t(size - 1)) == 1, byte != 0x0A else { return 0 }
        // Walk back to the last newline in blocks.
        var end = size
        var keep = 0
        var block = [UInt8](repeating: 0, count: 1 << 16)
        search: while end > 0 {
            let start = max(0, end - block.count)
            let count = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, end - start, off_t(start)) }
            guard count == end - start else { break }
            for index in stride(from: count - 1, through: 0, by: -1) where block[index] == 0x0A {
                keep = start + index + 1
                break search
            }
            end = start
        }
        guard ftruncate(fd, off_t(keep)) == 0 else {
            throw RunLogError(
                .error("cannot repair the incomplete last line: \(String(cString: strerror(errno)))", path: path))
        }
        return size - keep
    }
}
