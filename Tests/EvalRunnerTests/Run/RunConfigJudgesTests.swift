import EvalCore
import EvalRunner
import Testing

@Suite("evalgate.yaml judges: targets a judge check names")
struct RunConfigJudgesTests {
    @Test func judgesAreReadLikeTargets() throws {
        let (config, diagnostics) = RunConfig.parse(
            """
            targets:
              - {label: v1, model: m1}
            judges:
              - {label: strict, model: gpt-4o, base_url: http://127.0.0.1:9/v1, params: {temperature: 0}}
            """, path: "evalgate.yaml")
        #expect(diagnostics.isEmpty)
        let judge = try #require(config?.judges.first)
        #expect(judge.label == "strict" && judge.model == "gpt-4o" && judge.params == ["temperature": 0])
        #expect(config?.targets.count == 1)
    }

    @Test func aJudgeHasItsOwnRateLimits() throws {
        let (config, diagnostics) = RunConfig.parse(
            """
            judges:
              - {label: strict, model: gpt-4o, base_url: http://127.0.0.1:9/v1, concurrency: 2, rps: 0.5, tpm: 30000}
            """, path: "evalgate.yaml")
        #expect(diagnostics.isEmpty)
        let judge = try #require(config?.judges.first)
        #expect(judge.concurrency == 2 && judge.requestsPerSecond == 0.5 && judge.tokensPerMinute == 30000)
        let (bad, problems) = RunConfig.parse(
            """
            judges:
              - {label: strict, model: gpt-4o, rps: -1, tpm: fast}
            """, path: "evalgate.yaml")
        #expect(bad == nil)
        let messages = problems.map(\.description)
        #expect(
            messages.contains { $0.hasPrefix("evalgate.yaml:2:") && $0.contains(#""judges[0].rps""#) }, "\(messages)")
        #expect(
            messages.contains {
                $0.hasPrefix("evalgate.yaml:2:") && $0.contains(#""judges[0].tpm" expects an integer, found string"#)
            }, "\(messages)")
    }

    @Test func badJudgesAreLocated() {
        let (config, diagnostics) = RunConfig.parse(
            """
            judges:
              - {label: strict, model: a}
              - {label: strict, model: b}
              - {label: other, modle: c}
            """, path: "evalgate.yaml")
        #expect(config == nil)
        let messages = diagnostics.map(\.description)
        #expect(
            messages.contains { $0.hasPrefix("evalgate.yaml:3:") && $0.contains("duplicate judge label 'strict'") },
            "\(messages)")
        #expect(
            messages.contains { $0.hasPrefix("evalgate.yaml:4:") && $0.contains("did you mean 'model'") }, "\(messages)"
        )
        let (_, notAList) = RunConfig.parse("judges: strict\n", path: "evalgate.yaml")
        #expect(
            notAList.map(\.description).contains { $0.contains(#""judges" expects a list of judges, found string"#) })
    }
}
