/// The kinds of secrets the detector recognises; the raw value is the last part of the rule id
/// (`pii.secret.openai`).
enum PIISecretKind: String, CaseIterable, Sendable {
    /// `sk-proj-…`, `sk-svcacct-…`, `sk-admin-…`, and legacy `sk-` + 32 or more letters and digits.
    case openai
    /// `sk-ant-api03-` + 93 characters + `AA`.
    case anthropic
    /// `sk-ant-admin01-` + 93 characters + `AA`.
    case anthropicAdmin = "anthropic_admin"
    /// AWS access key ids: `AKIA`/`ASIA`/`ABIA`/`ACCA` + 16 capitals or digits (the documentation's `…EXAMPLE` keys excepted).
    case awsAccessKey = "aws_access_key"
    /// `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 or more letters and digits; `github_pat_` + 70 or more.
    case github
    /// `glpat-` + 20 or more characters.
    case gitlab
    /// Slack tokens `xoxb-`, `xoxp-`, `xoxa-`, `xoxo-`, `xoxr-`, `xoxs-`, `xoxe-`, `xapp-`, and the configuration
    /// tokens `xoxe.xoxp-…` / `xoxe-1-…`.
    case slack
    /// `https://hooks.slack.com/services/…` and `…/workflows/…`.
    case slackWebhook = "slack_webhook"
    /// A JSON Web Token: three base64url parts, the header decoding to a JSON object with `"alg"`.
    case jwt
    /// A PEM block `-----BEGIN … PRIVATE KEY-----` with a body.
    case privateKey = "private_key"
    /// Google Cloud API keys: `AIza` + 35 characters.
    case gcpAPIKey = "gcp_api_key"
    /// Stripe secret and restricted keys: `sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`, `rk_prod_`.
    case stripe
    /// Hugging Face tokens: `hf_` or `api_org_` + 34 letters.
    case huggingface

    /// How a finding names it.
    var disclosure: String {
        switch self {
        case .openai: "OpenAI API key"
        case .anthropic: "Anthropic API key"
        case .anthropicAdmin: "Anthropic admin key"
        case .awsAccessKey: "AWS access key id"
        case .github: "GitHub token"
        case .gitlab: "GitLab token"
        case .slack: "Slack token"
        case .slackWebhook: "Slack webhook URL"
        case .jwt: "JSON Web Token"
        case .privateKey: "private key"
        case .gcpAPIKey: "Google Cloud API key"
        case .stripe: "Stripe key"
        case .huggingface: "Hugging Face token"
        }
    }
}

/// Secrets with a well-known prefix, recognised at the start of a word and validated by length, alphabet, structure
/// and a placeholder test (`xxxx…`, `abcdef…` and `…EXAMPLE` keys are not secrets).
enum PIISecrets {
    /// A secret starting at the word start `start`: its kind and end.
    static func match(_ bytes: PIIBytes, at start: Int) -> (PIISecretKind, Int)? {
        switch bytes[start] {
        case 0x73:  // s
            if bytes.hasPrefix("sk-", at: start) { return openAIOrAnthropic(bytes, start) }
            if bytes.hasPrefix("sk_live_", at: start) || bytes.hasPrefix("sk_test_", at: start) {
                return stripe(bytes, start)
            }
        case 0x72:  // r
            if bytes.hasPrefix("rk_live_", at: start) || bytes.hasPrefix("rk_test_", at: start)
                || bytes.hasPrefix("rk_prod_", at: start)
            {
                return stripe(bytes, start)
            }
        case 0x41:  // A
            if bytes.hasPrefix("AKIA", at: start) || bytes.hasPrefix("ASIA", at: start)
                || bytes.hasPrefix("ABIA", at: start) || bytes.hasPrefix("ACCA", at: start)
            {
                return aws(bytes, start)
            }
            if bytes.hasPrefix("AIza", at: start) {
                return exact(bytes, start, prefix: 4, length: 35, kind: .gcpAPIKey, alphabet: PIIASCII.isBase64URL)
            }
        case 0x67:  // g
            return github(bytes, start)
        case 0x78:  // x
            return slack(bytes, start)
        case 0x68:  // h
            if bytes.hasPrefix("hf_", at: start) { return huggingFace(bytes, start, prefix: 3) }
            return slackWebhook(bytes, start)
        case 0x61:  // a
            if bytes.hasPrefix("api_org_", at: start) { return huggingFace(bytes, start, prefix: 8) }
        case 0x65:  // e
            if bytes.hasPrefix("eyJ", at: start) { return jwt(bytes, start) }
        default:
            break
        }
        return nil
    }

    /// Exactly `length` characters of `alphabet` after the prefix, then a character outside it.
    private static func exact(
        _ bytes: PIIBytes, _ start: Int, prefix: Int, length: Int, kind: PIISecretKind,
        alphabet: (UInt8) -> Bool
    ) -> (PIISecretKind, Int)? {
        let bodyStart = start + prefix
        let end = bytes.run(from: bodyStart, limit: length + 1, while: alphabet)
        guard end - bodyStart == length, piiLooksRandom(bytes, bodyStart, end) else { return nil }
        return (kind, end)
    }

    /// At least `minimum` characters of `alphabet` after the prefix.
    private static func atLeast(
        _ bytes: PIIBytes, _ start: Int, prefix: Int, minimum: Int, kind: PIISecretKind,
        alphabet: (UInt8) -> Bool
    ) -> (PIISecretKind, Int)? {
        let bodyStart = start + prefix
        let end = bytes.run(from: bodyStart, limit: 4096, while: alphabet)
        guard end - bodyStart >= minimum, !PIIASCII.isWord(bytes[end]), piiLooksRandom(bytes, bodyStart, end) else {
            return nil
        }
        return (kind, end)
    }

    private static func openAIOrAnthropic(_ bytes: PIIBytes, _ start: Int) -> (PIISecretKind, Int)? {
        let anthropic: [(StaticString, PIISecretKind)] = [
            ("sk-ant-api03-", .anthropic), ("sk-ant-admin01-", .anthropicAdmin),
        ]
        for (prefix, kind) in anthropic where bytes.hasPrefix(prefix, at: start) {
            let bodyStart = start + prefix.utf8CodeUnitCount
            let end = bytes.run(from: bodyStart, limit: 96, while: PIIASCII.isBase64URL)
            guard end - bodyStart == 95, bytes[end - 2] == 0x41, bytes[end - 1] == 0x41,  // …AA
                piiLooksRandom(bytes, bodyStart, end - 2, runs: false)
            else { return nil }
            return (kind, end)
        }
        if bytes.hasPrefix("sk-ant-", at: start) { return nil }
        let typed: [StaticString] = ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"]
        for prefix in typed where bytes.hasPrefix(prefix, at: start) {
            return atLeast(
                bytes, start, prefix: prefix.utf8CodeUnitCount, minimum: 20, kind: .openai,
                alphabet: PIIASCII.isBase64URL)
        }
        guard
            let (kind, end) = atLeast(bytes, start, prefix: 3, minimum: 32, kind: .openai, alphabet: PIIASCII.isAlnum),
            bytes[end] != PIIASCII.minus
        else { return nil }
        return (kind, end)
    }

    private static func stripe(_ bytes: PIIBytes, _ start: Int) -> (PIISecretKind, Int)? {
        atLeast(bytes, start, prefix: 8, minimum: 20, kind: .stripe, alphabet: PIIASCII.isAlnum)
    }

    private static func aws(_ bytes: PIIBytes, _ start: Int) -> (PIISecretKind, Int)? {
        let isUpperOrDigit: (UInt8) -> Bool = { PIIASCII.isUpper($0) || PIIASCII.isDigit($0) }
        guard
            let (kind, end) = exact(bytes, start, prefix: 4, length: 16, kind: .awsAccessKey, alphabet: isUpperOrDigit),
            !PIIASCII.isWord(bytes[end]), !bytes.string(start, end).hasSuffix("EXAMPLE")
        else { return nil }
        return (kind, end)
    }

    private static func github(_ bytes: PIIBytes, _ start: Int) -> (PIISecretKind, Int)? {
        if bytes.hasPrefix("github_pat_", at: start) {
            return atLeast(bytes, start, prefix: 11, minimum: 70, kind: .github, alphabet: PIIASCII.isWord)
        }
        if bytes.hasPrefix("glpat-", at: start) {
            return atLeast(bytes, start, prefix: 6, minimum: 20, kind: .gitlab, alphabet: PIIASCII.isBase64URL)
        }
        let type = bytes[start + 2]
        guard bytes[start + 1] == 0x68, bytes[start + 3] == PIIASCII.underscore,  // gh?_
            type == 0x70 || type == 0x6F || type == 0x75 || type == 0x73 || type == 0x72  // p o u s r
        else { return nil }
        return atLeast(bytes, start, prefix: 4, minimum: 36, kind: .github, alphabet: PIIASCII.isAlnum)
    }

    private static func huggingFace(_ bytes: PIIBytes, _ start: Int, prefix: Int) -> (PIISecretKind, Int)? {
        guard
            let (kind, end) = exact(
                bytes, start, prefix: prefix, length: 34, kind: .huggingface, alphabet: PIIASCII.isLetter),
            !PIIASCII.isWord(bytes[end])
        else { return nil }
        var upper = false
        var lower = false
        for index in (start + prefix)..<end {
            if PIIASCII.isUpper(bytes.base[index]) { upper = true } else { lower = true }
        }
        return upper && lower ? (kind, end) : nil
    }

    /// Slack tokens. Bot, user, app and legacy tokens are dash-separated segments: at least one all-digit segment of
    /// six or more digits (team and user ids) and a last segment of eight or more letters and digits, mixed.
    /// Configuration tokens (`xoxe.xoxp-1-…`, `xoxe-1-…`) carry a body of 100 or more characters.
    private static func slack(_ bytes: PIIBytes, _ start: Int) -> (PIISecretKind, Int)? {
        let isTokenByte: (UInt8) -> Bool = { PIIASCII.isAlnum($0) || $0 == PIIASCII.minus }
        if bytes.hasPrefix("xoxe.xoxp-", at: start) || bytes.hasPrefix("xoxe.xoxb-", at: start)
            || bytes.hasPrefix("xoxe-1-", at: start)
        {
            let bodyStart = start + (bytes[start + 4] == PIIASCII.dot ? 10 : 7)
            let end = bytes.run(from: bodyStart, limit: 4096, while: isTokenByte)
            if end - bodyStart >= 100, !PIIASCII.isWord(bytes[end]) { return (.slack, end) }
        }
        let type = bytes[start + 3]
        let isToken =
            bytes.hasPrefix("xapp-", at: start)
            || (bytes.hasPrefix("xox", at: start) && bytes[start + 4] == PIIASCII.minus
                && (type == 0x61 || type == 0x62 || type == 0x6F || type == 0x70 || type == 0x72 || type == 0x73
                    || type == 0x65))  // a b o p r s e
        guard isToken else { return nil }
        let end = bytes.run(from: start + 5, limit: 512, while: isTokenByte)
        guard !PIIASCII.isWord(bytes[end]), bytes[end - 1] != PIIASCII.minus else { return nil }
        var hasIdentifier = false
        var segmentStart = start + 5
        var segments = 0
        for index in (start + 5)...end where index == end || bytes.base[index] == PIIASCII.minus {
            guard index > segmentStart else { return nil }
            segments += 1
            var allDigits = true
            for offset in segmentStart..<index where !PIIASCII.isDigit(bytes.base[offset]) { allDigits = false }
            if allDigits && index - segmentStart >= 6 { hasIdentifier = true }
            if index == end {
                guard segments >= 2, hasIdentifier, index - segmentStart >= 8, !allDigits,
                    piiLooksRandom(bytes, segmentStart, index)
                else { return nil }
                var hasDigit = false
                for offset in segmentStart..<index where PIIASCII.isDigit(bytes.base[offset]) { hasDigit = true }
                return hasDigit ? (.slack, end) : nil
            }
            segmentStart = index + 1
        }
        return nil
    }

    /// `https://hooks.slack.com/services/T…/B…/…` and `…/workflows/T…/A…/…/…`.
    private static func slackWebhook(_ bytes: PIIBytes, _ start: Int) -> (PIISecretKind, Int)? {
        var index = start
        if bytes.hasPrefix("https://", at: index) {
            index += 8
        } else if bytes.hasPrefix("http://", at: index) {
            index += 7
        }
        guard bytes.hasPrefix("hooks.slack.com/", at: index) else { return nil }
        index += 16
        guard bytes.hasPrefix("services/", at: index) || bytes.hasPrefix("workflows/", at: index) else { return nil }
        let pathStart = index
        let end = bytes.run(from: index, limit: 256) { PIIASCII.isAlnum($0) || $0 == PIIASCII.slash }
        var segments = 0
        var lastLength = 0
        var segmentStart = pathStart
        for position in pathStart...end where position == end || bytes.base[position] == PIIASCII.slash {
            if position > segmentStart { segments += 1 }
            lastLength = position - segmentStart
            segmentStart = position + 1
        }
        guard segments >= 4, lastLength >= 16 else { return nil }
        return (.slackWebhook, end)
    }

    /// `eyJ…` header, `.`, payload, `.`, signature (empty for `alg: none`).
    private static func jwt(_ bytes: PIIBytes, _ start: Int) -> (PIISecretKind, Int)? {
        let headerEnd = bytes.run(from: start, limit: 2048, while: PIIASCII.isBase64URL)
        guard headerEnd - start >= 10, bytes[headerEnd] == PIIASCII.dot else { return nil }
        let payloadStart = headerEnd + 1
        let payloadEnd = bytes.run(from: payloadStart, limit: 16384, while: PIIASCII.isBase64URL)
        guard payloadEnd - payloadStart >= 4, bytes[payloadEnd] == PIIASCII.dot else { return nil }
        let end = bytes.run(from: payloadEnd + 1, limit: 4096, while: PIIASCII.isBase64URL)
        guard !PIIASCII.isWord(bytes[end]) else { return nil }
        let header = base64URLDecode(bytes, start, headerEnd)
        guard header.first == 0x7B, header.last == 0x7D, containsAlgKey(header) else { return nil }
        guard base64URLDecode(bytes, payloadStart, payloadStart + 4).first == 0x7B else { return nil }
        return (.jwt, end)
    }

    private static func containsAlgKey(_ header: [UInt8]) -> Bool {
        let key: [UInt8] = Array("\"alg\"".utf8)
        guard header.count >= key.count else { return false }
        for offset in 0...(header.count - key.count) where header[offset] == 0x22 {
            if Array(header[offset..<(offset + key.count)]) == key { return true }
        }
        return false
    }

    /// Decodes base64url (no padding) in `start..<end`; stops at the first byte outside the alphabet.
    static func base64URLDecode(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((end - start) * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for index in start..<end {
            let byte = bytes.base[index]
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case PIIASCII.minus, PIIASCII.plus: value = 62
            case PIIASCII.underscore, PIIASCII.slash: value = 63
            default: return output
            }
            buffer = buffer << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return output
    }

    /// `-----BEGIN <label> PRIVATE KEY-----`, a body of at least 32 base64 characters (8 when it starts on the next
    /// line, as a pasted key file does), and the `-----END …-----` line when present (a truncated key still leaks:
    /// then the match ends with the body).
    static func privateKey(_ bytes: PIIBytes, at start: Int) -> Int? {
        guard bytes.hasPrefix("-----BEGIN ", at: start) else { return nil }
        let labelStart = start + 11
        let labelEnd = bytes.run(from: labelStart, limit: 64) {
            PIIASCII.isUpper($0) || PIIASCII.isDigit($0) || $0 == PIIASCII.space
        }
        guard bytes.hasPrefix("-----", at: labelEnd),
            bytes.string(labelStart, labelEnd).contains("PRIVATE KEY")
        else { return nil }
        let bodyStart = labelEnd + 5
        let lineBreak = bytes.run(from: bodyStart, limit: 4) { $0 == PIIASCII.space || $0 == 0x0D || $0 == 0x09 }
        let minimum = bytes[lineBreak] == 0x0A || (bytes[lineBreak] == 0x5C && bytes[lineBreak + 1] == 0x6E) ? 8 : 32
        var index = bodyStart
        var base64 = 0
        var lastBody = bodyStart
        let limit = min(bytes.count, bodyStart + 65536)
        while index < limit {
            let byte = bytes.base[index]
            if byte == PIIASCII.minus && bytes.hasPrefix("-----END ", at: index) {
                guard base64 >= minimum else { return nil }
                let endLabel = bytes.run(from: index + 9, limit: 64) {
                    PIIASCII.isUpper($0) || PIIASCII.isDigit($0) || $0 == PIIASCII.space
                }
                return bytes.hasPrefix("-----", at: endLabel) ? endLabel + 5 : lastBody
            }
            if PIIASCII.isAlnum(byte) || byte == PIIASCII.plus || byte == PIIASCII.slash || byte == 0x3D {
                base64 += 1
                lastBody = index + 1
            } else if !(byte == 0x0A || byte == 0x0D || byte == PIIASCII.space || byte == 0x5C || byte == 0x09
                || byte == PIIASCII.colon || byte == PIIASCII.minus || byte == PIIASCII.dot || byte == 0x2C)
            {
                break
            }
            index += 1
        }
        return base64 >= minimum ? lastBody : nil
    }
}
