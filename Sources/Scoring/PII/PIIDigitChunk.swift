/// How one group of digits is joined to the previous one in a number as people write it: `8 (912) 345-67-89`,
/// `4276 3800 1234 5678`, `192.168.0.1`.
enum PIIJoiner: UInt8 {
    /// The first group.
    case none
    /// One space (or no-break space).
    case space
    /// `-`, ` - `, or ` / `.
    case dash
    /// `.`
    case dot
    /// `(` or ` (`: the group is inside parentheses.
    case openParen
    /// `)`, `) `, `)-` or `).`: the previous group was inside parentheses.
    case closeParen
}

struct PIIDigitGroup {
    /// Byte offset of the group's first digit.
    var start: Int
    /// Byte offset just after its last digit.
    var end: Int
    /// Index of its first digit in `PIIDigitChunk.digits`.
    var digitStart: Int
    var joiner: PIIJoiner

    var count: Int { end - start }
}

/// A run of digit groups joined by spaces, dashes, dots or parentheses: the one place where every digit-based
/// detector (phone, card, IPv4, Russian ids, SSN) looks. The scanner builds it once per run and each detector asks
/// whether groups `i...j` have its shape.
struct PIIDigitChunk {
    var groups: [PIIDigitGroup] = []
    /// Every digit of the chunk as a value 0–9, group after group.
    var digits: [UInt8] = []
    /// Byte offset of a `+` just before the first group.
    var plusAt: Int?
    /// Byte offset of a `(` just before the first group.
    var parenAt: Int?
    /// Whether the last group is not glued to a letter, digit or `_`.
    var trailingClean = true
    /// Whether the chunk follows `#` or `№`: an order or document number, never a phone.
    var afterNumberSign = false
    /// Where a phone extension after the last group ends (`x31`, ` ext. 12`, `, доб. 123`); only phones take it.
    var extensionEnd: Int?

    mutating func reset() {
        groups.removeAll(keepingCapacity: true)
        digits.removeAll(keepingCapacity: true)
        plusAt = nil
        parenAt = nil
        trailingClean = true
        afterNumberSign = false
        extensionEnd = nil
    }

    var last: Int { groups.count - 1 }

    @inline(__always) func count(_ group: Int) -> Int { groups[group].count }
    @inline(__always) func joiner(_ group: Int) -> PIIJoiner { groups[group].joiner }
    @inline(__always) func digit(_ group: Int, _ offset: Int) -> UInt8 { digits[groups[group].digitStart + offset] }

    /// How many digits groups `i...j` hold.
    func digitCount(_ i: Int, _ j: Int) -> Int { groups[j].digitStart + groups[j].count - groups[i].digitStart }

    /// The digits of groups `i...j`.
    func digits(_ i: Int, _ j: Int) -> ArraySlice<UInt8> {
        digits[groups[i].digitStart..<(groups[j].digitStart + groups[j].count)]
    }

    /// The value of one group of at most 18 digits.
    func value(_ group: Int) -> Int {
        var result = 0
        for digit in digits(group, group) { result = result * 10 + Int(digit) }
        return result
    }

    /// Whether groups `i...j` start where a number can start: the chunk's start, or after a space or `(`.
    func startsCleanly(_ i: Int) -> Bool {
        i == 0 || joiner(i) == .space || joiner(i) == .openParen
    }

    /// Whether a number can end after group `j`: at the chunk's end (not glued to a word) or before a space. A dash
    /// or dot after it means `j` is only part of a longer code.
    func endsCleanly(_ j: Int) -> Bool {
        j == last ? trailingClean : joiner(j + 1) == .space
    }

    /// Whether a phone number can end after group `j`: where any number can, or before an extension.
    func phoneEndsCleanly(_ j: Int) -> Bool {
        endsCleanly(j) || (j == last && extensionEnd != nil)
    }

    /// Whether every group after `i` up to `j` is joined by `joiner`.
    func joiners(_ i: Int, _ j: Int, are joiner: PIIJoiner) -> Bool {
        guard i < j else { return true }
        for group in (i + 1)...j where groups[group].joiner != joiner { return false }
        return true
    }

    /// Whether parentheses in groups `i...j` each hold exactly one group and are closed within the range.
    func parensBalanced(_ i: Int, _ j: Int) -> Bool {
        var open = (i == 0 && parenAt != nil) || joiner(i) == .openParen
        guard i < j else { return !open }
        for group in (i + 1)...j {
            let joiner = joiner(group)
            if open {
                guard joiner == .closeParen else { return false }
                open = false
            } else if joiner == .closeParen {
                return false
            } else if joiner == .openParen {
                open = true
            }
        }
        return !open
    }

    /// Whether every digit of groups `i...j` is the same (`0000000000`): a placeholder, never an identifier.
    func isRepdigit(_ i: Int, _ j: Int) -> Bool {
        let slice = digits(i, j)
        guard let first = slice.first else { return true }
        return slice.allSatisfy { $0 == first }
    }
}

/// A number some detector recognised in groups `i...endGroup` of a chunk.
struct PIINumberCandidate {
    var entity: PIIEntity
    var endGroup: Int
    var start: Int
    var end: Int
    /// Which detector wins when two claim the same bytes and context words do not decide (lower wins).
    var rank: Int
}

extension PIIScanner {
    /// Reads the digit chunk starting at `start` (a digit, or `+` / `(` before one), lets every enabled number
    /// detector classify it, and returns where scanning continues.
    mutating func scanNumber(at start: Int) -> Int {
        chunk.reset()
        var position = start
        switch bytes[position] {
        case PIIASCII.plus:
            chunk.plusAt = position
            position += 1
        case PIIASCII.openParen:
            chunk.parenAt = position
            position += 1
        default: break
        }
        chunk.afterNumberSign = followsNumberSign(start)
        var joiner = PIIJoiner.none
        while true {
            let groupStart = position
            let digitStart = chunk.digits.count
            while position < bytes.count, PIIASCII.isDigit(bytes.base[position]) {
                chunk.digits.append(bytes.base[position] &- 0x30)
                position += 1
            }
            chunk.groups.append(PIIDigitGroup(start: groupStart, end: position, digitStart: digitStart, joiner: joiner))
            guard chunk.groups.count < 24, let (next, resume) = joinerAt(position) else { break }
            joiner = next
            position = resume
        }
        chunk.trailingClean = !PIIASCII.isWord(bytes[position])
        if wants.phone { chunk.extensionEnd = extensionEnd(after: position) }
        return max(position, classifyChunk())
    }

    /// Words that introduce a phone extension, lowercase.
    private static let extensionWords: [StaticString] = ["ext.", "ext", "Ext.", "доб.", "доб", "Доб.", "вн."]

    /// The end of a phone extension at `position`: `x31` glued to the number, or ` x31`, ` ext. 12`, `, доб. 123`
    /// (1–6 digits, nothing word-like after them).
    private func extensionEnd(after position: Int) -> Int? {
        var index = position
        if bytes[index] == 0x2C { index += 1 }  // ,
        let spaced = bytes[index] == PIIASCII.space
        if spaced { index += 1 }
        guard spaced || index == position else { return nil }
        var digitsStart: Int?
        if bytes[index] | 0x20 == 0x78, PIIASCII.isDigit(bytes[index + 1]) {  // x
            digitsStart = index + 1
        } else {
            for word in Self.extensionWords where bytes.hasPrefix(word, at: index) {
                var next = index + word.utf8CodeUnitCount
                guard !PIIASCII.isWord(bytes[next]), !PIIASCII.isCyrillicLead(bytes[next]) else { continue }
                if bytes[next] == PIIASCII.space { next += 1 }
                if PIIASCII.isDigit(bytes[next]) { digitsStart = next }
                break
            }
        }
        guard let digitsStart else { return nil }
        let end = bytes.run(from: digitsStart, limit: 7, while: PIIASCII.isDigit)
        guard end - digitsStart <= 6, !PIIASCII.isWord(bytes[end]) else { return nil }
        return end
    }

    /// The joiner at `position` and where the next group starts, when a digit follows it.
    private func joinerAt(_ position: Int) -> (PIIJoiner, Int)? {
        let byte = bytes[position]
        let next = bytes[position + 1]
        switch byte {
        case PIIASCII.space:
            if PIIASCII.isDigit(next) { return (.space, position + 1) }
            if next == PIIASCII.slash, bytes[position + 2] == PIIASCII.space, PIIASCII.isDigit(bytes[position + 3]) {
                return (.dash, position + 3)  // `089 / 189595`
            }
            if next == PIIASCII.openParen, PIIASCII.isDigit(bytes[position + 2]) { return (.openParen, position + 2) }
            if next == PIIASCII.minus, bytes[position + 2] == PIIASCII.space, PIIASCII.isDigit(bytes[position + 3]) {
                return (.dash, position + 3)
            }
        case 0xC2 where next == 0xA0:  // no-break space
            if PIIASCII.isDigit(bytes[position + 2]) { return (.space, position + 2) }
        case PIIASCII.minus:
            if PIIASCII.isDigit(next) { return (.dash, position + 1) }
        case PIIASCII.dot:
            if PIIASCII.isDigit(next) { return (.dot, position + 1) }
        case PIIASCII.openParen:
            if PIIASCII.isDigit(next) { return (.openParen, position + 1) }
        case PIIASCII.closeParen:
            if PIIASCII.isDigit(next) { return (.closeParen, position + 1) }
            if next == PIIASCII.space || next == PIIASCII.minus || next == PIIASCII.dot,
                PIIASCII.isDigit(bytes[position + 2])
            {
                return (.closeParen, position + 2)
            }
        default: break
        }
        return nil
    }

    /// Whether `#` or `№` (optionally and a space) comes just before `start`.
    private func followsNumberSign(_ start: Int) -> Bool {
        var index = start - 1
        if bytes[index] == PIIASCII.space { index -= 1 }
        if bytes[index] == PIIASCII.hash { return true }
        return bytes[index - 2] == 0xE2 && bytes[index - 1] == 0x84 && bytes[index] == 0x96  // №
    }

    /// Emits the numbers found in the current chunk, left to right; returns the furthest byte a match reached
    /// (a passport number can extend past the chunk: `4508 № 123456`).
    private mutating func classifyChunk() -> Int {
        var furthest = 0
        var group = 0
        while group < chunk.groups.count {
            if let found = bestCandidate(from: group) {
                if let reason = contextReason(found) {
                    matches.append(
                        PIIRawMatch(
                            entity: found.entity, kind: nil, start: found.start, end: found.end,
                            reason: reason.isEmpty ? nil : reason))
                }
                furthest = max(furthest, found.end)
                group = found.endGroup + 1
            } else {
                group += 1
            }
        }
        return furthest
    }

    private func bestCandidate(from i: Int) -> PIINumberCandidate? {
        var best: PIINumberCandidate?
        func consider(_ candidate: PIINumberCandidate?) {
            guard let candidate else { return }
            guard let current = best else {
                best = candidate
                return
            }
            if candidate.end != current.end || candidate.start != current.start {
                if candidate.end - candidate.start > current.end - current.start { best = candidate }
                return
            }
            let candidateHinted = isHinted(candidate)
            let currentHinted = isHinted(current)
            if candidateHinted != currentHinted {
                if candidateHinted { best = candidate }
            } else if candidate.rank < current.rank {
                best = candidate
            }
        }
        if wants.ip && (chunk.startsCleanly(i) || chunk.joiner(i) == .dash) {
            consider(PIIIPAddress.candidate(in: chunk, from: i, bytes: bytes))
        }
        guard chunk.startsCleanly(i) else { return best }
        if wants.card { consider(PIICardNumber.candidate(in: chunk, from: i)) }
        if wants.phone { consider(PIIPhoneNumber.candidate(in: chunk, from: i, bytes: bytes)) }
        if wants.inn { consider(PIIINN.candidate(in: chunk, from: i)) }
        if wants.snils {
            consider(PIISNILS.candidate(in: chunk, from: i, bytes: bytes, requiresContext: requiresContext))
        }
        if wants.ogrn || wants.ogrnip {
            if let found = PIIOGRN.candidate(in: chunk, from: i),
                found.entity == .ogrn ? wants.ogrn : wants.ogrnip
            {
                consider(found)
            }
        }
        if wants.ssn { consider(PIISSN.candidate(in: chunk, from: i)) }
        if wants.bankAccountRU {
            consider(PIIBankAccountRU.candidate(in: chunk, from: i, bytes: bytes, requiresContext: requiresContext))
        }
        if wants.passportRU {
            consider(PIIPassportRU.candidate(in: chunk, from: i, bytes: bytes, requiresContext: requiresContext))
        }
        return best
    }

    /// Why the candidate is personal data (`checksum valid, labelled 'инн'` for ids; empty for other numbers), or nil
    /// when the nearest word before it names a reference instead (`номер заказа`, `order`, `tracking`, `тикет`): an
    /// order number that happens to pass a checksum is not an INN unless its own label is nearer. A phone yields to
    /// such a word only when written as one solid run (`Ticket 19017196772`), or to a word naming a code that is
    /// written in groups too (`tracking 9063 6526 4971 0296`, `EIN 02-5527879`, `Part no. 485-84-6926`).
    private func contextReason(_ candidate: PIINumberCandidate) -> String? {
        let validation: String
        let solid = chunk.plusAt == nil && chunk.groups[candidate.endGroup].start == candidate.start
        switch candidate.entity {
        case .phone where !solid:
            // written as a phone: only a code word nearer than any phone word makes it something else
            guard let code = bytes.nearestMention(of: PIIDigitChunk.groupedCodeWords, before: candidate.start),
                bytes.nearestMention(of: PIIDigitChunk.hints[.phone] ?? [], before: candidate.start)
                    .map({ $0.gap > code.gap }) ?? true
            else { return "" }
            return nil
        case .inn, .snils, .ogrn, .ogrnip, .card: validation = "checksum valid"
        case .bankAccountRU: validation = "20 digits"
        case .phone, .passportRU, .ssn: validation = ""
        default: return ""
        }
        let own = PIIDigitChunk.hints[candidate.entity] ?? []
        let label = bytes.nearestMention(of: own, before: candidate.start)
        if let reference = bytes.nearestMention(of: PIIDigitChunk.referenceWords, before: candidate.start),
            label.map({ $0.gap > reference.gap }) ?? true,
            candidate.entity != .phone || solid
        {
            return nil
        }
        guard let label, !validation.isEmpty else { return validation }
        return "\(validation), labelled '\(String(decoding: own[label.keyword], as: UTF8.self))'"
    }

    /// Whether a word naming the candidate's entity (`ИНН`, `card`, `паспорт`) is near it.
    private func isHinted(_ candidate: PIINumberCandidate) -> Bool {
        let keywords = PIIDigitChunk.hints[candidate.entity] ?? []
        return !keywords.isEmpty && bytes.mentions(keywords, around: candidate.start, candidate.end)
    }
}

extension PIIDigitChunk {
    /// Words that make the number after them a reference of a business, not a person's data: order, invoice,
    /// tracking, ticket and booking numbers.
    static let referenceWords =
        piiKeywords(
            "заказ", "тикет", "обращени", "отправлени", "квитанц", "посылк", "бронировани", "счет-фактур",
            "счёт-фактур",
            "order", "invoice", "ticket", "shipment", "parcel", "booking",
            "reservation", "confirmation", "reference", "waybill", "receipt", "договор", "контракт", "contract",
            "agreement")
        + groupedCodeWords

    /// Words naming codes that are written in groups like phones and ids: tracking and part numbers, serial numbers,
    /// models, a US employer's EIN.
    static let groupedCodeWords = piiKeywords(
        "tracking", "трек", "накладн", "part no", "part #", "part number", "p/n", "serial", "s/n", "sku", "model",
        "модел", "серийн", "артикул", "ein ", "ein:", "ein#")

    /// Words that name an entity (`ИНН`, `card`, `паспорт`): when two detectors claim the same digits, the one
    /// named nearby wins.
    static let hints: [PIIEntity: [[UInt8]]] = [
        .card: piiKeywords("карт", "card"),
        .phone: piiKeywords(
            "тел", "phone", "звон", "call", "моб", "tel", "mobile", "cell", "fax", "факс", "whatsapp", "viber", "ph.",
            "my number", "мой номер", "номер для связи", "contact number"),
        .inn: piiKeywords("инн", "inn", "taxpayer"), .snils: PIISNILS.keywords, .ogrn: piiKeywords("огрн", "ogrn"),
        .ogrnip: piiKeywords("огрн", "ogrn"), .passportRU: PIIPassportRU.keywords,
        .ssn: piiKeywords("ssn", "social security"), .bankAccountRU: PIIBankAccountRU.keywords,
    ]
}
