import EvalCore
import Foundation
import Testing

/// Which suite folders a path names, suite-name clashes, and how diagnostics render.
@Suite("Suite discovery")
struct EvalSetDiscoveryTests {
    @Test("a suite folder, a folder of suites, a suite.yaml and a cases.jsonl each name their suites")
    func paths() throws {
        let root = EvalSetFixtures.root
        #expect(SuiteLoader.discover(root + "/good") == SuiteDiscovery(directories: [root + "/good"], diagnostics: []))
        #expect(SuiteLoader.discover(root + "/good/suite.yaml").directories == [root + "/good"])
        #expect(SuiteLoader.discover(root + "/good/cases.jsonl").directories == [root + "/good"])
        let all = ["bad-cases", "bad-suite", "good", "missing-cases", "openai-evals", "yaml-syntax"]
        #expect(SuiteLoader.discover(root) == SuiteDiscovery(directories: all.map { root + "/" + $0 }, diagnostics: []))
        #expect(SuiteLoader.discover(root + "/").directories == all.map { root + "/" + $0 })
    }

    @Test("a missing path, another kind of file, and a folder without suites are errors naming the path")
    func errors() throws {
        let suite = try TemporarySuite(cases: "")
        defer { suite.remove() }
        try Data().write(to: suite.root.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(
            at: suite.root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let cases: [(String, String)] = [
            (suite.root.path + "/nope", "no such file or directory"),
            (suite.root.path + "/notes.txt", "expected a suite folder, a folder of suites, or a suite.yaml file"),
            (suite.root.path + "/empty", "no suites here; a suite folder holds suite.yaml and cases.jsonl"),
        ]
        for (path, message) in cases {
            #expect(
                SuiteLoader.discover(path)
                    == SuiteDiscovery(directories: [], diagnostics: [.error(message, path: path)]))
        }
    }

    @Test("a subfolder that is not a suite is a warning, so a misnamed file is not silently skipped")
    func nonSuiteSubfolders() throws {
        let suite = try TemporarySuite(cases: "")
        defer { suite.remove() }
        let misnamed = suite.root.appendingPathComponent("misnamed")
        try FileManager.default.createDirectory(at: misnamed, withIntermediateDirectories: true)
        try Data().write(to: misnamed.appendingPathComponent("cases.json"))
        try FileManager.default.createDirectory(
            at: suite.root.appendingPathComponent(".hidden"), withIntermediateDirectories: true)
        try Data().write(to: suite.root.appendingPathComponent("README.md"))
        #expect(
            SuiteLoader.discover(suite.root.path)
                == SuiteDiscovery(
                    directories: [suite.directory],
                    diagnostics: [
                        .warning(
                            "not a suite folder (no suite.yaml or cases.jsonl in it); skipped", path: misnamed.path)
                    ]
                ))
    }

    @Test("two suites with one name: the second is an error naming the first")
    func duplicateNames() {
        let a = Suite(name: "same", kind: .eval, cases: [], directory: "EvalSets/a")
        let b = Suite(name: "other", kind: .eval, cases: [], directory: "EvalSets/b")
        let c = Suite(name: "same", kind: .golden, cases: [], directory: "EvalSets/c/")
        #expect(
            SuiteLoader.duplicateNames([a, b, c]).map(\.description) == [
                "EvalSets/c/suite.yaml: error: duplicate suite name 'same'; also the name of EvalSets/a/suite.yaml"
            ])
    }

    @Test("diagnostics render like a compiler's, with what they know of the location, and round-trip as JSON")
    func rendering() throws {
        #expect(Diagnostic.error("m", path: "p", line: 3, column: 9).description == "p:3:9: error: m")
        #expect(Diagnostic.warning("m", path: "p", line: 3).description == "p:3: warning: m")
        #expect(Diagnostic.error("m", path: "p").description == "p: error: m")
        #expect(Diagnostic.error("m", path: "p", column: 4).column == nil)
        let diagnostic = Diagnostic.warning("unknown field", path: "EvalSets/a/cases.jsonl", line: 2, column: 5)
        let data = try JSONEncoder().encode(diagnostic)
        #expect(try JSONDecoder().decode(Diagnostic.self, from: data) == diagnostic)
    }
}
