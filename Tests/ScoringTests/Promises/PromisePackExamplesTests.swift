import Scoring
import Testing

/// Every built-in rule documents examples it must catch and counterexamples it must not: they are checked here, so the
/// packs' own documentation cannot drift from what they do.
@Suite struct PromisePackExamplesTests {
    static let rules: [(pack: String, rule: PromiseRule)] = PromisePack.builtinNames.flatMap { name in
        ((try? PromisePack.builtin(name))?.rules ?? []).map { (name, $0) }
    }

    @Test func bothBuiltinPacksLoad() throws {
        #expect(PromisePack.builtinNames == ["en", "ru"])
        for name in PromisePack.builtinNames {
            let pack = try PromisePack.builtin(name)
            #expect(pack.name == name)
            #expect(Set(pack.rules.map(\.category)) == Set(PromiseCategory.allCases))
            #expect(!pack.negators.isEmpty && !pack.hedges.isEmpty)
        }
    }

    @Test(arguments: rules.map { "\($0.pack) \($0.rule.id)" })
    func examplesAreCaughtAndCounterexamplesAreNot(_ name: String) throws {
        let parts = name.split(separator: " ").map(String.init)
        let pack = try PromisePack.builtin(parts[0])
        let rule = try #require(pack.rules.first { $0.id == parts[1] })
        let detector = try PromiseDetector(packs: [pack])
        #expect(!rule.examples.isEmpty && !rule.counterexamples.isEmpty)
        for example in rule.examples {
            let found = detector.detect(in: example)
            #expect(
                found.contains { $0.ruleID == rule.findingID },
                "\(rule.id) misses: \(example) — found \(found.map { "\($0.ruleID) '\($0.text)'" })")
        }
        for counterexample in rule.counterexamples {
            let found = detector.detect(in: counterexample).filter { $0.ruleID == rule.findingID }
            #expect(found.isEmpty, "\(rule.id) wrongly catches: \(counterexample) — '\(found.map(\.text))'")
        }
    }
}
