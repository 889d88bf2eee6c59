import EvalCore
import Scoring
import Testing

@Suite("Labelled sets and the accuracy tally")
struct LabelledSetTests {
    private func parse(_ line: String) -> Result<LabelledCase?, LabelledSetError> {
        LabelledCase.parse(line[...], lineNumber: 7)
    }

    @Test func readsStringAndObjectLabelsFactsAndLanguage() throws {
        let labelled = try #require(
            try parse(
                #"{"id": "x1", "lang": "en", "text": "We'll refund you.", "labels": ["refund", {"kind": "deadline", "grounded": true}], "facts": {"policy": "14 days", "fee": 9}}"#
            ).get()
        )
        #expect(labelled.id == "x1")
        #expect(labelled.line == 7)
        #expect(labelled.language == "en")
        #expect(labelled.labels == [.init(kind: "refund"), .init(kind: "deadline", grounded: true)])
        #expect(labelled.facts == ["fee: 9", "policy: 14 days"])
    }

    @Test func kindsIsAnAliasAndLanguageDefaults() throws {
        let labelled = try #require(try parse(#"{"text": "Привет", "kinds": []}"#).get())
        #expect(labelled.language == "?")
        #expect(labelled.labels.isEmpty)
        #expect(try parse("   ").get() == nil)
    }

    @Test(arguments: [
        (#"{"text": "a", "labels": "refund"}"#, "7:1: expected \"labels\" to be a list, found string"),
        (#"{"text": "a"}"#, "7:1: missing field \"labels\" (a list of kinds; [] for none)"),
        (#"{"labels": []}"#, "7:1: missing field \"text\""),
        (#"{"text": 5, "labels": []}"#, "7:1: expected \"text\" to be a string, found integer"),
        (
            #"{"text": "a", "labels": [3]}"#,
            "7:1: expected \"labels[0]\" to be a kind or {\"kind\": ...}, found integer"
        ),
        (
            #"{"text": "a", "labels": [{"kind": "x", "grounded": "yes"}]}"#,
            "7:1: expected \"labels[0].grounded\" to be true or false, found string"
        ),
        (
            #"{"text": "a", "labels": [], "facts": [{"a": 1}]}"#,
            "7:1: expected 'facts[0]' to be a string, a number or true/false, found object"
        ),
        (
            #"{"text": "a", "labels": [], "lang": ""}"#,
            "7:1: expected \"lang\" to be a non-empty string, found an empty string"
        ),
        ("[1]", "7:1: expected a JSON object, found array"),
    ])
    func badLinesSayWhatIsWrong(line: String, message: String) {
        #expect(throws: LabelledSetError.self) { try parse(line).get() }
        if case .failure(let error) = parse(line) { #expect(error.description == message) }
    }

    @Test func brokenJSONNamesTheColumn() {
        guard case .failure(let error) = parse(#"{"text": "a", "labels": [}"#) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.column > 1)
    }

    @Test func kindIsTheSecondPartOfTheRuleID() {
        #expect(AccuracyTally.kind(ofRule: "promise.refund.full") == "refund")
        #expect(AccuracyTally.kind(ofRule: "pii.phone") == "phone")
        #expect(AccuracyTally.kind(ofRule: "odd") == "odd")
    }

    @Test func tallyCountsHitsFalseAlarmsAndMissesPerLanguageAndKind() throws {
        let check = try PromisesCheck(detector: PromiseDetector())
        var tally = AccuracyTally()
        let lines = [
            #"{"lang": "en", "text": "We guarantee it.", "labels": ["guarantee"]}"#,  // hit
            #"{"lang": "en", "text": "Please call us.", "labels": ["refund"]}"#,  // miss
            #"{"lang": "en", "text": "We guarantee it.", "labels": []}"#,  // false alarm
            #"{"lang": "ru", "text": "Спасибо.", "labels": []}"#,  // quiet negative
        ]
        for line in lines {
            tally.add(try #require(try LabelledCase.parse(line[...], lineNumber: 1).get()), checks: [check])
        }
        let guarantee = try #require(tally.byKind["en"]?["guarantee"])
        #expect((guarantee.truePositives, guarantee.falsePositives, guarantee.falseNegatives) == (1, 1, 0))
        #expect(tally.byKind["en"]?["refund"]?.falseNegatives == 1)
        #expect(tally.allKinds["en"]?.precision == 0.5)
        #expect(abs((tally.allKinds["en"]?.recall ?? 0) - 0.5) < 1e-9)
        #expect(tally.cases == ["en": 3, "ru": 1])
        #expect(tally.byKind["ru"] == nil)
        #expect(tally.misses.count == 2)
        #expect(tally.table().contains("| en | guarantee | 1 | 1 | 1 | 0 | 0.500 | 1.000 |"))
    }
}
