import Foundation
import ScriptedEndpoint
import Synchronization
import Testing

/// The ordinary mistakes that used to end in a PASS nobody earned, each through the built binary: a suite whose
/// checks never reach its cases, a case that checks nothing, answers of other weights (or of another mode) taken from
/// the cache, and params recorded that were not sent.
@Suite struct NoSilentGreenTests {
    /// A temporary folder with one suite `EvalSets/support` (the suite.yaml and cases given).
    struct Workspace {
        let root: String

        init(suiteYAML: String, cases: [String]) throws {
            root =
                FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-green-\(UUID().uuidString)")
                .path
            try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
            try suiteYAML.write(toFile: suite + "/suite.yaml", atomically: true, encoding: .utf8)
            try (cases.joined(separator: "\n") + "\n").write(
                toFile: suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        }

        var suite: String { root + "/EvalSets/support" }
        var cache: String { root + "/cache" }

        /// `evalgate run` of the suite against `baseURL` as model `m`, the response cache in `cache`.
        func run(_ baseURL: String, out: String, _ extra: [String]) throws -> CLITests.Outcome {
            try CLITests.run(
                [
                    "run", suite, "--base-url", baseURL, "--model", "m", "--out", root + "/" + out, "--cache-dir",
                    cache, "--quiet",
                ] + extra
            )
        }

        /// The result lines of a log, as JSON objects, in file order.
        func results(_ out: String, label: String) throws -> [[String: Any]] {
            let text = try String(contentsOfFile: root + "/\(out)/\(label).jsonl", encoding: .utf8)
            return try text.split(separator: "\n").compactMap { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return object?["record"] as? String == "result" ? object : nil
            }
        }

        /// The result lines of one session, by case id (lines are written in the order answers finish).
        func resultsByCase(_ out: String, label: String) throws -> [String: [String: Any]] {
            Dictionary(try results(out, label: label).map { ($0["case"] as? String ?? "", $0) }) { _, later in later }
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    static let checkedYAML = "name: support\nkind: golden\ndefaults:\n  checks: [{type: contains, value: ok}]\n"
    static let twoCases = [#"{"id": "a", "prompt": "first"}"#, #"{"id": "b", "prompt": "second"}"#]

    // MARK: suites

    @Test(arguments: ["checks: [{type: pii}]", "params: {max_tokens: 64}", "tags: [ru]", "system: Отвечай коротко."])
    func aDefaultsKeyAtTheTopOfSuiteYAMLIsAnErrorWithDidYouMean(line: String) async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let key = String(line.prefix { $0 != ":" })
        let space = try Workspace(
            suiteYAML: "name: support\nkind: golden\n\(line)\n",
            cases: [#"{"id": "a", "prompt": "Позвоните мне", "checks": [{"type": "contains", "value": "ok"}]}"#]
        )
        defer { space.remove() }
        let expected =
            "\(space.suite)/suite.yaml:3:1: error: unknown field \"\(key)\" in suite.yaml; did you mean 'defaults.\(key)'?"
        let validate = try CLITests.run(["validate", space.suite])
        #expect(validate.status == 2)
        #expect(validate.stderr.contains(expected), "\(validate.stderr)")
        let run = try space.run(endpoint.baseURL, out: "runs", [])
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(endpoint.requestCount == 0, "nothing was asked of a suite that did not load")
    }

    @Test func aCaseWithoutChecksIsAnErrorAndAnUncheckedOneIsNeverCountedAsPassed() async throws {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let space = try Workspace(suiteYAML: "name: support\nkind: golden\n", cases: [#"{"id": "a", "prompt": "x"}"#])
        defer { space.remove() }
        let run = try space.run(endpoint.baseURL, out: "runs", [])
        #expect(run.status == 2)
        #expect(
            run.stderr.contains(
                "\(space.suite)/cases.jsonl:1:1: error: the case has no checks, so any answer would pass"),
            "\(run.stderr)")
        #expect(endpoint.requestCount == 0)

        // Kept on purpose: run, recorded as unchecked, neither passed nor failed.
        try """
        {"id": "a", "prompt": "x", "checks": [], "unchecked": true}
        {"id": "b", "prompt": "y", "checks": [{"type": "contains", "value": "echo"}]}

        """.write(toFile: space.suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        let kept = try space.run(endpoint.baseURL, out: "runs", [])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("2/2 results — passed 1, failed 0, errors 0, unchecked 1"), "\(kept.stdout)")
        let statuses = try space.resultsByCase("runs", label: "m").mapValues { $0["status"] as? String }
        #expect(statuses == ["a": "unchecked", "b": "passed"])
        let report = try CLITests.run(["report", space.root + "/runs/m.jsonl"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(
            report.stdout.contains("of 1 answered case passed"), "the unchecked answer is not a pass: \(report.stdout)")
        #expect(report.stdout.contains("'m' has 1 unchecked case (answered, judged by no check)"), "\(report.stdout)")
        #expect(!report.stdout.contains("expected results"), "an unchecked answer is not a missing one")
    }

    // MARK: the cache

    @Test func newWeightsUnderTheSameModelNameAreNotAnsweredFromTheCache() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script { _ in .text("ok") })
        defer { Task { try? await endpoint.shutdown() } }
        let space = try Workspace(suiteYAML: Self.checkedYAML, cases: Self.twoCases)
        defer { space.remove() }

        let first = try space.run(endpoint.baseURL, out: "v1", ["--label", "v1", "--revision", "ckpt-100"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("(2 requests, 0 from cache)"), "\(first.stdout)")
        #expect(endpoint.requestCount == 2)

        // The same label and revision again: from the cache, with a loud warning naming them and the way out.
        let again = try space.run(endpoint.baseURL, out: "v1-again", ["--label", "v1", "--revision", "ckpt-100"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("(0 requests, 2 from cache)"))
        #expect(
            again.stderr.contains(
                "evalgate: warning: target 'v1' (model 'm', revision 'ckpt-100'): all 2 answers came from the response cache"
            ), "\(again.stderr)")
        #expect(again.stderr.contains("--refresh"))
        #expect(endpoint.requestCount == 2)

        // A new adapter served under the same model name: another revision, or another label, asks the server.
        let revised = try space.run(endpoint.baseURL, out: "v1-revised", ["--label", "v1", "--revision", "ckpt-200"])
        #expect(revised.status == 0, "\(revised.stderr)")
        #expect(revised.stdout.contains("(2 requests, 0 from cache)"), "\(revised.stdout)")
        #expect(!revised.stderr.contains("warning"), "\(revised.stderr)")
        let relabelled = try space.run(endpoint.baseURL, out: "v2", ["--label", "v2"])
        #expect(relabelled.stdout.contains("(2 requests, 0 from cache)"), "\(relabelled.stdout)")
        #expect(endpoint.requestCount == 6)
        let manifest = try String(contentsOfFile: space.root + "/v1-revised/v1.jsonl", encoding: .utf8).split(
            separator: "\n")[0]
        #expect(manifest.contains(#""revision":"ckpt-200""#))
    }

    @Test func aStreamedRunAfterAPlainOneAsksAgain() async throws {
        let endpoint = try await ScriptedEndpoint.start(Script { _ in .text("ok") })
        defer { Task { try? await endpoint.shutdown() } }
        let space = try Workspace(suiteYAML: Self.checkedYAML, cases: Self.twoCases)
        defer { space.remove() }
        let plain = try space.run(endpoint.baseURL, out: "plain", [])
        #expect(plain.status == 0, "\(plain.stderr)")
        let streamed = try space.run(endpoint.baseURL, out: "streamed", ["--stream"])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stdout.contains("(2 requests, 0 from cache)"), "\(streamed.stdout)")
        #expect(endpoint.requestCount == 4)
        let answers = try space.results("streamed", label: "m").compactMap { $0["response"] as? [String: Any] }
        #expect(answers.count == 2)
        #expect(
            answers.allSatisfy { $0["ttft_ms"] != nil && $0["cached"] as? Bool == false },
            "each streamed answer has its time to first token")
    }

    @Test func refreshAloneAsksEveryCaseAgainAndTheNewLinesReplaceTheOld() async throws {
        let answer = Mutex("sorry")
        let endpoint = try await ScriptedEndpoint.start(Script { _ in .text(answer.withLock { $0 }) })
        defer { Task { try? await endpoint.shutdown() } }
        let space = try Workspace(suiteYAML: Self.checkedYAML, cases: Self.twoCases)
        defer { space.remove() }
        let first = try space.run(endpoint.baseURL, out: "runs", [])
        #expect(first.stdout.contains("passed 0, failed 2"), "\(first.stdout)")

        answer.withLock { $0 = "ok now" }
        let cached = try space.run(endpoint.baseURL, out: "runs", [])
        #expect(cached.stdout.contains("2 already in the log"), "a finished log is not asked again without --refresh")
        #expect(endpoint.requestCount == 2)

        let refreshed = try space.run(endpoint.baseURL, out: "runs", ["--refresh"])
        #expect(refreshed.status == 0, "\(refreshed.stderr)")
        #expect(endpoint.requestCount == 4)
        #expect(
            refreshed.stdout.contains("2/2 results — passed 2, failed 0, errors 0 (2 requests, 0 from cache)"),
            "\(refreshed.stdout)")
        #expect(refreshed.stderr.contains("asking all 2 answers of the log again (--refresh)"))
        let lines = try space.results("runs", label: "m")
        #expect(lines.map { $0["status"] as? String } == ["failed", "failed", "passed", "passed"])
        let report = try CLITests.run(["report", space.root + "/runs/m.jsonl"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("100"), "the report reads the later lines: \(report.stdout)")
    }

    @Test func cachedAnswersOfAnotherServerFingerprintWarnLoudly() async throws {
        let fingerprint = Mutex("fp-old")
        let endpoint = try await ScriptedEndpoint.start(
            Script { _ in
                .completion(ScriptedCompletion(content: "ok", systemFingerprint: fingerprint.withLock { $0 }))
            })
        defer { Task { try? await endpoint.shutdown() } }
        let space = try Workspace(suiteYAML: Self.checkedYAML, cases: Self.twoCases)
        defer { space.remove() }
        let first = try space.run(endpoint.baseURL, out: "one", [])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            try space.results("one", label: "m").allSatisfy {
                ($0["response"] as? [String: Any])?["system_fingerprint"] as? String == "fp-old"
            })

        // New weights behind the same name; one new case goes to the server, the two old ones come from the cache.
        fingerprint.withLock { $0 = "fp-new" }
        try (Self.twoCases + [#"{"id": "c", "prompt": "third"}"#]).joined(separator: "\n")
            .write(toFile: space.suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        let second = try space.run(endpoint.baseURL, out: "two", [])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("(1 requests, 2 from cache)"), "\(second.stdout)")
        #expect(
            second.stderr.contains(
                "evalgate: warning: target 'm' (model 'm', no revision): the server now answers with system_fingerprint 'fp-new', but 2 cached answers were made under 'fp-old'"
            ), "\(second.stderr)")
    }

    // MARK: params

    @Test func aParamOnTheCommandLineIsWhatIsSentAndWhatTheLogRecords() async throws {
        let sent = Mutex<[Int]>([])
        let endpoint = try await ScriptedEndpoint.start(
            Script { request in
                let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
                if let maxTokens = body?["max_tokens"] as? Int { sent.withLock { $0.append(maxTokens) } }
                return .text("ok")
            })
        defer { Task { try? await endpoint.shutdown() } }
        let space = try Workspace(
            suiteYAML: Self.checkedYAML + "  params: {max_tokens: 700, temperature: 0}\n",
            cases: [
                #"{"id": "a", "prompt": "first"}"#, #"{"id": "b", "prompt": "second", "params": {"max_tokens": 900}}"#,
            ]
        )
        defer { space.remove() }
        let run = try space.run(endpoint.baseURL, out: "runs", ["--param", "max_tokens=64", "--no-cache"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(sent.withLock { $0 } == [64, 64], "the target's param wins over the suite's and the case's")
        #expect(
            run.stderr.contains(
                "evalgate: warning: target 'm': its param max_tokens=64 overrides max_tokens=700 of suite 'support' (first in case 'a', \(space.suite)/cases.jsonl:1)"
            ), "\(run.stderr)")
        let recorded = try space.resultsByCase("runs", label: "m").mapValues { $0["params"] as? [String: Any] }
        #expect(recorded.mapValues { $0?["max_tokens"] as? Int } == ["a": 64, "b": 64])
        #expect(
            recorded.mapValues { $0?["temperature"] as? Int } == ["a": 0, "b": 0],
            "the suite's other params are sent, and recorded")

        // Without --param the suite's and the case's values are sent, and recorded.
        let plain = try space.run(endpoint.baseURL, out: "plain", ["--no-cache"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stderr.contains("overrides"))
        #expect(
            try space.resultsByCase("plain", label: "m").mapValues {
                ($0["params"] as? [String: Any])?["max_tokens"] as? Int
            } == ["a": 700, "b": 900])
        #expect(sent.withLock { $0 }.suffix(2).sorted() == [700, 900])
    }
}
