/// Some of a suite's cases, in the suite's order: what `run --case/--tag/--limit` sends. Its content hash is that of
/// a suite holding only those cases, so a run log of a subset is complete for it and is never mistaken for a run of
/// the whole suite.
public struct CaseSubset: CaseSource {
    public let base: any CaseSource
    /// Positions in `base`, ascending.
    public let positions: [Int]
    public let contentHash: String

    public init(_ base: any CaseSource, positions: [Int], defaults: SuiteDefaults) {
        self.base = base
        self.positions = positions
        self.contentHash = Suite.contentHash(
            name: base.name, kind: base.kind, defaults: defaults, caseHashes: positions.map(base.caseHash(at:))
        )
    }

    /// Some cases under a content hash given by the caller: a shard of a run (`RunShard.select`) keeps the whole
    /// suite's hash, since its log is a part of the whole suite's run, not a run of a smaller suite.
    public init(_ base: any CaseSource, positions: [Int], contentHash: String) {
        self.base = base
        self.positions = positions
        self.contentHash = contentHash
    }

    public var name: String { base.name }
    public var kind: SuiteKind { base.kind }
    public var directory: String { base.directory }
    public var caseCount: Int { positions.count }
    public func caseID(at position: Int) -> String { base.caseID(at: positions[position]) }
    public func caseHash(at position: Int) -> String { base.caseHash(at: positions[position]) }
    public func loadCase(at position: Int) throws(LazySuiteError) -> EvalCase {
        try base.loadCase(at: positions[position])
    }
    // The whole suite's: a superset, used to validate checks and params before the run.
    public var checkSpecs: [CheckSpec] { base.checkSpecs }
    public var paramSets: [LazySuite.ParamsUse] { base.paramSets }
}
