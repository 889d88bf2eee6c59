import Foundation
import ScriptedEndpoint
import Testing

/// The built `evalgate` executable, run as a user runs it: output and exit codes.
@Suite struct CLITests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable sits next to the test bundle in the build products folder.
    static let executable: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("evalgate")
    }()

    /// A copy of the run log at `path` as a second run with the same answers would write it: the same lines under
    /// another run id (a log compared with itself is refused).
    static func rerun(_ path: String) throws -> String {
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false
        ).map(String.init)
        let manifest = try #require(lines.first)
        let range = try #require(manifest.range(of: #""run_id":"[^"]*"#, options: .regularExpression))
        lines[0] = manifest.replacingCharacters(in: range, with: manifest[range] + "-rerun")
        let copy = path.replacingOccurrences(of: ".jsonl", with: "") + "-rerun.jsonl"
        try lines.joined(separator: "\n").write(toFile: copy, atomically: true, encoding: .utf8)
        return copy
    }

    /// - Parameter input: standard input (closed after it is written); none when nil.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], input: String? = nil, executable: URL = executable,
        in directory: String? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes to the end before waiting, so a full pipe never blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    @Test func chatPrintsTheAnswerAndASummary() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let outcome = try Self.run(["chat", "--base-url", endpoint.baseURL, "--model", "support-v1", "Где мой заказ?"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "echo: Где мой заказ?\n")
        #expect(outcome.stderr.contains("model=support-v1"))
        #expect(outcome.stderr.contains("finish=stop"))
        try await endpoint.shutdown()
    }

    @Test func chatJSONCarriesTimingAndUsage() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let outcome = try Self.run(["chat", "--base-url", endpoint.baseURL, "--model", "m", "--stream", "--json", "hi"])
        #expect(outcome.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(json["content"] as? String == "echo: hi")
        #expect(json["streamed"] as? Bool == true)
        #expect(json["ttft_ms"] is Double)
        #expect((json["usage"] as? [String: Any])?["total_tokens"] is Int)
        try await endpoint.shutdown()
    }

    @Test(arguments: [
        ["chat", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--header", "no-equals-sign", "x"],
        ["chat", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--timeout", "-1", "x"],
        ["chat", "--model", "m", "x"],
        ["no-such-command"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let outcome = try Self.run(arguments)
        #expect(outcome.status == 2)
        // The parser's wording, or evalgate's own for a mistyped command (UsageHintTests).
        #expect(outcome.stderr.hasPrefix("Error: ") || outcome.stderr.hasPrefix("evalgate: error: unknown command"))
        #expect(outcome.stdout.isEmpty)
    }

    @Test func missingKeyVariableExitsTwoNamingIt() throws {
        let outcome = try Self.run(
            [
                "chat", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--api-key-env",
                "EVALGATE_TEST_NO_SUCH_KEY", "x",
            ],
            environment: ["EVALGATE_TEST_NO_SUCH_KEY": ""]
        )
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr
                == "evalgate: error: environment variable EVALGATE_TEST_NO_SUCH_KEY (API key) is not set or empty\n")
    }

    @Test func unreachableEndpointExitsThree() throws {
        let outcome = try Self.run([
            "chat", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--max-attempts", "1", "x",
        ])
        #expect(outcome.status == 3)
        #expect(outcome.stderr.hasPrefix("evalgate: error: connect: "))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }

    /// libcurl is loaded when the first client is made, not at start: a command that needs it and cannot load it
    /// says so in one line (exit 3); commands that never connect work without it.
    @Test func libcurlIsLoadedOnlyByCommandsThatConnect() throws {
        let missing = ["EVALGATE_LIBCURL": "/nonexistent/libcurl.so.4"]
        let chat = try Self.run(
            ["chat", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--max-attempts", "1", "x"],
            environment: missing)
        #expect(chat.status == 3)
        #expect(chat.stderr.hasPrefix("evalgate: error: "))
        #expect(chat.stderr.contains("cannot load libcurl (install libcurl4, or set EVALGATE_LIBCURL)"))
        #expect(chat.stderr.contains("/nonexistent/libcurl.so.4"))
        #expect(chat.stderr.split(separator: "\n").count == 1)

        let notLibcurl = try Self.run(
            ["chat", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--max-attempts", "1", "x"],
            environment: ["EVALGATE_LIBCURL": "libc.so.6"])
        #expect(notLibcurl.status == 3)
        #expect(notLibcurl.stderr.contains("the libcurl loaded (libc.so.6) has no curl_global_init"))

        let version = try Self.run(["--version"], environment: missing)
        #expect(version.status == 0)
        #expect(version.stderr.isEmpty)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let suite = root.appendingPathComponent("EvalSets/support-ru-golden").path
        let validate = try Self.run(["validate", suite], environment: missing)
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    /// libcrypto is loaded on the first digest: without it, a command that hashes an eval set stops in one line
    /// (exit 3), and one that hashes nothing still works.
    @Test func libcryptoIsLoadedOnlyByCommandsThatHash() throws {
        let missing = ["EVALGATE_LIBCRYPTO": "/nonexistent/libcrypto.so.3"]
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let suite = root.appendingPathComponent("EvalSets/support-ru-golden").path
        let validate = try Self.run(["validate", suite], environment: missing)
        #expect(validate.status == 3)
        #expect(
            validate.stderr.hasPrefix(
                "evalgate: error: cannot load libcrypto (install libssl3, or set EVALGATE_LIBCRYPTO): "))
        #expect(validate.stderr.contains("/nonexistent/libcrypto.so.3"))
        #expect(validate.stderr.split(separator: "\n").count == 1)

        let notLibcrypto = try Self.run(["validate", suite], environment: ["EVALGATE_LIBCRYPTO": "libc.so.6"])
        #expect(notLibcrypto.status == 3)
        #expect(notLibcrypto.stderr.contains("the libcrypto loaded (libc.so.6) has no EVP_MD_CTX_new"))

        let version = try Self.run(["--version"], environment: missing)
        #expect(version.status == 0)
        #expect(version.stderr.isEmpty)
    }

    @Test func theKeyIsNeverPrinted() async throws {
        let key = "sk-cli-test-0123456789SECRET"
        let body = #"{"error":{"message":"Incorrect API key provided: \#(key)","type":"invalid_request_error"}}"#
        let endpoint = try await ScriptedEndpoint.start(Script(handler: { _ in .status(401, body: body) }))
        let outcome = try Self.run(
            ["chat", "--base-url", endpoint.baseURL, "--model", "m", "--api-key-env", "EVALGATE_TEST_KEY", "x"],
            environment: ["EVALGATE_TEST_KEY": key]
        )
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("http_401"))
        #expect(outcome.stderr.contains("[REDACTED]"))
        #expect(!outcome.stderr.contains(key))
        #expect(!outcome.stdout.contains(key))
        try await endpoint.shutdown()
    }

    @Test func theCurlTraceMasksKeysAndSecretHeaders() async throws {
        let key = "sk-trace-test-0123456789SECRET"
        let endpoint = try await ScriptedEndpoint.start(.echo())
        let outcome = try Self.run(
            [
                "chat", "--base-url", endpoint.baseURL, "--model", "m", "--api-key-env", "EVALGATE_TEST_KEY",
                "--secret-header", "api-key=EVALGATE_TEST_KEY", "x",
            ],
            environment: ["EVALGATE_TEST_KEY": key, "EVALGATE_CURL_VERBOSE": "1"]
        )
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("> POST /v1/chat/completions HTTP/1.1"))
        #expect(outcome.stderr.contains("> Authorization: [masked]"))
        #expect(outcome.stderr.contains("> api-key: [masked]"))
        #expect(outcome.stderr.contains("< HTTP/1.1 200"))
        #expect(!outcome.stderr.contains(key))
        #expect(!outcome.stdout.contains(key))
        try await endpoint.shutdown()
    }
}
