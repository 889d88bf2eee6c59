/// People's names, recognised by what marks them as names rather than by a list of names.
///
/// Russian: a capitalised word followed by a patronymic in any case form (`-ович/-евич/-ьич` + `а/у/ем/е`,
/// `-овн/-евн/-ичн` + `а/ы/е/у/ой/ою`), with a surname before or after it when that word has a surname ending
/// (`Иванову Ивану Петровичу`, `Софии Евгеньевны`, `Анна Сергеевна Смирнова`); or one or two initials and a
/// surname (`И. И. Иванов`, `А. Н. Макарову`, `Иванов И.И.`). A field label (`ФИО:`, `Получатель:`) makes the two
/// or three capitalised words after it a name.
///
/// English, conservatively: one or two capitalised words after a title (`Mr.`, `Mrs`, `Ms.`, `Dr.`, `Prof.`), and two
/// capitalised words after a field label, a greeting or a closing (`Name:`, `Recipient:`, `Dear`, `Regards,`,
/// `Sincerely,`, `this is`, `my name is`). Brand and product names (`Apple Store`, `Ленинградский рассольник`),
/// a city alone or a capitalised word at a sentence start carry none of these marks.
enum PIIPersonName {
    /// A Russian name starting at the capitalised Cyrillic word or initial at `start`: its end.
    static func russian(_ bytes: PIIBytes, at start: Int) -> Int? {
        // Most capitalised words start a sentence and a lowercase word follows: decide that before collecting.
        guard let head = Token.read(bytes, at: start),
            head.isInitial || (bytes[head.end] == PIIASCII.space && isCyrillicCapital(bytes, head.end + 1))
        else { return nil }
        var tokens: [Token] = []
        var index = start
        while tokens.count < 4, let token = Token.read(bytes, at: index) {
            tokens.append(token)
            index = token.end
            guard bytes[index] == PIIASCII.space || tokens.last!.isInitial else { break }
            if bytes[index] == PIIASCII.space { index += 1 }
        }
        guard tokens.count >= 2 else { return nil }
        let first = tokens[0]
        if first.isInitial {
            if tokens[1].isInitial {
                guard tokens.count >= 3, !tokens[2].isInitial else { return nil }
                return tokens[2].end
            }
            return isSurname(bytes, tokens[1]) ? tokens[1].end : nil
        }
        if !tokens[1].isInitial && isPatronymic(bytes, tokens[1]) {
            if tokens.count >= 3, !tokens[2].isInitial, isSurname(bytes, tokens[2]) { return tokens[2].end }
            return tokens[1].end
        }
        if tokens.count >= 3, !tokens[1].isInitial, !tokens[2].isInitial, isPatronymic(bytes, tokens[2]),
            isSurname(bytes, first)
        {
            return tokens[2].end
        }
        if tokens[1].isInitial, isSurname(bytes, first) {
            return tokens.count >= 3 && tokens[2].isInitial ? tokens[2].end : tokens[1].end
        }
        // `Иван Петров`, `Петровой Анне`: a first name of the gazetteer in any case beside a word with a surname
        // ending, unless the first name is a common word starting a sentence or a street or station is named
        if !tokens[1].isInitial, isSurname(bytes, first) || isSurname(bytes, tokens[1]) {
            let name = isSurname(bytes, tokens[1]) ? first : tokens[1]
            if let ambiguous = russianFirstNameForms[russianHash(bytes, name.start, name.end)],
                !(ambiguous && startsSentence(bytes, before: start)),
                !bytes.isPreceded(byOneOf: namedPlaceWords, before: start, count: 1)
            {
                return tokens[1].end
            }
        }
        return nil
    }

    /// Words before a name that make it the name of a street, square, station or institution.
    static let namedPlaceWords: [[UInt8]] = piiKeywords(
        "ул.", "улица", "улице", "улицу", "улицы", "пр.", "просп.", "проспект", "проспекте", "пл.", "площадь",
        "площади", "бульвар", "бульваре", "пер.", "переулок", "переулке", "наб.", "набережная", "им.", "имени",
        "метро", "станция", "станции", "м.", "ст.", "памятник", "музей", "театр", "премия", "премии")

    /// Whether no word comes before `index` in its sentence: the text starts, or a line, `.`, `!`, `?`, a quote or
    /// a dash comes first.
    static func startsSentence(_ bytes: PIIBytes, before index: Int) -> Bool {
        var previous = index - 1
        while previous >= 0 && bytes.base[previous] == PIIASCII.space { previous -= 1 }
        guard previous >= 0 else { return true }
        switch bytes.base[previous] {
        case 0x0A, 0x0D, PIIASCII.dot, 0x21, 0x3F, 0x22, 0x2D, 0x3A, 0x7C, 0x3E, 0x2A, 0x23: return true
        case 0xAB: return previous > 0 && bytes.base[previous - 1] == 0xC2  // «
        case 0x94, 0x93: return previous > 1 && bytes.base[previous - 2] == 0xE2  // — –
        default: return false
        }
    }

    /// FNV-1a of a Cyrillic word with its capitals lowercased and ё read as е.
    static func russianHash(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var index = start
        while index < end {
            var lead = bytes.base[index]
            var trail = index + 1 < end ? bytes.base[index + 1] : 0
            if lead == 0xD0 && trail &- 0x90 < 0x10 {
                trail += 0x20
            } else if lead == 0xD0 && trail &- 0xA0 < 0x10 {
                (lead, trail) = (0xD1, trail - 0x20)
            } else if (lead == 0xD0 && trail == 0x81) || (lead == 0xD1 && trail == 0x91) {
                (lead, trail) = (0xD0, 0xB5)
            }
            hash = (hash ^ UInt64(lead)) &* 0x100_0000_01b3
            if lead >= 0xC0 {
                hash = (hash ^ UInt64(trail)) &* 0x100_0000_01b3
                index += 2
            } else {
                index += 1
            }
        }
        return hash
    }

    /// Every case form of the gazetteer's Russian first names, by `russianHash`: whether the name is ambiguous.
    static let russianFirstNameForms: [UInt64: Bool] = {
        let ambiguous = Set(russianAmbiguousFirstNames)
        var forms: [UInt64: Bool] = [:]
        for (names, male) in [(russianMaleFirstNames, true), (russianFemaleFirstNames, false)] {
            for name in names {
                for form in russianCaseForms(of: name, male: male) {
                    var form = form
                    let hash = form.withUTF8 {
                        russianHash(PIIBytes(base: $0.baseAddress!, count: $0.count), 0, $0.count)
                    }
                    forms[hash] = (forms[hash] ?? false) || ambiguous.contains(name)
                }
            }
        }
        return forms
    }()

    /// The six case forms of a first name in the nominative: `Иван` → `Ивана`, `Ивану`, `Иваном`, `Иване`;
    /// `Мария` → `Марии`, `Марию`, `Марией`; `Игорь` → `Игоря`; `Любовь` → `Любови`, `Любовью`.
    static func russianCaseForms(of name: String, male: Bool) -> [String] {
        let stem = String(name.dropLast())
        let last = name.last!
        let hushing: Set<Character> = ["ж", "ш", "ч", "щ", "ц"]
        let velar: Set<Character> = ["г", "к", "х"]
        if name.hasSuffix("ия") {
            return [name, stem + "и", stem + "ю", stem + "ей", stem + "ею"]
        }
        if last == "а" || last == "я" {
            let soft = last == "я"
            let previous = stem.last.map { $0 } ?? " "
            let genitive = soft || hushing.contains(previous) || velar.contains(previous) ? "и" : "ы"
            let instrumental = soft || hushing.contains(previous) ? "ей" : "ой"
            return [
                name, stem + genitive, stem + "е", stem + (soft ? "ю" : "у"), stem + instrumental,
                stem + String(instrumental.first!) + "ю",
            ]
        }
        if male {
            if last == "й" || last == "ь" {
                return [name, stem + "я", stem + "ю", stem + "ем", stem + "е", stem + "и"]
            }
            let base = ["павел": "павл", "лев": "льв"][name] ?? name
            let instrumental = hushing.contains(last) ? "ем" : "ом"
            return [name, base + "а", base + "у", base + instrumental, base + "е"]
        }
        if last == "ь" { return [name, stem + "и", name + "ю"] }
        return [name]
    }

    /// A capitalised Cyrillic word (`Иванов`, `Римский-Корсаков`) or an initial (`И.`).
    struct Token {
        var start: Int
        var end: Int
        var isInitial: Bool

        static func read(_ bytes: PIIBytes, at start: Int) -> Token? {
            guard isCyrillicCapital(bytes, start) else { return nil }
            var index = start + 2
            if bytes[index] == PIIASCII.dot { return Token(start: start, end: index + 1, isInitial: true) }
            var letters = 1
            while isCyrillicLower(bytes, index)
                || (bytes[index] == PIIASCII.minus && isCyrillicCapital(bytes, index + 1))
            {
                index += bytes[index] == PIIASCII.minus ? 3 : 2
                letters += 1
            }
            guard letters >= 2, !PIIASCII.isWord(bytes[index]), !PIIASCII.isCyrillicLead(bytes[index]) else {
                return nil
            }
            return Token(start: start, end: index, isInitial: false)
        }
    }

    @inline(__always) static func isCyrillicCapital(_ bytes: PIIBytes, _ index: Int) -> Bool {
        bytes[index] == 0xD0 && (bytes[index + 1] &- 0x90 < 0x20 || bytes[index + 1] == 0x81)
    }

    @inline(__always) static func isCyrillicLower(_ bytes: PIIBytes, _ index: Int) -> Bool {
        let next = bytes[index + 1]
        return (bytes[index] == 0xD0 && next &- 0xB0 < 0x10)
            || (bytes[index] == 0xD1 && (next &- 0x80 < 0x10 || next == 0x91))
    }

    static let patronymicEndings: [[UInt8]] = {
        var endings: [String] = []
        for stem in ["ович", "евич", "ьич"] { for end in ["", "а", "у", "ем", "е"] { endings.append(stem + end) } }
        for stem in ["овн", "евн", "ичн"] {
            for end in ["а", "ы", "е", "у", "ой", "ою"] { endings.append(stem + end) }
        }
        return endings.map { Array($0.utf8) }
    }()

    static let surnameEndings: [[UInt8]] = {
        var endings: [String] = []
        for stem in ["ов", "ев", "ёв", "ин", "ын"] {
            for end in ["", "а", "у", "ым", "ом", "е", "ой", "ых", "ы", "ую"] { endings.append(stem + end) }
        }
        for stem in ["ск", "цк"] {
            for end in ["ий", "ая", "ого", "ому", "им", "ом", "ой", "ую", "ие", "их"] { endings.append(stem + end) }
        }
        endings += ["енко", "ук", "юк", "ян", "дзе", "швили", "ых", "их", "ич"]
        return endings.map { Array($0.utf8) }
    }()

    static func isPatronymic(_ bytes: PIIBytes, _ token: Token) -> Bool {
        hasSuffix(bytes, token, patronymicEndings, minimumBytes: 10) || isPatronymicOfFirstDeclension(bytes, token)
    }

    /// `-ич` and its case endings, longest first.
    static let ichEndings: [[UInt8]] = ["ичем", "ича", "ичу", "иче", "ич"].map { Array($0.utf8) }

    /// The patronymics of male names in `-а`/`-я` (`Ильич`, `Кузьмича`, `Фомичу`, `Саввичем`, `Лукич`, `Никитич`):
    /// `-ич` after the stem of a male first name of the gazetteer. (Their feminine `-ична`/`-инична` forms end
    /// like every `-ична` patronymic.)
    static func isPatronymicOfFirstDeclension(_ bytes: PIIBytes, _ token: Token) -> Bool {
        for ending in ichEndings where token.end - token.start >= ending.count + 4 {
            let stemEnd = token.end - ending.count
            if ending.indices.allSatisfy({ bytes.base[stemEnd + $0] == ending[$0] }) {
                return russianPatronymicStems.contains(russianHash(bytes, token.start, stemEnd))
            }
        }
        return false
    }

    /// `russianHash` of the stems of the male first names in `-а`/`-я` (`Илья` → `иль`, `Фома` → `фом`).
    static let russianPatronymicStems: Set<UInt64> = Set(
        russianMaleFirstNames.filter { $0.hasSuffix("а") || $0.hasSuffix("я") }.map { name in
            var stem = String(name.dropLast())
            return stem.withUTF8 { russianHash(PIIBytes(base: $0.baseAddress!, count: $0.count), 0, $0.count) }
        })

    static func isSurname(_ bytes: PIIBytes, _ token: Token) -> Bool {
        hasSuffix(bytes, token, surnameEndings, minimumBytes: 8)
    }

    private static func hasSuffix(_ bytes: PIIBytes, _ token: Token, _ endings: [[UInt8]], minimumBytes: Int) -> Bool {
        let length = token.end - token.start
        guard length >= minimumBytes else { return false }
        return endings.contains { ending in
            ending.count < length
                && ending.indices.allSatisfy { bytes.base[token.end - ending.count + $0] == ending[$0] }
        }
    }

    // MARK: - English and labelled names

    /// Whether a word starting with these bytes can be a title or a cue (a cheap test before `cued`).
    @inline(__always) static func mayCue(_ first: UInt8, _ second: UInt8) -> Bool {
        if first < 0x80 { return cueBeginnings.contains(first, second) }
        // ф Ф п П у У и И
        return (first == 0xD1 && (second == 0x84 || second == 0x83))
            || (first == 0xD0
                && (second == 0xA4 || second == 0xBF || second == 0x9F || second == 0xA3 || second == 0xB8
                    || second == 0x98))
    }

    /// Titles before an English name; the dot is optional.
    static let titles: [[UInt8]] = piiKeywords("mr", "mrs", "ms", "miss", "dr", "prof", "mx")
    /// Words after which two capitalised words are a name: labels, greetings, closings.
    static let cues: [[UInt8]] = piiKeywords(
        "name", "recipient", "dear", "regards", "sincerely", "best", "cheers", "thanks", "signed", "фио", "получатель",
        "уважением", "имя")
    static let cueBeginnings = PIIPrefixSet(titles + cues + piiKeywords("this", "my"), anyCase: true)
    static let this = piiKeywords("this")
    static let my = piiKeywords("my")
    /// Capitalised words that follow cues without being names.
    static let notNames: [[UInt8]] = piiKeywords(
        "the", "a", "an", "our", "your", "team", "customer", "customers", "support", "service", "sir", "madam",
        "client", "user", "friend", "friends", "all", "everyone", "colleagues")

    /// A name after a title or cue word starting at `start` (the cue's first letter): the name's start and end.
    static func cued(_ bytes: PIIBytes, at start: Int) -> (Int, Int)? {
        let wordEnd = bytes.run(from: start, limit: 24) { PIIASCII.isLetter($0) || $0 >= 0x80 }
        guard wordEnd > start, wordEnd - start <= 20 else { return nil }
        if isOne(of: titles, bytes, start, wordEnd) {
            var index = wordEnd
            if bytes[index] == PIIASCII.dot { index += 1 }
            guard bytes[index] == PIIASCII.space else { return nil }
            guard let first = capitalised(bytes, at: index + 1) else { return nil }
            if bytes[first] == PIIASCII.space, let second = capitalised(bytes, at: first + 1) { return (start, second) }
            return (start, first)
        }
        var index = wordEnd
        let isThis = isOne(of: this, bytes, start, wordEnd)
        if isThis || isOne(of: my, bytes, start, wordEnd) {
            // `this is John Smith`, `my name is John Smith`
            let rest: StaticString = isThis ? " is " : " name is "
            guard bytes.hasPrefix(rest, at: index) else { return nil }
            index += rest.utf8CodeUnitCount - 1
        } else {
            guard isOne(of: cues, bytes, start, wordEnd) else { return nil }
            if bytes[index] == PIIASCII.colon || bytes[index] == 0x2C { index += 1 }  // : or ,
        }
        guard bytes[index] == PIIASCII.space || bytes[index] == 0x0A else { return nil }
        index += 1
        if bytes[index] == 0x0A { index += 1 }
        guard let first = capitalised(bytes, at: index), bytes[first] == PIIASCII.space,
            let second = capitalised(bytes, at: first + 1)
        else { return nil }
        if isOne(of: notNames, bytes, index, first) || isOne(of: notNames, bytes, first + 1, second) {
            return nil
        }
        var end = second
        if bytes[end] == PIIASCII.space, let third = capitalised(bytes, at: end + 1),
            PIIPersonName.isCyrillicCapital(bytes, end + 1)
        {
            end = third
        }
        return (index, end)
    }

    /// The end of a capitalised word (Latin or Cyrillic, `McDonald`, `O'Neil`, `Smith-Jones` included) at `start`.
    static func capitalised(_ bytes: PIIBytes, at start: Int) -> Int? {
        var index: Int
        if PIIASCII.isUpper(bytes[start]) {
            index = start + 1
            while PIIASCII.isLetter(bytes[index])
                || (bytes[index] == 0x27 || bytes[index] == PIIASCII.minus)
                    && PIIASCII.isUpper(bytes[index + 1])
            {
                index += 1
            }
            guard index - start >= 2, PIIASCII.isLower(bytes[start + 1]) || bytes[start + 1] == 0x27 else {
                return nil
            }
        } else if let token = Token.read(bytes, at: start), !token.isInitial {
            index = token.end
        } else {
            return nil
        }
        return PIIASCII.isWord(bytes[index]) || PIIASCII.isCyrillicLead(bytes[index]) ? nil : index
    }

    /// Head nouns of places and organisations: `Jefferson Street`, `Lincoln Center`, `Grace Hotel` are no people.
    static let placeNouns: [[UInt8]] = piiKeywords(
        "street", "st", "avenue", "ave", "road", "rd", "lane", "drive", "boulevard", "way", "place", "square", "park",
        "store", "shop", "inc", "ltd", "llc", "co", "company", "corp", "bank", "hotel", "university", "college",
        "school", "center", "centre", "city", "county", "airport", "station", "hospital", "church", "bridge", "river",
        "lake", "mountain", "island", "valley", "beach", "group", "foundation", "institute", "museum", "library")

    /// `John Smith`: a first name of the gazetteer and a capitalised word that is no place or organisation noun.
    static func gazetteer(_ bytes: PIIBytes, at start: Int) -> Int? {
        guard let first = capitalised(bytes, at: start), (3...12).contains(first - start),
            bytes[first] == PIIASCII.space, PIIASCII.isUpper(bytes[first + 1]),
            let second = capitalised(bytes, at: first + 1),
            englishFirstNameHashes.contains(hash(bytes, start, first)),
            !isOne(of: notNames, bytes, first + 1, second), !isOne(of: placeNouns, bytes, first + 1, second)
        else { return nil }
        return second
    }

    static let englishFirstNameHashes: Set<UInt64> = Set(
        englishFirstNames.map { name in
            name.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        })

    /// FNV-1a of `start..<end` with ASCII capitals lowercased.
    static func hash(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in start..<end {
            let byte = bytes.base[index]
            hash = (hash ^ UInt64(PIIASCII.isUpper(byte) ? byte | 0x20 : byte)) &* 0x100_0000_01b3
        }
        return hash
    }

    /// Whether `start..<end` is one of `words` (lowercase UTF-8), ignoring the case of ASCII and Cyrillic letters.
    static func isOne(of words: [[UInt8]], _ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        words.contains { word in
            guard word.count == end - start else { return false }
            var offset = 0
            while offset < word.count {
                let byte = bytes.base[start + offset]
                if byte == 0xD0 && offset + 1 < word.count {
                    let next = bytes.base[start + offset + 1]
                    let (lead, trail): (UInt8, UInt8) =
                        switch next {
                        case 0x90...0x9F: (0xD0, next + 0x20)
                        case 0xA0...0xAF: (0xD1, next - 0x20)
                        default: (byte, next)
                        }
                    guard word[offset] == lead, word[offset + 1] == trail else { return false }
                    offset += 2
                } else {
                    guard word[offset] == (PIIASCII.isUpper(byte) ? byte | 0x20 : byte) else { return false }
                    offset += 1
                }
            }
            return true
        }
    }
}
