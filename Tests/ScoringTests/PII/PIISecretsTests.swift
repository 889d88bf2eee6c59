import Scoring
import Testing

/// Tokens are assembled at run time from a prefix and a random-looking body, so that this file holds nothing a
/// secret scanner would flag.
@Suite struct PIISecretsTests {
    static let body40 = "R8vK2mQ7xL4nT9pW3zH6bJ1cF5gD0sA8yE2uV7kN"
    static let letters34 = "jCBaQngSHiHDRYOcsMcifUcysGyaiybUWz"

    static func secret(_ prefix: String, _ body: String) -> String { prefix + body }

    @Test func openAIKeys() {
        for key in [
            Self.secret("sk-" + "proj-", "SevzWEV_NmNnMndQ5gn6-PjFcX_9ay5SEKse8AL0"),
            Self.secret("sk-" + "svcacct-", Self.body40), Self.secret("sk-" + "admin-", Self.body40),
            Self.secret("sk-", Self.body40 + "Zq3Wm9Pz"),
        ] {
            expectPII("Ваш ключ: 1️⃣\(key) — храните его", entities: [.secret], [("1️⃣", "pii.secret.openai", key)])
        }
    }

    @Test func anthropicKeys() {
        let body = String(repeating: Self.body40, count: 3).prefix(93) + "AA"
        let key = Self.secret("sk-" + "ant-api03-", String(body))
        expectPII("key=1️⃣\(key)", entities: [.secret], [("1️⃣", "pii.secret.anthropic", key)])
        let admin = Self.secret("sk-" + "ant-admin01-", String(body))
        expectPII("1️⃣\(admin)", entities: [.secret], [("1️⃣", "pii.secret.anthropic_admin", admin)])
        expectNoPII(Self.secret("sk-" + "ant-api03-", String(body.dropLast(2)) + "BB"), entities: [.secret])
        expectNoPII(Self.secret("sk-" + "ant-api03-", String(body.dropFirst(30))), entities: [.secret])
    }

    @Test func cloudKeys() {
        let aws = Self.secret("AK" + "IA", "Z7Q2R4T6V8X3B5N9")
        expectPII("aws_access_key_id = 1️⃣\(aws)", entities: [.secret], [("1️⃣", "pii.secret.aws_access_key", aws)])
        let session = Self.secret("AS" + "IA", "Z7Q2R4T6V8X3B5N9")
        expectPII("1️⃣\(session)", entities: [.secret], [("1️⃣", "pii.secret.aws_access_key", session)])
        let gcp = Self.secret("AI" + "za", "SyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-")
        expectPII("apiKey: \"1️⃣\(gcp)\"", entities: [.secret], [("1️⃣", "pii.secret.gcp_api_key", gcp)])
        let stripe = Self.secret("sk_" + "live_", Self.body40)
        expectPII("1️⃣\(stripe)", entities: [.secret], [("1️⃣", "pii.secret.stripe", stripe)])
        let restricted = Self.secret("rk_" + "test_", Self.body40)
        expectPII("1️⃣\(restricted)", entities: [.secret], [("1️⃣", "pii.secret.stripe", restricted)])
    }

    @Test func codeHostingTokens() {
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
            let token = Self.secret(prefix, String(Self.body40.prefix(36)))
            expectPII("token: 1️⃣\(token)", entities: [.secret], [("1️⃣", "pii.secret.github", token)])
        }
        let fineGrained = Self.secret("github_" + "pat_", Self.body40 + "_" + Self.body40 + "Ab")
        expectPII("1️⃣\(fineGrained)", entities: [.secret], [("1️⃣", "pii.secret.github", fineGrained)])
        let gitlab = Self.secret("gl" + "pat-", "Xq7-Lm2Np9Rt4Vw8Zy3B")
        expectPII("1️⃣\(gitlab)", entities: [.secret], [("1️⃣", "pii.secret.gitlab", gitlab)])
        let huggingFace = Self.secret("hf" + "_", Self.letters34)
        expectPII(
            "huggingface-cli login --token 1️⃣\(huggingFace)", entities: [.secret],
            [("1️⃣", "pii.secret.huggingface", huggingFace)])
    }

    @Test func slackTokensAndWebhooks() {
        for token in [
            Self.secret("xo" + "xb-", "781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD"),
            Self.secret("xo" + "xp-", "41684372915-1320496754-45609968301-e708ba56e1517a99f6b5fb07349476ef"),
            Self.secret("xo" + "xs-", "3206092076-3204538285-3743137121-836b042620"),
            Self.secret("xa" + "pp-", "1-A052FGTS2DL-5171572773297-610b6a11f4b7eb819e87b767d80e6575"),
        ] {
            expectPII("\"token\": \"1️⃣\(token)\"", entities: [.secret], [("1️⃣", "pii.secret.slack", token)])
        }
        let hook = Self.secret("https://hooks." + "slack.com/services/", "T0DCUJB1Q/B0DD08H5G/bJtrpFi1fO1JMCcwLx8uZyAg")
        expectPII("Webhook: 1️⃣\(hook)", entities: [.secret], [("1️⃣", "pii.secret.slack_webhook", hook)])
    }

    @Test func jsonWebTokens() {
        let token = [
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
            "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        ].joined(separator: ".")
        expectPII("Authorization: Bearer 1️⃣\(token)", entities: [.secret], [("1️⃣", "pii.secret.jwt", token)])
        let unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0LXVzZXIifQ."
        expectPII("1️⃣\(unsigned)", entities: [.secret], [("1️⃣", "pii.secret.jwt", unsigned)])
        // A header without "alg", and a payload that is not a JSON object, are not tokens.
        expectNoPII("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", entities: [.secret])
        expectNoPII("eyJhbGciOiJIUzI1NiJ9.aGVsbG8gd29ybGQ.c2lnbmF0dXJl", entities: [.secret])
    }

    @Test func privateKeyBlocks() {
        let body = String(repeating: "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi", count: 2)
        let block = "-----BEGIN RSA PRIVATE KEY-----\n\(body)\n-----END RSA PRIVATE KEY-----"
        expectPII("Вот ключ:\n1️⃣\(block)\n", entities: [.secret], [("1️⃣", "pii.secret.private_key", block)])
        let truncated = "-----BEGIN PRIVATE KEY-----\n\(body)"
        expectPII("1️⃣\(truncated)\n…", entities: [.secret], [("1️⃣", "pii.secret.private_key", truncated)])
        expectNoPII("-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----", entities: [.secret])
        expectNoPII("-----BEGIN PUBLIC KEY-----\n\(body)\n-----END PUBLIC KEY-----", entities: [.secret])
    }

    @Test(arguments: [
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AKIAIOSFODNN7EXAMPLE", "AKIAXXXXXXXXXXXXXXXX",
        "TODAYINASIAASACKOFRICEFELLOVER", "AIzaSyabcdefghijklmnopqrstuvwxyz1234567",
        "AIZASYCO2CXRMC9ELSKLHLHRMBSWDEVEDZTLO2O",
        "xoxb-xxx", "xoxb-12345-abcd234", "xoxp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d",
        "xoxe.xoxp-1-RANDOMSTRINGHERE", "hf_requiredCharacteristicTypesForDisplayMetadata", "sk-learn is a library",
        "glpat-XXXXXXXXXXX-XXXXXXXX", "askAIzaSyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-",
        "https://hooks.slack.com/services/T0/B0",
        "sk_live_short",
    ])
    func rejectsPlaceholdersAndLookalikes(text: String) {
        expectNoPII(text, entities: [.secret])
    }
}
