import Foundation
import ScriptedEndpoint
import Testing

/// Faults and bad input found by the fault campaign (issue 15): each is bounded, located and named.
@Suite struct HardeningTests {
    // MARK: permanent 429

    /// A server that answers 429 forever: the target is given up once its budget of 429s in a row is spent, the
    /// case that spent it is an `http_429` error in the log, and the run exits 3 naming the reason.
    @Test func aPermanent429EndsTheRunWithExit3AtTheCountBudget() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script { _ in .fault(.rateLimited(retryAfter: nil, retryAfterMs: "1")) })
        defer { Task { try? await endpoint.shutdown() } }
        let root = try RunCommandTests.suiteFolder(count: 20)
        let outcome = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v1",
            "--out", root + "/runs", "--no-cache", "--max-attempts", "1", "--rate-limit-budget", "6", "--quiet",
        ])
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(
            outcome.stderr.contains("evalgate: error: gave up on target 'v1' rate limited (429) 6 times in a row"),
            "\(outcome.stderr)")
        #expect(outcome.stderr.contains("budget: 6 in a row"))
        #expect(outcome.stdout.contains("[given up]"))
        #expect(outcome.stdout.contains("http_429 ×1"), "\(outcome.stdout)")
        // The budget bounds the requests: 6 in a row, plus those already in flight when the last came back.
        #expect(endpoint.requestCount <= 6 + 16)
        let log = try String(contentsOfFile: root + "/runs/v1.jsonl", encoding: .utf8)
        #expect(log.contains(#""class":"http_429""#))
        #expect(log.contains(#""outcome":"aborted""#))
    }

    /// The time budget ends it too: with `--rate-limit-wait` a millisecond, the second 429 (a millisecond's pause
    /// later) is over budget whatever the count budget says.
    @Test func aPermanent429EndsTheRunWithExit3AtTheTimeBudget() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script { _ in .fault(.rateLimited(retryAfter: nil, retryAfterMs: "1")) })
        defer { Task { try? await endpoint.shutdown() } }
        let root = try RunCommandTests.suiteFolder(count: 20)
        let outcome = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v1",
            "--out", root + "/runs", "--no-cache", "--max-attempts", "1", "--concurrency", "1",
            "--rate-limit-wait", "0.001", "--rate-limit-requeues", "1000", "--quiet",
        ])
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("gave up on target 'v1' rate limited (429)"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("0.001 s)"))
    }

    /// Each case has its own budget: with no requeues allowed every case is an `http_429` error at once.
    @Test func aCaseOverItsRequeueBudgetIsAnHTTP429Error() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script { _ in .fault(.rateLimited(retryAfter: nil, retryAfterMs: "1")) })
        defer { Task { try? await endpoint.shutdown() } }
        let root = try RunCommandTests.suiteFolder(count: 3)
        let outcome = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v1",
            "--out", root + "/runs", "--no-cache", "--max-attempts", "1", "--rate-limit-requeues", "0", "--quiet",
        ])
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("http_429 ×3"), "\(outcome.stdout)")
        let log = try String(contentsOfFile: root + "/runs/v1.jsonl", encoding: .utf8)
        #expect(log.contains("still rate limited after 0 requeues"))
    }

    // MARK: numbers

    @Test(arguments: [
        (["--timeout", "1e19"], "--timeout must be between 0.001 and 86400 seconds, found 1e+19"),
        (["--connect-timeout", "1e19"], "--connect-timeout must be between 0.001 and 86400 seconds"),
        (["--idle-timeout", "1e19"], "--idle-timeout must be between 0.001 and 86400 seconds"),
        (["--timeout", "nan"], "--timeout must be between"),
        (["--timeout", "-1"], "--timeout must be between 0.001 and 86400 seconds, found -1"),
        (["--concurrency", "-5"], "--concurrency must be between 1 and 10000, found -5"),
        (["--target-concurrency", "0"], "--target-concurrency must be between 1 and 10000, found 0"),
        (["--max-attempts", "1000000"], "--max-attempts must be between 1 and 100, found 1000000"),
        (["--repeats", "1000000000000"], "--repeats must be between 1 and 1000000, found 1000000000000"),
        (["--rps", "-0.5"], "--rps must be between 0.001 and 1000000, found -0.5"),
        (["--max-response-bytes", "-1"], "--max-response-bytes must be between 1024 and 1073741824 bytes, found -1"),
        (["--rate-limit-wait", "1e300"], "--rate-limit-wait must be between 0.001 and 86400 seconds"),
        (["--rate-limit-budget", "0"], "--rate-limit-budget must be between 1 and 1000000, found 0"),
    ])
    func numericFlagsOutOfRangeNameTheRange(flag: [String], message: String) throws {
        let root = try RunCommandTests.suiteFolder(count: 1)
        let outcome = try CLITests.run(
            ["run", root + "/EvalSets", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", root + "/runs"]
                + flag
        )
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/runs"), "nothing was created")
    }

    @Test func chatTimeoutsAreBoundedToo() throws {
        let outcome = try CLITests.run([
            "chat", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--timeout", "1e19", "x",
        ])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--timeout must be between 0.001 and 86400 seconds"), "\(outcome.stderr)")
    }

    @Test func configNumbersOutOfRangeAreLocated() throws {
        let root = try RunCommandTests.suiteFolder(count: 1)
        try """
        suites: [EvalSets]
        repeats: 100000000
        targets:
          - {label: v1, model: m, base_url: "http://127.0.0.1:9/v1", timeout: 1e19}
        """.write(toFile: root + "/evalgate.yaml", atomically: true, encoding: .utf8)
        let outcome = try CLITests.run(["run", "--config", root + "/evalgate.yaml"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("evalgate.yaml:2:"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("must be between 1 and 1000000, found 100000000"))
        #expect(outcome.stderr.contains("evalgate.yaml:4:"))
        #expect(outcome.stderr.contains("must be between 0.001 and 86400 seconds, found 1e+19"))
    }

    /// Cases × repeats beyond what a log may hold is refused before the log exists (it would block the folder).
    @Test func tooManyResultsAreRefusedBeforeTheLogIsCreated() throws {
        let root = try RunCommandTests.suiteFolder(count: 20)
        let outcome = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", root + "/runs",
            "--repeats", "1000000",
        ])
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(
            outcome.stderr.contains(
                "20 cases × --repeats 1000000 is more results than one run log may hold (at most 10000000)"),
            "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/runs/m.jsonl"))
    }
}

extension HardeningTests {
    /// `--fresh` while another process writes the log: refused, and the live log is neither renamed nor touched.
    @Test func freshIsRefusedWhileAnotherProcessWritesTheLog() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let root = try RunCommandTests.suiteFolder(count: 2)
        let arguments = [
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v1",
            "--out", root + "/runs", "--no-cache", "--quiet",
        ]
        let first = try CLITests.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let log = root + "/runs/v1.jsonl"
        let before = try String(contentsOfFile: log, encoding: .utf8)
        // A live writer holds the log's lock, as `evalgate run` does while it runs.
        let fd = open(log, O_RDWR | O_APPEND)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let fresh = try CLITests.run(arguments + ["--fresh"])
        close(fd)
        #expect(fresh.status == 3, "\(fresh.stderr)")
        #expect(fresh.stderr.contains("v1.jsonl: another evalgate process is writing this log"), "\(fresh.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/runs")
        #expect(files == ["v1.jsonl"], "nothing moved aside: \(files)")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == before)
        #expect(endpoint.requestCount == 2, "no case was sent again")

        // Once the writer is gone, --fresh starts over and keeps the old log.
        let again = try CLITests.run(arguments + ["--fresh"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/runs").count == 2)
    }
}

// MARK: secrets

extension HardeningTests {
    static let key = "sk-hardening-KEY-0123456789abcdef"
    static let headerSecret = "azure-HEADER-secret-98765"
    static let querySecret = "query-SECRET-value-55555"
    static let secrets = [key, headerSecret, querySecret]
    static let secretEnvironment = [
        "EVALGATE_HT_KEY": key, "EVALGATE_HT_HEADER": headerSecret, "EVALGATE_HT_QUERY": querySecret,
    ]
    static let secretFlags = [
        "--api-key-env", "EVALGATE_HT_KEY", "--secret-header", "api-key=EVALGATE_HT_HEADER", "--secret-query",
        "key=EVALGATE_HT_QUERY",
    ]

    /// Everything a request carried that could be a secret, echoed back by the server in its answer.
    static func echoSecrets(_ request: ScriptedRequest) -> String {
        let headers = request.headers.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        return "ok; I saw \(headers) and query \(request.query ?? "")"
    }

    /// A server that echoes the key and the secret header and query values: the run log and the cache keep none
    /// of them, and both are readable by their owner only.
    @Test func echoedSecretsAreRedactedInLogsAndCacheWhichAreOwnerOnly() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script { .text(Self.echoSecrets($0)) })
        defer { Task { try? await endpoint.shutdown() } }
        let root = try RunCommandTests.suiteFolder(count: 2)
        let outcome = try CLITests.run(
            [
                "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v1",
                "--out", root + "/runs", "--cache-dir", root + "/cache", "--quiet",
            ] + Self.secretFlags,
            environment: Self.secretEnvironment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let log = try String(contentsOfFile: root + "/runs/v1.jsonl", encoding: .utf8)
        #expect(log.contains("[REDACTED]"), "the answer was stored, redacted")
        let cacheFiles = try FileManager.default.contentsOfDirectory(atPath: root + "/cache")
        #expect(cacheFiles == ["responses.v3.jsonl"])
        let cache = try String(contentsOfFile: root + "/cache/responses.v3.jsonl", encoding: .utf8)
        #expect(cache.split(separator: "\n").count == 2, "one record per answer")
        for text in [log, outcome.stdout, outcome.stderr, cache] {
            for secret in Self.secrets { #expect(!text.contains(secret), "a secret was written") }
        }
        #expect(try Self.permissions(root + "/runs/v1.jsonl") == 0o600)
        #expect(try Self.permissions(root + "/cache/responses.v3.jsonl") == 0o600)

        // --shared-logs asks for a log everyone may read.
        let shared = try CLITests.run(
            [
                "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v2",
                "--out", root + "/runs", "--no-cache", "--shared-logs", "--quiet",
            ] + Self.secretFlags,
            environment: Self.secretEnvironment)
        #expect(shared.status == 0, "\(shared.stderr)")
        #expect(try Self.permissions(root + "/runs/v2.jsonl") == 0o644)
    }

    /// A secret query value never reaches the curl trace or an error message.
    @Test func secretQueryValuesAreMaskedInTheTraceAndRedactedInErrors() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                .openAIError(
                    status: 401, message: "Incorrect API key: \(request.query ?? "")", type: "invalid_request_error")
            })
        defer { Task { try? await endpoint.shutdown() } }
        let outcome = try CLITests.run(
            ["chat", "--base-url", endpoint.baseURL, "--model", "m", "--query", "api-version=2024-10-21", "x"]
                + Self.secretFlags,
            environment: Self.secretEnvironment.merging(["EVALGATE_CURL_VERBOSE": "1"]) { $1 })
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("?api-version=[masked]&key=[masked] HTTP/1.1"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("http_401"))
        for secret in Self.secrets {
            #expect(!outcome.stderr.contains(secret))
            #expect(!outcome.stdout.contains(secret))
        }
    }

    /// `--api-key-env` given the key itself: refused without printing it.
    @Test func aKeyGivenAsTheVariableNameIsNotPrinted() throws {
        let root = try RunCommandTests.suiteFolder(count: 1)
        for arguments in [
            [
                "run", root + "/EvalSets", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out",
                root + "/runs", "--api-key-env", Self.key,
            ],
            ["chat", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--api-key-env", Self.key, "x"],
            [
                "chat", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--secret-header", "api-key=\(Self.key)",
                "x",
            ],
        ] {
            let outcome = try CLITests.run(arguments)
            #expect(outcome.status == 2, "\(outcome.stderr)")
            #expect(outcome.stderr.contains("expected the name of an environment variable"), "\(outcome.stderr)")
            #expect(!outcome.stderr.contains(Self.key))
            #expect(!outcome.stdout.contains(Self.key))
        }
    }

    static func permissions(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

extension HardeningTests {
    /// A server that asks to wait longer than the budget has left: given up at once, not after the pause.
    @Test func aRetryAfterBeyondTheBudgetGivesUpAtOnce() async throws {
        let endpoint = try await ScriptedEndpoint.start(
            Script { _ in .fault(.rateLimited(retryAfter: "100", retryAfterMs: nil)) })
        defer { Task { try? await endpoint.shutdown() } }
        let root = try RunCommandTests.suiteFolder(count: 20)
        let outcome = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v1",
            "--out", root + "/runs", "--no-cache", "--max-attempts", "1", "--rate-limit-wait", "60", "--quiet",
        ])
        #expect(outcome.status == 3, "\(outcome.stderr)")
        #expect(
            outcome.stderr.contains("the server asking to wait 100 s more (budget: 100 in a row, 60 s)"),
            "\(outcome.stderr)")
    }
}

extension HardeningTests {
    /// A bad URL names the flag it came from.
    @Test func aBadBaseURLNamesTheFlag() throws {
        let root = try RunCommandTests.suiteFolder(count: 1)
        let run = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", "ftp://x/v1", "--model", "m", "--out", root + "/runs",
        ])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--base-url: base URL must be an http:// or https:// URL"), "\(run.stderr)")
        try "targets:\n  - {label: v1, model: m, base_url: 'ftp://x/v1'}\n".write(
            toFile: root + "/evalgate.yaml", atomically: true, encoding: .utf8)
        let config = try CLITests.run(["run", root + "/EvalSets", "--config", root + "/evalgate.yaml"])
        #expect(config.status == 2)
        #expect(config.stderr.contains("evalgate.yaml:2:"), "\(config.stderr)")
        #expect(config.stderr.contains("base URL must be an http:// or https:// URL"))
        let chat = try CLITests.run(["chat", "--base-url", "http://", "--model", "m", "x"])
        #expect(chat.status == 2)
        #expect(chat.stderr.contains("--base-url: base URL must be"), "\(chat.stderr)")
    }
}

extension HardeningTests {
    /// `chat` prints the answer: echoed secrets are redacted there too, in text and JSON output.
    @Test(arguments: [false, true])
    func chatRedactsEchoedSecrets(json: Bool) async throws {
        let endpoint = try await ScriptedEndpoint.start(Script { .text(Self.echoSecrets($0)) })
        defer { Task { try? await endpoint.shutdown() } }
        let outcome = try CLITests.run(
            ["chat", "--base-url", endpoint.baseURL, "--model", "m", "x"] + Self.secretFlags + (json ? ["--json"] : []),
            environment: Self.secretEnvironment)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("[REDACTED]"))
        for secret in Self.secrets {
            #expect(!outcome.stdout.contains(secret))
            #expect(!outcome.stderr.contains(secret))
        }
    }
}
