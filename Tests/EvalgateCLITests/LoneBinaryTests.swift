import Foundation
import Testing

/// The binary copied alone into an empty folder — what everyone does with a release build — runs validate, scan and
/// the demo: nothing it needs at run time lives beside it (no resource bundle, no repository).
@Suite struct LoneBinaryTests {
    static let root = DemoCommandTests.root

    /// An empty folder holding only a copy of the built binary.
    static func loneCopy() throws -> (folder: String, binary: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-lone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let binary = folder.appendingPathComponent("evalgate")
        try FileManager.default.copyItem(at: CLITests.executable, to: binary)
        return (folder.path, binary)
    }

    @Test func versionNamesTheReleaseAndTheCommit() throws {
        let (folder, binary) = try Self.loneCopy()
        let outcome = try CLITests.run(["--version"], executable: binary, in: folder)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("0.1.0 (commit "), "\(outcome.stdout)")
    }

    @Test func validateAndScanRunWithThePromisePacksCompiledIn() throws {
        let (folder, binary) = try Self.loneCopy()
        let suite = folder + "/suites/tiny"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        try Data("name: tiny\nkind: eval\n".utf8).write(to: URL(fileURLWithPath: suite + "/suite.yaml"))
        let cases =
            #"{"id": "c1", "input": "Когда привезут?", "checks": [{"type": "promises", "packs": ["ru", "en"]}]}"# + "\n"
        try Data(cases.utf8).write(to: URL(fileURLWithPath: suite + "/cases.jsonl"))
        let validate = try CLITests.run(["validate", "suites"], executable: binary, in: folder)
        #expect(validate.status == 0, "\(validate.stderr)")

        try Data("Привезём завтра, гарантируем.\nWe will ship it within 3 days.\nСпасибо за вопрос.\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/chat.txt"))
        let scan = try CLITests.run(["scan", "chat.txt", "--only-findings"], executable: binary, in: folder)
        #expect(scan.status == 0, "\(scan.stderr)")
        let lines = scan.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(scan.stdout)")
        #expect(lines.allSatisfy { $0.contains("promise.") })
        #expect(!scan.stderr.contains("bundle"))
    }

    /// The demo from the lone binary tells the whole story; the suites and answers it writes out are the repository's
    /// files byte for byte, so the compiled-in copy cannot drift from them unnoticed (scripts/embed-resources).
    @Test func theDemoRunsFromTheBinaryAloneWithTheRepositorysOwnData() throws {
        let (folder, binary) = try Self.loneCopy()
        let demo = try CLITests.run(["demo"], executable: binary, in: folder)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("The gate refused v1.3, as designed"))
        #expect(FileManager.default.fileExists(atPath: folder + "/Reports/demo/diff.md"))

        let written = folder + "/Reports/demo/suites"
        var compared = 0
        for suite in ["support-ru-golden", "support-ru-eval", "support-en-eval", "base-skills"] {
            for file in ["suite.yaml", "cases.jsonl"] {
                let original = try Data(contentsOf: URL(fileURLWithPath: "\(Self.root)/EvalSets/\(suite)/\(file)"))
                let copy = try Data(contentsOf: URL(fileURLWithPath: "\(written)/\(suite)/\(file)"))
                #expect(
                    copy == original,
                    "EvalSets/\(suite)/\(file) changed since it was compiled in: run scripts/embed-resources")
                compared += 1
            }
        }
        let answers = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/examples/demo/answers.jsonl"))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: written + "/answers.jsonl")) == answers,
            "examples/demo/answers.jsonl changed since it was compiled in: run scripts/embed-resources")
        #expect(compared == 8)
    }
}
