import EvalCore
import Foundation
import Testing

/// `{{var}}` templating with a case's `vars`: substituted into the prompt, messages, system (the suite's too) and ideal.
@Suite struct EvalSetTemplateTests {
    static let suiteYAML = "kind: eval\ndefaults:\n  system: \"You support {{company}} customers.\"\n  checks: [{type: contains_ideal}]\n"

    @Test func varsFillThePromptMessagesSystemAndIdeal() throws {
        let cases = """
            {"id": "a", "vars": {"order": 4471, "item": "kettle", "company": "Acme"}, "prompt": "Where is order {{order}} ({{ item }})?", "ideal": "Order {{order}}"}
            {"id": "b", "vars": {"name": "Olga", "company": "Acme"}, "messages": [{"role": "user", "content": "Hi, I am {{name}}."}, {"role": "assistant", "content": "Hello {{name}}!"}, {"role": "user", "content": "Bye"}]}
            {"id": "c", "prompt": "Literal {{braces}} stay without vars"}

            """
        let suite = try TemporarySuite(suiteYAML: Self.suiteYAML, cases: cases)
        defer { suite.remove() }
        let result = suite.load()
        #expect(result.diagnostics.isEmpty, "\(suite.rendered(result))")
        let loaded = try #require(result.suite)
        let a = loaded.cases[0]
        #expect(a.messages.map(\.content) == ["You support Acme customers.", "Where is order 4471 (kettle)?"])
        #expect(a.ideals == ["Order 4471"])
        #expect(loaded.cases[1].messages.map(\.content) == ["You support Acme customers.", "Hi, I am Olga.", "Hello Olga!", "Bye"])
        #expect(loaded.cases[2].messages.map(\.content) == ["You support {{company}} customers.", "Literal {{braces}} stay without vars"])
    }

    @Test func theHashFollowsTheFilledInText() throws {
        func hash(_ order: Int) throws -> String {
            let suite = try TemporarySuite(cases: #"{"id": "a", "vars": {"order": \#(order)}, "prompt": "Order {{order}}?"}"# + "\n")
            defer { suite.remove() }
            return try #require(suite.load().suite?.cases.first?.contentHash)
        }
        #expect(try hash(1) != hash(2))
    }

    @Test(arguments: [
        (#"{"id": "a", "vars": {"order": 1}, "prompt": "Order {{ordr}}?"}"#,
         #"suite/cases.jsonl:1:45: error: '{{ordr}}' names no variable of the case (vars: order); did you mean 'order'?"#),
        (#"{"id": "a", "vars": {"order": [1]}, "prompt": "Order {{order}}?"}"#, "vars.order"),
        (#"{"id": "a", "vars": "order=1", "prompt": "Order"}"#, "vars"),
    ])
    func badVarsAreLocatedErrors(line: String, expected: String) throws {
        let suite = try TemporarySuite(cases: line + "\n")
        defer { suite.remove() }
        let result = suite.load()
        #expect(result.suite == nil)
        let rendered = suite.rendered(result)
        #expect(rendered.contains { $0.contains(expected) }, "\(rendered)")
    }
}
