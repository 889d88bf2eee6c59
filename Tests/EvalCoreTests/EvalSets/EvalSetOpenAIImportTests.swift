import EvalCore
import Foundation
import Testing

/// OpenAI-evals samples (`{"input": ..., "ideal": ...}`) load as cases beside evalgate's own lines.
@Suite("OpenAI-evals lines")
struct EvalSetOpenAIImportTests {
    @Test("input becomes the messages, ideal the ideals, and the suite's defaults apply")
    func importsSamples() throws {
        let result = EvalSetFixtures.load("openai-evals")
        #expect(result.diagnostics.isEmpty)
        let suite = try #require(result.suite)
        #expect(suite.cases.map(\.format) == [.openAIEvals, .openAIEvals, .openAIEvals])
        #expect(suite.cases[0].messages == [.system("Answer with a number."), .user("2+2?")])
        #expect(suite.cases[0].ideals == ["4"])
        #expect(suite.cases[1].messages == [.user("Capital of France?")])
        #expect(suite.cases[1].ideals == ["Paris", "paris"])
        #expect(suite.cases[1].ideal == "Paris")
        #expect(suite.cases.allSatisfy { $0.checks == [CheckSpec(type: "contains_ideal")] })
    }

    @Test("a sample without an id gets one from its content hash; one with an id keeps it")
    func generatedIDs() throws {
        let suite = try #require(EvalSetFixtures.load("openai-evals").suite)
        let line = #"{"input": "Capital of France?", "ideal": ["Paris", "paris"]}"#
        let expected = "evals-" + CanonicalJSON.sha256(try JSONValue.parse(line)).prefix(16)
        #expect(suite.cases[1].id == expected)
        #expect(suite.cases[0].id.hasPrefix("evals-"))
        #expect(suite.cases[0].id.count == 22)
        #expect(suite.cases[2].id == "named")
    }

    @Test("the generated id depends on the content only: not on the line, the key order or the whitespace")
    func generatedIDsAreStable() throws {
        let a = try TemporarySuite(
            cases: "{\"input\": \"Q\", \"ideal\": \"A\"}\n{\"input\": \"other\", \"ideal\": \"B\"}\n")
        let b = try TemporarySuite(
            cases: "\n{\"input\": \"other\", \"ideal\": \"B\"}\n{ \"ideal\":\"A\" , \"input\":\"Q\" }\n")
        let c = try TemporarySuite(cases: "{\"input\": \"Q\", \"ideal\": \"A!\"}\n")
        defer { [a, b, c].forEach { $0.remove() } }
        let first = try #require(a.load().suite)
        let second = try #require(b.load().suite)
        let third = try #require(c.load().suite)
        #expect(first.cases[0].id == second.cases[1].id)
        #expect(first.cases[1].id == second.cases[0].id)
        #expect(first.cases[0].id != third.cases[0].id)
    }

    @Test("evalgate's own lines require an id; identical samples are duplicates")
    func idRules() throws {
        let suite = try TemporarySuite(
            cases: """
                {"prompt": "native lines need an id"}
                {"input": "same", "ideal": "x"}
                {"input": "same", "ideal": "x"}
                """
        )
        defer { suite.remove() }
        let result = suite.load()
        let id = "evals-" + CanonicalJSON.sha256(["input": "same", "ideal": "x"]).prefix(16)
        #expect(
            suite.rendered(result) == [
                #"suite/cases.jsonl:1:1: error: missing "id"; every case needs a stable string id"#,
                "suite/cases.jsonl:3:1: error: duplicate id '\(id)'; first used on line 2",
            ])
    }

    @Test("samples may carry evalgate's fields too; giving input with prompt or messages is an error")
    func mixedFields() throws {
        let suite = try TemporarySuite(
            cases: """
                {"input": [{"role": "user", "content": "Q"}], "ideal": "A", "checks": [{"type": "contains", "value": "A"}], "tags": ["imported"]}
                {"input": "Q", "prompt": "Q"}
                """
        )
        defer { suite.remove() }
        let result = suite.load()
        #expect(
            suite.rendered(result) == [
                #"suite/cases.jsonl:2:16: error: give one of "messages", "prompt" or "input", not "prompt" and "input""#
            ])
        let ok = try TemporarySuite(
            suiteYAML: "kind: eval\n",
            cases:
                #"{"input": "Q", "ideal": "A", "checks": [{"type": "contains", "value": "A"}], "tags": ["imported"]}"#)
        defer { ok.remove() }
        let loaded = try #require(ok.load().suite)
        #expect(loaded.cases[0].checks == [CheckSpec(type: "contains", options: ["value": "A"])])
        #expect(loaded.cases[0].tags == ["imported"])
    }
}
