import EvalCore
import Foundation
import Reporting
import Testing

/// Reports compared byte for byte with the committed files in `Golden/`.
///
/// To re-record them after an intended change, run
/// `EVALGATE_UPDATE_GOLDEN=1 swift test --filter GoldenTests` and review the diff of `Tests/ReportingTests/Golden`.
@Suite("Golden reports: Markdown, JSON, JUnit and the plain-text summary from hand-built logs")
struct GoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
        .path

    func check(_ actual: String, _ name: String) throws {
        let path = Self.folder + "/" + name
        if ProcessInfo.processInfo.environment["EVALGATE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(
            try? String(contentsOfFile: path, encoding: .utf8),
            "missing \(name): run with EVALGATE_UPDATE_GOLDEN=1 to record it")
        #expect(
            actual == expected,
            "\(name) differs from the golden file; re-record with EVALGATE_UPDATE_GOLDEN=1 if intended")
    }

    @Test func report() throws {
        let summary = RunSummary.make(try Fixtures.index("v2"))
        try check(MarkdownRenderer().render(summary), "report.md")
        try check(JSONRenderer().render(summary), "report.json")
        try check(JUnitRenderer().render(summary), "report.xml")
        try check(TextRenderer().render(summary), "report.txt")
    }

    @Test func diff() throws {
        let diff = try Fixtures.diff()
        try check(MarkdownRenderer().render(diff), "diff.md")
        try check(JSONRenderer().render(diff), "diff.json")
        try check(JUnitRenderer().render(diff), "diff.xml")
        try check(TextRenderer().render(diff), "diff.txt")
    }

    @Test func gate() throws {
        let diff = try Fixtures.diff()
        let gate = Gate.evaluate(diff)
        try check(MarkdownRenderer().render(gate, diff: diff), "gate.md")
        try check(gate.text(), "gate.txt")
        try check(TextRenderer().render(gate, diff: diff), "gate-summary.txt")
        try check(JSONRenderer().render(gate), "gate.json")
        try check(JUnitRenderer().render(diff, gate: gate), "gate.xml")
    }

    /// The HTML page of the fixture diff, with the answers read back from the logs: its markup, style, script and
    /// policy byte for byte (a change to the style or script changes the policy's hashes too).
    @Test func diffHTML() throws {
        let directory = Fixtures.temporaryDirectory()
        let base = try RunIndex.load(path: Fixtures.write("v1", in: directory))
        let candidate = try RunIndex.load(path: Fixtures.write("v2", in: directory))
        let diff = try RunDiff.make(base: base, candidate: candidate)
        let renderer = HTMLRenderer()
        let keys = renderer.listedKeys(diff)
        let html = renderer.render(
            diff, base: try Transcripts.load(path: base.path, keys: keys),
            candidate: try Transcripts.load(path: candidate.path, keys: keys))
        try check(html, "diff.html")
    }

    @Test func compare() throws {
        let comparison = try Comparison.make([Fixtures.index("v1"), Fixtures.index("v2"), Fixtures.index("v3")])
        try check(MarkdownRenderer().render(comparison), "compare.md")
        try check(JSONRenderer().render(comparison), "compare.json")
    }

    @Test("the same logs give the same bytes")
    func deterministic() throws {
        let first = JSONRenderer().render(try Fixtures.diff())
        let second = JSONRenderer().render(try Fixtures.diff())
        #expect(first == second)
    }
}
