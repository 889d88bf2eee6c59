import EvalCore
import Foundation
import Scoring
import Testing

/// The check machinery every family relies on: options, the registry, spans.
@Suite struct CheckCoreTests {
    struct Probe: Check {
        static let type = "probe"
        static let version = 1
        static let summary = "test double"
        let value: String
        let limit: Int?
        init(options: inout CheckOptions) throws(CheckConfigurationError) {
            value = try options.string("value")
            limit = try options.optionalInt("limit")
        }
        func evaluate(_ input: CheckInput) -> CheckOutcome {
            input.response.contains(value)
                ? .pass : .fail(Finding(ruleID: "probe", message: "missing '\(value)'", text: value))
        }
    }

    let registry = CheckRegistry([Probe.self])

    @Test func buildsFromOptions() throws {
        let check = try registry.make(CheckSpec(type: "probe", options: ["value": "Коротко", "limit": 3]))
        #expect(check.evaluate(CheckInput(response: "**Коротко:** да")).passed)
        let outcome = check.evaluate(CheckInput(response: "нет"))
        #expect(!outcome.passed)
        #expect(outcome.findings == [Finding(ruleID: "probe", message: "missing 'Коротко'", text: "Коротко")])
    }

    @Test func unknownTypeSuggestsTheClosest() {
        #expect(throws: CheckConfigurationError("unknown check type 'prob'; did you mean 'probe'?")) {
            try registry.make(CheckSpec(type: "prob", options: ["value": "x"]))
        }
        #expect(throws: CheckConfigurationError("unknown check type 'completely-different'")) {
            try registry.make(CheckSpec(type: "completely-different"))
        }
    }

    @Test func unknownOptionsAreErrors() {
        #expect(throws: CheckConfigurationError(#"unknown field "valeu" in check 'probe'; did you mean 'value'?"#)) {
            try registry.make(CheckSpec(type: "probe", options: ["value": "x", "valeu": "y"]))
        }
    }

    @Test func missingAndMistypedOptionsSayWhatWasExpected() {
        #expect(throws: CheckConfigurationError("check 'probe' needs option 'value' (a string)")) {
            try registry.make(CheckSpec(type: "probe"))
        }
        #expect(throws: CheckConfigurationError("option 'value' of check 'probe' expects a string, found integer")) {
            try registry.make(CheckSpec(type: "probe", options: ["value": 5]))
        }
        #expect(throws: CheckConfigurationError("option 'limit' of check 'probe' expects an integer, found string")) {
            try registry.make(CheckSpec(type: "probe", options: ["value": "x", "limit": "3"]))
        }
    }

    @Test func versionHashIsStableAndTracksVersions() {
        #expect(registry.versionHash == CheckRegistry([Probe.self]).versionHash)
        #expect(registry.versionHash.count == 16)
        #expect(registry.versionHash != CheckRegistry([]).versionHash)
    }

    @Test func spansAreUTF8Offsets() throws {
        let text = "Мы гарантируем возврат"
        let range = try #require(text.range(of: "гарантируем"))
        let span = TextSpan(range, in: text)
        #expect(span == TextSpan(start: 5, end: 27))  // "Мы " is 5 bytes; each Cyrillic letter is 2
        #expect(span.text(in: text) == "гарантируем")
        #expect(TextSpan(start: 1, end: 3).text(in: text) == nil)  // cuts a letter in half
        #expect(TextSpan(start: 0, end: 999).text(in: text) == nil)
    }

    @Test func specsReadFromJSON() throws {
        let spec = try #require(CheckSpec(json: ["type": "contains", "value": "x"]))
        #expect(spec.type == "contains")
        #expect(spec.options == ["value": "x"])
        #expect(CheckSpec(json: ["value": "x"]) == nil)
        #expect(CheckSpec(json: ["type": 3]) == nil)
    }
}
