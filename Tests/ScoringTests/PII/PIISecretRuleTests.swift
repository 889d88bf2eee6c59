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

/// gitleaks' alternations expanded by scripts/secret-rules.py, and its keyword rules (`KEYWORD = value`).
@Suite struct PIIKeywordRuleTests {
    @Test(arguments: [
        ("heroku_api_key = \"", "832d2129-a846-4e27-99f4-7004b6ad53ef\"", "pii.secret.heroku_api_key"),
        ("export SUMOLOGIC_ACCESSID=\"", "suDbJw97o9WVo0\"", "pii.secret.sumologic_access_id"),
        ("facebook_app_secret: ", "6dca6432e45d933e13650d1882bd5e69", "pii.secret.facebook_secret"),
        ("BUNDLE_GEMS__CONTRIBSYS__COM: \"", "cafebabe:deadbeef\"", "pii.secret.sidekiq_secret"),
        ("SNYK_TOKEN ::= '", "5f0c2e1a-9b7d-4c3e-8a6f-1d2b3c4e5f60'", "pii.secret.snyk_api_token"),
    ])
    func keywordRules(assignment: String, value: String, rule: String) {
        let secret = String(value.prefix { $0 != "\"" && $0 != "'" })
        expectPII("\(assignment)1️⃣\(value)", entities: [.secret], [("1️⃣", rule, secret)])
    }

    @Test(arguments: [
        ("sgp_local_d7dfFD43cF2503B1da673EB560aAa3e80f16FA42", "pii.secret.sourcegraph_access_token"),
        ("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", "pii.secret.notion_api_token"),
        ("fo1_Kq3vR8mZ2xT9pL4wN7yBc6dE5fG1hJ0kM3nP8qR2sTu", "pii.secret.flyio_access_token"),
    ])
    func expandedAlternatives(token: String, rule: String) {
        expectPII("token: 1️⃣\(token) — revoke it", entities: [.secret], [("1️⃣", rule, token)])
    }

    @Test(arguments: [
        "Sumo, wrestling and judo are sports; the programme covers everything else.",  // a comma before a long word
        "sumObj = suGyI5imvADdvU",  // `sumO` is not gitleaks' `[Ss]umo`
        "id = \"0736f5ef-7e88-499a-80cc-90c85d2a5180\"",  // a UUID without a keyword
        "commit: 9a038989604e8da62ecddbe2094b16ce1b778be1",  // a git SHA
        "heroku_api_key = \"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\"",  // placeholder
        "snyk_token = \"12345678-ABCD-ABCD-ABCD-1234567890AB\"",  // sequential placeholder
        "sumologic_access_id         = \"\"",
        "export SUMOLOGIC_ACCESSID=XXXXXXXXXXXXXX",
        "integrity sha512-Kq3vR8mZ2xT9pL4wN7yBc6dE5fG1hJ0kM3nP8qR2sTu==",  // a lockfile hash
        "![logo](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==)",
        "OPENAI_API_KEY=sk-...XXXX",
        "http://assets.r7.com/media_box/video_box.ico-7a388b69018576d24b59331fd60aab0c",  // a file name
    ])
    func notSecrets(text: String) {
        expectNoPII(text, entities: [.secret])
    }

    @Test func keywordKindsAreListed() {
        #expect(PIIDetector.secretKinds.contains("heroku_api_key"))
        #expect(PIIDetector.secretKinds.contains("sumologic_access_id"))
    }
}
