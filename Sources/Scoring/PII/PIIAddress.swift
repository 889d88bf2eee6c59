/// Postal addresses.
///
/// Russian: a street marker (`ул.`, `улица`, `пр-т`, `проспект`, `пер.`, `ш.`, `б-р`, `наб.`, `пл.`…) with a street
/// name and a house (`д. 5`, `дом 12/1`, or `, 5`), optionally preceded by a settlement (`г. Москва,`, `с. Псков,`)
/// and followed by `корп.`/`к.`, `стр.`, `кв.`, `оф.` and their numbers and a six-digit postcode. A city alone
/// (`в Москве`, `г. Казань`) or a street name without a house (`салат «Арбат»`, `Ленинградский проспект`) is not an
/// address.
///
/// US, UK and German: a house number (or `Flat`, `Unit`, `PSC`… and a number) followed by capitalised street words
/// and, within the same clause, a US state and ZIP code (`IL 62704`), a UK postcode (`SW1A 1AA`) or a German
/// postcode and town (`, 10115 Berlin`); or a German street (`…straße`, `…str.`, `…weg`, `…platz`…), its number and a
/// postcode and town. Street-named products (`Fifth Avenue perfume`) have no house number and no postcode.
enum PIIAddress {
    // MARK: Russian

    static let settlements: [[UInt8]] = piiKeywords(
        "г.", "город", "с.", "п.", "пос.", "пгт", "д.", "дер.", "ст.", "клх")
    static let streets: [[UInt8]] = piiKeywords(
        "ул.", "улица", "пр-т", "пр.", "проспект", "пер.", "переулок", "ш.", "шоссе", "б-р", "бул.", "бульвар", "наб.",
        "набережная", "пл.", "площадь", "алл.", "аллея", "проезд", "мкр.", "микрорайон", "тупик")
    static let houses: [[UInt8]] = piiKeywords("д.", "дом")
    static let units: [[UInt8]] = piiKeywords(
        "корп.", "корпус", "к.", "стр.", "строение", "кв.", "квартира", "оф.", "офис", "пом.", "помещение", "комн.")

    /// The second byte of each marker's first letter and of its second letter (a space after a one-letter
    /// abbreviation: `г. `): one lookup rejects most words before the lists are compared.
    static let markerBeginnings = PIIPrefixSet((settlements + streets).map { [$0[1], $0.count > 3 ? $0[3] : 0x20] })

    /// A Russian address starting at the Cyrillic word at `start`.
    static func russian(_ bytes: PIIBytes, at start: Int) -> (Int, Int)? {
        guard markerBeginnings.contains(bytes[start + 1], bytes[start + 3]) else { return nil }
        var index = start
        if let afterMarker = marker(bytes, at: index, in: settlements) {
            guard let afterName = names(bytes, from: afterMarker), bytes[afterName] == 0x2C,
                bytes[afterName + 1] == PIIASCII.space
            else { return nil }
            index = afterName + 2
        }
        guard let afterStreet = marker(bytes, at: index, in: streets), let afterName = names(bytes, from: afterStreet)
        else { return nil }
        index = afterName
        // the house: `, д. 5`, ` д. 5`, `, дом 5`, `, 5`
        if bytes[index] == 0x2C { index += 1 }
        guard bytes[index] == PIIASCII.space else { return nil }
        index += 1
        if let afterHouse = marker(bytes, at: index, in: houses) { index = afterHouse }
        guard let houseEnd = number(bytes, at: index) else { return nil }
        var end = houseEnd
        while true {
            var next = end
            if bytes[next] == 0x2C { next += 1 }
            guard bytes[next] == PIIASCII.space else { break }
            next += 1
            if let afterUnit = marker(bytes, at: next, in: units), let unitEnd = number(bytes, at: afterUnit) {
                end = unitEnd
                continue
            }
            let digitsEnd = bytes.run(from: next, limit: 7, while: PIIASCII.isDigit)
            if digitsEnd - next == 6, !PIIASCII.isWord(bytes[digitsEnd]) { end = digitsEnd }
            break
        }
        return (start, end)
    }

    /// After one of `markers` at `index` and the space after it (optional after a dot).
    private static func marker(_ bytes: PIIBytes, at index: Int, in markers: [[UInt8]]) -> Int? {
        let wordEnd = bytes.run(from: index, limit: 24) { $0 >= 0x80 || $0 == PIIASCII.minus || PIIASCII.isLetter($0) }
        if bytes[wordEnd] == PIIASCII.dot, PIIPersonName.isOne(of: markers, bytes, index, wordEnd + 1) {
            return bytes[wordEnd + 1] == PIIASCII.space ? wordEnd + 2 : wordEnd + 1
        }
        if bytes[wordEnd] == PIIASCII.space, PIIPersonName.isOne(of: markers, bytes, index, wordEnd) {
            return wordEnd + 1
        }
        return nil
    }

    /// One to four words of a place name (capitalised words, numbers, `8 Марта`, `Нижний Новгород`, `Римского-
    /// Корсакова`) from `index`: where they end.
    private static func names(_ bytes: PIIBytes, from index: Int) -> Int? {
        var end: Int?
        var position = index
        for _ in 0..<4 {
            var wordEnd: Int?
            if let token = PIIPersonName.Token.read(bytes, at: position), !token.isInitial {
                wordEnd = token.end
            } else if end == nil, PIIASCII.isDigit(bytes[position]) {
                let digits = bytes.run(from: position, limit: 4, while: PIIASCII.isDigit)
                if bytes[digits] == PIIASCII.space { wordEnd = digits }
            }
            guard let wordEnd else { break }
            end = wordEnd
            guard bytes[wordEnd] == PIIASCII.space,
                PIIPersonName.isCyrillicCapital(bytes, wordEnd + 1)
                    || PIIASCII.isDigit(bytes[wordEnd + 1]) && end == nil
            else { break }
            position = wordEnd + 1
        }
        return end
    }

    /// A house or flat number: `5`, `12/1`, `5а`, `17Б`, `3-5`.
    private static func number(_ bytes: PIIBytes, at index: Int) -> Int? {
        var end = bytes.run(from: index, limit: 6, while: PIIASCII.isDigit)
        guard end > index else { return nil }
        if bytes[end] == PIIASCII.slash || bytes[end] == PIIASCII.minus, PIIASCII.isDigit(bytes[end + 1]) {
            end = bytes.run(from: end + 1, limit: 4, while: PIIASCII.isDigit)
        }
        if PIIASCII.isCyrillicLead(bytes[end]), !PIIASCII.isCyrillicLead(bytes[end + 2]) {
            end += 2
        }  // 5а
        else if PIIASCII.isLetter(bytes[end]) && !PIIASCII.isLetter(bytes[end + 1]) {
            end += 1
        }  // 5A
        guard !PIIASCII.isWord(bytes[end]), !PIIASCII.isCyrillicLead(bytes[end]) else { return nil }
        return end
    }

    // MARK: US, UK, German

    /// Words that begin an address line without a house number first.
    static let unitWords: [[UInt8]] = piiKeywords(
        "flat", "unit", "apartment", "apt", "suite", "studio", "psc", "usns", "uss")

    /// US states, districts, territories and military "states".
    static let states: Set<UInt16> = {
        let codes =
            "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP AA AE AP"
        return Set(codes.split(separator: " ").map { UInt16($0.utf8.first!) << 8 | UInt16($0.utf8.last!) })
    }()

    static let germanStreets: [StaticString] = [
        "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "ring", "damm", "Straße", "Strasse", "Weg",
        "Gasse", "Platz", "Allee", "Ring", "Damm",
    ]

    /// An address starting at the house number at `start` (a run of 1–6 digits followed by a space and a capital).
    static func latinFromHouseNumber(_ bytes: PIIBytes, at start: Int) -> (Int, Int)? {
        let digits = bytes.run(from: start, limit: 7, while: PIIASCII.isDigit)
        guard (1...6).contains(digits - start), bytes[digits] == PIIASCII.space, PIIASCII.isUpper(bytes[digits + 1])
        else { return nil }
        return anchor(bytes, from: digits + 1).map { (start, $0) }
    }

    /// An address starting at the capitalised word at `start`: `Flat 5, …`, `PSC 7397, …`, or a German street.
    static func latinStart(_ bytes: PIIBytes, at start: Int) -> (Int, Int)? {
        let wordEnd = bytes.run(from: start, limit: 60) {
            PIIASCII.isLetter($0) || $0 >= 0x80 || $0 == PIIASCII.dot || $0 == PIIASCII.minus
        }
        // Every form has a number after the word: `Flat 5`, `PSC 7397`, `Hauptstraße 5`, `Hauptstr. 5`.
        guard wordEnd - start >= 3, bytes[wordEnd] == PIIASCII.space, PIIASCII.isDigit(bytes[wordEnd + 1]) else {
            return nil
        }
        var end = wordEnd
        while end > start && bytes[end - 1] == PIIASCII.dot { end -= 1 }
        if PIIPersonName.isOne(of: unitWords, bytes, start, end) {
            return anchor(bytes, from: end).map { (start, $0) }
        }
        // German: `Hauptstraße 5, 10115 Berlin`, `Am Ring 12a, 50667 Köln`
        let isStreet = germanStreets.contains { suffix in
            let length = suffix.utf8CodeUnitCount
            return wordEnd - start > length && bytes.hasPrefix(suffix, at: wordEnd - length)
        }
        guard isStreet, let houseEnd = number(bytes, at: wordEnd + 1) else { return nil }
        return anchor(bytes, from: houseEnd).map { (start, $0) }
    }

    /// The end of the postcode that closes an address line within the clause from `index`: a US state and ZIP, a UK
    /// postcode, or a German postcode and town after a comma or line break.
    private static func anchor(_ bytes: PIIBytes, from index: Int) -> Int? {
        var position = index
        let limit = min(bytes.count, index + 120)
        while position < limit {
            let byte = bytes.base[position]
            if byte == PIIASCII.colon || byte == 0x3B || byte == 0x21 || byte == 0x3F || byte == 0x0A { return nil }
            if byte == PIIASCII.dot && (bytes[position + 1] == PIIASCII.space || bytes[position + 1] == 0)
                && !PIIASCII.isUpper(bytes[position - 1]) && !isAbbreviation(bytes, before: position)
            {
                return nil
            }
            if byte == PIIASCII.space {
                if let end = usZIP(bytes, at: position + 1) ?? ukPostcode(bytes, at: position + 1) { return end }
                if bytes[position - 1] == 0x2C, let end = germanTown(bytes, at: position + 1) { return end }
            }
            position += 1
        }
        return nil
    }

    /// `St.`, `Ave.`, `Rd.`: a street type's dot is not the sentence's end.
    private static func isAbbreviation(_ bytes: PIIBytes, before dot: Int) -> Bool {
        var start = dot
        while start > 0 && PIIASCII.isLetter(bytes.base[start - 1]) { start -= 1 }
        return dot - start <= 4 && PIIASCII.isUpper(bytes[start])
    }

    /// `IL 62704`, `MT 06658-1234`.
    private static func usZIP(_ bytes: PIIBytes, at index: Int) -> Int? {
        guard PIIASCII.isUpper(bytes[index]), PIIASCII.isUpper(bytes[index + 1]), bytes[index + 2] == PIIASCII.space,
            states.contains(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
        else { return nil }
        var end = bytes.run(from: index + 3, limit: 6, while: PIIASCII.isDigit)
        guard end - index - 3 == 5 else { return nil }
        if bytes[end] == PIIASCII.minus, bytes.run(from: end + 1, limit: 5, while: PIIASCII.isDigit) == end + 5 {
            end += 5
        }
        return PIIASCII.isWord(bytes[end]) ? nil : end
    }

    /// `SW1A 1AA`, `M1 1AE`, `EC1A 1BB`.
    private static func ukPostcode(_ bytes: PIIBytes, at index: Int) -> Int? {
        var position = index
        guard PIIASCII.isUpper(bytes[position]) else { return nil }
        position += 1
        if PIIASCII.isUpper(bytes[position]) { position += 1 }
        guard PIIASCII.isDigit(bytes[position]) else { return nil }
        position += 1
        if PIIASCII.isDigit(bytes[position]) || PIIASCII.isUpper(bytes[position]) { position += 1 }
        guard bytes[position] == PIIASCII.space, PIIASCII.isDigit(bytes[position + 1]),
            PIIASCII.isUpper(bytes[position + 2]), PIIASCII.isUpper(bytes[position + 3]),
            !PIIASCII.isWord(bytes[position + 4])
        else { return nil }
        return position + 4
    }

    /// `10115 Berlin`, `50667 Köln`.
    private static func germanTown(_ bytes: PIIBytes, at index: Int) -> Int? {
        let digits = bytes.run(from: index, limit: 6, while: PIIASCII.isDigit)
        guard digits - index == 5, bytes[digits] == PIIASCII.space, PIIASCII.isUpper(bytes[digits + 1]) else {
            return nil
        }
        return bytes.run(from: digits + 1, limit: 40) { PIIASCII.isLetter($0) || $0 >= 0x80 || $0 == PIIASCII.minus }
    }
}
