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
            head.isInitial || (bytes[head.end] == PIIASCII.space && isCyrillicCapital(bytes, head.end + 1)),
            !namesACompany(bytes, at: start)
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
        // `Иванов И. И.`, and any surname with initials inside a sentence or after `ИП` (`о Сейткали Е.`, `ИП Бойко
        // В.Г.`)
        if tokens[1].isInitial, isSurname(bytes, first) || !startsSentence(bytes, before: start) {
            return tokens.count >= 3 && tokens[2].isInitial ? tokens[2].end : tokens[1].end
        }
        // `Иван Петров`, `Петровой Анне`: a first name of the gazetteer in any case beside a word with a surname
        // ending, unless the first name is a common word starting a sentence or a street or station is named
        // (`Ирине` ends like a surname too: try the first name in either place)
        if !tokens[1].isInitial, !bytes.isPreceded(byOneOf: namedPlaceWords, before: start, count: 1) {
            for (name, surname) in [(first, tokens[1]), (tokens[1], first)]
            where isSurname(bytes, surname) && !isBrand(bytes, start, tokens[1].end) {
                if let ambiguous = russianFirstNameForms[PIIWordSet.hash(bytes, name.start, name.end)],
                    !(ambiguous && startsSentence(bytes, before: start))
                {
                    return tokens[1].end
                }
            }
            // inside a sentence: a first name of the gazetteer beside any capitalised word (`от Алины Бойко`), or a
            // surname beside a capitalised word that is no adjective (`от Жанар Ахметовой`, `Даурену Абенову`)
            if !startsSentence(bytes, before: start), !isBrand(bytes, start, tokens[1].end) {
                for (name, other) in [(first, tokens[1]), (tokens[1], first)] {
                    if russianFirstNameForms[PIIWordSet.hash(bytes, name.start, name.end)] == false {
                        return tokens[1].end
                    }
                    if isSurname(bytes, name) && hasStrongSurnameEnding(bytes, name)
                        && !hasSuffix(bytes, other, adjectiveEndings, minimumBytes: 6)
                    {
                        return tokens[1].end
                    }
                }
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

    /// Every case form of the gazetteer's Russian first names, by `PIIWordSet.hash`: whether the name is ambiguous.
    static let russianFirstNameForms: [UInt64: Bool] = {
        let ambiguous = Set(russianAmbiguousFirstNames)
        var forms: [UInt64: Bool] = [:]
        for (names, male) in [(russianMaleFirstNames, true), (russianFemaleFirstNames, false)] {
            for name in names {
                for form in russianCaseForms(of: name, male: male) {
                    let hash = PIIWordSet.hash(of: form.utf8)
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
                return russianPatronymicStems.contains(PIIWordSet.hash(bytes, token.start, stemEnd))
            }
        }
        return false
    }

    /// `PIIWordSet.hash` of the stems of the male first names in `-а`/`-я` (`Илья` → `иль`, `Фома` → `фом`).
    static let russianPatronymicStems: Set<UInt64> = Set(
        russianMaleFirstNames.filter { $0.hasSuffix("а") || $0.hasSuffix("я") }.map { name in
            PIIWordSet.hash(of: name.dropLast().utf8)
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
        first < 0x80 ? cueBeginnings.contains(first, second) : cyrillicCueBeginnings.contains(first, second)
    }

    static let cyrillicCueBeginnings = PIIPrefixSet(
        (cues + askWords + titles).filter { $0[0] >= 0x80 }.flatMap { word in
            // the first letter in both cases
            let upper: [UInt8] =
                word[0] == 0xD0 ? [0xD0, word[1] - 0x20] : [0xD0, word[1] + 0x20]  // а–п -> А–П, р–я -> Р–Я
            return [[word[0], word[1]], upper]
        })

    /// The byte lengths of the Cyrillic cues, titles and ask-words: only words of these lengths are looked up.
    static let cyrillicCueLengths: Set<Int> = Set((cues + askWords + titles).filter { $0[0] >= 0x80 }.map(\.count))

    /// Titles before a name; the dot is optional.
    static let titles: [[UInt8]] = piiKeywords(
        "mr", "mrs", "ms", "miss", "dr", "prof", "mx", "frau", "herr", "mme", "madame", "monsieur", "mlle", "sr", "sra",
        "señor", "señora", "signor", "signora", "г-н", "г-жа", "господин", "госпожа")
    /// Words after which two capitalised words are a name: labels, greetings, closings.
    static let cues: [[UInt8]] = piiKeywords(
        "name", "recipient", "dear", "regards", "sincerely", "best", "cheers", "thanks", "thank", "signed", "holder",
        "cardholder", "applicant", "contact", "passenger", "guest", "sender", "patient", "employee", "фио",
        "получатель",
        "уважением", "имя", "подпись", "отправитель", "заявитель", "плательщик", "клиент", "клиентка", "пассажир",
        "сотрудник", "сотрудница", "менеджер", "зовут", "спасибо", "здравствуйте", "привет", "hello", "hi", "курьер",
        "оператор", "специалист", "водитель", "мастер", "консультант", "courier", "agent", "technician", "driver")
    /// Verbs that ask for a person (`ask for Sarah`, `спросить Ирину`): one first name after them is a name.
    static let askWords: [[UInt8]] = piiKeywords(
        "ask", "спросить", "спросите", "позвать", "позовите", "пригласить", "пригласите", "вызовите", "вызвать",
        "попросить", "попросите", "передайте", "напомните", "спрашивайте")
    /// Closings and thanks after which one first name alone signs or addresses (`Cheers,\nElizabeth`, `Thanks,
    /// Jennifer.`).
    static let singleNameCues: [[UInt8]] = piiKeywords(
        "regards", "sincerely", "best", "cheers", "thanks", "thank", "dear", "hello", "hi", "уважением", "спасибо",
        "зовут", "здравствуйте", "привет", "курьер", "оператор", "специалист", "водитель", "мастер", "консультант",
        "менеджер", "courier", "agent", "technician", "driver")
    static let anyCueSet = PIIWordSet(titles + cues + askWords + piiKeywords("this", "my"))
    static let titleSet = PIIWordSet(titles)
    static let cueSet = PIIWordSet(cues)
    static let askWordSet = PIIWordSet(askWords)
    static let singleNameCueSet = PIIWordSet(singleNameCues)
    /// Greetings and roles (`Hi`, `Курьер`): after them two capitalised words need a first name among them (`Hi,
    /// Wells Fargo` is a bank), and before a colon they name a chat's speaker.
    static let weakCueSet = PIIWordSet(
        piiKeywords(
            "hello", "hi", "здравствуйте", "привет", "курьер", "оператор", "специалист", "водитель", "мастер",
            "консультант", "менеджер", "courier", "agent", "technician", "driver", "клиент", "клиентка", "сотрудник",
            "сотрудница"))
    static let cueBeginnings = PIIPrefixSet(titles + cues + askWords + piiKeywords("this", "my"), anyCase: true)
    static let this = piiKeywords("this")
    static let my = piiKeywords("my")
    /// Capitalised words that follow cues without being names.
    static let notNames: [[UInt8]] = piiKeywords(
        "the", "a", "an", "our", "your", "team", "customer", "customers", "support", "service", "sir", "madam",
        "client", "user", "friend", "friends", "all", "everyone", "colleagues", "then", "this", "that", "there",
        "these", "those", "they", "we", "it", "he", "she", "please", "hello", "yes", "also", "but", "when", "now",
        "today", "tomorrow", "метро", "станция", "улица", "город",
        "магазин", "офис", "компания", "банк", "отдел", "служба", "поддержка", "команда", "клиент", "ооо", "ип")

    /// Endings of adjectives and of place names made from them (`Маяковская`, `Красной`, `Невский`): the word beside
    /// a surname that has one is no first name.
    static let adjectiveEndings: [[UInt8]] = piiKeywords(
        "ая", "яя", "ый", "ий", "ой", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ым", "им", "ых", "их", "ую",
        "юю")

    /// Surname endings of the `-ов`/`-ев`/`-ин` families (`Ахметовой`, `Абенову`, `Бекмуханове`), which no common
    /// word has after a capital inside a sentence.
    static let strongSurnameEndings: [[UInt8]] = {
        var endings: [String] = []
        for stem in ["ов", "ев", "ёв", "ин", "ын"] {
            for end in ["", "а", "у", "ым", "ом", "е", "ой", "ых", "ы", "ую"] { endings.append(stem + end) }
        }
        return endings.map { Array($0.utf8) }
    }()

    static func hasStrongSurnameEnding(_ bytes: PIIBytes, _ token: Token) -> Bool {
        hasSuffix(bytes, token, strongSurnameEndings, minimumBytes: 10)
    }

    /// A name after a title or cue word starting at `start` (the cue's first letter): the name's start and end.
    static func cued(_ bytes: PIIBytes, at start: Int) -> (Int, Int)? {
        let wordEnd = bytes.run(from: start, limit: 24) { PIIASCII.isLetter($0) || $0 >= 0x80 }
        guard wordEnd > start, wordEnd - start <= 20 else { return nil }
        let wordHash = PIIWordSet.hash(bytes, start, wordEnd)
        guard anyCueSet.contains(hash: wordHash) else { return nil }
        if titleSet.contains(hash: wordHash) {
            var index = wordEnd
            if bytes[index] == PIIASCII.dot { index += 1 }
            guard bytes[index] == PIIASCII.space else { return nil }
            guard let first = capitalised(bytes, at: index + 1), !isBrand(bytes, start, first) else { return nil }
            if bytes[first] == PIIASCII.space, let second = capitalised(bytes, at: first + 1) { return (start, second) }
            return (start, first)
        }
        var index = wordEnd
        if askWordSet.contains(hash: wordHash) {
            // `ask for Sarah`, `спросить Ирину`, `пригласите Омарова Ерлана`
            if bytes.hasPrefix(" for", at: index) { index += 4 }
            guard bytes[index] == PIIASCII.space else { return nil }
            return name(bytes, at: index + 1, single: true, strict: true)
        }
        let isThis = isOne(of: this, bytes, start, wordEnd)
        if isThis || isOne(of: my, bytes, start, wordEnd) {
            // `this is John Smith`, `my name is John Smith`
            let rest: StaticString = isThis ? " is " : " name is "
            guard bytes.hasPrefix(rest, at: index) else { return nil }
            index += rest.utf8CodeUnitCount - 1
        } else {
            guard cueSet.contains(hash: wordHash) else { return nil }
            // `Agent:`, `Оператор:` label a speaker in a chat, not the name after them
            if bytes[index] == PIIASCII.colon && weakCueSet.contains(hash: wordHash) { return nil }
            if bytes[index] == PIIASCII.colon || bytes[index] == 0x2C { index += 1 }  // : or ,
        }
        guard bytes[index] == PIIASCII.space || bytes[index] == 0x0A else { return nil }
        index += 1
        if bytes[index] == 0x0A { index += 1 }
        // `DANIELS, Gail`: a surname in capitals, a comma and a first name
        if let surname = upperCaseWord(bytes, at: index), bytes[surname] == 0x2C, bytes[surname + 1] == PIIASCII.space,
            let first = capitalised(bytes, at: surname + 2)
        {
            return (index, first)
        }
        // `my name is Olivia`, `this is Daniel`: one first name is enough
        let single = isThis || isOne(of: my, bytes, start, wordEnd) || singleNameCueSet.contains(hash: wordHash)
        guard
            let (nameStart, second) = name(
                bytes, at: index, single: single, strict: weakCueSet.contains(hash: wordHash))
        else { return nil }
        // a third capitalised word of a Russian name: `Иванов Иван Иванович`
        var end = second
        if bytes[end] == PIIASCII.space, PIIPersonName.isCyrillicCapital(bytes, end + 1),
            let third = capitalised(bytes, at: end + 1)
        {
            end = third
        }
        return (nameStart, end)
    }

    /// A name after a cue: two capitalised words (when `strict`, one of them a first name or a Russian surname:
    /// `ask for Help Desk` is no name), or one first name of a gazetteer (`Sarah`, `Ирину`) when `single` allows it.
    static func name(_ bytes: PIIBytes, at index: Int, single: Bool, strict: Bool) -> (Int, Int)? {
        guard let first = capitalised(bytes, at: index) else { return nil }
        // `Cilli van der Dussen`, `Ana de la Cruz`: particles before the surname
        var surnameStart = first + 1
        while bytes[surnameStart - 1] == PIIASCII.space {
            let particleEnd = bytes.run(from: surnameStart, limit: 6, while: PIIASCII.isLower)
            guard particleEnd > surnameStart, bytes[particleEnd] == PIIASCII.space,
                isOne(of: particles, bytes, surnameStart, particleEnd)
            else { break }
            surnameStart = particleEnd + 1
        }
        if bytes[first] == PIIASCII.space, let second = capitalised(bytes, at: surnameStart),
            !isOne(of: notNames, bytes, index, first), !isOne(of: notNames, bytes, surnameStart, second),
            !isBrand(bytes, index, second), !isOne(of: assistantNames, bytes, surnameStart, second),
            !strict || isFirstName(bytes, index, first) || isFirstName(bytes, surnameStart, second)
                || isRussianSurname(bytes, index, first) || isRussianSurname(bytes, surnameStart, second)
        {
            return (index, second)
        }
        // `Hi, Marie Curie won…`: a brand or public figure is no name, not even its first word
        if bytes[first] == PIIASCII.space, let second = capitalised(bytes, at: first + 1), isBrand(bytes, index, second)
        {
            return nil
        }
        guard single, isFirstName(bytes, index, first), !isOne(of: assistantNames, bytes, index, first) else {
            return nil
        }
        return (index, first)
    }

    /// Particles between a first name and a surname: `van`, `der`, `de`, `da`, `di`, `von`, `la`, `le`, `bin`.
    static let particles: [[UInt8]] = piiKeywords(
        "van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "des", "la", "le", "bin", "ibn", "al", "el",
        "ter", "ten", "dos", "das")

    /// `signed for by L. Small`, `sent to J. Conley`: an initial and a surname after a word that leads to a person.
    static func initialAndSurname(_ bytes: PIIBytes, at start: Int) -> Int? {
        guard PIIASCII.isUpper(bytes[start]), bytes[start + 1] == PIIASCII.dot, bytes[start + 2] == PIIASCII.space,
            bytes.isPreceded(byOneOf: personLeads, before: start, count: 1)
        else { return nil }
        var surnameStart = start + 3
        while true {
            let particleEnd = bytes.run(from: surnameStart, limit: 6, while: PIIASCII.isLetter)
            guard particleEnd > surnameStart, bytes[particleEnd] == PIIASCII.space,
                isOne(of: particles, bytes, surnameStart, particleEnd)
            else { break }
            surnameStart = particleEnd + 1
        }
        guard let end = capitalised(bytes, at: surnameStart), end - surnameStart >= 3,
            !isOne(of: placeNouns, bytes, surnameStart, end), !isOne(of: notNames, bytes, surnameStart, end)
        else { return nil }
        return end
    }

    /// Words after which an initial and a surname are a person: `by`, `to`, `from`, `for`, `with`, `cc`, `attn`.
    static let personLeads: [[UInt8]] = piiKeywords(
        "by", "to", "from", "for", "with", "and", "cc", "attn", "via", "per")

    /// Voice assistants with people's names: `Ask Alexa to reorder`, `спросите Алису`.
    static let assistantNames: [[UInt8]] = piiKeywords(
        "alexa", "siri", "cortana", "bixby", "алиса", "алису", "алисы", "алисе", "маруся", "марусю", "марусе")

    /// `Anne-Rose`, `Jean-Pierre`: a first name of the gazetteer before the hyphen.
    static func isHyphenatedFirstName(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        let hyphen = bytes.run(from: start, limit: end - start) { $0 != PIIASCII.minus }
        return hyphen < end && firstNameHashes.contains(PIIWordSet.hash(bytes, start, hyphen))
    }

    /// Whether `start..<end` is a first name of the English, international or Russian gazetteer (any case form).
    static func isFirstName(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        if isCyrillicCapital(bytes, start) { return russianFirstNameForms[PIIWordSet.hash(bytes, start, end)] == false }
        return firstNameHashes.contains(PIIWordSet.hash(bytes, start, end))
    }

    private static func isRussianSurname(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        isCyrillicCapital(bytes, start) && isSurname(bytes, Token(start: start, end: end, isInitial: false))
    }

    /// Legal forms before a company's name in quotes: `ООО "Иван Петрович"` is a company.
    static let legalForms: [[UInt8]] = piiKeywords(
        "ооо", "оао", "зао", "пао", "ао", "нко", "ано", "ип", "llc", "ltd", "inc", "gmbh", "ag")

    /// Whether `start` opens a quoted name after a legal form (`ООО «Иван Петрович»`, `LLC "John Smith"`).
    static func namesACompany(_ bytes: PIIBytes, at start: Int) -> Bool {
        var quote = start - 1
        if bytes[quote] == 0x22 || bytes[quote] == 0x27 {
            // `"` or `'`: one byte
        } else if bytes[quote] == 0xAB && bytes[quote - 1] == 0xC2 {
            quote -= 1  // «
        } else if bytes[quote] == 0x9C && bytes[quote - 1] == 0x80 && bytes[quote - 2] == 0xE2 {
            quote -= 2  // “
        } else {
            return false
        }
        var end = quote
        while bytes[end - 1] == PIIASCII.space { end -= 1 }
        return bytes.isPreceded(byOneOf: legalForms, before: end, count: 1)
    }

    /// A word in capitals of three letters or more (`DANIELS`, `O'NEIL`): its end.
    static func upperCaseWord(_ bytes: PIIBytes, at start: Int) -> Int? {
        let end = bytes.run(from: start, limit: 30) { PIIASCII.isUpper($0) || $0 == 0x27 || $0 == PIIASCII.minus }
        return end - start >= 3 && PIIASCII.isUpper(bytes[start]) && !PIIASCII.isWord(bytes[end]) ? end : nil
    }

    /// Whether a Latin letter starts at `index`: ASCII, or a two-byte letter of Latin-1 Supplement or Latin
    /// Extended-A (`é`, `ö`, `ł`, `Š`); how many bytes it takes, and whether it is a capital.
    @inline(__always) static func latinLetter(_ bytes: PIIBytes, _ index: Int) -> (length: Int, upper: Bool)? {
        let byte = bytes[index]
        if PIIASCII.isLetter(byte) { return (1, PIIASCII.isUpper(byte)) }
        let next = bytes[index + 1]
        guard PIIASCII.isContinuation(next) else { return nil }
        if byte == 0xC3 { return next == 0x97 || next == 0xB7 ? nil : (2, next < 0x9F) }  // not × ÷
        if byte == 0xC4 || byte == 0xC5 {
            let scalar = UInt32(byte & 0x1F) << 6 | UInt32(next & 0x3F)
            return (2, lowercaseOfExtendedA(scalar) != scalar)
        }
        return nil
    }

    /// The lowercase of a Latin Extended-A letter (U+0100–U+017F): capitals are the even code points, except in
    /// U+0139–U+0148 and U+0179–U+017E where they are the odd ones (`Ł` U+0141, `ł` U+0142).
    @inline(__always) static func lowercaseOfExtendedA(_ scalar: UInt32) -> UInt32 {
        let oddCapitals = (0x139...0x148).contains(scalar) || (0x179...0x17E).contains(scalar)
        if scalar == 0x138 || scalar == 0x149 || scalar == 0x17F || scalar == 0x178 { return scalar }
        return (scalar & 1 == 1) == oddCapitals ? scalar + 1 : scalar
    }

    /// The end of a capitalised word (Latin or Cyrillic, `McDonald`, `O'Neil`, `Smith-Jones`, `Röhrdanz`, `Éric`
    /// included) at `start`.
    static func capitalised(_ bytes: PIIBytes, at start: Int) -> Int? {
        var index: Int
        if let (length, upper) = latinLetter(bytes, start), upper {
            index = start + length
            // the second letter is lowercase (`Smith`), or an apostrophe follows the first (`O'Neil`)
            if bytes[index] != 0x27 {
                guard let (_, secondUpper) = latinLetter(bytes, index), !secondUpper else { return nil }
            }
            while true {
                if let (length, _) = latinLetter(bytes, index) {
                    index += length
                } else if (bytes[index] == 0x27 || bytes[index] == PIIASCII.minus)
                    && latinLetter(bytes, index + 1)?.upper == true
                {
                    index += 1
                } else {
                    break
                }
            }
            guard index - start >= 2 else { return nil }
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
        "lake", "mountain", "island", "valley", "beach", "group", "foundation", "institute", "museum", "library",
        "line", "day", "prize", "award", "cup", "trophy", "hall", "tower", "stadium", "arena", "garden", "gardens",
        "plaza", "mall", "market", "memorial", "theatre", "theater", "academy", "clinic", "festival", "show",
        "restaurant", "cafe", "bakery", "brewery", "winery", "motors", "airlines", "foods", "products")

    /// Brands and products named after people (their first word a first name), lowercase: `Tim Hortons gift cards`,
    /// `Ralph Lauren polos`, `Лада Калина`. Data, not rules: the well-known eponymous brands of retail, fashion, food,
    /// drink and cars in the US, UK, Europe and Russia.
    static let brandNames: Set<String> = [
        "tim hortons", "ralph lauren", "calvin klein", "tommy hilfiger", "hugo boss", "kate spade", "michael kors",
        "tory burch", "marc jacobs", "vera wang", "betsey johnson", "ted baker", "paul smith", "stella mccartney",
        "alexander mcqueen", "vivienne westwood", "louis vuitton", "christian dior", "christian louboutin",
        "giorgio armani", "emporio armani", "yves saint", "coco chanel", "estee lauder", "estée lauder", "bobbi brown",
        "jo malone", "tom ford", "jimmy choo", "stuart weitzman", "kenneth cole", "steve madden", "sam edelman",
        "jack daniels", "jack daniel's", "johnnie walker", "jim beam", "jose cuervo", "captain morgan", "sara lee",
        "betty crocker", "little debbie", "marie callender", "marie callender's", "ronald mcdonald", "papa john's",
        "papa johns", "martha stewart", "mary kay", "walt disney", "charles schwab", "morgan stanley", "ben sherman",
        "fred perry", "fred meyer", "harris teeter", "trader joe's", "trader joes", "jenny craig", "edward jones",
        "billy reid", "kenneth jay", "tory sport", "anne klein", "donna karan", "diane von", "oscar de",
        "carolina herrera",
        "jean paul", "paco rabanne", "karl lagerfeld", "ted lapidus", "pierre cardin", "lacoste", "harley davidson",
        "rolls royce", "aston martin", "alfa romeo", "john deere", "john lewis", "ben jerry's", "duncan hines",
        "orville redenbacher", "chef boyardee", "uncle ben's", "aunt jemima", "jimmy dean", "bob evans", "tommy bahama",
        "lauren conrad", "james hardie", "victoria line", "elizabeth line", "mary poppins", "peter pan", "harry potter",
        "лада калина", "лада гранта", "лада веста", "лада приора", "лада ларгус", "лада нива", "лада самара",
        "мистер пропер", "дядя ваня", "баба яга", "дед мороз", "иван царевич", "аленка шоколад",
        // public figures named in general knowledge, not anyone's personal data
        "albert einstein", "isaac newton", "marie curie", "charles darwin", "nikola tesla", "thomas edison",
        "william shakespeare", "leonardo da", "george washington", "abraham lincoln", "martin luther",
        "winston churchill",
        "napoleon bonaparte", "julius caesar", "wolfgang amadeus", "ludwig van", "vincent van", "pablo picasso",
        "elon musk", "steve jobs", "bill gates", "mark zuckerberg", "jeff bezos", "barack obama", "donald trump",
        "joe biden", "queen elizabeth", "king charles", "taylor swift", "michael jackson", "elvis presley",
        "юрий гагарин", "александр пушкин", "лев толстой", "федор достоевский", "антон чехов",
        "петр первый", "иван грозный", "дмитрий менделеев", "михаил ломоносов", "владимир путин",
        "михаил булгаков", "сергей есенин", "петр чайковский", "иван павлов",
        "сергей королев", "валентина терешкова", "гагарин юрий", "пушкин александр",
    ]

    /// Whether the two words `start..<end` (one space between) name a brand or a public figure (`ё` read as `е`).
    static func isBrand(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        var text = bytes.string(start, end).lowercased()
        if text.hasPrefix("dr. ") || text.hasPrefix("dr ") { return drBrands.contains(text) }
        text = String(text.map { $0 == "ё" ? "е" : $0 })
        return brandNames.contains(text)
    }

    /// `Dr Pepper`, `Dr. Martens`, `Dr. Oetker`, `Dr. Scholl's`: brands behind a title.
    static let drBrands: Set<String> = [
        "dr pepper", "dr. pepper", "dr martens", "dr. martens", "dr oetker", "dr. oetker", "dr scholl's",
        "dr. scholl's",
        "dr scholls", "dr. scholls", "dr. bronner's", "dr bronner's", "dr. seuss", "dr seuss",
    ]

    /// Whether the capitalised words after `end` (more names, `Jr.`) lead to a place or organisation noun:
    /// `Martin Luther King Jr. Day`.
    static func leadsToPlace(_ bytes: PIIBytes, after end: Int) -> Bool {
        var index = end
        for _ in 0..<3 {
            guard bytes[index] == PIIASCII.space, let next = capitalised(bytes, at: index + 1) else { return false }
            if isOne(of: placeNouns, bytes, index + 1, next) { return true }
            index = bytes[next] == PIIASCII.dot ? next + 1 : next
        }
        return false
    }

    /// `John Smith`: a first name of the gazetteer and a capitalised word that is no place or organisation noun.
    static func gazetteer(_ bytes: PIIBytes, at start: Int) -> Int? {
        guard !namesACompany(bytes, at: start), let first = capitalised(bytes, at: start),
            (3...14).contains(first - start),
            bytes[first] == PIIASCII.space, latinLetter(bytes, first + 1)?.upper == true,
            let second = capitalised(bytes, at: first + 1),
            isFirstName(bytes, start, first) || isHyphenatedFirstName(bytes, start, first),
            !isOne(of: notNames, bytes, first + 1, second), !isOne(of: placeNouns, bytes, first + 1, second),
            !isBrand(bytes, start, second), !leadsToPlace(bytes, after: second)
        else { return nil }
        return second
    }

    static let firstNameHashes: Set<UInt64> = Set(
        (englishFirstNames + internationalFirstNames).map { name in
            PIIWordSet.hash(of: name.utf8)
        })

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
