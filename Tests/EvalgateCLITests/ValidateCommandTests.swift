import Foundation
import Testing

/// `evalgate validate`, run as the built executable against suites written to a temporary folder.
@Suite struct ValidateCommandTests {
    /// A temporary `EvalSets/` folder; each suite is a subfolder with the files given.
    struct EvalSets {
        let root: URL

        init(_ suites: [String: (yaml: String?, cases: String?)]) throws {
            root = FileManager.default.temporaryDirectory
                .appendingPathComponent("evalgate-validate-\(UUID().uuidString)")
                .appendingPathComponent("EvalSets")
            for (name, files) in suites {
                let folder = root.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                if let yaml = files.yaml { try Data(yaml.utf8).write(to: folder.appendingPathComponent("suite.yaml")) }
                if let cases = files.cases {
                    try Data(cases.utf8).write(to: folder.appendingPathComponent("cases.jsonl"))
                }
            }
        }

        func path(_ relative: String = "") -> String {
            relative.isEmpty ? root.path : root.appendingPathComponent(relative).path
        }

        /// stderr with this folder's absolute path cut down to `EvalSets/...`.
        func relative(_ text: String) -> String {
            text.replacingOccurrences(of: root.deletingLastPathComponent().path + "/", with: "")
        }

        func remove() {
            try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
        }
    }

    static let clean = (
        yaml: Optional("name: support\nkind: golden\ndefaults:\n  params: {temperature: 0}\n  checks: [{type: pii}]\n"),
        cases: Optional(
            #"{"id": "a", "prompt": "Где мой заказ?"}"# + "\n" + #"{"id": "b", "prompt": "Hi", "ideal": "Hello"}"#
                + "\n")
    )

    @Test func aCleanSuiteExitsZeroWithASummary() throws {
        let sets = try EvalSets(["support": Self.clean])
        defer { sets.remove() }
        let outcome = try CLITests.run(["validate", sets.path("support")])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "1 suite, 2 cases: 0 errors, 0 warnings\n")
        #expect(outcome.stderr == "")
    }

    @Test func aSuiteYAMLPathValidatesItsFolder() throws {
        let sets = try EvalSets(["support": Self.clean])
        defer { sets.remove() }
        let outcome = try CLITests.run(["validate", sets.path("support/suite.yaml")])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "1 suite, 2 cases: 0 errors, 0 warnings\n")
    }

    @Test func badSuitesExitTwoWithEveryProblemLocated() throws {
        let sets = try EvalSets([
            "support": Self.clean,
            "broken": (
                yaml: "kind: gold\nowner: qa\n",
                cases: """
                {"id": "x", "prompt": "first"}
                {"id": "x", "prompt": "again"}
                {"id": "y", "prompt": "Привет", "tags": [1]}
                {"id": "z", "prompt": "q", "checks": [{"type": "no_such_check_type"}]}
                {"id": "w", "prompt": "Привет",}
                """
            ),
        ])
        defer { sets.remove() }
        let outcome = try CLITests.run(["validate", sets.path()])
        #expect(outcome.status == 2)
        let lines = sets.relative(outcome.stderr).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        #expect(lines.count == 7)
        #expect(
            Array(lines.prefix(4)) == [
                "EvalSets/broken/suite.yaml:1:7: error: unknown suite kind 'gold'; expected one of 'golden', 'eval', 'base', 'train-sample'; did you mean 'golden'?",
                #"EvalSets/broken/suite.yaml:2:1: error: unknown field "owner" in suite.yaml"#,
                "EvalSets/broken/cases.jsonl:2:8: error: duplicate id 'x'; first used on line 1",
                #"EvalSets/broken/cases.jsonl:3:42: error: expected "tags[0]" to be a string, found number"#,
            ])
        // The check registry's own words, whichever checks it holds by then.
        #expect(lines[4].hasPrefix("EvalSets/broken/cases.jsonl:4:39: error: unknown check type 'no_such_check_type'"))
        #expect(lines[5] == "EvalSets/broken/cases.jsonl:5:32: error: invalid JSON")
        #expect(lines[6] == "")
        #expect(outcome.stdout == "2 suites, 7 cases: 6 errors, 0 warnings\n")
    }

    @Test func warningsAloneDoNotFail() throws {
        let sets = try EvalSets([
            "notes": (
                yaml: "kind: eval\ndefaults:\n  checks: [{type: pii}]\n",
                cases: #"{"id": "a", "prompt": "x", "note": "n"}"# + "\n"
            )
        ])
        defer { sets.remove() }
        let outcome = try CLITests.run(["validate", sets.path("notes")])
        #expect(outcome.status == 0)
        #expect(
            sets.relative(outcome.stderr)
                == "EvalSets/notes/cases.jsonl:1:28: warning: unknown field \"note\" in a case\n")
        #expect(outcome.stdout == "1 suite, 1 case: 0 errors, 1 warning\n")
    }

    @Test func missingFilesAndDuplicateSuiteNamesAreErrors() throws {
        let sets = try EvalSets([
            "a": Self.clean,
            "b": Self.clean,
            "c": (yaml: "kind: base\n", cases: nil),
        ])
        defer { sets.remove() }
        let outcome = try CLITests.run(["validate", sets.path("a"), sets.path()])
        #expect(outcome.status == 2)
        #expect(
            sets.relative(outcome.stderr)
                == """
                EvalSets/c/cases.jsonl: error: missing cases.jsonl; a suite folder holds suite.yaml and cases.jsonl
                EvalSets/b/suite.yaml: error: duplicate suite name 'support'; also the name of \(sets.path("a"))/suite.yaml

                """.replacingOccurrences(of: sets.root.deletingLastPathComponent().path + "/", with: ""))
        // "a" was named twice but is validated once.
        #expect(outcome.stdout == "3 suites, 4 cases: 2 errors, 0 warnings\n")
    }

    @Test func aPathThatDoesNotExistIsOneLineAndExitTwo() throws {
        let outcome = try CLITests.run(["validate", "/nonexistent/EvalSets/nope"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "evalgate: error: no such file or directory: '/nonexistent/EvalSets/nope'\n")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func aFolderWithoutSuitesIsAnError() throws {
        let sets = try EvalSets([:])
        defer { sets.remove() }
        try FileManager.default.createDirectory(at: sets.root, withIntermediateDirectories: true)
        let outcome = try CLITests.run(["validate", sets.path()])
        #expect(outcome.status == 2)
        #expect(
            sets.relative(outcome.stderr)
                == "EvalSets: error: no suites here; a suite folder holds suite.yaml and cases.jsonl\n")
        #expect(outcome.stdout == "0 suites, 0 cases: 1 error, 0 warnings\n")
    }

    @Test func noPathIsAUsageError() throws {
        let outcome = try CLITests.run(["validate"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("Error: Missing expected argument '<path> ...'"))
    }
}
