import Foundation
import ScriptedEndpoint
import Synchronization
import Testing

/// `evalgate run` and `evalgate rescore` as a user runs them.
@Suite struct RunCommandTests {
    /// A one-suite folder with `count` cases checked for "ok".
    static func suiteFolder(count: Int = 6) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-runcli-\(UUID().uuidString)")
            .path
        let suite = root + "/EvalSets/golden"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        try "name: golden\nkind: golden\ndescription: test\n".write(
            toFile: suite + "/suite.yaml", atomically: true, encoding: .utf8)
        let lines = (0..<count).map {
            #"{"id":"c\#($0)","prompt":"question \#($0)","checks":[{"type":"contains","value":"ok"}]}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        return root
    }

    @Test func runWritesOneLogPerTargetFromAConfigFile() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "good": { _ in .text("ok, done") },
                "bad": { _ in .text("sorry") },
            ]))
        defer { Task { try? await endpoint.shutdown() } }
        let root = try Self.suiteFolder()
        let config = """
            suites: [EvalSets]
            out: runs
            cache: false
            defaults:
              base_url: \(endpoint.baseURL)
            targets:
              - {label: v1.2, model: good}
              - {label: v1.3, model: bad}
            """
        try config.write(toFile: root + "/evalgate.yaml", atomically: true, encoding: .utf8)
        let outcome = try CLITests.run(["run", "--config", root + "/evalgate.yaml", "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("v1.2: 6/6 results — passed 6, failed 0, errors 0"))
        #expect(outcome.stdout.contains("v1.3: 6/6 results — passed 0, failed 6, errors 0"))
        #expect(FileManager.default.fileExists(atPath: root + "/runs/v1.2.jsonl"))
        #expect(FileManager.default.fileExists(atPath: root + "/runs/v1.3.jsonl"))
        #expect(endpoint.requestCount == 12)

        // --target picks one; the flag --model replaces the config's targets; a typo gets a suggestion.
        let typo = try CLITests.run(["run", "--config", root + "/evalgate.yaml", "--target", "v1.4", "--quiet"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("no target labelled 'v1.4'; did you mean"))
    }

    /// Flags win over the file: `--refresh` asks again and stores the answers even when the file says `cache: false`.
    @Test func refreshFlagWinsOverCacheFalseInTheConfig() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let root = try Self.suiteFolder(count: 2)
        try """
        suites: [EvalSets]
        out: runs
        cache: false
        targets:
          - {label: v1, model: m, base_url: \(endpoint.baseURL)}
        """.write(toFile: root + "/evalgate.yaml", atomically: true, encoding: .utf8)
        let cache = root + "/cache"
        let outcome = try CLITests.run([
            "run", "--config", root + "/evalgate.yaml", "--refresh", "--cache-dir", cache, "--quiet",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let records =
            (try? String(contentsOfFile: cache + "/responses.v3.jsonl", encoding: .utf8))?.split(separator: "\n") ?? []
        #expect(records.count == 2, "--refresh stored the answers: \(records)")
    }

    @Test func runWithFlagsAndAnEndpointThatFailsExits3() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script { _ in .fault(.serverError(status: 502)) })
        defer { Task { try? await endpoint.shutdown() } }
        let root = try Self.suiteFolder()
        let outcome = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v2",
            "--out", root + "/runs", "--no-cache", "--max-attempts", "1", "--quiet",
        ])
        #expect(outcome.status == 3)
        #expect(outcome.stdout.contains("errors 6"))
        #expect(outcome.stdout.contains("http_502 ×6"))
        #expect(outcome.stderr.contains("endpoint errors above the limit"))
    }

    @Test func badInputExits2WithOneLine() throws {
        let root = try Self.suiteFolder()
        let missingKey = try CLITests.run(
            [
                "run", root + "/EvalSets", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--api-key-env",
                "EVALGATE_TEST_UNSET_KEY",
            ],
            environment: ["EVALGATE_TEST_UNSET_KEY": ""]
        )
        #expect(missingKey.status == 2)
        #expect(missingKey.stderr.contains("EVALGATE_TEST_UNSET_KEY"))
        try "".write(toFile: root + "/empty.yaml", atomically: true, encoding: .utf8)
        let noTarget = try CLITests.run(["run", root + "/EvalSets", "--config", root + "/empty.yaml"])
        #expect(noTarget.status == 2)
        #expect(noTarget.stderr.contains("no target"))
        let badParam = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--param", "temperature",
        ])
        #expect(badParam.status == 2)
        #expect(badParam.stderr.contains("--param expects NAME=VALUE"))
        let labelAlone = try CLITests.run(["run", root + "/EvalSets", "--label", "v9"])
        #expect(labelAlone.status == 2)
        #expect(labelAlone.stderr.contains("--label names the target given by --model"))
        let revisionAlone = try CLITests.run(["run", root + "/EvalSets", "--revision", "ckpt-300"])
        #expect(revisionAlone.status == 2)
        #expect(revisionAlone.stderr.contains("--revision names the weights of the target given by --model"))
        let both = try CLITests.run([
            "run", root + "/EvalSets", "--model", "m", "--target", "v1", "--base-url", "http://127.0.0.1:9/v1",
        ])
        #expect(both.status == 2)
        #expect(both.stderr.contains("use one or the other"))
        let badConfig = root + "/bad.yaml"
        try "targets:\n  - {label: a, modle: m}\n".write(toFile: badConfig, atomically: true, encoding: .utf8)
        let config = try CLITests.run(["run", root + "/EvalSets", "--config", badConfig])
        #expect(config.status == 2)
        #expect(config.stderr.contains("bad.yaml:2:"))
        #expect(config.stderr.contains("did you mean 'model'"))
        #expect(!config.stderr.contains("Stack"), "no stack traces")
        // --out naming a file is a mistake in the command (exit 2), not a failure of the machine (3); nothing is written.
        try "keep me\n".write(toFile: root + "/afile", atomically: true, encoding: .utf8)
        let outIsFile = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", root + "/afile",
        ])
        #expect(outIsFile.status == 2, "\(outIsFile.stderr)")
        #expect(outIsFile.stderr.contains("--out: '\(root)/afile' is a file; expected a folder"))
        #expect(try String(contentsOfFile: root + "/afile", encoding: .utf8) == "keep me\n")
    }

    @Test func helpDocumentsEveryFlag() throws {
        let help = try CLITests.run(["run", "--help"])
        #expect(help.status == 0)
        for flag in [
            "--config", "--target", "--base-url", "--model", "--label", "--api-key-env", "--header", "--secret-header",
            "--query", "--param", "--stream", "--concurrency", "--target-concurrency", "--rps", "--tpm", "--repeats",
            "--seed", "--out", "--cache-dir", "--no-cache", "--refresh", "--revision", "--resume", "--fresh",
            "--retry-errors", "--max-error-rate",
            "--timeout", "--connect-timeout", "--idle-timeout", "--max-attempts", "--ca-file", "--insecure", "--quiet",
            "--rate-limit-requeues", "--rate-limit-budget", "--rate-limit-wait",
        ] {
            #expect(help.stdout.contains(flag), "\(flag) is not in --help")
        }
    }

    /// SIGINT mid-run: exit 130 with a hint; the same command again finishes the log with no duplicates.
    @Test func interruptExits130AndTheSameCommandResumes() async throws {
        let served = Atomic<Int>(0)
        let stalling = try await ScriptedEndpoint.start(
            Script { _ in
                served.add(1, ordering: .relaxed).oldValue < 4 ? .text("ok") : .fault(.stall)
            })
        let root = try Self.suiteFolder(count: 12)
        let arguments = [
            "run", root + "/EvalSets", "--base-url", stalling.baseURL, "--model", "m", "--label", "v1",
            "--out", root + "/runs", "--no-cache", "--concurrency", "2",
        ]
        let process = Process()
        process.executableURL = CLITests.executable
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        await stalling.waitForRequests(6)
        kill(process.processIdentifier, SIGINT)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("Run the same command again"))
        let port = stalling.port
        try await stalling.shutdown()

        let healthy = try await ScriptedEndpoint.start(.echo(), port: port)
        defer { Task { try? await healthy.shutdown() } }
        let resumed = try CLITests.run(arguments + ["--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("12/12 results"))
        #expect(resumed.stdout.contains("4 already in the log"))
        #expect(healthy.requestCount == 8)
        let log = try String(contentsOfFile: root + "/runs/v1.jsonl", encoding: .utf8)
        let ids = log.split(separator: "\n").filter { $0.contains(#""record":"result""#) }
        #expect(ids.count == 12)
    }

    @Test func rescoreWritesANewLog() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let root = try Self.suiteFolder(count: 3)
        let run = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v1",
            "--out", root + "/runs", "--no-cache", "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rescore = try CLITests.run(["rescore", root + "/runs/v1.jsonl"])
        #expect(rescore.status == 0, "\(rescore.stderr)")
        #expect(rescore.stdout.contains("rescored 3 answers"))
        #expect(FileManager.default.fileExists(atPath: root + "/runs/v1.rescored.jsonl"))
        #expect(endpoint.requestCount == 3)
        let missing = try CLITests.run(["rescore", root + "/runs/none.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("evalgate: error: \(root)/runs/none.jsonl: cannot open run log"))
    }
}
