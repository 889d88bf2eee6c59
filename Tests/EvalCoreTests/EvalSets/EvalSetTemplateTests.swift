import EvalCore
import Foundation
import Testing

/// `{{var}}` templating with a case's `vars`: substituted into the prompt, messages, system (the suite's too) and ideal.
@Suite struct EvalSetTemplateTests {
    static let suiteYAML =
        "kind: eval\ndefaults:\n  system: \"You support {{company}} customers.\"\n  checks: [{type: contains_ideal}]\n"

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
        #expect(
            loaded.cases[1].messages.map(\.content) == [
                "You support Acme customers.", "Hi, I am Olga.", "Hello Olga!", "Bye",
            ])
        #expect(
            loaded.cases[2].messages.map(\.content) == [
                "You support {{company}} customers.", "Literal {{braces}} stay without vars",
            ])
    }

    @Test func theHashFollowsTheFilledInText() throws {
        func hash(_ order: Int) throws -> String {
            let suite = try TemporarySuite(
                cases: #"{"id": "a", "vars": {"order": \#(order)}, "prompt": "Order {{order}}?"}"# + "\n")
            defer { suite.remove() }
            return try #require(suite.load().suite?.cases.first?.contentHash)
        }
        #expect(try hash(1) != hash(2))
    }

    @Test(arguments: [
        (
            #"{"id": "a", "vars": {"order": 1}, "prompt": "Order {{ordr}}?"}"#,
            #"suite/cases.jsonl:1:45: error: '{{ordr}}' names no variable of the case (vars: order); did you mean 'order'?"#
        ),
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

/// `vars_file`: one template line, one case per row of a CSV or JSONL file beside cases.jsonl.
@Suite struct EvalSetVarsFileTests {
    static let template =
        #"{"id": "status", "vars": {"shop": "Acme"}, "vars_file": "orders.csv", "prompt": "{{shop}}: where is order {{order}} ({{item}})?", "ideal": "{{order}}"}"#

    func write(_ suite: TemporarySuite, _ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: suite.directory + "/" + name))
    }

    @Test(arguments: [false, true])
    func oneCasePerRowEagerAndLazy(lazily: Bool) throws {
        let suite = try TemporarySuite(cases: Self.template + "\n" + #"{"id": "plain", "prompt": "hi"}"# + "\n")
        defer { suite.remove() }
        try write(suite, "orders.csv", "order,item\n4471,kettle\n5521,\"jacket, blue\"\n")
        let expected = ["Acme: where is order 4471 (kettle)?", "Acme: where is order 5521 (jacket, blue)?", "hi"]
        if lazily {
            let result = SuiteLoader.loadLazily(directory: suite.directory, validateCheck: TestChecks.problem)
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
            let loaded = try #require(result.suite)
            #expect((0..<loaded.caseCount).map(loaded.caseID(at:)) == ["status-1", "status-2", "plain"])
            #expect(try (0..<loaded.caseCount).map { try loaded.evalCase(at: $0).messages.last?.content } == expected)
        } else {
            let result = suite.load()
            #expect(result.diagnostics.isEmpty, "\(suite.rendered(result))")
            let loaded = try #require(result.suite)
            #expect(loaded.cases.map(\.id) == ["status-1", "status-2", "plain"])
            #expect(loaded.cases.map { $0.messages.last?.content } == expected)
            #expect(loaded.cases[1].ideals == ["5521"])
            #expect(result.caseCount == 3)
        }
    }

    @Test func jsonlRowsOverrideTheCasesVars() throws {
        let suite = try TemporarySuite(
            cases: Self.template.replacingOccurrences(of: "orders.csv", with: "orders.jsonl") + "\n")
        defer { suite.remove() }
        try write(
            suite, "orders.jsonl",
            #"{"order": 1, "item": "a", "shop": "Beta"}"# + "\n\n" + #"{"order": 2, "item": "b"}"# + "\n")
        let loaded = try #require(suite.load().suite)
        #expect(
            loaded.cases.map { $0.messages.last?.content } == [
                "Beta: where is order 1 (a)?", "Acme: where is order 2 (b)?",
            ])
    }

    @Test(arguments: [
        ("orders.csv", "order,item\n1,a\n2\n", "vars_file: "),
        ("orders.csv", "order\n1\n", "row 1 of orders.csv: '{{item}}' names no variable of the case"),
        ("other.csv", "order,item\n1,a\n", "vars_file: cannot read"),
        ("orders.jsonl", "[1, 2]\n", "vars_file: "),
    ])
    func badRowsAreErrorsAtTheVarsFileField(name: String, text: String, expected: String) throws {
        let line = Self.template.replacingOccurrences(
            of: "orders.csv", with: name.hasSuffix(".jsonl") ? "orders.jsonl" : "orders.csv")
        let suite = try TemporarySuite(cases: line + "\n")
        defer { suite.remove() }
        try write(suite, name, text)
        let result = suite.load()
        #expect(result.suite == nil)
        let rendered = suite.rendered(result)
        // At the vars_file value of the line as written (ASCII before it: byte offset + 1).
        let column =
            line.utf8.distance(
                from: line.utf8.startIndex, to: line.range(of: #"": "orders"#)!.lowerBound.samePosition(in: line.utf8)!)
            + 4
        #expect(
            rendered.contains { $0.hasPrefix("suite/cases.jsonl:1:\(column): error: ") && $0.contains(expected) },
            "\(rendered)")
    }
}
