import EvalCore

/// Values compared the way people write them differently: emails and IP addresses case-insensitively, phone numbers
/// by their last ten digits (`+7 912 345-67-89` = `8 (912) 345-67-89`), cards and identifiers by their digits, IBANs
/// by their capitals and digits, secrets exactly, names and addresses by their letters and digits (the allowed
/// store address `ул. Тверская, д. 1` covers a match of the same address with its city). The `pii` check keeps its allowlist and what the user already said
/// in one.
struct PIIKeySet: Sendable {
    private var exact: Set<String> = []
    private var lowercased: Set<String> = []
    private var digits: Set<String> = []
    private var phoneTails: Set<String> = []
    private var alphanumerics: Set<String> = []
    /// Names and addresses by their lowercased letters and digits, compared by containment either way.
    private var words: [String] = []

    init() {}

    init(_ values: some Sequence<String>) {
        for value in values { insert(value) }
    }

    var isEmpty: Bool { exact.isEmpty }

    mutating func insert(_ value: String) {
        let trimmed = value.trimmingSpaces
        guard !trimmed.isEmpty else { return }
        exact.insert(trimmed)
        lowercased.insert(trimmed.lowercased())
        let digits = Self.digits(of: trimmed)
        if digits.count >= 5 {
            self.digits.insert(digits)
            phoneTails.insert(String(digits.suffix(10)))
        }
        let alphanumerics = Self.alphanumerics(of: trimmed)
        if alphanumerics.count >= 8 { self.alphanumerics.insert(alphanumerics) }
        let words = Self.words(of: trimmed)
        if words.count >= 4 { self.words.append(words) }
    }

    func contains(_ match: PIIMatch) -> Bool {
        switch match.entity {
        case .email, .ip: lowercased.contains(match.text.lowercased())
        case .phone: phoneTails.contains(String(Self.digits(of: match.text).suffix(10)))
        case .iban: alphanumerics.contains(Self.alphanumerics(of: match.text))
        case .secret: exact.contains(match.text)
        case .card, .passportRU, .inn, .snils, .ogrn, .ogrnip, .ssn, .bankAccountRU:
            digits.contains(Self.digits(of: match.text))
        case .personName, .address: containsWords(of: match.text)
        }
    }

    private func containsWords(of text: String) -> Bool {
        let found = Self.words(of: text)
        return !found.isEmpty && words.contains { found.contains($0) || $0.contains(found) }
    }

    static func digits(of text: String) -> String {
        String(decoding: text.utf8.filter { $0 &- 0x30 < 10 }, as: UTF8.self)
    }

    /// Lowercased letters and digits only: `г. Москва, ул. Тверская, д. 1` → `гмоскваултверскаяд1`.
    static func words(of text: String) -> String {
        // By scalar where each is a character of its own with a one-scalar lowercase here (ASCII, basic Cyrillic).
        var words = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard PlainText.standsAlone(scalar), let lower = BasicScalars.lowercase(scalar) else {
                return wordsByCharacter(of: text)
            }
            if BasicScalars.isWord(lower) { words.append(lower) }
        }
        return String(words)
    }

    /// `words` character by character: the definition its shortcut stands in for.
    static func wordsByCharacter(of text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    static func alphanumerics(of text: String) -> String {
        String(decoding: text.utf8.filter { $0 < 0x80 && PIIASCII.isAlnum($0) }, as: UTF8.self).uppercased()
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
