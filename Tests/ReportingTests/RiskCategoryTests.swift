import EvalCore
import Reporting
import Testing

/// Reports read a finding's kind from its typed category. What they mask and what they count as a release risk must
/// be what the rule-id prefixes said before (`pii.` personal data, `pii.secret` a secret, `promise.` a promise),
/// odd rule ids included.
@Suite("Release risks and masking follow the finding's category")
struct RiskCategoryTests {
    static let rules = [
        "pii.phone", "pii.secret.openai", "pii.secret", "pii.secretary", "pii.", "pii", "PII.phone", "piiphone",
        "promise.deadline.within_period", "promise.", "promise", "promises.deadline", "format.sections.missing",
        "content.not-contains", "judge.answers_question", "secret.openai", ".pii.phone", "", "other.rule",
    ]

    /// The prefixes reports tested before the category, as the reference.
    static func riskByPrefix(_ rule: String) -> RiskCategory? {
        rule.hasPrefix("pii.") ? .pii : (rule.hasPrefix("promise.") ? .promise : nil)
    }

    @Test(arguments: rules)
    func aRuleIsARiskExactlyWhenItsPrefixSaidSo(rule: String) {
        let evidence = Evidence(rule: rule, message: "m")
        #expect(evidence.riskCategory == Self.riskByPrefix(rule), "\(rule)")
    }

    @Test(arguments: rules)
    func aFindingIsMaskedExactlyWhenItsPrefixSaidSo(rule: String) {
        let sensitive = SensitiveText(Finding(ruleID: rule, message: "m", text: "+79161234567"))
        #expect((sensitive != nil) == rule.hasPrefix("pii."), "\(rule)")
        #expect(sensitive.map(\.isSecret) == (rule.hasPrefix("pii.") ? rule.hasPrefix("pii.secret") : nil), "\(rule)")
    }

    @Test func aPIIFindingWithoutTextMasksNothing() {
        #expect(SensitiveText(Finding(ruleID: "pii.phone", message: "m")) == nil)
        #expect(SensitiveText(Finding(ruleID: "pii.phone", message: "m", text: "")) == nil)
        #expect(SensitiveText(category: .secret, text: "sk-x")?.isSecret == true)
        #expect(SensitiveText(category: .promise, text: "за 3 дня") == nil)
    }
}
