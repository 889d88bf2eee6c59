/// The cases of one suite as a run reads them: all in memory (`Suite`) or read again from `cases.jsonl` when needed
/// (`LazySuite`, for very large suites). The runner needs only this.
public protocol CaseSource: Sendable {
    var name: String { get }
    var kind: SuiteKind { get }
    var directory: String { get }
    var contentHash: String { get }
    var caseCount: Int { get }
    func caseID(at position: Int) -> String
    func caseHash(at position: Int) -> String
    /// The whole case; throws only when it must be read again and the file changed since loading.
    func loadCase(at position: Int) throws(LazySuiteError) -> EvalCase
    /// Every distinct check spec of the cases.
    var checkSpecs: [CheckSpec] { get }
    /// Every distinct non-empty params of the cases, with the first case that has them.
    var paramSets: [LazySuite.ParamsUse] { get }
}

extension Suite: CaseSource {
    public var caseCount: Int { cases.count }
    public func caseID(at position: Int) -> String { cases[position].id }
    public func caseHash(at position: Int) -> String { cases[position].contentHash }
    public func loadCase(at position: Int) throws(LazySuiteError) -> EvalCase { cases[position] }

    public var checkSpecs: [CheckSpec] {
        var seen: Set<CheckSpec> = []
        return cases.flatMap(\.checks).filter { seen.insert($0).inserted }
    }

    public var paramSets: [LazySuite.ParamsUse] {
        var seen: Set<[String: JSONValue]> = []
        return cases.filter { !$0.params.isEmpty && seen.insert($0.params).inserted }
            .map { LazySuite.ParamsUse(params: $0.params, caseID: $0.id, line: $0.line) }
    }
}

extension LazySuite: CaseSource {
    public func loadCase(at position: Int) throws(LazySuiteError) -> EvalCase { try evalCase(at: position) }
}

extension SuiteReference {
    /// The reference a run manifest records for a suite, however its cases are held.
    public init(_ source: any CaseSource, gitCommit: String? = nil, gitDirty: Bool? = nil) {
        self.init(
            name: source.name, kind: source.kind, contentHash: source.contentHash, caseCount: source.caseCount,
            path: source.directory, gitCommit: gitCommit, gitDirty: gitDirty
        )
    }
}
