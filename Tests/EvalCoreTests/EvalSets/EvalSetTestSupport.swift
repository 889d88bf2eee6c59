import EvalCore
import Foundation

/// Helpers shared by the eval-set tests: the fixture folder, suites written to a temporary folder, and a small
/// stand-in for the check registry (EvalCore knows no checks; the CLI passes the real registry).
enum EvalSetFixtures {
    /// `Tests/EvalCoreTests/Fixtures/EvalSets`.
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/EvalSets")
        .path

    static func load(_ name: String) -> SuiteLoadResult {
        SuiteLoader.load(directory: root + "/" + name, validateCheck: TestChecks.problem)
    }

    /// The diagnostics as printed, with the fixture root cut off the paths.
    static func rendered(_ result: SuiteLoadResult) -> [String] {
        result.diagnostics.map { $0.description.replacingOccurrences(of: root + "/", with: "") }
    }
}

/// A stand-in for `CheckRegistry.standard.make`: a few check types with the options they need.
enum TestChecks {
    static func problem(_ spec: CheckSpec) -> String? {
        switch spec.type {
        case "contains":
            return spec.options["value"]?.stringValue == nil ? "check 'contains' needs option 'value' (a string)" : nil
        case "max_length":
            return spec.options["chars"]?.intValue == nil ? "check 'max_length' needs option 'chars' (an integer)" : nil
        case "regex":
            guard let pattern = spec.options["pattern"]?.stringValue else {
                return "check 'regex' needs option 'pattern' (a string)"
            }
            return (try? NSRegularExpression(pattern: pattern)) == nil
                ? "option 'pattern' of check 'regex' is not a valid regular expression: '\(pattern)'" : nil
        case "contains_ideal":
            return nil
        case "contians":
            return "unknown check type 'contians'; did you mean 'contains'?"
        default:
            return "unknown check type '\(spec.type)'"
        }
    }
}

/// A suite folder in a fresh temporary directory, removed by `remove()`.
struct TemporarySuite {
    let root: URL
    let directory: String

    /// Writes the files given (nil leaves one out). Bytes are written exactly as given.
    /// A suite.yaml with one default check, so that the cases written in a test need none of their own.
    static let plainSuiteYAML = "kind: eval\ndefaults:\n  checks: [{type: contains_ideal}]\n"

    init(name: String = "suite", suiteYAML: [UInt8]? = Array(plainSuiteYAML.utf8), cases: [UInt8]?) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("evalsets-\(UUID().uuidString)")
        let folder = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let suiteYAML { try Data(suiteYAML).write(to: folder.appendingPathComponent("suite.yaml")) }
        if let cases { try Data(cases).write(to: folder.appendingPathComponent("cases.jsonl")) }
        directory = folder.path
    }

    init(name: String = "suite", suiteYAML: String? = plainSuiteYAML, cases: String?) throws {
        try self.init(name: name, suiteYAML: suiteYAML.map { Array($0.utf8) }, cases: cases.map { Array($0.utf8) })
    }

    func load(maxLineBytes: Int = SuiteLoader.defaultMaxLineBytes) -> SuiteLoadResult {
        SuiteLoader.load(directory: directory, maxLineBytes: maxLineBytes, validateCheck: TestChecks.problem)
    }

    /// Diagnostics as printed, paths relative to the temporary root (`suite/cases.jsonl:...`).
    func rendered(_ result: SuiteLoadResult) -> [String] {
        result.diagnostics.map { $0.description.replacingOccurrences(of: root.path + "/", with: "") }
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
