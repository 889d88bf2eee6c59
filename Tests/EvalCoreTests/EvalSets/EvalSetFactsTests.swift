import EvalCore
import Foundation
import Testing

/// `facts`: the data a case's answer may rely on, from the suite's defaults and the case's own line.
@Suite struct EvalSetFactsTests {
    static let suiteYAML = """
        kind: eval
        defaults:
          checks: [{type: contains_ideal}]
          facts:
            - "Returns: within 14 days of delivery"
        """

    @Test func suiteFactsComeFirstThenTheCaseOwnStringsOrKeyValues() throws {
        let suite = try TemporarySuite(
            suiteYAML: Self.suiteYAML,
            cases: """
                {"id": "a", "prompt": "x", "facts": ["Order 12: shipped"]}
                {"id": "b", "prompt": "x", "facts": {"price": "£9", "days": 3}}
                {"id": "c", "prompt": "x"}
                """
        )
        defer { suite.remove() }
        let result = suite.load()
        #expect(result.diagnostics == [])
        let cases = try #require(result.suite).cases
        #expect(cases[0].facts == ["Returns: within 14 days of delivery", "Order 12: shipped"])
        #expect(cases[1].facts == ["Returns: within 14 days of delivery", "days: 3", "price: £9"])
        #expect(cases[2].facts == ["Returns: within 14 days of delivery"])
    }

    @Test func factsChangeTheCaseHashOnlyWhenPresent() throws {
        let plain = EvalCase(id: "a", messages: [.user("x")])
        let same = EvalCase(id: "a", messages: [.user("x")], facts: [])
        let grounded = EvalCase(id: "a", messages: [.user("x")], facts: ["14 days"])
        #expect(plain.contentHash == same.contentHash)
        #expect(plain.contentHash != grounded.contentHash)
        #expect(plain.canonicalJSON["facts"] == nil)
    }

    @Test func badFactsAreErrorsAtTheirPlace() throws {
        let suite = try TemporarySuite(
            suiteYAML: "kind: eval\ndefaults:\n  facts: 3\n",
            cases: """
                {"id": "a", "prompt": "x", "facts": ["ok", {"nested": 1}]}
                {"id": "b", "prompt": "x", "facts": {"price": [9]}}
                """
        )
        defer { suite.remove() }
        let rendered = suite.rendered(suite.load())
        #expect(rendered.count == 3, "\(rendered)")
        #expect(
            rendered.contains {
                $0.hasPrefix("suite/suite.yaml:3:") && $0.contains("defaults.facts")
                    && $0.contains("a string, a list of strings or an object of key-values")
            })
        #expect(
            rendered.contains {
                $0.hasPrefix("suite/cases.jsonl:1:") && $0.contains("facts[1]")
                    && $0.contains("a string, a number or true/false")
            })
        #expect(rendered.contains { $0.hasPrefix("suite/cases.jsonl:2:") && $0.contains("facts.price") })
    }
}
