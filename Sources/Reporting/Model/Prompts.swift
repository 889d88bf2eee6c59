public import EvalCore

/// The prompts of the cases a report lists, read from the suites the run names (the paths in its manifest, relative
/// to the folder evalgate runs in). A prompt is kept only when its case still has the content hash the run recorded:
/// a prompt edited since the run is not the one the model answered, and the page says so instead of showing it.
public struct Prompts: Sendable {
    /// Per case, the conversation sent to the model (the system message first).
    public private(set) var messages: [CaseKey: [ChatMessage]] = [:]
    /// Per case, its ideal answers (none when it has none).
    public private(set) var ideals: [CaseKey: [String]] = [:]
    /// Why some prompts are not shown: a suite folder missing or not loadable, cases changed since the run.
    public private(set) var notes: [String] = []

    public init() {}

    /// The prompts of `cases` (each with the content hash its run recorded) from the suites of `manifest`, each suite
    /// read case by case (`SuiteLoader.loadLazily`), keeping only the cases asked for.
    public static func load(manifest: RunManifest, cases: [CaseKey: String]) -> Prompts {
        var prompts = Prompts()
        let bySuite = Dictionary(grouping: cases.keys, by: \.suite)
        for suiteName in bySuite.keys.sorted() {
            guard let reference = manifest.suite(named: suiteName) else { continue }
            // The checks were validated when the suite ran; showing its prompts needs none of them.
            let loaded = SuiteLoader.loadLazily(directory: reference.path, validateCheck: { _ in nil })
            guard let suite = loaded.suite else {
                let reason = loaded.diagnostics.first { $0.isError }.map(\.message) ?? "it does not load"
                prompts.notes.append(
                    "suite '\(suiteName)': prompts not shown, its folder '\(reference.path)' cannot be read: \(reason)")
                continue
            }
            var changed = 0
            for position in 0..<suite.caseCount {
                let key = CaseKey(suite: suiteName, caseID: suite.caseID(at: position))
                guard let hash = cases[key] else { continue }
                guard suite.caseHash(at: position) == hash, let evalCase = try? suite.evalCase(at: position) else {
                    changed += 1
                    continue
                }
                prompts.messages[key] = evalCase.messages
                prompts.ideals[key] = evalCase.ideals
            }
            if changed > 0 {
                prompts.notes.append(
                    "suite '\(suiteName)': \(changed) prompt\(changed == 1 ? "" : "s") not shown, changed in '\(reference.path)' since the run"
                )
            }
        }
        return prompts
    }
}
