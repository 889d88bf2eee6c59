/// Postal addresses.
///
/// Russian: a chain of comma-separated parts, in any order people write them — a postcode (six digits), a region
/// (`Самарская обл.`, `Респ. Башкортостан`), a settlement (`г. Москва`, `город Самара`, `с. Псков`, or a bare name:
/// `Уфа`), a street with its marker before or after the name (`ул. Ленина`, `Театральная пл.`, `Комсомольский
/// пр-т`, `Тверской бульвар`), a house (`д. 5`, `дом 12/1`, `, 5`, `115Б`), and units (`корп. 3`, `к1`, `стр. 2`,
/// `кв. 10`, `оф. 398`, `пом. 12`). It is an address when a street has a house or unit after it, when a settlement is
/// followed by a street name and its house without a marker (`Уфа, Школьная 62-208`), or when a settlement has two
/// units (`Москва, г. Зеленоград, корп. 1752, кв. 73`). A city alone (`в Москве`, `г. Казань`), a street name without
/// a house (`салат «Арбат»`, `Ленинградский проспект`) or a number that counts something (`ул. Ленина, 5 минут`) is
/// not an address.
///
/// US, UK, Canadian, Australian, German and French: a house number (or `Flat`, `Apt.`, `Suite`, `PSC`, `P.O. Box`, a
/// ship's name, or a French street type: `rue`, `avenue`, `chemin`…) followed by street words and, within the same
/// clause or the next three lines, a US state and ZIP code (`IL 62704`), a Canadian province and postal code (`NT T5M
/// 7X5`), an Australian state and postcode (`NSW, 2661`), a UK postcode (`SW1A 1AA`) or a German or French postcode
/// and town (`, 10115 Berlin`, `\n75008 Paris`); or a German street (`…straße`, `…str.`, `…weg`, `…platz`…), its
/// number and a postcode and town. Street-named products (`Fifth Avenue perfume`) have no house number and no
/// postcode.
enum PIIAddress {
    // MARK: Russian

    /// What one part of a Russian address is.
    enum Part: Equatable {
        case postcode, region, settlement, name, street, house, unit
        /// A street name and its house without a marker: `Школьная 62-208`, `Льва Толстого 61-134`.
        case namedHouse
    }

    static let settlementMarkers: [[UInt8]] = piiKeywords(
        "г", "город", "с", "село", "п", "пос", "посёлок", "поселок", "пгт", "д", "дер", "деревня", "ст", "ст-ца",
        "станица", "аул", "х", "хутор", "рп", "клх", "к")
    static let streetMarkers: [[UInt8]] = piiKeywords(
        "ул", "улица", "пр-т", "пр", "просп", "проспект", "пер", "переулок", "ш", "шоссе", "б-р", "бул", "бульвар",
        "наб", "набережная", "пл", "площадь", "ал", "алл", "аллея", "проезд", "пр-д", "мкр", "микрорайон", "тупик",
        "туп", "линия", "тракт", "квартал")
    static let regionMarkersBefore: [[UInt8]] = piiKeywords("респ", "республика")
    static let regionMarkersAfter: [[UInt8]] = piiKeywords("обл", "область", "край", "р-н", "район", "ао")
    static let houseMarkers: [[UInt8]] = piiKeywords("д", "дом", "вл", "влад", "владение")
    static let unitMarkers: [[UInt8]] = piiKeywords(
        "корп", "корпус", "к", "стр", "строение", "кв", "квартира", "оф", "офис", "пом", "помещение", "комн", "комната",
        "лит", "литера")

    static let settlementMarkerSet = PIIWordSet(settlementMarkers)
    static let streetMarkerSet = PIIWordSet(streetMarkers)
    static let regionBeforeSet = PIIWordSet(regionMarkersBefore)
    static let regionAfterSet = PIIWordSet(regionMarkersAfter)
    static let houseMarkerSet = PIIWordSet(houseMarkers)
    static let unitMarkerSet = PIIWordSet(unitMarkers)
    /// Every marker: most words are none, and one lookup says so.
    static let anyMarkerSet = PIIWordSet(
        settlementMarkers + streetMarkers + regionMarkersBefore + houseMarkers + unitMarkers)

    /// A Russian address starting at `start`: a Cyrillic word or a six-digit postcode.
    static func russian(_ bytes: PIIBytes, at start: Int) -> (Int, Int)? {
        var parts: [(part: Part, end: Int)] = []
        var position = start
        while parts.count < 12, let (part, end) = part(bytes, at: position, after: parts.last?.part) {
            parts.append((part, end))
            // the next part: after `, `, `,`, a line break, or one space
            var next = end
            if bytes[next] == 0x2C { next += 1 }
            if bytes[next] == PIIASCII.space || bytes[next] == 0x0A { next += 1 }
            guard next > end, bytes[next] != PIIASCII.space else { break }
            position = next
        }
        guard let last = lastOfAddress(parts) else { return nil }
        // `Клиент Иванов Иван Иванович, ул. Ленина…`: a leading name that holds a person's name is no place; the
        // address starts after it (the scan reaches the person's name first)
        if parts[0].part == .name {
            var word = start
            while word < parts[0].end {
                if PIIPersonName.russian(bytes, at: word) != nil { return nil }
                word = bytes.run(from: word, limit: parts[0].end - word) { $0 != PIIASCII.space } + 1
            }
        }
        var end = parts[last].end
        // a settlement, region or postcode may close the address: `…, кв. 85, г. Нижний Новгород`, `…, Пермь`
        var index = last + 1
        while index < parts.count, [.postcode, .settlement, .region, .name].contains(parts[index].part) {
            if parts[index].part == .name && !closesClause(bytes, at: parts[index].end) { break }
            end = parts[index].end
            index += 1
        }
        return (start, end)
    }

    /// The index of the last house or unit of an address in `parts`, or nil when they make none.
    private static func lastOfAddress(_ parts: [(part: Part, end: Int)]) -> Int? {
        var sawStreet = false
        var sawPlace = false
        var units = 0
        var last: Int?
        for (index, item) in parts.enumerated() {
            switch item.part {
            case .street:
                sawStreet = true
            case .house, .unit:
                if item.part == .unit { units += 1 }
                if sawStreet || (sawPlace && units >= 2) { last = index }
            case .namedHouse:
                guard sawPlace || sawStreet else { break }
                last = index
                sawStreet = true
            case .settlement, .name, .region, .postcode:
                sawPlace = true
            }
        }
        return last
    }

    /// Whether the text's clause ends at `index`: the end, a line break, or punctuation.
    private static func closesClause(_ bytes: PIIBytes, at index: Int) -> Bool {
        let byte = bytes[index]
        return byte == 0 || byte == 0x0A || byte == PIIASCII.dot || byte == 0x2C || byte == 0x3B || byte == 0x21
            || byte == 0x3F || byte == PIIASCII.closeParen || byte == 0x22 || (byte == 0xC2 && bytes[index + 1] == 0xBB)
    }

    /// One part of an address at `index`: what it is and where it ends.
    private static func part(_ bytes: PIIBytes, at index: Int, after previous: Part?) -> (Part, Int)? {
        if PIIASCII.isDigit(bytes[index]) {
            let digits = bytes.run(from: index, limit: 7, while: PIIASCII.isDigit)
            if digits - index == 6, !PIIASCII.isWord(bytes[digits]), !PIIASCII.isCyrillicLead(bytes[digits]) {
                return (.postcode, digits)
            }
            guard previous == .street || previous == .namedHouse || previous == .house || previous == .unit,
                let end = number(bytes, at: index), !countsSomething(bytes, from: index, after: end)
            else { return nil }
            return (previous == .street ? .house : .unit, end)
        }
        let wordEnd = bytes.run(from: index, limit: 40) {
            $0 >= 0x80 || $0 == PIIASCII.minus || PIIASCII.isLetter($0)
        }
        guard wordEnd > index, PIIASCII.isCyrillicLead(bytes[index]) else { return nil }
        let letters = wordEnd - index
        let dot = bytes[wordEnd] == PIIASCII.dot
        let afterMarker = dot ? (bytes[wordEnd + 1] == PIIASCII.space ? wordEnd + 2 : wordEnd + 1) : wordEnd + 1
        // a marker needs its dot, unless it is a whole word (`улица`) or two letters or more before a space (`ул `)
        let spaced = bytes[wordEnd] == PIIASCII.space && letters >= 4
        let wordHash = PIIWordSet.hash(bytes, index, wordEnd)
        let marker = (dot || spaced || PIIASCII.isDigit(bytes[wordEnd])) && anyMarkerSet.contains(hash: wordHash)
        guard marker || PIIPersonName.isCyrillicCapital(bytes, index) else { return nil }
        if marker && (dot || spaced) {
            if houseMarkerSet.contains(hash: wordHash), let end = number(bytes, at: afterMarker) {
                return (.house, end)
            }
            if unitMarkerSet.contains(hash: wordHash), let end = number(bytes, at: afterMarker) {
                return (.unit, end)
            }
            if settlementMarkerSet.contains(hash: wordHash),
                let end = names(bytes, from: afterMarker)
            {
                return (.settlement, end)
            }
            if streetMarkerSet.contains(hash: wordHash), let end = names(bytes, from: afterMarker) {
                return (.street, end)
            }
            if regionBeforeSet.contains(hash: wordHash),
                let end = names(bytes, from: afterMarker)
            {
                return (.region, end)
            }
        }
        // `к1`, `кв197`: a unit marker glued to its number
        if PIIASCII.isDigit(bytes[wordEnd]), letters <= 4, unitMarkerSet.contains(hash: wordHash),
            let end = number(bytes, at: wordEnd)
        {
            return (.unit, end)
        }
        // a name, and what follows it: a street or region marker, or a house number
        guard PIIPersonName.isCyrillicCapital(bytes, index), let nameEnd = names(bytes, from: index) else { return nil }
        guard bytes[nameEnd] == PIIASCII.space else { return (.name, nameEnd) }
        let markerStart = nameEnd + 1
        let markerEnd = bytes.run(from: markerStart, limit: 40) {
            $0 >= 0x80 || $0 == PIIASCII.minus || PIIASCII.isLetter($0)
        }
        if markerEnd > markerStart {
            let markerDot = bytes[markerEnd] == PIIASCII.dot
            let whole = !markerDot && markerEnd - markerStart >= 8
            if markerDot || whole || bytes[markerEnd] == 0x2C {
                let end = markerDot ? markerEnd + 1 : markerEnd
                if streetMarkerSet.contains(bytes, markerStart, markerEnd) { return (.street, end) }
                if regionAfterSet.contains(bytes, markerStart, markerEnd) { return (.region, end) }
            }
        }
        if PIIASCII.isDigit(bytes[markerStart]), let end = number(bytes, at: markerStart),
            !countsSomething(bytes, from: markerStart, after: end)
        {
            return (.namedHouse, end)
        }
        return (.name, nameEnd)
    }

    /// Whether a lowercase word follows the number ending at `end` (`5 минут`, `3 дня`) other than a unit marker,
    /// or more digits (`2 677 225 руб.`): then the number counts something and is no house.
    private static func countsSomething(_ bytes: PIIBytes, from start: Int, after end: Int) -> Bool {
        // `61-134`, `12/1`, `5а` count nothing
        guard bytes[end] == PIIASCII.space, (start..<end).allSatisfy({ PIIASCII.isDigit(bytes.base[$0]) }) else {
            return false
        }
        if PIIASCII.isDigit(bytes[end + 1]) { return true }
        guard PIIPersonName.isCyrillicLower(bytes, end + 1) else { return false }
        let wordEnd = bytes.run(from: end + 1, limit: 40) { $0 >= 0x80 || $0 == PIIASCII.minus }
        return !unitMarkerSet.contains(bytes, end + 1, wordEnd) && !houseMarkerSet.contains(bytes, end + 1, wordEnd)
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
            } else if let initial = PIIPersonName.Token.read(bytes, at: position), initial.isInitial,
                let token = PIIPersonName.Token.read(
                    bytes, at: bytes[initial.end] == PIIASCII.space ? initial.end + 1 : initial.end),
                !token.isInitial
            {
                wordEnd = token.end  // `Л.Толстого`, `Л. Толстого`
            } else if end == nil, PIIASCII.isDigit(bytes[position]) {
                let digits = bytes.run(from: position, limit: 4, while: PIIASCII.isDigit)
                if bytes[digits] == PIIASCII.space { wordEnd = digits }
                // `1-я Тверская-Ямская`
                if bytes[digits] == PIIASCII.minus, PIIPersonName.isCyrillicLower(bytes, digits + 1) {
                    let suffixEnd = bytes.run(from: digits + 1, limit: 8) { $0 >= 0x80 || $0 == PIIASCII.minus }
                    if bytes[suffixEnd] == PIIASCII.space { wordEnd = suffixEnd }
                }
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
        "flat", "unit", "apartment", "apt", "suite", "studio", "psc")

    /// French street types, written in lower case before the name: `12, rue de la Paix`, `avenue Briand`.
    static let frenchStreets: [[UInt8]] = piiKeywords(
        "rue", "avenue", "boulevard", "chemin", "allée", "impasse", "place", "quai", "route", "cours", "square", "voie",
        "passage", "sentier", "rond-point")

    static let frenchStreetSet = PIIWordSet(frenchStreets)

    /// A French address starting at the street type at `start` (`rue Jeanne Berger, 76139 Lacombe`), or at the house
    /// number before it (`231, chemin François Le Roux, …`).
    static func french(_ bytes: PIIBytes, at start: Int) -> (Int, Int)? {
        var typeStart = start
        if PIIASCII.isDigit(bytes[start]) {
            let digits = bytes.run(from: start, limit: 5, while: PIIASCII.isDigit)
            guard bytes[digits] == 0x2C || bytes[digits] == PIIASCII.space else { return nil }
            typeStart = bytes[digits] == 0x2C ? digits + 2 : digits + 1
        }
        let typeEnd = bytes.run(from: typeStart, limit: 12) {
            PIIASCII.isLower($0) || $0 >= 0x80 || $0 == PIIASCII.minus
        }
        guard typeEnd > typeStart, bytes[typeEnd] == PIIASCII.space,
            frenchStreetSet.contains(bytes, typeStart, typeEnd)
        else { return nil }
        return anchor(bytes, from: typeEnd).map { (start, $0) }
    }

    /// US states, districts, territories and military "states".
    static let states: Set<UInt16> = {
        let codes =
            "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP AA AE AP PW FM MH"
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
        // a ship's company (`USNS Mason, FPO AE 08722`) and a post-office box (`P.O. Box 1198, …`)
        if bytes.hasPrefix("USNS ", at: start) || bytes.hasPrefix("USS ", at: start)
            || bytes.hasPrefix("USNV ", at: start) || bytes.hasPrefix("USCGC ", at: start)
        {
            return anchor(bytes, from: wordEnd).map { (start, $0) }
        }
        if bytes.hasPrefix("P.O. Box ", at: start) || bytes.hasPrefix("PO Box ", at: start) {
            let boxEnd = bytes.run(from: start, limit: 12) { !PIIASCII.isDigit($0) }
            guard PIIASCII.isDigit(bytes[boxEnd]) else { return nil }
            return anchor(bytes, from: boxEnd).map { (start, $0) }
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

    /// The end of the postcode that closes an address within the clause from `index` or the next three lines: a US
    /// state and ZIP, a Canadian province and postal code, an Australian state and postcode, a UK postcode, or a
    /// German or French postcode and town after a comma or line break.
    private static func anchor(_ bytes: PIIBytes, from index: Int) -> Int? {
        var position = index
        var lines = 0
        let limit = min(bytes.count, index + 160)
        while position < limit {
            let byte = bytes.base[position]
            if byte == 0x0A {
                lines += 1
                if lines > 3 || bytes[position + 1] == 0x0A { return nil }
            }
            if byte == PIIASCII.colon || byte == 0x3B || byte == 0x21 || byte == 0x3F { return nil }
            if byte == PIIASCII.dot && (bytes[position + 1] == PIIASCII.space || bytes[position + 1] == 0)
                && !PIIASCII.isUpper(bytes[position - 1]) && !isAbbreviation(bytes, before: position)
            {
                return nil
            }
            if byte == PIIASCII.space || byte == 0x0A {
                if let end = usZIP(bytes, at: position + 1) ?? ukPostcode(bytes, at: position + 1)
                    ?? canadianPostcode(bytes, at: position + 1) ?? australianPostcode(bytes, at: position + 1)
                {
                    return end
                }
                if bytes[position - 1] == 0x2C || byte == 0x0A, let end = germanTown(bytes, at: position + 1) {
                    return end
                }
            }
            position += 1
        }
        return nil
    }

    /// Canadian provinces and territories.
    static let provinces: Set<UInt16> = {
        let codes = "AB BC MB NB NL NS NT NU ON PE QC SK YT"
        return Set(codes.split(separator: " ").map { UInt16($0.utf8.first!) << 8 | UInt16($0.utf8.last!) })
    }()

    /// `NT T5M 7X5`, `AB L8S9T4`: a province and a postal code (letter, digit, letter, an optional space, digit,
    /// letter, digit).
    private static func canadianPostcode(_ bytes: PIIBytes, at index: Int) -> Int? {
        guard PIIASCII.isUpper(bytes[index]), PIIASCII.isUpper(bytes[index + 1]), bytes[index + 2] == PIIASCII.space,
            provinces.contains(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
        else { return nil }
        var position = index + 3
        for (offset, letter) in [true, false, true, false, true, false].enumerated() {
            if offset == 3 && bytes[position] == PIIASCII.space { position += 1 }
            guard letter ? PIIASCII.isUpper(bytes[position]) : PIIASCII.isDigit(bytes[position]) else { return nil }
            position += 1
        }
        return PIIASCII.isWord(bytes[position]) ? nil : position
    }

    /// Australian states and territories.
    static let australianStates: [[UInt8]] = piiKeywords("nsw", "vic", "qld", "sa", "wa", "tas", "nt", "act")

    /// `NSW, 2661`, `VIC 3000`, `ACT, 2048`: a state and a four-digit postcode.
    private static func australianPostcode(_ bytes: PIIBytes, at index: Int) -> Int? {
        let stateEnd = bytes.run(from: index, limit: 4, while: PIIASCII.isUpper)
        guard stateEnd > index, PIIPersonName.isOne(of: australianStates, bytes, index, stateEnd) else { return nil }
        var position = stateEnd
        if bytes[position] == 0x2C { position += 1 }
        guard bytes[position] == PIIASCII.space else { return nil }
        let digits = bytes.run(from: position + 1, limit: 5, while: PIIASCII.isDigit)
        guard digits - position - 1 == 4, !PIIASCII.isWord(bytes[digits]) else { return nil }
        return digits
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

    /// `10115 Berlin`, `50667 Köln`, `76139 Lacombe-sur-Louis`: a German or French postcode and town.
    private static func germanTown(_ bytes: PIIBytes, at index: Int) -> Int? {
        let digits = bytes.run(from: index, limit: 6, while: PIIASCII.isDigit)
        guard digits - index == 5, bytes[digits] == PIIASCII.space, PIIASCII.isUpper(bytes[digits + 1]) else {
            return nil
        }
        return bytes.run(from: digits + 1, limit: 40) { PIIASCII.isLetter($0) || $0 >= 0x80 || $0 == PIIASCII.minus }
    }
}
