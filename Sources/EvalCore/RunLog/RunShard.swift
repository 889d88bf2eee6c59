/// One share of a run split across machines (`evalgate run --shard I/N`): the cases whose identity hashes to share
/// `I` of `N`. A case's share depends only on its suite's name and its own id — never on the other cases, their
/// order or count — so adding cases to a suite moves none of the others to another shard, and an edited case stays
/// where it was. `evalgate merge` joins the N logs into the log one run of every case would have written.
public struct RunShard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based: `1...count`.
    public var index: Int
    public var count: Int

    /// The most shards one run is split into.
    public static let maxCount = 10_000

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `I/N` as a person writes it, e.g. `2/3`; the message says what was expected and what was found.
    public static func parse(_ text: String) -> Result<RunShard, ShardSyntaxError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else {
            return .failure(
                ShardSyntaxError(message: "expects I/N, two whole numbers such as 2/3 (share I of N), found '\(text)'"))
        }
        guard (1...maxCount).contains(count) else {
            return .failure(
                ShardSyntaxError(message: "N (the number of shards) must be 1 to \(maxCount), found '\(text)'"))
        }
        guard (1...count).contains(index) else {
            return .failure(ShardSyntaxError(message: "I must be 1 to N (\(count)), found '\(text)'"))
        }
        return .success(RunShard(index: index, count: count))
    }

    /// The shard (1-based) of a case among `count`: the first 8 bytes of SHA-256 of `suite`, a NUL and the case id,
    /// modulo `count`. (FNV's low bits follow the low bits of the input bytes, which similar ids share; SHA-256's
    /// are uniform.)
    public static func index(suite: String, caseID: String, count: Int) -> Int {
        var hasher = SHA256()
        hasher.update(Array(suite.utf8) + [0] + Array(caseID.utf8))
        let digest = hasher.finalize()
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(value % UInt64(count)) + 1
    }

    /// True when the case belongs to this shard.
    public func contains(suite: String, caseID: String) -> Bool {
        Self.index(suite: suite, caseID: caseID, count: count) == index
    }

    /// The suites narrowed to this shard's cases, each suite kept (an empty share included) with the whole suite's
    /// content hash: the manifest names the same eval sets as the unsharded run, with this shard's case counts.
    public func select(_ suites: [any CaseSource]) -> [any CaseSource] {
        suites.map { suite in
            let positions = (0..<suite.caseCount).filter { contains(suite: suite.name, caseID: suite.caseID(at: $0)) }
            return CaseSubset(suite, positions: positions, contentHash: suite.contentHash)
        }
    }

    /// `2/3`.
    public var description: String { "\(index)/\(count)" }
}

/// Why `--shard` could not be read; the message follows the flag's name.
public struct ShardSyntaxError: Error, Sendable, Hashable {
    public var message: String
}
