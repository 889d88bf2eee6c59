import EvalCore

/// Finds personal data and secrets in a text: the engine of the `pii` check, reusable by `evalgate scan` and other
/// checks.
///
/// One pass over the UTF-8 bytes finds candidates by cheap byte tests (a digit run with its separators, `@`, `+`,
/// `:` for IPv6, `-----BEGIN`, a known secret prefix at a word start, an assignment followed by a long value for
/// gitleaks' keyword rules, two capitals and two digits for an IBAN); only
/// candidates are validated precisely (checksums, lengths, ranges, context words). Where two matches overlap, the
/// longer wins. A detector is a value without mutable state: build it once and share it between tasks.
public struct PIIDetector: Sendable {
    /// The entities this detector reports.
    public let entities: Set<PIIEntity>
    /// Whether ambiguous shapes need their context word (a bare `4508 123456` is a passport only near `паспорт`).
    /// The `pii` check turns it off when it collects what the user already said, to recognise echoes generously.
    let requiresContext: Bool
    private let wants: PIIEntitySet

    public init(entities: Set<PIIEntity> = Set(PIIEntity.allCases)) {
        self.init(entities: entities, requiresContext: true)
    }

    init(entities: Set<PIIEntity>, requiresContext: Bool) {
        self.entities = entities
        self.requiresContext = requiresContext
        wants = PIIEntitySet(entities)
    }

    /// The secret kinds `detect` can report in `PIIMatch.kind` (and in rule ids `pii.secret.<kind>`).
    public static let secretKinds: [String] = {
        var kinds = PIISecretKind.allCases.map(\.rawValue)
        for rule in PIISecretRule.gitleaks where !kinds.contains(rule.kind) { kinds.append(rule.kind) }
        for rule in PIIKeywordRule.gitleaks where !kinds.contains(rule.kind) { kinds.append(rule.kind) }
        for kind in PIISecretShapes.kinds where !kinds.contains(kind) { kinds.append(kind) }
        return kinds
    }()

    /// Every match, in text order, none overlapping another.
    public func detect(in text: String) -> [PIIMatch] {
        guard !text.isEmpty, !entities.isEmpty else { return [] }
        var text = text
        return text.withUTF8 { buffer -> [PIIMatch] in
            guard let base = buffer.baseAddress else { return [] }
            let bytes = PIIBytes(base: base, count: buffer.count)
            var scanner = PIIScanner(bytes: bytes, wants: wants, requiresContext: requiresContext)
            scanner.scan()
            return scanner.resolved().map { match in
                PIIMatch(
                    entity: match.entity,
                    kind: match.ruleKind ?? match.kind?.rawValue,
                    span: TextSpan(start: match.start, end: match.end),
                    text: bytes.string(match.start, match.end),
                    reason: match.reason
                )
            }
        }
    }
}

/// Which entities a scan looks for, as plain flags for the inner loop.
struct PIIEntitySet: Sendable {
    let email, phone, card, iban, ip, passportRU, inn, snils, ogrn, ogrnip, ssn, secret, bankAccountRU, personName,
        address: Bool
    /// Whether any digit-based entity is wanted.
    let numbers: Bool

    init(_ entities: Set<PIIEntity>) {
        email = entities.contains(.email)
        phone = entities.contains(.phone)
        card = entities.contains(.card)
        iban = entities.contains(.iban)
        ip = entities.contains(.ip)
        passportRU = entities.contains(.passportRU)
        inn = entities.contains(.inn)
        snils = entities.contains(.snils)
        ogrn = entities.contains(.ogrn)
        ogrnip = entities.contains(.ogrnip)
        ssn = entities.contains(.ssn)
        secret = entities.contains(.secret)
        bankAccountRU = entities.contains(.bankAccountRU)
        personName = entities.contains(.personName)
        address = entities.contains(.address)
        numbers = phone || card || ip || passportRU || inn || snils || ogrn || ogrnip || ssn || bankAccountRU
    }
}

struct PIIRawMatch {
    var entity: PIIEntity
    var kind: PIISecretKind?
    var start: Int
    var end: Int
    /// Why a number is reported: `checksum valid, labelled 'инн'`.
    var reason: String? = nil
    /// The kind of a secret found by a gitleaks rule (`gitlab_ptt`), when no built-in kind matched.
    var ruleKind: String? = nil
}

/// One scan of one text.
struct PIIScanner {
    let bytes: PIIBytes
    let wants: PIIEntitySet
    let requiresContext: Bool
    var matches: [PIIRawMatch] = []
    /// Scratch space for digit chunks, reused from one to the next.
    var chunk = PIIDigitChunk()
    /// Colons before this offset belong to a token already tried as IPv6.
    private var ipv6TriedUntil = 0

    init(bytes: PIIBytes, wants: PIIEntitySet, requiresContext: Bool) {
        self.bytes = bytes
        self.wants = wants
        self.requiresContext = requiresContext
    }

    mutating func scan() {
        let base = bytes.base
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = base[index]
            if PIIASCII.isDigit(byte) {
                index = scanDigits(at: index)
                continue
            }
            if PIIASCII.isLetter(byte) || byte == PIIASCII.underscore {
                index = scanWord(at: index)
                continue
            }
            if byte == 0xD0 || byte == 0xD1 {
                index = scanCyrillicWord(at: index)
                continue
            }
            if wants.secret,
                byte == 0x3D || byte == PIIASCII.colon || byte == 0x2C || byte == 0x3E || byte == 0x7C || byte == 0x3F
            {
                if let (rule, start, end) = PIIKeywordRule.match(bytes, operatorAt: index) {
                    matches.append(PIIRawMatch(entity: .secret, kind: nil, start: start, end: end, ruleKind: rule.kind))
                    index = end
                    continue
                }
                if byte == 0x3D || byte == PIIASCII.colon,
                    let (start, end) = PIISecretShapes.credential(bytes, operatorAt: index)
                {
                    index = appendNamedSecret(start, end)
                    continue
                }
            }
            switch byte {
            case PIIASCII.at:
                if wants.secret, let (start, end) = PIISecretShapes.basicAuth(bytes, at: index) {
                    matches.append(
                        PIIRawMatch(
                            entity: .secret, kind: nil, start: start, end: end, ruleKind: PIISecretShapes.basicAuthKind
                        ))
                    index = end + 1
                    continue
                }
                if wants.email, let (start, end) = PIIEmail.match(bytes, at: index) {
                    matches.append(PIIRawMatch(entity: .email, kind: nil, start: start, end: end))
                    index = end
                    continue
                }
            case PIIASCII.plus, PIIASCII.openParen:
                if wants.numbers, PIIASCII.isDigit(bytes[index + 1]), !PIIASCII.isWord(bytes[index - 1]) {
                    index = scanNumber(at: index)
                    continue
                }
            case PIIASCII.colon:
                if wants.ip, index >= ipv6TriedUntil {
                    switch PIIIPAddress.ipv6(bytes, colonAt: index) {
                    case .match(let start, let end):
                        matches.append(PIIRawMatch(entity: .ip, kind: nil, start: start, end: end))
                        index = end
                        continue
                    case .rejected(let until):
                        ipv6TriedUntil = until
                    case .none:
                        break
                    }
                }
            case PIIASCII.minus:
                if wants.secret, bytes[index + 1] == PIIASCII.minus, let end = PIISecrets.privateKey(bytes, at: index) {
                    matches.append(PIIRawMatch(entity: .secret, kind: .privateKey, start: index, end: end))
                    index = end
                    continue
                }
                if wants.secret, let (start, end) = PIISecretShapes.commandLineUser(bytes, at: index) {
                    matches.append(
                        PIIRawMatch(
                            entity: .secret, kind: nil, start: start, end: end, ruleKind: PIISecretShapes.basicAuthKind
                        ))
                    index = end
                    continue
                }
            default:
                break
            }
            index += 1
        }
    }

    /// A secret found by its name (`token: …`): a token of a known kind keeps its kind (`pii.secret.github`), anything
    /// else is a `credential`. Returns where scanning continues.
    private mutating func appendNamedSecret(_ start: Int, _ end: Int) -> Int {
        var match = PIIRawMatch(
            entity: .secret, kind: nil, start: start, end: end, ruleKind: PIISecretShapes.credentialKind)
        if let (kind, tokenEnd) = PIISecrets.match(bytes, at: start) {
            (match.kind, match.ruleKind, match.end) = (kind, nil, tokenEnd)
        } else if let (rule, tokenEnd) = PIISecretRule.match(bytes, at: start) {
            (match.ruleKind, match.end) = (rule.kind, tokenEnd)
        } else if let (kind, tokenEnd) = PIISecretShapes.token(bytes, at: start) {
            (match.ruleKind, match.end) = (kind, tokenEnd)
        }
        matches.append(match)
        return max(end, match.end)
    }

    /// A digit: a number starts here unless the digit is glued to a word (`abc123`), which is skipped whole.
    private mutating func scanDigits(at index: Int) -> Int {
        if wants.secret && !PIIASCII.isWord(bytes[index - 1]), let (kind, end) = PIISecretShapes.token(bytes, at: index)
        {
            matches.append(PIIRawMatch(entity: .secret, kind: nil, start: index, end: end, ruleKind: kind))
            return end
        }
        // `455136, Казань, …`: a Russian address may open with its postcode
        if wants.address && !PIIASCII.isWord(bytes[index - 1]) && bytes[index + 6] == 0x2C,
            let (start, end) = PIIAddress.russian(bytes, at: index)
        {
            matches.append(PIIRawMatch(entity: .address, kind: nil, start: start, end: end))
            return end
        }
        if wants.address && !PIIASCII.isWord(bytes[index - 1]),
            let (start, end) = PIIAddress.latinFromHouseNumber(bytes, at: index) ?? PIIAddress.french(bytes, at: index)
        {
            matches.append(PIIRawMatch(entity: .address, kind: nil, start: start, end: end))
            return end
        }
        if wants.numbers && !PIIASCII.isWord(bytes[index - 1]) {
            return scanNumber(at: index)
        }
        return bytes.run(from: index + 1, while: PIIASCII.isWord)
    }

    /// A Cyrillic letter: at a word start it may begin a name, a cue for one, or a Russian address; either way the
    /// rest of the word is skipped.
    private mutating func scanCyrillicWord(at index: Int) -> Int {
        var wordEnd = index + 2
        while PIIASCII.isCyrillicLead(bytes[wordEnd]) && PIIASCII.isContinuation(bytes[wordEnd + 1]) { wordEnd += 2 }
        let previous = bytes[index - 1]
        guard !PIIASCII.isWord(previous),
            !(PIIASCII.isContinuation(previous) && PIIASCII.isCyrillicLead(bytes[index - 2]))
        else { return wordEnd }
        let length = wordEnd - index
        let next = bytes[wordEnd]
        if wants.secret, length == 12, let (start, end) = PIISecretShapes.prose(bytes, afterWordAt: index, end: wordEnd)
        {
            matches.append(
                PIIRawMatch(
                    entity: .secret, kind: nil, start: start, end: end, ruleKind: PIISecretShapes.credentialKind))
            return end
        }
        if wants.personName {
            if PIIPersonName.isCyrillicCapital(bytes, index), let end = PIIPersonName.russian(bytes, at: index) {
                matches.append(PIIRawMatch(entity: .personName, kind: nil, start: index, end: end))
                return end
            }
            // the Cyrillic cues: `фио`, `имя`, `уважением`, `получатель`
            if PIIPersonName.cyrillicCueLengths.contains(length), PIIPersonName.mayCue(bytes[index], bytes[index + 1]),
                let (start, end) = PIIPersonName.cued(bytes, at: index)
            {
                matches.append(PIIRawMatch(entity: .personName, kind: nil, start: start, end: end))
                return end
            }
        }
        // An address starts at a capitalised word (a settlement, region or street name) or at a marker: an
        // abbreviation with a dot (`ул.`, `г.`) or a dash (`пр-т`), glued to a number (`кв.5`, `к1`), or a word of
        // two letters or more before a space (`ул `, `улица `).
        if wants.address,
            PIIPersonName.isCyrillicCapital(bytes, index) || next == PIIASCII.dot || next == PIIASCII.minus
                || PIIASCII.isDigit(next) || (next == PIIASCII.space && length >= 4 && length <= 20),
            let (start, end) = PIIAddress.russian(bytes, at: index)
        {
            matches.append(PIIRawMatch(entity: .address, kind: nil, start: start, end: end))
            return end
        }
        return wordEnd
    }

    /// A letter: at a word start it may begin a secret or an IBAN; either way the rest of the word is skipped.
    private mutating func scanWord(at index: Int) -> Int {
        if !PIIASCII.isWord(bytes[index - 1]) {
            if wants.personName {
                if PIIPersonName.mayCue(bytes[index], bytes[index + 1]),
                    let (start, end) = PIIPersonName.cued(bytes, at: index)
                {
                    matches.append(PIIRawMatch(entity: .personName, kind: nil, start: start, end: end))
                    return end
                }
                if bytes[index + 1] == PIIASCII.dot, let end = PIIPersonName.initialAndSurname(bytes, at: index) {
                    matches.append(PIIRawMatch(entity: .personName, kind: nil, start: index, end: end))
                    return end
                }
                if PIIASCII.isUpper(bytes[index]), let end = PIIPersonName.gazetteer(bytes, at: index) {
                    matches.append(PIIRawMatch(entity: .personName, kind: nil, start: index, end: end))
                    return end
                }
            }
            if wants.address, PIIASCII.isUpper(bytes[index]), let (start, end) = PIIAddress.latinStart(bytes, at: index)
            {
                matches.append(PIIRawMatch(entity: .address, kind: nil, start: start, end: end))
                return end
            }
            if wants.address, PIIASCII.isLower(bytes[index]), let (start, end) = PIIAddress.french(bytes, at: index) {
                matches.append(PIIRawMatch(entity: .address, kind: nil, start: start, end: end))
                return end
            }
            if wants.secret, let (kind, end) = PIISecrets.match(bytes, at: index) {
                matches.append(PIIRawMatch(entity: .secret, kind: kind, start: index, end: end))
                return end
            }
            if wants.secret, let (rule, end) = PIISecretRule.match(bytes, at: index) {
                matches.append(PIIRawMatch(entity: .secret, kind: nil, start: index, end: end, ruleKind: rule.kind))
                return end
            }
            if wants.secret, let (kind, end) = PIISecretShapes.token(bytes, at: index) {
                matches.append(PIIRawMatch(entity: .secret, kind: nil, start: index, end: end, ruleKind: kind))
                return end
            }
            if wants.secret, bytes[index] | 0x20 == 0x70 {  // p: `my password is Barsik13`
                let wordEnd = bytes.run(from: index + 1, while: PIIASCII.isWord)
                if let (start, end) = PIISecretShapes.prose(bytes, afterWordAt: index, end: wordEnd) {
                    matches.append(
                        PIIRawMatch(
                            entity: .secret, kind: nil, start: start, end: end,
                            ruleKind: PIISecretShapes.credentialKind))
                    return end
                }
            }
            if wants.iban, let end = PIIIBAN.match(bytes, at: index) {
                matches.append(PIIRawMatch(entity: .iban, kind: nil, start: index, end: end))
                return end
            }
        }
        return bytes.run(from: index + 1, while: PIIASCII.isWord)
    }

    /// The matches in text order; of overlapping matches the longer one is kept.
    func resolved() -> [PIIRawMatch] {
        guard matches.count > 1 else { return matches }
        let sorted = matches.sorted { ($0.start, $1.end) < ($1.start, $0.end) }
        var kept: [PIIRawMatch] = []
        kept.reserveCapacity(sorted.count)
        for match in sorted {
            if let last = kept.last, match.start < last.end {
                if match.end - match.start > last.end - last.start { kept[kept.count - 1] = match }
                continue
            }
            kept.append(match)
        }
        return kept
    }
}
