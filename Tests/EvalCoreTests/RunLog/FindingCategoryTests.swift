import EvalCore
import Foundation
import Testing

@Suite("Finding categories: read from the rule id, never stored")
struct FindingCategoryTests {
    @Test(arguments: [
        ("pii.phone", FindingCategory.pii),
        ("pii.inn.personal", .pii),
        ("pii.secret.openai", .secret),
        ("pii.secret", .secret),
        ("promise.deadline.within_period", .promise),
        ("format.sections.missing", .format),
        ("content.not-contains", .content),
        ("judge.answers_question", .judge),
        ("judge.not-run", .judge),
        ("ifeval.punctuation.no_comma", .ifeval),
        ("scorer.unknown-case", .scorer),
    ])
    func theFirstPartOfARuleIDSaysItsCategory(rule: String, category: FindingCategory) {
        #expect(FindingCategory(ruleID: rule) == category)
    }

    /// What reports used to test with `hasPrefix("pii.")` and `hasPrefix("promise.")` keeps its answer on odd ids.
    @Test(arguments: [
        "", "pii", "promise", "piiphone", "pii-phone", "PII.phone", "secret.openai", "other.x", "probe", ".pii",
        "promises.deadline", "judge",
    ])
    func aRuleIDOfNoKnownKindIsOther(rule: String) {
        #expect(FindingCategory(ruleID: rule) == .other, "\(rule)")
    }

    @Test func personalDataAndSecretsAreSensitive() {
        #expect(FindingCategory.allCases.filter(\.isSensitive) == [.pii, .secret])
    }

    /// The log bytes of a finding are what they were before categories: no `category` key.
    @Test func aFindingIsWrittenWithoutItsCategoryAndReadBackWithIt() throws {
        let finding = Finding(
            ruleID: "pii.secret.openai", message: "discloses a secret 'sk-…'",
            span: TextSpan(start: 3, end: 9), text: "sk-abc")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = String(decoding: try encoder.encode(finding), as: UTF8.self)
        #expect(
            bytes
                == #"{"message":"discloses a secret 'sk-…'","rule":"pii.secret.openai","span":{"end":9,"start":3},"text":"sk-abc"}"#
        )
        #expect(try JSONDecoder().decode(Finding.self, from: Data(bytes.utf8)) == finding)
    }

    @Test func anOldLogLineIsReadWithTheCategoryOfItsRule() throws {
        let old = #"{"rule":"promise.deadline","message":"promises a deadline"}"#
        let finding = try JSONDecoder().decode(Finding.self, from: Data(old.utf8))
        #expect(finding.category == .promise)
        #expect(finding.span == nil && finding.text == nil)
    }

    @Test(arguments: [
        #"{"message":"no rule"}"#, #"{"rule":7,"message":"m"}"#, #"{"rule":"pii.phone"}"#,
        #"{"rule":"pii.phone","message":"m","span":{"start":1}}"#,
    ])
    func aBrokenFindingIsAnErrorNotACrash(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Finding.self, from: Data(json.utf8)) }
    }
}
