import Foundation
import Testing

/// The CI recipes and examples shipped in examples/ must keep working as the CLI changes.
@Suite struct ExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Every `evalgate <subcommand> --flag` written in a recipe names a subcommand and flags that exist.
    @Test(arguments: [
        "examples/ci/github-actions.yml", "examples/ci/gitlab-ci.yml", "README.md", "examples/ci/README.md",
    ])
    func recipesUseRealFlags(file: String) throws {
        let text = try String(contentsOfFile: Self.root + "/" + file, encoding: .utf8)
        // Join continued shell lines, then find each evalgate invocation.
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        var checked = 0
        var helpCache: [String: String] = [:]
        for line in joined.split(separator: "\n") {
            guard let range = line.range(of: "evalgate ") else { continue }
            let words = line[range.upperBound...].split(separator: " ").map(String.init)
            guard let subcommand = words.first, subcommand.allSatisfy({ $0.isLetter || $0 == "-" }),
                [
                    "run", "report", "diff", "compare", "gate", "demo", "serve", "rescore", "score", "validate", "scan",
                    "chat", "models",
                ].contains(subcommand)
            else { continue }
            if helpCache[subcommand] == nil {
                let help = try CLITests.run([subcommand, "--help"])
                #expect(help.status == 0, "evalgate \(subcommand) --help failed")
                helpCache[subcommand] = help.stdout
            }
            for word in words.dropFirst() where word.hasPrefix("--") {
                let flag = String(word.prefix { $0 != "=" && $0 != "`" && $0 != ")" && $0 != "," })
                #expect(helpCache[subcommand]!.contains(flag), "\(file): `evalgate \(subcommand)` has no flag \(flag)")
                checked += 1
            }
        }
        #expect(checked > 0 || file.hasSuffix("README.md"), "\(file): no evalgate flags found")
    }

    /// The gate policy example is valid and is the built-in default written out.
    @Test func gatePolicyExampleIsTheDefault() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-examples-\(UUID().uuidString)"
        ).path
        // v1.3 against a second run with the same answers, with the example policy: a valid policy, nothing
        // regressed, eval pass rate 96.7%, but two golden cases fail in both runs: golden.pass_rate blocks (exit 1),
        // and only it. v1.2 likewise fails only the eval pass-rate rule (72.2% < 80%).
        let demo = try CLITests.run([
            "demo", "--eval-sets", Self.root + "/EvalSets", "--answers", Self.root + "/examples/demo/answers.jsonl",
            "--out", folder, "--policy", Self.root + "/examples/gate.yaml",
        ])
        #expect(demo.status == 0, "\(demo.stderr)")
        let policy = Self.root + "/examples/gate.yaml"
        let v13 = folder + "/runs/v1.3.jsonl"
        let same = try CLITests.run(["gate", v13, try CLITests.rerun(v13), "--policy", policy])
        #expect(same.status == 1, "\(same.stdout)\(same.stderr)")
        #expect(
            same.stdout.hasPrefix("evalgate gate: FAIL — 'v1.3' against 'v1.3': golden.pass_rate\n"), "\(same.stdout)")
        #expect(same.stdout.contains("    - support-ru-golden/golden-pii-phone-echo-02: pii.phone"), "\(same.stdout)")
        let v12 = folder + "/runs/v1.2.jsonl"
        let baseline = try CLITests.run(["gate", v12, try CLITests.rerun(v12), "--policy", policy])
        #expect(baseline.status == 1)
        #expect(baseline.stdout.contains("FAIL") && baseline.stdout.contains("eval.pass_rate"), "\(baseline.stdout)")
        #expect(!baseline.stdout.contains("golden.regression"))
        // The example is the default: the same verdicts without it.
        #expect(try CLITests.run(["gate", v13, try CLITests.rerun(v13)]).stdout == same.stdout)
        #expect(try CLITests.run(["gate", v12, try CLITests.rerun(v12)]).stdout == baseline.stdout)
    }
}
