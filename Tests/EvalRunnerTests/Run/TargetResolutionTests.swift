import EvalCore
import Foundation
import Testing
import Transport

@testable import EvalRunner

@Suite("Target resolution: flags over evalgate.yaml over the defaults")
struct TargetResolutionTests {
    static let config = """
        out: ci/runs
        concurrency: 8
        repeats: 3
        seed: 42
        max_error_rate: 0.05
        rate_limit_requeues: 2
        rate_limit_budget: 20
        rate_limit_wait: 30
        cache_dir: ci/cache
        defaults:
          base_url: http://localhost:8000/v1
          params: {temperature: 0}
          timeout: 30
        targets:
          - label: v1
            model: lora-v1
            params: {max_tokens: 256}
          - label: v2
            model: lora-v2
            revision: ckpt-300
            base_url: http://gpu:8000/v1
            headers: {X-Team: support}
        judges:
          - label: grader
            model: judge-model
        """

    static func file(_ text: String = config) throws -> RunConfig {
        let (config, diagnostics) = RunConfig.parse(text, path: "evalgate.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(config)
    }

    static func badInput(_ body: () throws(RunError) -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            #expect(error.kind == .badInput)
            return error.message
        }
    }

    @Test func configTargetsGetTheDefaultsUnderThemAndTheFlagsOnTop() throws {
        var request = RunRequest()
        request.target.params = ["temperature": .double(0.7)]
        request.target.timeout = 5
        request.target.headers = ["X-Run": "ci"]
        let targets = try request.targets(in: Self.file())
        #expect(targets.map(\.label) == ["v1", "v2"])
        #expect(targets[0].endpoint.baseURL == "http://localhost:8000/v1")
        #expect(targets[0].params == ["temperature": .double(0.7), "max_tokens": .int(256)])
        #expect(targets[1].endpoint.baseURL == "http://gpu:8000/v1")
        #expect(targets[1].endpoint.headers == ["X-Team": "support", "X-Run": "ci"])
        #expect(targets[1].revision == "ckpt-300", "a config target keeps its own identity")
        #expect(targets.allSatisfy { $0.endpoint.timeouts.total == .seconds(5) }, "the flag wins over the defaults")
        #expect(targets.allSatisfy { $0.endpoint.timeouts.connect == .seconds(10) }, "the built-in default")
        #expect(targets.allSatisfy { $0.endpoint.timeouts.idle == .seconds(120) })
    }

    /// One field at each level: the built-in default, the config's `defaults:`, the config target's own value and
    /// the flag. Each level wins over the ones before it, field by field (maps key by key).
    @Test func eachLevelWinsOverTheOneBelowFieldByField() throws {
        let file = try Self.file(
            """
            defaults:
              base_url: http://defaults:8000/v1
              api_key_env: DEFAULTS_KEY
              timeout: 30
              connect_timeout: 20
              params: {temperature: 0, top_p: 0.5}
            targets:
              - label: v1
                model: m
                api_key_env: TARGET_KEY
                timeout: 40
                params: {top_p: 0.9, max_tokens: 64}
            """)
        let config = try RunRequest().targets(in: file)[0]
        #expect(config.endpoint.baseURL == "http://defaults:8000/v1", "defaults: under the target")
        #expect(config.endpoint.apiKeyEnvironmentVariable == "TARGET_KEY", "the target over defaults:")
        #expect(config.endpoint.timeouts.total == .seconds(40), "the target over defaults:")
        #expect(config.endpoint.timeouts.connect == .seconds(20), "defaults: over the built-in 10")
        #expect(config.endpoint.timeouts.idle == .seconds(120), "the built-in default")
        #expect(config.params == ["temperature": .int(0), "top_p": .double(0.9), "max_tokens": .int(64)])

        var request = RunRequest()
        request.target.apiKeyEnv = "FLAG_KEY"
        request.target.timeout = 5
        request.target.params = ["top_p": .int(1)]
        let flags = try request.targets(in: file)[0]
        #expect(flags.endpoint.apiKeyEnvironmentVariable == "FLAG_KEY", "the flag over the target and defaults:")
        #expect(flags.endpoint.timeouts.total == .seconds(5))
        #expect(flags.endpoint.timeouts.connect == .seconds(20), "a flag not given leaves the file's value")
        #expect(flags.params == ["temperature": .int(0), "top_p": .int(1), "max_tokens": .int(64)])
    }

    /// The API key is named, never read, here: a target holds the variable's name, the value stays in the
    /// environment until a request is sent.
    @Test func aTargetNamesItsKeyVariableAndHoldsNoValue() throws {
        var request = RunRequest()
        request.target.model = "m"
        request.target.baseURL = "http://127.0.0.1:9/v1"
        request.target.apiKeyEnv = "EVALGATE_TEST_KEY_THAT_IS_NOT_SET"
        let target = try #require(try request.targets(in: nil).first)
        #expect(target.endpoint.apiKeyEnvironmentVariable == "EVALGATE_TEST_KEY_THAT_IS_NOT_SET")
        #expect(target.endpoint.headers.isEmpty)
    }

    /// Without --model the flags' identity (label, revision) is not stamped on every config target.
    @Test func configTargetsKeepTheirIdentityUnderTheFlags() throws {
        var request = RunRequest()
        request.target.label = "flag-label"
        request.target.revision = "flag-revision"
        let targets = try request.targets(in: Self.file())
        #expect(targets.map(\.label) == ["v1", "v2"])
        #expect(targets.map(\.revision) == [nil, "ckpt-300"])
    }

    @Test func aModelFlagIsOneTargetOnTopOfTheConfigTargetOfItsLabel() throws {
        var request = RunRequest()
        request.target.model = "lora-v2-hotfix"
        request.target.label = "v2"
        let targets = try request.targets(in: Self.file())
        #expect(targets.count == 1)
        #expect(targets[0].label == "v2")
        #expect(targets[0].model == "lora-v2-hotfix")
        #expect(targets[0].endpoint.baseURL == "http://gpu:8000/v1", "the config target's base URL")
        #expect(targets[0].endpoint.timeouts.total == .seconds(30), "the config's defaults")

        var unlabelled = RunRequest()
        unlabelled.target.model = "m"
        unlabelled.target.baseURL = "http://127.0.0.1:9/v1"
        let alone = try unlabelled.targets(in: nil)
        #expect(alone.map(\.label) == ["m"], "the label defaults to the model name")
        #expect(alone[0].endpoint.timeouts.total == .seconds(600))
        #expect(alone[0].stream == false)
    }

    @Test func selectedTargetsNarrowTheConfigAndAnUnknownOneIsNamed() throws {
        var request = RunRequest()
        request.selectedTargets = ["v2"]
        #expect(try request.targets(in: Self.file()).map(\.label) == ["v2"])
        request.selectedTargets = ["v3"]
        let file = try Self.file()
        let message = Self.badInput { () throws(RunError) in _ = try request.targets(in: file) }
        #expect(message == "evalgate.yaml: no target labelled 'v3'; did you mean 'v1'?")
    }

    @Test func anUnknownTargetFarFromEveryLabelHasNoSuggestion() throws {
        var request = RunRequest()
        request.selectedTargets = ["v1", "production-candidate"]
        let file = try Self.file()
        let message = Self.badInput { () throws(RunError) in _ = try request.targets(in: file) }
        #expect(message == "evalgate.yaml: no target labelled 'production-candidate'")
    }

    @Test func aConfigWithoutTargetsAndNoModelIsBadInput() throws {
        let file = try Self.file("defaults:\n  base_url: http://localhost:8000/v1\n")
        let message = Self.badInput { () throws(RunError) in _ = try RunRequest().targets(in: file) }
        #expect(message?.hasPrefix("no target: give --model and --base-url") == true)
    }

    @Test func noTargetAtAllIsBadInput() throws {
        let message = Self.badInput { () throws(RunError) in _ = try RunRequest().targets(in: nil) }
        #expect(message?.hasPrefix("no target: give --model and --base-url") == true)
    }

    @Test func aMissingOrBadBaseURLNamesWhereItCameFrom() throws {
        var request = RunRequest()
        request.target.model = "m"
        let missing = Self.badInput { () throws(RunError) in _ = try request.targets(in: nil) }
        #expect(missing == "target 'm' has no base URL: give --base-url or base_url in the config file")
        request.target.baseURL = "localhost:8000"
        let flag = Self.badInput { () throws(RunError) in _ = try request.targets(in: nil) }
        #expect(flag?.hasPrefix("target 'm': --base-url: base URL must be an http:// or https:// URL") == true)
        // A config's base_url is checked when the file is read; a judge's fields may still hold a bad one here.
        var fields = RunConfig.TargetFields()
        fields.label = "grader"
        fields.baseURL = "ftp://x"
        let config = Self.badInput { () throws(RunError) in
            _ = try RunTargetSpec(resolving: fields, maxResponseBytes: 1 << 20, urlSource: "base_url")
        }
        #expect(config?.hasPrefix("target 'grader': base_url: base URL must be") == true)
    }

    @Test func judgesOfTheFileAndOfTheFlags() throws {
        var request = RunRequest()
        #expect(try request.judges(in: Self.file()).map(\.label) == ["grader"])
        #expect(
            try request.judges(in: Self.file()).first?.endpoint.baseURL == "http://localhost:8000/v1",
            "the config's defaults are under each judge")
        request.judge = JudgeRequest(model: "other-judge", label: "grader", apiKeyEnv: "JUDGE_KEY")
        let replaced = try request.judges(in: Self.file())
        #expect(replaced.map(\.model) == ["other-judge"], "a flag judge replaces the config judge of its label")
        #expect(replaced.first?.endpoint.apiKeyEnvironmentVariable == "JUDGE_KEY")
        // Without a config, the flag judge is asked at the flag target's base URL.
        var alone = RunRequest()
        alone.target.baseURL = "http://127.0.0.1:7/v1"
        alone.judge = JudgeRequest(model: "j")
        let judges = try alone.judges(in: nil)
        #expect(judges.map(\.label) == ["j"])
        #expect(judges.first?.endpoint.baseURL == "http://127.0.0.1:7/v1")
    }

    @Test func settingsTakeTheFlagThenTheFileThenTheDefault() throws {
        let file = try Self.file()
        let fromFile = try RunRequest().settings(in: file, toolVersion: "t")
        #expect(fromFile.outDirectory == "ci/runs")
        #expect(fromFile.repeats == 3)
        #expect(fromFile.seed == 42)
        #expect(fromFile.concurrency == 8)
        #expect(fromFile.maxErrorRate == 0.05)
        #expect(fromFile.maxRateLimitRequeues == 2)
        #expect(fromFile.rateLimitBudget == 20)
        #expect(fromFile.rateLimitWait == .seconds(30))
        #expect(fromFile.cache?.directory == "ci/cache")
        #expect(fromFile.existingLog == .resumeOrCreate)

        var request = RunRequest()
        request.repeats = 5
        request.seed = 7
        request.concurrency = 2
        request.maxErrorRate = 0.5
        request.rateLimitWait = 1.5
        request.cacheDirectory = "elsewhere"
        request.resume = true
        let flags = try request.settings(in: file, toolVersion: "t")
        #expect(flags.repeats == 5)
        #expect(flags.seed == 7)
        #expect(flags.concurrency == 2)
        #expect(flags.maxErrorRate == 0.5)
        #expect(flags.rateLimitWait == .milliseconds(1500))
        #expect(flags.cache?.directory == "elsewhere")
        #expect(flags.existingLog == .resumeOnly)

        let defaults = try RunRequest().settings(in: nil, toolVersion: "t")
        #expect(defaults.outDirectory == "Reports/runs")
        #expect(defaults.repeats == 1)
        #expect(defaults.seed == nil)
        #expect(defaults.concurrency == 16)
        #expect(defaults.maxErrorRate == 0.1)
        #expect(defaults.maxRateLimitRequeues == 5)
        #expect(defaults.rateLimitBudget == 100)
        #expect(defaults.rateLimitWait == .seconds(900))
        #expect(defaults.cache?.directory == ".evalgate/cache")
        #expect(defaults.cache?.mode == .use)
    }

    @Test func subsetsAndShardsAreLoggedApartUnlessOutIsGiven() throws {
        var request = RunRequest()
        request.isSubset = true
        request.shard = try RunShard.parse("2/4").get()
        #expect(request.outDirectory(in: nil) == "Reports/runs/subset/shard-2-of-4")
        #expect(request.outDirectory(in: try Self.file()) == "ci/runs/subset/shard-2-of-4")
        request.out = "mine"
        #expect(request.outDirectory(in: nil) == "mine", "an explicit --out is taken as given")
    }

    @Test func anOutThatIsAFileIsBadInput() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)").path
        try "x".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var request = RunRequest()
        request.out = path
        let message = Self.badInput { () throws(RunError) in _ = try request.settings(in: nil, toolVersion: "t") }
        #expect(
            message == "--out: '\(path)' is a file; expected a folder for the run logs (one <label>.jsonl per target)")
    }

    @Test func theCacheFollowsTheFlagsOverTheFile() throws {
        let off = try Self.file("cache: false\n")
        #expect(ResponseCache.resolved(noCache: false, refresh: false, directory: nil, in: off) == nil)
        #expect(
            ResponseCache.resolved(noCache: false, refresh: true, directory: nil, in: off)?.mode == .refresh,
            "--refresh asks again and stores even where the file says cache: false")
        #expect(ResponseCache.resolved(noCache: true, refresh: false, directory: "d", in: nil) == nil)
        #expect(ResponseCache.resolved(noCache: false, refresh: false, directory: "d", in: nil)?.directory == "d")
    }
}

@Suite("The run's summary text")
struct RunOutcomeTextTests {
    static func target(_ label: String, results: Int = 10, errors: Int = 0, aborted: Bool = false)
        -> RunOutcome.Target
    {
        RunOutcome.Target(
            label: label, logPath: "runs/\(label).jsonl", outcome: aborted ? .aborted : .complete, results: results,
            resumed: 2, expected: 10, passed: results - errors, failed: 0, errors: errors, unchecked: 0,
            requests: 8, cacheHits: 1, errorClasses: errors > 0 ? ["http_500": errors, "timeout": 1] : [:],
            abortReason: aborted ? "after 25 errors in a row" : nil)
    }

    @Test func aTargetsLinesSayItsCountsAndErrorClasses() {
        #expect(
            Self.target("v1").summaryLines == [
                "v1: 10/10 results — passed 10, failed 0, errors 0 (8 requests, 1 from cache, 2 already in the log) → runs/v1.jsonl"
            ])
        let failing = Self.target("v2", errors: 3, aborted: true).summaryLines
        #expect(failing.count == 2)
        #expect(failing[0].hasSuffix("→ runs/v2.jsonl  [given up]"))
        #expect(failing[1] == "  errors this session: http_500 ×3, timeout ×1")
    }

    @Test func nextStepsNameTheLogs() throws {
        let one = RunOutcome(targets: [Self.target("v1")], interrupted: false, notes: [])
        #expect(
            one.nextStep(shard: nil)
                == "next: evalgate report runs/v1.jsonl   ·   evalgate diff BASELINE.jsonl runs/v1.jsonl")
        let two = RunOutcome(targets: [Self.target("v1"), Self.target("v2")], interrupted: false, notes: [])
        #expect(two.nextStep(shard: nil)?.hasPrefix("next: evalgate diff runs/v1.jsonl runs/v2.jsonl") == true)
        #expect(two.nextStep(shard: try RunShard.parse("1/3").get())?.contains("once all 3 shards have run") == true)
        #expect(RunOutcome(targets: [], interrupted: false, notes: []).nextStep(shard: nil) == nil)
    }

    @Test func givenUpTargetsFailFirstThenErrorRates() {
        let fine = RunOutcome(targets: [Self.target("v1", errors: 1)], interrupted: false, notes: [])
        #expect(fine.failure(maxErrorRate: 0.1) == nil, "10% is not above 10%")
        let rates = RunOutcome(
            targets: [Self.target("v1", errors: 2), Self.target("v2")], interrupted: false, notes: [])
        #expect(
            rates.failure(maxErrorRate: 0.1)
                == .infrastructure(
                    "endpoint errors above the limit of 10.0%: v1 20.0%; the logs record each error with its class"))
        let givenUp = RunOutcome(
            targets: [Self.target("v1", errors: 5), Self.target("v2", aborted: true)], interrupted: false, notes: [])
        #expect(givenUp.failure(maxErrorRate: 0.1)?.message.hasPrefix("gave up on target 'v2' after 25 errors") == true)
    }
}
