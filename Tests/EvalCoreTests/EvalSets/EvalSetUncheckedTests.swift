import EvalCore
import Foundation
import Testing

/// A case that checks nothing would pass whatever the model says: the loader refuses one unless it is kept so on
/// purpose, and `defaults.system` gives every case the suite's system prompt.
@Suite("Eval sets: no case passes unchecked")
struct EvalSetUncheckedTests {
    static let noChecks =
        #"error: the case has no checks, so any answer would pass; add "checks" (or defaults.checks in suite.yaml), or write "checks": [] with "unchecked": true to keep it on purpose (it is then never counted as passed)"#

    @Test("a case without checks is an error at the case; with an empty checks list, at the list")
    func caseWithoutChecks() throws {
        let suite = try TemporarySuite(
            suiteYAML: "kind: eval\n",
            cases: #"{"id": "a", "prompt": "x"}"# + "\n" + #"{"id": "b", "prompt": "x", "checks": []}"# + "\n"
                + #"{"id": "c", "prompt": "x", "checks": [{"type": "contains", "value": "x"}]}"# + "\n"
        )
        defer { suite.remove() }
        let result = suite.load()
        #expect(
            suite.rendered(result) == [
                "suite/cases.jsonl:1:1: " + Self.noChecks, "suite/cases.jsonl:2:38: " + Self.noChecks,
            ])
        #expect(result.suite == nil)
    }

    @Test("opting out of the suite's checks without checks of its own is the same error")
    func inheritFalse() throws {
        let suite = try TemporarySuite(cases: #"{"id": "a", "prompt": "x", "inherit_checks": false}"# + "\n")
        defer { suite.remove() }
        #expect(suite.rendered(suite.load()) == ["suite/cases.jsonl:1:1: " + Self.noChecks])
    }

    @Test("an ideal answer alone says which check to add")
    func idealAlone() throws {
        let suite = try TemporarySuite(suiteYAML: "kind: eval\n", cases: #"{"input": "2+2?", "ideal": "4"}"# + "\n")
        defer { suite.remove() }
        #expect(
            suite.rendered(suite.load()) == [
                #"suite/cases.jsonl:1:1: error: the case has an "ideal" answer but no check uses it, so any answer would pass; add the check {"type": "ideal", "match": "normalized"} to "checks" (or to defaults.checks in suite.yaml)"#
            ])
        // With the check in the suite's defaults the same line loads.
        let fixed = try TemporarySuite(
            suiteYAML: "kind: eval\ndefaults:\n  checks: [{type: contains_ideal}]\n",
            cases: #"{"input": "2+2?", "ideal": "4"}"# + "\n"
        )
        defer { fixed.remove() }
        let loaded = try #require(fixed.load().suite)
        #expect(loaded.cases[0].checks == [CheckSpec(type: "contains_ideal")])
    }

    @Test("\"unchecked\": true with no checks keeps the case, flagged; with checks it is an error")
    func uncheckedOnPurpose() throws {
        let suite = try TemporarySuite(
            cases: #"{"id": "kept", "prompt": "x", "inherit_checks": false, "checks": [], "unchecked": true}"# + "\n"
                + #"{"id": "normal", "prompt": "x"}"# + "\n"
        )
        defer { suite.remove() }
        let loaded = try #require(suite.load().suite)
        #expect(loaded.cases.map(\.unchecked) == [true, false])
        #expect(loaded.cases[0].checks.isEmpty)
        #expect(loaded.cases[0].canonicalJSON.objectValue?["unchecked"] == .bool(true))
        #expect(loaded.cases[1].canonicalJSON.objectValue?["unchecked"] == nil)

        let wrong = try TemporarySuite(cases: #"{"id": "a", "prompt": "x", "unchecked": true}"# + "\n")
        defer { wrong.remove() }
        #expect(
            wrong.rendered(wrong.load()) == [
                #"suite/cases.jsonl:1:41: error: "unchecked" is true but the case has 1 check (with the suite's defaults); remove "unchecked", or add "inherit_checks": false and "checks": []"#
            ])
        let implicit = try TemporarySuite(
            suiteYAML: "kind: eval\n", cases: #"{"id": "a", "prompt": "x", "unchecked": true}"# + "\n")
        defer { implicit.remove() }
        #expect(
            implicit.rendered(implicit.load()) == [
                #"suite/cases.jsonl:1:41: error: "unchecked" is true but the case has no "checks" field; write "checks": [] beside it, so that no checks is said on purpose"#
            ])
        let mistyped = try TemporarySuite(cases: #"{"id": "a", "prompt": "x", "unchecked": "yes"}"# + "\n")
        defer { mistyped.remove() }
        #expect(
            mistyped.rendered(mistyped.load()) == [
                #"suite/cases.jsonl:1:41: error: expected "unchecked" to be true or false, found string"#
            ])
    }

    @Test("when suite.yaml has errors, cases are not blamed for lacking the defaults it failed to give")
    func brokenHeader() throws {
        let suite = try TemporarySuite(suiteYAML: "kind: evl\n", cases: #"{"id": "a", "prompt": "x"}"# + "\n")
        defer { suite.remove() }
        let rendered = suite.rendered(suite.load())
        #expect(rendered.count == 1)
        #expect(rendered.first?.hasPrefix("suite/suite.yaml:1:7: error: unknown suite kind 'evl'") == true)
    }

    @Test("defaults.system goes before every case without a system prompt of its own")
    func defaultSystem() throws {
        let suite = try TemporarySuite(
            suiteYAML: "kind: eval\ndefaults:\n  system: Отвечай коротко.\n  checks: [{type: contains_ideal}]\n",
            cases: [
                #"{"id": "plain", "prompt": "Где заказ?"}"#,
                #"{"id": "own", "system": "Answer in English.", "prompt": "Где заказ?"}"#,
                #"{"id": "in-messages", "messages": [{"role": "developer", "content": "Be formal."}, {"role": "user", "content": "Hi"}]}"#,
            ].joined(separator: "\n")
        )
        defer { suite.remove() }
        let loaded = try #require(suite.load().suite)
        #expect(loaded.defaults.system == "Отвечай коротко.")
        #expect(loaded.cases[0].messages.map(\.role) == ["system", "user"])
        #expect(loaded.cases[0].messages.first?.text == "Отвечай коротко.")
        #expect(loaded.cases[1].messages.first?.text == "Answer in English.")
        #expect(loaded.cases[2].messages.map(\.role) == ["developer", "user"])

        // The default system prompt is part of the suite's hash; a suite without one hashes as before.
        let without = try TemporarySuite(cases: #"{"id": "plain", "prompt": "Где заказ?"}"# + "\n")
        defer { without.remove() }
        let plain = try #require(without.load().suite)
        #expect(plain.defaults.canonicalJSON.objectValue?["system"] == nil)
        #expect(loaded.defaults.canonicalJSON.objectValue?["system"] == .string("Отвечай коротко."))

        let empty = try TemporarySuite(
            suiteYAML: "kind: eval\ndefaults:\n  system: \"\"\n  checks: [{type: contains_ideal}]\n",
            cases: #"{"id": "a", "prompt": "x"}"#)
        defer { empty.remove() }
        #expect(empty.rendered(empty.load()) == [#"suite/suite.yaml:3:11: error: "defaults.system" is empty"#])
    }
}
