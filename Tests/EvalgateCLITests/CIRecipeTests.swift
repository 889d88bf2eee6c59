import EvalCore
import Foundation
import ScriptedEndpoint
import Testing
import Yams

/// The CI recipes for a user's repository (examples/ci/action.yml, gitlab-template.yml): parsed, checked for
/// consistency, and their shell steps run locally in a repository made by `evalgate init`, against the sample answers
/// on loopback. Steps that call other actions (cache, github-script, upload-artifact) are GitHub's and not run here.
@Suite struct CIRecipeTests {
    static let ci = DemoCommandTests.root + "/examples/ci"

    /// A user's repository made by `evalgate init`, its sample answers served on loopback, and a bin folder holding
    /// only the evalgate binary (for PATH).
    static func repository() async throws -> (folder: String, bin: String, endpoint: ScriptedEndpoint) {
        let folder = try InitCommandTests.emptyFolder()
        #expect(try CLITests.run(["init", "--non-interactive"], in: folder).status == 0)
        let bin = folder + "/.bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLITests.executable.path, toPath: bin + "/evalgate")
        let (answers, _) = RecordedAnswer.load(path: folder + "/sample-answers.jsonl")
        return (folder, bin, try await ScriptedEndpoint.start(.recorded(answers)))
    }

    static func bash(_ script: String, environment: [String: String], in folder: String) throws -> CLITests.Outcome {
        try CLITests.run(
            ["-c", script], environment: environment, executable: URL(fileURLWithPath: "/bin/bash"), in: folder)
    }

    /// `${{ inputs.NAME }}` filled in; any other expression left for the test to notice.
    static func fill(_ text: String, inputs: [String: String]) -> String {
        var text = text
        for (name, value) in inputs { text = text.replacingOccurrences(of: "${{ inputs.\(name) }}", with: value) }
        return text
    }

    @Test func theCompositeActionIsConsistentAndItsShellStepsRunAndGate() async throws {
        let text = try String(contentsOfFile: Self.ci + "/action.yml", encoding: .utf8)
        let action = try #require(try Yams.load(yaml: text) as? [String: Any])
        let runs = try #require(action["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        let declared = try #require(action["inputs"] as? [String: [String: Any]])
        // Every input the steps use is declared (a typo would silently be empty on GitHub).
        let used = Set(text.matches(of: /inputs\.([a-z-]+)/).map { String($0.output.1) })
        #expect(used.subtracting(declared.keys).isEmpty, "undeclared inputs: \(used.subtracting(declared.keys))")
        let steps = try #require(runs["steps"] as? [[String: Any]])
        #expect(steps.allSatisfy { ($0["uses"] != nil) != ($0["run"] != nil) })
        #expect(
            steps.filter { $0["run"] != nil }.allSatisfy { $0["shell"] as? String == "bash" },
            "a composite run step needs shell")
        #expect(
            steps.contains {
                ($0["uses"] as? String)?.hasPrefix("actions/cache@") == true
                    && "\($0["with"] ?? "")".contains("hashFiles(inputs.config)")
            },
            "the answers' cache is keyed by evalgate.yaml, which holds the revisions")

        let (folder, bin, endpoint) = try await Self.repository()
        var inputs = declared.compactMapValues { $0["default"] as? String }
        inputs["install"] = "path"
        inputs["base-url"] = endpoint.baseURL
        let files = ["GITHUB_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"].reduce(into: [String: String]()) {
            $0[$1] = folder + "/." + $1
        }
        var ran: [String] = []
        var outcome: CLITests.Outcome?
        for step in steps {
            guard let script = step["run"] as? String else { continue }
            var environment = files.merging(["PATH": bin + ":/usr/bin:/bin", "GITHUB_ACTION_PATH": Self.ci]) { $1 }
            for (key, value) in step["env"] as? [String: String] ?? [:] {
                environment[key] = Self.fill(value, inputs: inputs)
                #expect(!environment[key]!.contains("${{"), "\(key) is left as \(environment[key]!)")
            }
            #expect(!script.contains("${{"), "a run body takes inputs through env, never pasted into the script")
            outcome = try Self.bash(script, environment: environment, in: folder)
            #expect(outcome?.status == 0, "step '\(step["name"] ?? "")': \(outcome?.stderr ?? "")")
            ran.append(step["name"] as? String ?? "")
        }
        try await endpoint.shutdown()
        #expect(
            ran == [
                "Install evalgate", "Check the eval sets, run baseline and candidate", "Diff (Markdown, JSON, JUnit)",
                "Release gate",
            ])
        #expect(outcome?.stdout.contains("evalgate gate: PASS") == true)
        #expect(try String(contentsOfFile: folder + "/.GITHUB_OUTPUT", encoding: .utf8) == "code=0\n")
        #expect(try String(contentsOfFile: folder + "/.GITHUB_STEP_SUMMARY", encoding: .utf8).contains("candidate"))
        #expect(FileManager.default.fileExists(atPath: folder + "/Reports/runs/junit.xml"))
    }

    @Test func theGitLabTemplateRunsItsScriptAndGates() async throws {
        let text = try String(contentsOfFile: Self.ci + "/gitlab-template.yml", encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let job = try #require(document[".evalgate"] as? [String: Any])
        #expect(
            (job["cache"] as? [String: Any]).map { "\($0)" }?.contains("evalgate.yaml") == true,
            "the cache is keyed by evalgate.yaml")
        let lines = try #require(job["before_script"] as? [String]) + #require(job["script"] as? [String])
        let variables = try #require(job["variables"] as? [String: String])

        let (folder, bin, endpoint) = try await Self.repository()
        let environment = variables.merging(["PATH": bin + ":/usr/bin:/bin", "EVAL_BASE_URL": endpoint.baseURL]) { $1 }
        // GitLab runs the lines in one shell, stopping at the first that fails.
        let outcome = try Self.bash(
            "set -eo pipefail\n" + lines.joined(separator: "\n"), environment: environment, in: folder)
        try await endpoint.shutdown()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("evalgate gate: PASS"))
        let reports = try #require((job["artifacts"] as? [String: Any])?["reports"] as? [String: String])
        #expect(
            FileManager.default.fileExists(atPath: folder + "/" + reports["junit"]!),
            "the JUnit report is where artifacts look")
    }

    @Test func theGitLabShardJobsRunEachShardThenMergeAndGate() async throws {
        let text = try String(contentsOfFile: Self.ci + "/gitlab-template.yml", encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let base = try #require(document[".evalgate"] as? [String: Any])
        let shardJob = try #require(document[".evalgate-shard"] as? [String: Any])
        let mergeJob = try #require(document[".evalgate-merge"] as? [String: Any])
        #expect(shardJob["extends"] as? String == ".evalgate" && mergeJob["extends"] as? String == ".evalgate")
        let total = try #require(shardJob["parallel"] as? Int)
        let before = try #require(base["before_script"] as? [String])
        let variables = try #require(base["variables"] as? [String: String])

        let (folder, bin, endpoint) = try await Self.repository()
        let environment = variables.merging(["PATH": bin + ":/usr/bin:/bin", "EVAL_BASE_URL": endpoint.baseURL]) { $1 }
        for index in 1...total {
            let lines = before + (try #require(shardJob["script"] as? [String]))
            let outcome = try Self.bash(
                "set -eo pipefail\n" + lines.joined(separator: "\n"),
                environment: environment.merging(["CI_NODE_INDEX": "\(index)", "CI_NODE_TOTAL": "\(total)"]) { $1 },
                in: folder)
            #expect(outcome.status == 0, "shard \(index): \(outcome.stderr)")
            #expect(FileManager.default.fileExists(atPath: folder + "/Reports/shards/\(index)/candidate.jsonl"))
        }
        try await endpoint.shutdown()
        let lines = before + (try #require(mergeJob["script"] as? [String]))
        let outcome = try Self.bash(
            "set -eo pipefail\n" + lines.joined(separator: "\n"), environment: environment, in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("candidate: \(total) shards merged"))
        #expect(outcome.stdout.contains("evalgate gate: PASS"))
    }

    @Test func theGitHubMatrixRunsEachShardThenMergesAndGates() async throws {
        let text = try String(contentsOfFile: Self.ci + "/github-shards.yml", encoding: .utf8)
        let workflow = try #require(try Yams.load(yaml: text) as? [String: Any])
        let jobs = try #require(workflow["jobs"] as? [String: [String: Any]])
        let shardJob = try #require(jobs["shard"])
        let mergeJob = try #require(jobs["merge"])
        let matrix = try #require(
            ((shardJob["strategy"] as? [String: Any])?["matrix"] as? [String: Any])?["shard"] as? [Int])
        let shards = try #require((workflow["env"] as? [String: String])?["SHARDS"])
        #expect(
            matrix == Array(1...matrix.count) && shards == "\(matrix.count)", "the matrix lists 1...N and SHARDS is N")

        let (folder, bin, endpoint) = try await Self.repository()
        let files = ["GITHUB_STEP_SUMMARY": folder + "/.GITHUB_STEP_SUMMARY"]
        func runSteps(_ job: [String: Any], matrixShard: Int?) throws -> CLITests.Outcome? {
            var last: CLITests.Outcome?
            for step in job["steps"] as? [[String: Any]] ?? [] {
                guard let script = step["run"] as? String else { continue }
                #expect(!script.contains("${{"), "a run body takes values through env")
                var environment = files.merging(["PATH": bin + ":/usr/bin:/bin", "SHARDS": shards]) { $1 }
                for (key, value) in step["env"] as? [String: String] ?? [:] {
                    environment[key] =
                        value
                        .replacingOccurrences(of: "${{ matrix.shard }}", with: matrixShard.map(String.init) ?? "")
                        .replacingOccurrences(of: "${{ vars.EVAL_BASE_URL }}", with: endpoint.baseURL)
                        .replacingOccurrences(of: "${{ vars.EVALGATE_TARBALL_URL }}", with: "")
                        .replacingOccurrences(of: "${{ secrets.EVAL_API_KEY }}", with: "")
                    #expect(!environment[key]!.contains("${{"), "\(key) is left as \(environment[key]!)")
                }
                last = try Self.bash("set -eo pipefail\n" + script, environment: environment, in: folder)
                #expect(last?.status == 0, "step '\(step["name"] ?? "")': \(last?.stderr ?? "")")
            }
            return last
        }
        for shard in matrix { _ = try runSteps(shardJob, matrixShard: shard) }
        try await endpoint.shutdown()
        let outcome = try runSteps(mergeJob, matrixShard: nil)
        #expect(
            outcome?.stdout.contains("candidate: \(matrix.count) shards merged") == true, "\(outcome?.stdout ?? "")")
        #expect(outcome?.stdout.contains("evalgate gate: PASS") == true)
        #expect(try String(contentsOfFile: files["GITHUB_STEP_SUMMARY"]!, encoding: .utf8).contains("candidate"))
    }
}
