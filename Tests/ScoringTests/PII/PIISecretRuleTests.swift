import EvalCore
import Scoring
import Testing

/// Secrets found by the rules generated from gitleaks' rule set (scripts/secret-rules.py).
@Suite struct PIISecretRuleTests {
    @Test(arguments: [
        ("glptt-2636f927d208b210e167824ce634b62703a8d6fc", "pii.secret.gitlab_ptt"),
        ("gldt-Kq3vR8mZ2xT9pL4wN7yB", "pii.secret.gitlab_deploy_token"),
        ("GR1348941Kq3vR8mZ2xT9pL4wN7yB", "pii.secret.gitlab_rrt"),
        ("glrt-Kq3vR8mZ2xT9pL4wN7yB", "pii.secret.gitlab_runner_authentication_token"),
        ("npm_Cv2P4wUlrNQZoKefghq8KkWwJunXI8b1BI3e", "pii.secret.npm_access_token"),
        ("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", "pii.secret.shopify_access_token"),
        ("dop_v1_" + "9f3a7c2e5b8d1f4a6c0e3b7d9a2f5c8e1b4d7a0c3f6e9b2d5a8c1f4e7b0d3a6c", "pii.secret.digitalocean_pat"),
    ])
    func generatedRules(token: String, rule: String) {
        expectPII("token: 1️⃣\(token) — revoke it", entities: [.secret], [("1️⃣", rule, token)])
    }

    @Test(arguments: [
        "glptt-0000000000000000000000000000000000000000",  // entropy too low
        "glptt-2636f927d208b210e167824ce634b62703a8d6f",  // 39 hex digits
        "glptt-2636f927d208b210e167824ce634b62703a8d6fcz",  // glued to a letter
        "gldt-xxxxxxxxxxxxxxxxxxxx",  // placeholder
        "npm_install_the_package_before_you_run_it",  // not the alphabet and length
        "shpat_", "GR1348941",
    ])
    func notSecrets(text: String) {
        expectNoPII("see \(text) here", entities: [.secret])
    }

    @Test func generatedKindsAreListed() {
        #expect(PIIDetector.secretKinds.contains("gitlab_ptt"))
        #expect(PIIDetector.secretKinds.contains("openai"))
        #expect(Set(PIIDetector.secretKinds).count == PIIDetector.secretKinds.count)
    }

    @Test func aGeneratedKindIsNamedInTheFinding() {
        let outcome = PIICheck().evaluate(CheckInput(response: "glptt-2636f927d208b210e167824ce634b62703a8d6fc"))
        #expect(outcome.findings.map(\.message) == ["discloses a secret (gitleaks rule gitlab_ptt) 'glptt-2636…'"])
    }
}
