import EvalCore
import EvalRunner
import Testing

@Suite("evalgate.yaml: targets and settings with located errors")
struct RunConfigTests {
    @Test("a full file is read, relative paths resolved against its folder")
    func reads() throws {
        let text = """
            suites: [EvalSets/support-ru-golden, /abs/base]
            out: Reports/runs
            concurrency: 8
            repeats: 3
            seed: 42
            max_error_rate: 0.05
            rate_limit_requeues: 0
            rate_limit_budget: 20
            rate_limit_wait: 30.5
            cache: false
            defaults:
              base_url: http://localhost:8000/v1
              params: {temperature: 0}
            targets:
              - label: v1.2
                model: support-lora-v1.2
              - label: v1.3
                model: support-lora-v1.3
                revision: adapters/v1.3@ckpt-300
                api_key_env: VLLM_KEY
                headers: {X-Team: support}
                secret_headers: {api-key: AZURE_KEY}
                query: {api-version: 2024-10-21}
                params: {max_tokens: 512}
                stream: true
                concurrency: 4
                rps: 2.5
                tpm: 100000
                timeout: 30
            """
        let (config, diagnostics) = RunConfig.parse(text, path: "ci/evalgate.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let file = try #require(config)
        #expect(file.suites == ["ci/EvalSets/support-ru-golden", "/abs/base"])
        #expect(file.out == "ci/Reports/runs")
        #expect(file.concurrency == 8)
        #expect(file.repeats == 3)
        #expect(file.seed == 42)
        #expect(file.maxErrorRate == 0.05)
        #expect(file.rateLimitRequeues == 0)
        #expect(file.rateLimitBudget == 20)
        #expect(file.rateLimitWait == 30.5)
        #expect(file.cache == false)
        #expect(file.targets.count == 2)
        let v13 = file.defaults.overlaid(by: file.targets[1])
        #expect(v13.baseURL == "http://localhost:8000/v1")
        #expect(v13.params == ["temperature": 0, "max_tokens": 512])
        #expect(v13.secretHeaders == ["api-key": "AZURE_KEY"])
        #expect(v13.query == ["api-version": "2024-10-21"])
        #expect(v13.stream == true)
        #expect(v13.requestsPerSecond == 2.5)
        #expect(v13.tokensPerMinute == 100_000)
        #expect(v13.timeout == 30)
        #expect(v13.revision == "adapters/v1.3@ckpt-300")
        #expect(file.defaults.overlaid(by: file.targets[0]).revision == nil)
    }

    @Test(
        "every problem is reported at its line with what was expected",
        arguments: [
            ("concurency: 8\n", "evalgate.yaml:1:1: error: unknown field \"concurency\"; did you mean 'concurrency'?"),
            ("concurrency: 0\n", "evalgate.yaml:1:14: error: \"concurrency\" must be between 1 and 10000, found 0"),
            ("repeats: two\n", "evalgate.yaml:1:10: error: \"repeats\" expects an integer, found string"),
            (
                "max_error_rate: 2\n",
                "evalgate.yaml:1:17: error: \"max_error_rate\" expects a number from 0 to 1, found 2"
            ),
            (
                "rate_limit_budget: 0\n",
                "evalgate.yaml:1:20: error: \"rate_limit_budget\" must be between 1 and 1000000, found 0"
            ),
            (
                "rate_limit_wait: 1e19\n",
                "evalgate.yaml:1:18: error: \"rate_limit_wait\" must be between 0.001 and 86400 seconds, found 1e+19"
            ),
            ("targets:\n  - label: v1\n", "evalgate.yaml:2:5: error: a target needs a \"model\""),
            (
                "targets:\n  - label: v1\n    model: m\n    modle: x\n",
                "evalgate.yaml:4:5: error: unknown field \"targets[0].modle\"; did you mean 'model'?"
            ),
            ("targets:\n  - {label: a, model: m}\n  - {label: a, model: n}\n", "error: duplicate target label 'a'"),
            ("targets: v1\n", "error: \"targets\" expects a list of targets, found string"),
            ("targets:\n  - {label: a, model: m, headers: {X: [1]}}\n", "expects a string, found array"),
            (
                "targets:\n  - {label: a, model: m, rps: -1}\n",
                "\"targets[0].rps\" must be between 0.001 and 1000000, found -1"
            ),
            ("- just\n- a list\n", "error: the file expects a mapping, found array"),
            ("suites: [a, b\n", "evalgate.yaml:"),
        ]
    )
    func errors(text: String, expected: String) {
        let (config, diagnostics) = RunConfig.parse(text, path: "evalgate.yaml")
        #expect(config == nil)
        #expect(diagnostics.contains { $0.description.contains(expected) }, "\(diagnostics.map(\.description))")
    }

    @Test("a missing file is one located error")
    func missing() {
        let (config, diagnostics) = RunConfig.load(path: "/nonexistent/evalgate.yaml")
        #expect(config == nil)
        #expect(diagnostics.map(\.description) == ["/nonexistent/evalgate.yaml: error: cannot read the config file"])
    }
}
