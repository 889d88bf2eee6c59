import Foundation
import Synchronization

/// What `SuiteLoader.loadLazily` gave: the suite when there is no error, and every problem found.
public struct LazySuiteLoadResult: Sendable {
    public var suite: LazySuite?
    public var diagnostics: [Diagnostic]
    public var caseCount: Int
}

/// Why a case of a `LazySuite` could not be read again.
public struct LazySuiteError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A suite whose cases stay in `cases.jsonl`: loading reads and checks every line (exactly as `SuiteLoader.load`
/// does, with the same diagnostics and the same content hash) but keeps only each case's id, hash and place in the
/// file, the distinct check specs and the distinct params. `evalCase(at:)` reads a case again when it is needed.
///
/// What a run of a very large suite holds: about 60 bytes per case instead of the case (1 KB or more).
public struct LazySuite: Sendable {
    public let name: String
    public let kind: SuiteKind
    public let description: String?
    public let defaults: SuiteDefaults
    public let directory: String
    /// The same value `Suite.contentHash` has for the same files.
    public let contentHash: String
    public let casesPath: String
    private let maxLineBytes: Int
    private let index: Index
    /// `cases.jsonl`, kept open between reads (and by every copy of the suite).
    private let file: CasesFile

    init(
        name: String, kind: SuiteKind, description: String?, defaults: SuiteDefaults, directory: String,
        casesPath: String, maxLineBytes: Int, index: Index
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.defaults = defaults
        self.directory = directory
        self.casesPath = casesPath
        self.maxLineBytes = maxLineBytes
        self.index = index
        self.file = CasesFile(path: casesPath)
        self.contentHash = Suite.contentHash(
            name: name, kind: kind, defaults: defaults, caseHashes: (0..<index.ids.count).map(index.hash)
        )
    }

    public var caseCount: Int { index.ids.count }

    public func caseID(at position: Int) -> String { index.ids[position] }

    /// `EvalCase.contentHash` of the case at `position`.
    public func caseHash(at position: Int) -> String { index.hash(at: position) }

    /// Every distinct check spec of the suite's cases, in the order first met.
    public var checkSpecs: [CheckSpec] { index.specs }

    /// Every distinct non-empty `params` of the suite's cases, with the first case that has it.
    public var paramSets: [ParamsUse] { index.params }

    /// A case's params and where the first case with them is, for messages about them.
    public struct ParamsUse: Sendable, Hashable {
        public init(params: [String: JSONValue], caseID: String, line: Int) {
            self.params = params
            self.caseID = caseID
            self.line = line
        }

        public var params: [String: JSONValue]
        public var caseID: String
        public var line: Int
    }

    /// Reads the case at `position` again from `cases.jsonl`. Throws when the file changed since the suite was
    /// loaded (the line no longer parses, or parses to another case).
    public func evalCase(at position: Int) throws(LazySuiteError) -> EvalCase {
        let offset = index.offsets[position]
        let length = Int(index.lengths[position])
        let line = Int(index.lines[position])
        func changed(_ why: String) -> LazySuiteError {
            LazySuiteError(
                message:
                    "\(casesPath):\(line): \(why) since the suite was loaded; run again to use the file as it is now")
        }
        let bytes: [UInt8]
        switch file.read(offset: offset, length: length) {
        case .success(let read): bytes = read
        case .failure(.unreadable(let reason)): throw changed("cannot be read (\(reason))")
        case .failure(.shorter): throw changed("is shorter")
        }
        let reader = CaseReader(file: casesPath, defaults: defaults, maxLineBytes: maxLineBytes)
        let fingerprint = index.fingerprints[position]
        if fingerprint != Index.unknownFingerprint, Index.fingerprint(bytes[...]) == fingerprint {
            // The bytes of the line loaded, read into the case loaded: its hash is known, not computed again.
            let outcome = reader.read(
                line: line, bytes: bytes[...], validateCheck: { _ in nil }, knownHash: index.hash(at: position))
            guard let evalCase = outcome.evalCase, evalCase.id == index.ids[position] else {
                throw changed("case '\(index.ids[position])' changed")
            }
            return evalCase
        }
        let outcomes = reader.readExpanding(line: line, bytes: bytes[...], validateCheck: { _ in nil })
        guard let evalCase = outcomes.lazy.compactMap(\.evalCase).first(where: { $0.id == index.ids[position] }),
            evalCase.contentHash == index.hash(at: position)
        else {
            throw changed("case '\(index.ids[position])' changed")
        }
        return evalCase
    }

    /// What loading keeps per case.
    struct Index: Sendable {
        var ids: [String] = []
        /// SHA-256 of each case, 32 bytes each, back to back.
        var hashBytes: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int32] = []
        var lines: [Int32] = []
        /// `StableHash.fingerprint` of each case's line as loaded, or `unknownFingerprint` for a line whose cases
        /// also come from its vars_file (which can change apart from the line).
        var fingerprints: [UInt64] = []
        var specs: [CheckSpec] = []
        var params: [ParamsUse] = []
        private var seenSpecs: Set<CheckSpec> = []
        private var seenParams: Set<[String: JSONValue]> = []

        static let unknownFingerprint: UInt64 = 0

        /// The line's fingerprint, never `unknownFingerprint`. A line read again needs no vars_file test: only a
        /// line without one has a known fingerprint, and the same bytes have none either.
        static func fingerprint(_ line: ArraySlice<UInt8>) -> UInt64 {
            max(1, line.withUnsafeBytes(StableHash.fingerprint))
        }

        mutating func add(_ evalCase: EvalCase, line: ArraySlice<UInt8>, offset: Int) {
            fingerprints.append(CaseReader.mentionsVarsFile(line) ? Self.unknownFingerprint : Self.fingerprint(line))
            let length = line.count
            ids.append(evalCase.id)
            hashBytes.append(contentsOf: Self.bytes(fromHex: evalCase.contentHash))
            offsets.append(offset)
            lengths.append(Int32(clamping: length))
            lines.append(Int32(clamping: evalCase.line))
            for spec in evalCase.checks where seenSpecs.insert(spec).inserted { specs.append(spec) }
            if !evalCase.params.isEmpty, seenParams.insert(evalCase.params).inserted {
                params.append(ParamsUse(params: evalCase.params, caseID: evalCase.id, line: evalCase.line))
            }
        }

        func hash(at position: Int) -> String {
            SHA256.hex(digest: hashBytes[(position * 32)..<(position * 32 + 32)])
        }

        static func bytes(fromHex hex: String) -> [UInt8] {
            func value(_ digit: UInt8) -> UInt8 {
                switch digit {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
                default: return digit - UInt8(ascii: "A") + 10
                }
            }
            let utf8 = Array(hex.utf8)
            return stride(from: 0, to: utf8.count - 1, by: 2).map { value(utf8[$0]) << 4 | value(utf8[$0 + 1]) }
        }
    }
}

/// A suite's `cases.jsonl`, open for reading cases by offset: opened on the first read and opened again when the file
/// at the path is another one or was written since (device, inode, size or modification time changed), so that a
/// read never sees an old file where a new one stands. Closed when the last suite holding it is released.
///
/// Threading: the descriptor and the file's identity are only touched under `state`'s lock, reads included, so a
/// reopen never closes a descriptor another read is using.
final class CasesFile: Sendable {
    enum Failure: Error {
        case unreadable(String)
        case shorter
    }

    private struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            #if canImport(Darwin)
                modifiedSeconds = info.st_mtimespec.tv_sec
                modifiedNanoseconds = info.st_mtimespec.tv_nsec
            #else
                modifiedSeconds = info.st_mtim.tv_sec
                modifiedNanoseconds = info.st_mtim.tv_nsec
            #endif
        }
    }

    private struct State: ~Copyable {
        var descriptor: Int32 = -1
        var identity: Identity?
    }

    let path: String
    private let state = Mutex(State())

    init(path: String) {
        self.path = path
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// `length` bytes at `offset` of the file now at the path.
    func read(offset: Int, length: Int) -> Result<[UInt8], Failure> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        let current = Identity(info)
        return state.withLock { state -> Result<[UInt8], Failure> in
            if state.descriptor < 0 || state.identity != current {
                if state.descriptor >= 0 { close(state.descriptor) }
                state.identity = nil
                state.descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard state.descriptor >= 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
                // The identity of the file opened (it may have been replaced again since the stat).
                var opened = stat()
                if fstat(state.descriptor, &opened) == 0 { state.identity = Identity(opened) }
            }
            guard let bytes = positionedRead(state.descriptor, offset: offset, count: length) else {
                return .failure(.shorter)
            }
            return .success(bytes)
        }
    }
}
