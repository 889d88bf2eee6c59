/// Secrets in the shapes Yelp's detect-secrets recognises that neither the built-in prefixes nor gitleaks' rules
/// cover, because gitleaks wants a service's name beside them (`telegram_token = …`) and text quotes them bare:
///
/// - a value assigned to a name that says it is a password, secret or key (`password = "…"`, `"api_key": "…"`,
///   `export DB_PASSWORD=…`, `AccountKey=…`, `Пароль: …`): kind `credential`;
/// - the password of a URL's credentials (`https://user:pass@host`): kind `basic_auth`;
/// - bare tokens of fixed shape: Telegram bot tokens (`123456789:AA…`), Mailchimp keys (`…-us12`), Discord bot
///   tokens, Twilio account and key ids (`AC…`, `SK…`), Square OAuth secrets (`sq0csp-…`) and Artifactory tokens
///   (`AKC…`).
///
/// The shapes were learnt from detect-secrets' plugins (Apache-2.0, https://github.com/Yelp/detect-secrets); no code
/// or data of it is here. Placeholders (`${VAR}`, `<password>`, `****`, `your_token`, `…example…`) are no secrets.
enum PIISecretShapes {
    static let credentialKind = "credential"
    static let basicAuthKind = "basic_auth"

    /// Every kind these shapes report, for `PIIDetector.secretKinds`.
    static let kinds = [
        credentialKind, basicAuthKind, "telegram_bot_token", "mailchimp_api_key", "discord_bot_token", "twilio_key",
        "square_oauth_secret", "artifactory_token",
    ]

    // MARK: Bare tokens

    /// A token of fixed shape starting at the word start `start`: its kind and end.
    static func token(_ bytes: PIIBytes, at start: Int) -> (String, Int)? {
        let first = bytes[start]
        if PIIASCII.isDigit(first) {
            return telegram(bytes, start) ?? mailchimp(bytes, start)
        }
        switch first {
        case 0x41:  // A
            if bytes[start + 1] == 0x43 { return twilio(bytes, start) }  // AC
            if bytes.hasPrefix("AKC", at: start) { return artifactory(bytes, start) }
        case 0x53:  // S
            if bytes[start + 1] == 0x4B { return twilio(bytes, start) }  // SK
        case 0x4D, 0x4E, 0x4F:  // M N O
            return discord(bytes, start)
        case 0x62:  // b: `https://api.telegram.org/bot123456789:AA…/getUpdates`
            if bytes.hasPrefix("bot", at: start), bytes[start - 1] == PIIASCII.slash,
                PIIASCII.isDigit(bytes[start + 3]), let (kind, end) = telegram(bytes, start + 3)
            {
                return (kind, end)
            }
        case 0x73:  // s
            if bytes.hasPrefix("sq0csp-", at: start) {
                let end = bytes.run(from: start + 7, limit: 44) { PIIASCII.isBase64URL($0) || $0 == 0x5C }
                guard end - start - 7 == 43, piiLooksRandom(bytes, start + 7, end) else { return nil }
                return ("square_oauth_secret", end)
            }
        default:
            break
        }
        return PIIASCII.isHex(first) ? mailchimp(bytes, start) : nil
    }

    /// Whether the token ends at `end`: no letter, digit, `_` or `-` follows.
    private static func endsAt(_ bytes: PIIBytes, _ end: Int) -> Bool {
        !PIIASCII.isBase64URL(bytes[end])
    }

    /// `123456789:AAH…`: a bot id of 8–10 digits, a colon and 35 characters of base64url.
    private static func telegram(_ bytes: PIIBytes, _ start: Int) -> (String, Int)? {
        let digits = bytes.run(from: start, limit: 11, while: PIIASCII.isDigit)
        guard (8...10).contains(digits - start), bytes[digits] == PIIASCII.colon else { return nil }
        let end = bytes.run(from: digits + 1, limit: 36, while: PIIASCII.isBase64URL)
        guard end - digits - 1 == 35, endsAt(bytes, end), piiLooksRandom(bytes, digits + 1, end) else { return nil }
        return ("telegram_bot_token", end)
    }

    /// 32 lower-case hex digits, `-us` and a data-centre number.
    private static func mailchimp(_ bytes: PIIBytes, _ start: Int) -> (String, Int)? {
        guard bytes[start + 32] == PIIASCII.minus, bytes.hasPrefix("us", at: start + 33) else { return nil }
        let hex = bytes.run(from: start, limit: 32) { PIIASCII.isDigit($0) || $0 &- 0x61 < 6 }
        guard hex - start == 32, piiLooksRandom(bytes, start, hex) else { return nil }
        let end = bytes.run(from: start + 35, limit: 3, while: PIIASCII.isDigit)
        guard (1...2).contains(end - start - 35), endsAt(bytes, end) else { return nil }
        return ("mailchimp_api_key", end)
    }

    /// `AC` or `SK` and 32 lower-case letters or digits: a Twilio account id or API key id.
    private static func twilio(_ bytes: PIIBytes, _ start: Int) -> (String, Int)? {
        let end = bytes.run(from: start + 2, limit: 33) { PIIASCII.isDigit($0) || PIIASCII.isLower($0) }
        guard end - start == 34, endsAt(bytes, end), mixesDigitsAndLetters(bytes, start + 2, end),
            piiLooksRandom(bytes, start + 2, end)
        else { return nil }
        return ("twilio_key", end)
    }

    /// `AKC` and 10 or more letters and digits, mixed.
    private static func artifactory(_ bytes: PIIBytes, _ start: Int) -> (String, Int)? {
        let end = bytes.run(from: start + 3, limit: 128, while: PIIASCII.isAlnum)
        guard end - start >= 13, endsAt(bytes, end), mixesDigitsAndLetters(bytes, start + 3, end),
            piiLooksRandom(bytes, start + 3, end)
        else { return nil }
        return ("artifactory_token", end)
    }

    /// Three dot-separated parts: `M`/`N`/`O` + 23–25 characters (a base64 user id), 6, then 27–38.
    private static func discord(_ bytes: PIIBytes, _ start: Int) -> (String, Int)? {
        let first = bytes.run(from: start + 1, limit: 26, while: PIIASCII.isBase64URL)
        guard (23...25).contains(first - start - 1), bytes[first] == PIIASCII.dot else { return nil }
        let second = bytes.run(from: first + 1, limit: 7, while: PIIASCII.isBase64URL)
        guard second - first - 1 == 6, bytes[second] == PIIASCII.dot else { return nil }
        let end = bytes.run(from: second + 1, limit: 39, while: PIIASCII.isBase64URL)
        guard (27...38).contains(end - second - 1), endsAt(bytes, end), piiLooksRandom(bytes, second + 1, end),
            mixesDigitsAndLetters(bytes, start, first)
        else { return nil }
        return ("discord_bot_token", end)
    }

    private static func mixesDigitsAndLetters(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        var digit = false
        var letter = false
        for index in start..<end {
            if PIIASCII.isDigit(bytes.base[index]) {
                digit = true
            } else if PIIASCII.isLetter(bytes.base[index]) {
                letter = true
            }
        }
        return digit && letter
    }

    // MARK: URL credentials

    /// `user:password` of a URL whose `@` is at `at` (`https://admin:s3cret@db.example.com`): its span, or nil when
    /// no `scheme://` precedes or the password is a placeholder.
    static func basicAuth(_ bytes: PIIBytes, at: Int) -> (Int, Int)? {
        var start = at
        while start > 0, at - start < 256 {
            let byte = bytes[start - 1]
            if byte <= 0x20 || byte == PIIASCII.slash || byte == 0x22 || byte == 0x27 || byte == 0x60 || byte == 0x3C
                || byte == 0x3E || byte == PIIASCII.at
            {
                break
            }
            start -= 1
        }
        guard bytes[start - 1] == PIIASCII.slash, bytes[start - 2] == PIIASCII.slash,
            bytes[start - 3] == PIIASCII.colon,
            PIIASCII.isLetter(bytes[start - 4])
        else { return nil }
        var colon = start
        while colon < at && bytes[colon] != PIIASCII.colon { colon += 1 }
        guard colon < at - 1, !isPlaceholder(bytes, colon + 1, at) else { return nil }
        return (start, at)
    }

    // MARK: Assigned credentials

    /// Words that make a name a secret's (`db_password`, `apiKey`, `AccountKey`, `Пароль от Wi-Fi`), in lower case.
    static let credentialWords: [[UInt8]] = piiKeywords(
        "password", "passwd", "passphrase", "pwd", "secret", "api_key", "apikey", "api-key", "api key", "auth_key",
        "authkey", "access_key", "accesskey", "account_key", "accountkey", "private_key", "privatekey", "client_key",
        "service_key", "db_pass", "db_key", "token", "art-api", "iam_key", "iam-key", "iam key", "iam_api_key",
        "iam api key",
        "hmac_key", "hmac key", "contraseña", "contrasena", "парол", "токен", "секретн", "ключ api", "api-ключ",
        "ключ доступа")

    /// Words that make such a name describe a secret rather than hold one (`password_min_length`, `token_type`,
    /// `secretary`, `смена пароля`).
    static let describingWords: [[UInt8]] = piiKeywords(
        "length", "_len", "len_", "_min", "min_", "minimum", "_max", "max_", "maximum", "policy", "expir", "ttl",
        "type", "url", "uri", "path", "file", "name", "field",
        "hint", "label", "prompt", "reset", "regex", "pattern", "error", "message", "msg", "text", "title", "help",
        "desc", "placeholder", "limit", "format", "rule", "strength", "requir", "forgot", "secretary",
        "header", "endpoint", "scope", "_id", "-id", "secrets", "passwords", "tokens", "длин", "смен", "сброс",
        "восстанов", "забыл", "требован",
        "правил", "подсказ", "срок", "истек", "тип")

    /// The value assigned by the `=` or `:` (also `:=`, `=>`, `==`, `!=`) at `index` to a name of a secret: its span.
    static func credential(_ bytes: PIIBytes, operatorAt index: Int) -> (Int, Int)? {
        // the operator, and the value after it
        var valueStart = index + 1
        if bytes[valueStart] == 0x3D || bytes[valueStart] == 0x3E { valueStart += 1 }  // := == =>
        if bytes[index] == 0x3D && (bytes[index - 1] == 0x21 || bytes[index - 1] == PIIASCII.colon) { return nil }
        valueStart = bytes.run(from: valueStart, limit: 8) { $0 == PIIASCII.space || $0 == 0x09 }
        if bytes[valueStart] == PIIASCII.at && bytes[valueStart + 1] == 0x22 { valueStart += 1 }  // @"…"
        guard let (start, end) = value(bytes, at: valueStart) else { return nil }
        // the name before the operator, after up to two closing quotes or brackets
        var closed = index
        var closing = 0
        while closing < 2, bytes[closed - 1] == 0x22 || bytes[closed - 1] == 0x27 || bytes[closed - 1] == 0x5D {
            closed -= 1
            closing += 1
        }
        while bytes[closed - 1] == PIIASCII.space { closed -= 1 }
        var (nameStart, nameEnd) = name(bytes, before: closed)
        // `<add key="ApiSecret" value="…" />`: the value's name is the key attribute's
        if bytes.string(nameStart, nameEnd).lowercased() == "value", bytes[nameStart - 1] == PIIASCII.space,
            bytes[nameStart - 2] == 0x22
        {
            var keyStart = nameStart - 2
            while keyStart > 0, nameStart - keyStart < 64, bytes[keyStart - 1] != 0x22 { keyStart -= 1 }
            if bytes[keyStart - 2] == 0x3D { (nameStart, nameEnd) = (keyStart, nameStart - 2) }
        }
        guard nameStart < nameEnd, bytes.contains(credentialWords, from: nameStart, to: nameEnd),
            !bytes.contains(describingWords, from: nameStart, to: nameEnd)
        else { return nil }
        return (start, end)
    }

    /// The name before `end`: up to three words (letters, digits, `_`, `-`, `.`) within 40 bytes, the last of them
    /// with a letter (`2001:db8::1` is no name).
    private static func name(_ bytes: PIIBytes, before end: Int) -> (Int, Int) {
        var start = end
        var words = 1
        while start > 0, end - start < 40 {
            let byte = bytes[start - 1]
            if byte == PIIASCII.space {
                guard words < 3, start < end else { break }
                words += 1
            } else if !(PIIASCII.isWord(byte) || byte == PIIASCII.minus || byte == PIIASCII.dot || byte >= 0x80) {
                break
            }
            start -= 1
        }
        while start < end && (bytes[start] == PIIASCII.space || PIIASCII.isContinuation(bytes[start])) { start += 1 }
        var lastWord = end
        while lastWord > start && bytes[lastWord - 1] != PIIASCII.space { lastWord -= 1 }
        let hasLetter = (lastWord..<end).contains { PIIASCII.isLetter(bytes.base[$0]) || bytes.base[$0] >= 0x80 }
        return hasLetter ? (start, end) : (end, end)
    }

    // MARK: Passwords in prose and on command lines

    /// Words after which prose gives a password (`my password is Barsik13`, `мой пароль Sunny57#`).
    static let passwordWords: [[UInt8]] = piiKeywords("password", "passcode", "passwd", "пароль")

    /// A password given in prose after the password word ending at `wordEnd`: ` is X`, ` was X`, ` — X`, ` - X`,
    /// ` это X`, or just ` X`; the value must look like a password, not a word (`password is incorrect`).
    static func prose(_ bytes: PIIBytes, afterWordAt wordStart: Int, end wordEnd: Int) -> (Int, Int)? {
        guard PIIPersonName.isOne(of: passwordWords, bytes, wordStart, wordEnd), bytes[wordEnd] == PIIASCII.space
        else { return nil }
        var index = wordEnd + 1
        for joiner in proseJoiners where bytes.hasPrefix(joiner, at: index) {
            index += joiner.count
            break
        }
        return value(bytes, at: index)
    }

    static let proseJoiners: [[UInt8]] = piiKeywords("is ", "was ", "— ", "- ", "– ", "это ", "будет ")

    /// `curl -u admin:s3cret`, `--user admin:s3cret`: the credentials after the option at `start`.
    static func commandLineUser(_ bytes: PIIBytes, at start: Int) -> (Int, Int)? {
        var index: Int
        if bytes.hasPrefix("-u ", at: start) {
            index = start + 3
        } else if bytes.hasPrefix("--user ", at: start) || bytes.hasPrefix("--user=", at: start) {
            index = start + 7
        } else {
            return nil
        }
        guard !PIIASCII.isWord(bytes[start - 1]) else { return nil }
        if bytes[index] == 0x22 || bytes[index] == 0x27 { index += 1 }
        let end = bytes.run(from: index, limit: 256) { $0 > 0x20 && $0 != 0x22 && $0 != 0x27 }
        var colon = index
        while colon < end && bytes[colon] != PIIASCII.colon { colon += 1 }
        guard colon > index, end - colon > 1, !isPlaceholder(bytes, colon + 1, end) else { return nil }
        return (index, end)
    }

    /// A value at `start`: quoted (`"…"`, `'…'`, `` `…` ``, up to its closing quote on the line) or bare (up to a
    /// space, quote, `,` or `;`, without a trailing `.` or `:`); long enough, with a letter or digit, not a placeholder, and
    /// for a bare value not a plain word (`password: required`); one of 16 characters or more must look random
    /// (`12345678-ABCD-ABCD-…` is a placeholder).
    static func value(_ bytes: PIIBytes, at start: Int) -> (Int, Int)? {
        let quote = bytes[start]
        if quote == 0x22 || quote == 0x27 || quote == 0x60 {
            let end = bytes.run(from: start + 1, limit: 256) { $0 != quote && $0 != 0x0A && $0 != 0x0D }
            guard bytes[end] == quote, end - start - 1 >= 6, hasAlnum(bytes, start + 1, end),
                !isPlaceholder(bytes, start + 1, end), end - start - 1 < 16 || piiLooksRandom(bytes, start + 1, end),
                !isPlainWord(bytes, start + 1, end) || end - start - 1 >= 12
            else { return nil }
            return (start + 1, end)
        }
        var end = bytes.run(from: start, limit: 256) {
            $0 > 0x20 && $0 != 0x22 && $0 != 0x27 && $0 != 0x60 && $0 != 0x2C && $0 != 0x3B
        }
        while end > start, bytes[end - 1] == PIIASCII.dot || bytes[end - 1] == PIIASCII.colon { end -= 1 }
        if bytes[end - 1] == PIIASCII.closeParen && !bytes.contains([[PIIASCII.openParen]], from: start, to: end) {
            end -= 1
        }
        guard end - start >= 6, hasAlnum(bytes, start, end), !isPlainWord(bytes, start, end),
            !isPlaceholder(bytes, start, end), end - start < 16 || piiLooksRandom(bytes, start, end)
        else { return nil }
        return (start, end)
    }

    private static func hasAlnum(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        (start..<end).contains { PIIASCII.isAlnum(bytes.base[$0]) || bytes.base[$0] >= 0x80 }
    }

    /// Letters of one case after an optional capital, with at most `_`, `-` or `.` between them (`required`,
    /// `Bearer`, `real_key`, `not-set`): a word, not a password. Digits, symbols or mixed case make a password.
    private static func isPlainWord(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        var upper = 0
        var lower = 0
        for index in start..<end {
            let byte = bytes.base[index]
            if PIIASCII.isUpper(byte) {
                upper += 1
            } else if PIIASCII.isLower(byte) || byte >= 0x80 {
                lower += 1
            } else if !(byte == PIIASCII.underscore || byte == PIIASCII.minus || byte == PIIASCII.dot
                || byte == PIIASCII.space)
            {
                return false
            }
        }
        return upper <= 1 || lower == 0
    }

    /// Words that make a value an example or a stand-in (`your_api_key`, `fake-secret`, `REDACTED`).
    static let placeholderWords: [[UInt8]] = piiKeywords(
        "example", "fake", "dummy", "placeholder", "sample", "your_", "your-", "yourpass", "your pass", "your key",
        "redacted", "changeme", "change_me", "xxxx", "****", "••", "...", "…", "env[", "environ", "getenv",
        "process.env", "ваш_", "ваш пароль", "пример")

    private static func isPlaceholder(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        if bytes.contains(placeholderWords, from: start, to: end) { return true }
        // `$DB_PASSWORD`, `${link}`, `%PASSWORD%`, `%s`: a variable, not its value; `<password>`, `{{ token }}`: a
        // template's slot
        let first = bytes[start]
        let last = bytes[end - 1]
        if first == 0x24 || first == PIIASCII.percent { return true }
        if (first == 0x3C && last == 0x3E) || (first == 0x7B && last == 0x7D) || (first == 0x5B && last == 0x5D) {
            return true
        }
        // one character repeated (`--------`, `00000000`)
        return (start..<end).allSatisfy { bytes.base[$0] == bytes.base[start] }
    }
}
