import EvalCore
import Foundation
import Testing

@Suite("LazySuite: the same suite, cases read again from cases.jsonl")
struct LazySuiteTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("EvalSets").path

    @Test(
        "every shipped suite loads lazily to the same hash, ids and cases as eagerly",
        arguments: [
            "support-ru-golden", "support-ru-eval", "support-en-eval", "base-skills", "ifeval",
        ])
    func sameAsEager(name: String) throws {
        let directory = Self.shipped + "/" + name
        let eager = try #require(SuiteLoader.load(directory: directory, validateCheck: { _ in nil }).suite)
        let lazy = try #require(SuiteLoader.loadLazily(directory: directory, validateCheck: { _ in nil }).suite)
        #expect(lazy.contentHash == eager.contentHash)
        #expect(lazy.caseCount == eager.cases.count)
        for (position, evalCase) in eager.cases.enumerated() {
            #expect(lazy.caseID(at: position) == evalCase.id)
            #expect(lazy.caseHash(at: position) == evalCase.contentHash)
            #expect(try lazy.evalCase(at: position) == evalCase)
        }
        #expect(Set(lazy.checkSpecs) == Set(eager.checkSpecs))
        #expect(lazy.paramSets == eager.paramSets)
    }

    @Test("problems are reported exactly as the eager loader reports them")
    func sameDiagnostics() throws {
        for name in ["bad-cases", "bad-suite", "good", "missing-cases", "openai-evals", "yaml-syntax"] {
            let directory = EvalSetFixtures.root + "/" + name
            let eager = SuiteLoader.load(directory: directory, validateCheck: TestChecks.problem)
            let lazy = SuiteLoader.loadLazily(directory: directory, validateCheck: TestChecks.problem)
            #expect(lazy.diagnostics == eager.diagnostics, "\(name)")
            #expect(lazy.caseCount == eager.caseCount)
            #expect((lazy.suite == nil) == (eager.suite == nil))
            if let eagerSuite = eager.suite, let lazySuite = lazy.suite {
                #expect(lazySuite.contentHash == eagerSuite.contentHash)
                #expect(try eagerSuite.cases.indices.map { try lazySuite.evalCase(at: $0) } == eagerSuite.cases)
            }
        }
        #expect(
            !SuiteLoader.load(directory: EvalSetFixtures.root + "/bad-cases", validateCheck: TestChecks.problem)
                .diagnostics.isEmpty)
    }

    @Test("a case changed on disk after loading is an error naming its line, not another case")
    func changedOnDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-lazy-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "name: lazy\nkind: eval\ndefaults:\n  checks: [{type: contains_ideal}]\n".write(
            toFile: folder + "/suite.yaml", atomically: true, encoding: .utf8)
        let lines = [
            #"{"id":"a","prompt":"first"}"#, "", #"{"id":"b","prompt":"second\r"}"#, #"{"id":"c","prompt":"третий"}"#,
        ]
        try (lines.joined(separator: "\r\n") + "\n").write(
            toFile: folder + "/cases.jsonl", atomically: true, encoding: .utf8)
        let suite = try #require(SuiteLoader.loadLazily(directory: folder, validateCheck: { _ in nil }).suite)
        #expect(suite.caseCount == 3)
        #expect(try suite.evalCase(at: 2).messages.last?.text == "третий")
        #expect(try suite.evalCase(at: 0).line == 1)

        try (#"{"id":"a","prompt":"FIRST"}"# + "\n").write(
            toFile: folder + "/cases.jsonl", atomically: true, encoding: .utf8)
        let changed = #expect(throws: LazySuiteError.self) { try suite.evalCase(at: 0) }
        #expect(changed?.message.contains("cases.jsonl:1: case 'a' changed since the suite was loaded") == true)
        let gone = #expect(throws: LazySuiteError.self) { try suite.evalCase(at: 2) }
        #expect(gone?.message.contains("cases.jsonl:4:") == true)
    }

    @Test("a line read again with its bytes unchanged gives the case loaded; a vars_file edited since is noticed")
    func unchangedLinesAndVarsFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-lazy-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "name: lazy\nkind: eval\ndefaults:\n  checks: [{type: contains_ideal}]\n  params: {temperature: 0}\n".write(
            toFile: folder + "/suite.yaml", atomically: true, encoding: .utf8)
        try "order,item\n1,a\n2,b\n".write(toFile: folder + "/orders.csv", atomically: true, encoding: .utf8)
        let cases = [
            #"{"id":"plain","prompt":"Привет","ideal":"x","tags":["t"],"metadata":{"k":[1,2.5,null]}}"#,
            #"{"id":"rows","vars_file":"orders.csv","prompt":"where is {{order}} ({{item}})?","ideal":"{{order}}"}"#,
        ].joined(separator: "\n")
        try (cases + "\n").write(toFile: folder + "/cases.jsonl", atomically: true, encoding: .utf8)
        let eager = try #require(SuiteLoader.load(directory: folder, validateCheck: { _ in nil }).suite)
        let suite = try #require(SuiteLoader.loadLazily(directory: folder, validateCheck: { _ in nil }).suite)
        #expect(suite.caseCount == 3)
        // Read twice, and again after the file is written anew with the same bytes: the same case, hash included.
        for _ in 0..<2 {
            for position in 0..<3 { #expect(try suite.evalCase(at: position) == eager.cases[position]) }
        }
        try (cases + "\n").write(toFile: folder + "/cases.jsonl", atomically: true, encoding: .utf8)
        #expect(try suite.evalCase(at: 0) == eager.cases[0])

        // The template line is unchanged but its rows are not: the row's case changed.
        try "order,item\n1,a\n2,c\n".write(toFile: folder + "/orders.csv", atomically: true, encoding: .utf8)
        #expect(try suite.evalCase(at: 1) == eager.cases[1])
        let changed = #expect(throws: LazySuiteError.self) { try suite.evalCase(at: 2) }
        #expect(changed?.message.contains("cases.jsonl:2: case 'rows-2' changed since the suite was loaded") == true)
        #expect(try suite.evalCase(at: 0) == eager.cases[0])
    }

    @Test("the file kept open is opened again when it is rewritten in place, grows, is replaced or is removed")
    func keptOpenFollowsTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-lazy-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "name: lazy\nkind: eval\ndefaults:\n  checks: [{type: contains_ideal}]\n".write(
            toFile: folder + "/suite.yaml", atomically: true, encoding: .utf8)
        let path = folder + "/cases.jsonl"
        let original = #"{"id":"a","prompt":"first"}"# + "\n" + #"{"id":"b","prompt":"second"}"# + "\n"
        try original.write(toFile: path, atomically: true, encoding: .utf8)
        let suite = try #require(SuiteLoader.loadLazily(directory: folder, validateCheck: { _ in nil }).suite)
        #expect(try suite.evalCase(at: 1).messages.last?.text == "second")
        let copy = suite  // copies share the open file

        // Rewritten in place (same inode, other bytes of another size): the new bytes are read, never the old ones.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        handle.write(Data((#"{"id":"a","prompt":"FIRST"}"# + "\n" + #"{"id":"b","prompt":"2nd"}"# + "\n").utf8))
        try handle.close()
        #expect(throws: LazySuiteError.self) { try copy.evalCase(at: 0) }
        #expect(throws: LazySuiteError.self) { try suite.evalCase(at: 1) }

        // Put back and grown by a line: the cases loaded are read again as they were.
        try (original + #"{"id":"c","prompt":"third"}"# + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try suite.evalCase(at: 0).messages.last?.text == "first")
        #expect(try copy.evalCase(at: 1).messages.last?.text == "second")

        // Replaced by another file of the same bytes: read from the new file.
        try original.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try suite.evalCase(at: 1).messages.last?.text == "second")

        try FileManager.default.removeItem(atPath: path)
        let gone = #expect(throws: LazySuiteError.self) { try suite.evalCase(at: 0) }
        #expect(gone?.message.contains("cases.jsonl:1: cannot be read (") == true)
    }
}
