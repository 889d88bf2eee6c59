/// A "semi-generic" secret rule of gitleaks' rule set (`heroku_api_key = "…"`), generated into
/// `PIISecretRules.swift` by `scripts/secret-rules.py`: a keyword of the rule ends within 20 characters before an
/// assignment (`=`, `:`, `:=`, `::=`, `=>`, `?=`, `||`, `,`, `>`), and after it (and up to five quotes, spaces or `=`)
/// comes a value of one of the rule's shapes, then a quote, a space, `;`, `\n` or the end of the text. Only the value
/// is reported. The value must reach the rule's entropy and look random, as for prefix rules.
///
/// The scan meets the assignment first: most are rejected by a look ahead (a value of at least
/// `shortestValue` characters must follow) before any keyword is looked for behind.
struct PIIKeywordRule: Sendable {
    typealias E = PIISecretRule.Element

    /// gitleaks' rule id: `heroku-api-key`.
    let id: String
    /// Keywords in lower case, matched in any case.
    let keywords: [[UInt8]]
    /// Keywords matched as written (gitleaks' `(?-i:[Ss]umo|SUMO)`).
    let exactKeywords: [[UInt8]]
    let entropy: Double
    let bodies: [[E]]
    let allow: [[E]]

    init(id: String, keywords: [String], exactKeywords: [String], entropy: Double, bodies: [[E]], allow: [[E]] = []) {
        self.id = id
        self.keywords = keywords.map { Array($0.utf8) }
        self.exactKeywords = exactKeywords.map { Array($0.utf8) }
        self.entropy = entropy
        self.bodies = bodies
        self.allow = allow
    }

    /// The kind in rule ids: `heroku_api_key` (`pii.secret.heroku_api_key`).
    var kind: String { String(id.map { $0 == "-" ? "_" : $0 }) }

    /// One keyword of one rule, filed under its first byte.
    struct Keyword: Sendable {
        let bytes: [UInt8]
        let exact: Bool
        let rule: Int
    }

    /// Keywords by their first byte in lower case (exact ones under their own first byte too).
    static let byFirstByte: [[Keyword]] = {
        var table = [[Keyword]](repeating: [], count: 256)
        for (index, rule) in gitleaks.enumerated() {
            for word in rule.keywords { table[Int(word[0])].append(Keyword(bytes: word, exact: false, rule: index)) }
            for word in rule.exactKeywords {
                table[Int(PIIASCII.lower(word[0]))].append(Keyword(bytes: word, exact: true, rule: index))
            }
        }
        return table
    }()

    static let longestKeyword = gitleaks.flatMap { $0.keywords + $0.exactKeywords }.map(\.count).max() ?? 0

    /// The fewest characters any rule's value has.
    static let shortestValue: Int = gitleaks.flatMap(\.bodies).map { $0.reduce(0) { $0 + $1.min } }.min() ?? 1

    /// The end of the assignment operator starting at `index`, or nil.
    static func operatorEnd(_ bytes: PIIBytes, at index: Int) -> Int? {
        switch bytes[index] {
        case 0x3D:  // = or =>
            return bytes[index + 1] == 0x3E ? index + 2 : index + 1
        case 0x3E, 0x2C:  // > ,
            return index + 1
        case PIIASCII.colon:  // : or :{1,3}=
            let colons = bytes.run(from: index, limit: 3) { $0 == PIIASCII.colon }
            if bytes[colons] == 0x3D { return colons + 1 }
            return colons == index + 1 ? colons : nil
        case 0x7C:  // ||
            return bytes[index + 1] == 0x7C ? index + 2 : nil
        case 0x3F:  // ?=
            return bytes[index + 1] == 0x3D ? index + 2 : nil
        default:
            return nil
        }
    }

    /// gitleaks' `[\x60'"\s=]`: what may sit between the operator and the value.
    @inline(__always) static func isOpening(_ byte: UInt8) -> Bool {
        byte == 0x60 || byte == 0x27 || byte == 0x22 || byte == 0x3D || isSpace(byte)
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == PIIASCII.space || (byte >= 0x09 && byte <= 0x0D)
    }

    /// gitleaks' `[ \t\w.-]`: what may sit between the keyword and the operator.
    @inline(__always) static func isName(_ byte: UInt8) -> Bool {
        PIIASCII.isWord(byte) || byte == PIIASCII.dot || byte == PIIASCII.minus || byte == PIIASCII.space
            || byte == 0x09
    }

    /// The value of a secret assigned by the operator at `index`: its rule and span.
    static func match(_ bytes: PIIBytes, operatorAt index: Int) -> (PIIKeywordRule, Int, Int)? {
        guard let operatorEnd = operatorEnd(bytes, at: index) else { return nil }
        let valueStart = bytes.run(from: operatorEnd, limit: 5, while: isOpening)
        // the cheap test first: a long enough value (most commas and colons in prose fail here)
        let valueRun = bytes.run(from: valueStart, limit: shortestValue) { $0 > 0x20 && $0 < 0x7F }
        guard valueRun - valueStart >= shortestValue else { return nil }
        // behind: up to three quotes or spaces, then the name the keyword is in
        var nameEnd = index
        while nameEnd > index - 3, nameEnd > 0,
            bytes[nameEnd - 1] == 0x27 || bytes[nameEnd - 1] == 0x22
                || isSpace(bytes[nameEnd - 1])
        {
            nameEnd -= 1
        }
        var nameStart = nameEnd
        while nameStart > 0, nameEnd - nameStart < 20 + longestKeyword, isName(bytes[nameStart - 1]) { nameStart -= 1 }
        guard nameStart < nameEnd else { return nil }
        var tried = Set<Int>()
        for position in nameStart..<nameEnd {
            for keyword in byFirstByte[Int(PIIASCII.lower(bytes.base[position]))] where !tried.contains(keyword.rule) {
                let keywordEnd = position + keyword.bytes.count
                guard keywordEnd <= nameEnd, nameEnd - keywordEnd <= 20,
                    bytes.hasPrefix(keyword.bytes, at: position, ignoringCase: !keyword.exact)
                else { continue }
                tried.insert(keyword.rule)
                let rule = gitleaks[keyword.rule]
                if let end = rule.value(bytes, at: valueStart) { return (rule, valueStart, end) }
            }
        }
        return nil
    }

    /// The end of a value of this rule at `start`, followed by gitleaks' terminator.
    func value(_ bytes: PIIBytes, at start: Int) -> Int? {
        let ends: (Int) -> Bool = { end in
            let next = bytes[end]
            return end >= bytes.count || next == 0x60 || next == 0x27 || next == 0x22 || next == 0x3B
                || Self.isSpace(next) || (next == 0x5C && (bytes[end + 1] == 0x6E || bytes[end + 1] == 0x72))
        }
        for body in bodies {
            var budget = PIISecretRule.backtrackBudget
            if let end = PIISecretRule.match(body, bytes, from: start, budget: &budget, ends: ends),
                PIISecretRule.isSecret(bytes, start, end, bodyStart: start, entropy: entropy, allow: allow)
            {
                return end
            }
        }
        return nil
    }
}
