import EvalCore
import Testing

/// YAML aliases can expand a small file into billions of values or nest it deeper than the stack: both are
/// reported as one located error, never a crash or an exhausted memory.
@Suite struct EvalSetYAMLLimitsTests {
    @Test func aliasBombIsRefused() throws {
        var lines = [
            "kind: eval", "defaults:", "  params:",
            "    a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]",
        ]
        for level in 1..<9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("    a\(level): &a\(level) [\(refs)]")
        }
        let suite = try TemporarySuite(
            suiteYAML: lines.joined(separator: "\n") + "\n", cases: "{\"id\": \"a\", \"prompt\": \"x\"}\n")
        defer { suite.remove() }
        let result = suite.load()
        #expect(result.suite == nil)
        let rendered = suite.rendered(result)
        #expect(
            rendered.contains {
                $0.hasPrefix("suite/suite.yaml:")
                    && $0.hasSuffix(
                        "error: the YAML document holds more than 100000 values once its aliases are expanded")
            })
    }

    @Test func deepAliasNestingIsRefused() throws {
        var lines = ["kind: eval", "defaults:", "  params:", "    a0: &a0 1"]
        for level in 1..<3 {
            lines.append(
                "    a\(level): &a\(level) " + String(repeating: "[", count: 300) + "*a\(level - 1)"
                    + String(repeating: "]", count: 300))
        }
        let suite = try TemporarySuite(
            suiteYAML: lines.joined(separator: "\n") + "\n", cases: "{\"id\": \"a\", \"prompt\": \"x\"}\n")
        defer { suite.remove() }
        let result = suite.load()
        #expect(result.suite == nil)
        #expect(
            suite.rendered(result).contains {
                $0.hasSuffix("error: the YAML document is nested more than 512 levels deep")
            })
    }
}
