import EvalCore
import EvalRunner
import Testing

@Suite("evalgate.yaml judges: targets a judge check names")
struct RunConfigJudgesTests {
    @Test func judgesAreReadLikeTargets() throws {
        let (config, diagnostics) = RunConfig.parse("""
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

    @Test func badJudgesAreLocated() {
        let (config, diagnostics) = RunConfig.parse("""
            judges:
              - {label: strict, model: a}
              - {label: strict, model: b}
              - {label: other, modle: c}
            """, path: "evalgate.yaml")
        #expect(config == nil)
        let messages = diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("evalgate.yaml:3:") && $0.contains("duplicate judge label 'strict'") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("evalgate.yaml:4:") && $0.contains("did you mean 'model'") }, "\(messages)")
        let (_, notAList) = RunConfig.parse("judges: strict\n", path: "evalgate.yaml")
        #expect(notAList.map(\.description).contains { $0.contains(#""judges" expects a list of judges, found string"#) })
    }
}
