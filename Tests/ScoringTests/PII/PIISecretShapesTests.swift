import Scoring
import Testing

/// Secrets in the shapes of detect-secrets' plugins: values assigned to a secret's name, URL and command-line
/// credentials, passwords in prose, and bare tokens of fixed shape.
@Suite struct PIISecretShapesTests {
    @Test(arguments: [
        ("password = \"1️⃣Xk9#mP2qLw8zR4vT\"", "Xk9#mP2qLw8zR4vT"), ("db_password: 1️⃣s3cr3tPassw0rd!", "s3cr3tPassw0rd!"),
        ("export DB_PASSWORD=1️⃣Zq8vN3xL0pW2", "Zq8vN3xL0pW2"),
        ("{\"api_key\": \"1️⃣a8f5f167f44f4964e6c998dee827110c\"}", "a8f5f167f44f4964e6c998dee827110c"),
        ("Пароль от Wi-Fi: 1️⃣Kofe2024!", "Kofe2024!"),
        (
            "password = \"1️⃣value with quotes and spaces\"",
            "value with quotes and spaces"
        ),
        ("apikey := `1️⃣m{{h}o)p${e]nob(ody[finds>-_$#thisone}}`", "m{{h}o)p${e]nob(ody[finds>-_$#thisone}}"),
        ("<add key=\"ApiSecret\" value=\"1️⃣5V3qbFenOdlOXNLFdjnz31XKwrt7DUnx\" />", "5V3qbFenOdlOXNLFdjnz31XKwrt7DUnx"),
        ("my password is 1️⃣Barsik13, please reset 2FA", "Barsik13"), ("мой пароль 1️⃣Sunny57#, сбросьте", "Sunny57#"),
        (
            "AccountKey=1️⃣lJzRc1YdHaAA2KCNJJ1tkYwF/+mKK6Ygw0NGe170Xu592euJv2wYUtBlV8z+qnlcNQSnIYVTkLWntUO1F8j8rQ==;x=1",
            "lJzRc1YdHaAA2KCNJJ1tkYwF/+mKK6Ygw0NGe170Xu592euJv2wYUtBlV8z+qnlcNQSnIYVTkLWntUO1F8j8rQ=="
        ),
    ])
    func namedValues(text: String, value: String) {
        expectPII(text, entities: [.secret], [("1️⃣", "pii.secret.credential", value)])
    }

    @Test(arguments: [
        "password = \"somefakekey\"", "password: ${link}", "some_key = \"real_secret\"", "api_key = \"\"",
        "Password: at least 8 characters", "Пароль: не менее 8 символов, включая цифры", "password_min_length: 12",
        "token_type: bearer", "Your password: ********", "password: <your password>", "secret: nobody knows",
        "Failed password for root from 2001:db8:2d5::2af port 52144 ssh2", "my password is incorrect",
        "snyk_token = \"12345678-ABCD-ABCD-ABCD-1234567890AB\"", "password = $DB_PASSWORD",
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "Request ID: 5f2b9c1e-8a7d-4e3b-9c1f-2a6b8d4e7f90",
        "commit 3f2a9c8b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a", "if (password != null) {",
    ])
    func notSecrets(text: String) {
        expectNoPII(text, entities: [.secret])
    }

    @Test func aTokenOfAKnownKindKeepsItsKindWhenItsNameComesFirst() {
        expectPII(
            "token: 1️⃣ghp_R8vK2mQ7xL4nT9pW3zH6bJ1cF5gD0sA8yE2u", entities: [.secret],
            [("1️⃣", "pii.secret.github", "ghp_R8vK2mQ7xL4nT9pW3zH6bJ1cF5gD0sA8yE2u")])
    }

    @Test func urlAndCommandLineCredentials() {
        expectPII(
            "postgres://1️⃣admin:Sup3rS3cret@db.example.com:5432/prod",
            [("1️⃣", "pii.secret.basic_auth", "admin:Sup3rS3cret")])
        expectPII(
            "curl -u 1️⃣admin:Moscow1131# https://jenkins.example.org", entities: [.secret],
            [("1️⃣", "pii.secret.basic_auth", "admin:Moscow1131#")])
        expectNoPII("https://user:<password>@example.com", entities: [.secret])
        expectPII(
            "https://api.telegram.org/1️⃣bot3140307575:AAR1V2xVbB22-TxbRmPG-60sqNp25eEOa9s/getUpdates",
            entities: [.secret],
            [("1️⃣", "pii.secret.telegram_bot_token", "bot3140307575:AAR1V2xVbB22-TxbRmPG-60sqNp25eEOa9s")])
        expectNoPII("see https://example.com/@ivan for news", entities: [.secret])
    }

    @Test(arguments: [
        ("110201543:AAHdqTcvCH1vGWJxfSe1ofSAs0K5PALDsaw", "pii.secret.telegram_bot_token"),
        ("343ea45721923ed956e2b38c31db76aa-us30", "pii.secret.mailchimp_api_key"),
        ("MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs", "pii.secret.discord_bot_token"),
        ("AC1f2e3d4c5b6a79881726354453627181", "pii.secret.twilio_key"),
        ("sq0csp-Rq8Zt3_mWx7Kc2-Hv9Lp4Ny6Bd1Fs5Gj0Ta3Ue8Xo2w", "pii.secret.square_oauth_secret"),
        ("AKCp8jQ9Rz3xYwVbN2mL5kPq7", "pii.secret.artifactory_token"),
    ])
    func bareTokens(token: String, rule: String) {
        expectPII("key 1️⃣\(token) here", entities: [.secret], [("1️⃣", rule, token)])
    }

    @Test(arguments: [
        "bot110201543:AAHdqTcvCH1vGWJxfSe1ofSAs0K5PALDsaw", "3ea4572956e2b381923ed34c31db76aa-2",
        "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AKCELERATORSERVICE", "arn:aws:sns:aaa:111122223333:aaaaaaaaaaaaaaaaaaa",
    ])
    func notTokens(text: String) {
        expectNoPII(text, entities: [.secret])
    }

    @Test func aPrivateKeyPastedWithAShortBody() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nsuper secret private key here\n-----END RSA PRIVATE KEY-----"
        #expect(PIIDetector(entities: [.secret]).detect(in: text).map(\.kind) == ["private_key"])
        expectNoPII("Your key file starts with -----BEGIN RSA PRIVATE KEY----- and ends with END.", entities: [.secret])
    }
}
