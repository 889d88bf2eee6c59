import EvalCore
import Scoring
import Testing

/// A finding's category is read from its rule id: every check's rule ids must say the category reports expect of it
/// (a `pii` check's are personal data or secrets, a `promises` check's promises), or reports would not mask them or
/// would not count them as release risks.
@Suite("Every check's rule ids say its category")
struct ScoringCategoryTests {
    static func findings(_ type: String, _ options: [String: JSONValue] = [:], answer: String) throws -> [Finding] {
        let check = try CheckRegistry.standard.make(CheckSpec(type: type, options: options))
        return check.evaluate(CheckInput(response: answer)).findings
    }

    @Test func findingsOfEveryKindRoundTripTheirCategory() throws {
        let answer =
            "Позвоните +7 916 123-45-67, ключ sk-proj-4fG7kQ2mZ9xL1pR8vT3nB6wY0cH5jD2sA7e. Вернём деньги за 3 дня. **Итог**"
        let checks: [(String, [String: JSONValue], FindingCategory)] = [
            ("pii", [:], .pii),
            ("promises", [:], .promise),
            ("contains", ["value": "Подробно"], .content),
            ("not-contains", ["value": "деньги"], .content),
            ("regex", ["pattern": "заказ №\\d{6}"], .content),
            ("sections", ["names": .array([.string("Подробно")])], .format),
            ("length", ["max": 3, "unit": "words"], .format),
            ("no-markdown", [:], .format),
            ("json", [:], .format),
        ]
        var seen: Set<FindingCategory> = []
        for (type, options, expected) in checks {
            let findings = try Self.findings(type, options, answer: answer)
            #expect(!findings.isEmpty, "\(type) finds something in the answer")
            for finding in findings {
                #expect(
                    finding.category == expected || (expected == .pii && finding.category == .secret),
                    "\(type): \(finding.ruleID)")
                seen.insert(finding.category)
            }
        }
        #expect(seen.isSuperset(of: [.pii, .secret, .promise, .content, .format]))
    }

    /// Secrets are masked even with `--show-pii`: only the secret entity may read as one, and it always must.
    @Test func onlySecretsReadAsSecrets() {
        for entity in PIIEntity.allCases {
            for kind in [nil, "openai"] {
                let match = PIIMatch(entity: entity, kind: kind, span: TextSpan(start: 0, end: 1), text: "x")
                let category = FindingCategory(ruleID: match.ruleID)
                #expect(category == (entity == .secret ? .secret : .pii), "\(match.ruleID)")
            }
        }
    }
}
