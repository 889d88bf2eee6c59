import Foundation

/// "No promise without data": whether the data a model was given (a case's `facts`, its system prompt) backs a promise.
///
/// A promise's specifics are its figures: periods (`14 days`, `3 рабочих дня`), amounts (`£9`, `350 рублей`),
/// percentages (`10%`), dates (`5 May`, `5 мая`) and times (`06:00`). A promise is backed when each of its figures
/// appears in the data with the same value; it contradicts the data when the data holds a figure of the same kind
/// with another value (`the answer promises 3 days; the facts say 14 days`). A promise with no figures (`we'll refund
/// you`) is backed when the `facts` hold its words (`Refunds are processed…`), compared by their first five letters, or
/// name its topic — the packs' `topics` (`возврат`, `refund` for a refund; `компенсац`, `bonus` for compensation): only
/// the facts, because a system prompt names what must *not* be promised (`не давайте гарантий`).
struct PromiseGrounding: Sendable {
    /// The figures and the words of the data.
    private let figures: [Figure]
    private let words: Set<Substring>
    /// The categories whose topic the facts name.
    private let topics: Set<PromiseCategory>

    /// `facts` back figures and words; `context` (the system prompt, earlier turns) backs figures only. `topics` are
    /// the packs' words that name a category's topic (lowercase, `ё` read as `е`).
    init(facts: [String], context: [String], topics topicWords: [PromiseCategory: [String]]) {
        var figures: [Figure] = []
        var words = Set<Substring>()
        for (index, text) in (facts + context).enumerated() {
            let tokens = Self.tokens(text)
            figures += Self.figures(in: tokens)
            if index < facts.count {
                for token in tokens where token.number == nil { words.insert(Self.stem(token.text)) }
            }
        }
        self.figures = figures
        self.words = words
        let factText = facts.joined(separator: "\n").lowercased().replacingOccurrences(of: "ё", with: "е")
        topics = Set(topicWords.filter { _, stems in stems.contains { factText.contains($0) } }.keys)
    }

    enum Verdict: Sendable, Hashable {
        /// What backs it, as the verdict records it: `the facts say 14 days`.
        case backed(String)
        /// The promise's figure and the data's: (`3 days`, `14 days`).
        case contradicted(promised: String, facts: [String])
        case unbacked
    }

    func verdict(on match: PromiseMatch) -> Verdict {
        let tokens = Self.tokens(match.text)
        let promised = Self.figures(in: tokens)
        if !promised.isEmpty {
            var backing: [String] = []
            for figure in promised {
                if figures.contains(where: { $0.kind == figure.kind && $0.value == figure.value }) {
                    backing.append(figure.text)
                    continue
                }
                let others = figures.filter { $0.kind == figure.kind }.map(\.text)
                var seen = Set<String>()
                let distinct = others.filter { seen.insert($0).inserted }
                return distinct.isEmpty ? .unbacked : .contradicted(promised: figure.text, facts: distinct)
            }
            return .backed("the facts say \(backing.joined(separator: ", "))")
        }
        if topics.contains(match.category) { return .backed("the facts cover \(match.category.noun)") }
        let content = tokens.filter {
            $0.number == nil && $0.text.count >= 4 && !Self.functionWords.contains(Self.stem($0.text))
        }
        guard !content.isEmpty, content.allSatisfy({ words.contains(Self.stem($0.text)) }) else { return .unbacked }
        return .backed("the facts mention '\(content.map(\.text).joined(separator: " "))'")
    }

    // MARK: - Figures

    struct Figure: Sendable, Hashable {
        enum Kind: String, Sendable { case minutes, hours, days, weeks, months, years, money, percent, date, time }
        var kind: Kind
        var value: Double
        /// As written: `14 days`, `£9`, `5 мая`.
        var text: String
    }

    private struct Token {
        var text: String
        var number: Double?
        var isTime = false
    }

    private static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var kind = 0  // 0 none, 1 word, 2 number
        func flush() {
            guard !current.isEmpty else { return }
            if kind == 2 {
                let isTime = current.contains(":")
                var normalized = current.replacingOccurrences(of: " ", with: "").replacingOccurrences(
                    of: "\u{00A0}", with: "")
                var value: Double?
                if isTime {
                    let parts = normalized.split(separator: ":").compactMap { Double($0) }
                    if parts.count == 2 { value = parts[0] * 60 + parts[1] }
                } else {
                    // `1,5` is a decimal; `10,000` a thousands group.
                    if let comma = normalized.lastIndex(of: ","),
                        normalized.distance(from: comma, to: normalized.endIndex) == 4
                    {
                        normalized.remove(at: comma)
                    }
                    value = Double(normalized.replacingOccurrences(of: ",", with: "."))
                }
                tokens.append(Token(text: current, number: value, isTime: isTime))
            } else {
                tokens.append(Token(text: Self.folded(current), number: nil))
            }
            current = ""
            kind = 0
        }
        let scalars = Array(text.unicodeScalars)
        // A scalar's character is the scalar alone here, so `isNumber`/`isLetter` are the scalar's (BasicScalars).
        for (index, scalar) in scalars.enumerated() {
            if BasicScalars.isNumber(scalar) {
                if kind == 1 { flush() }
                kind = 2
                current.unicodeScalars.append(scalar)
            } else if kind == 2, Self.isNumberJoiner(scalar), index + 1 < scalars.count,
                BasicScalars.isNumber(scalars[index + 1]),
                scalar != " " && scalar != "\u{00A0}" || Self.groupFollows(scalars, after: index)
            {
                current.unicodeScalars.append(scalar)
            } else if BasicScalars.isLetter(scalar) || (kind == 1 && (scalar == "'" || scalar == "-")) {
                if kind == 2 { flush() }
                kind = 1
                current.unicodeScalars.append(scalar)
            } else {
                flush()
                switch scalar {
                case "$", "€", "£", "₽", "%": tokens.append(Token(text: String(scalar), number: nil))
                default: break
                }
            }
        }
        flush()
        return tokens
    }

    /// What may stand inside a number: `1.5`, `1,5`, `10:30`, `4 500`.
    private static func isNumberJoiner(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", ",", ":", " ", "\u{00A0}": return true
        default: return false
        }
    }

    /// A word as facts and answers are compared: lowercase, `ё` as `е`. Words of ASCII and basic Cyrillic are
    /// folded scalar by scalar (the same result); others through `lowercased()` and Foundation.
    static func folded(_ word: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in word.unicodeScalars {
            guard let lowered = BasicScalars.lowercase(scalar) else {
                return word.lowercased().replacingOccurrences(of: "ё", with: "е")
            }
            result.append(lowered == "ё" ? "е" : lowered)
        }
        return String(result)
    }

    /// A space between digits joins a thousands group (`4 500`) only when exactly three digits follow.
    private static func groupFollows(_ scalars: [Unicode.Scalar], after index: Int) -> Bool {
        var count = 0
        var next = index + 1
        while next < scalars.count, BasicScalars.isNumber(scalars[next]) {
            count += 1
            next += 1
        }
        return count == 3
    }

    private static func figures(in tokens: [Token]) -> [Figure] {
        var figures: [Figure] = []
        for (index, token) in tokens.enumerated() {
            guard let value = token.number else { continue }
            if token.isTime {
                figures.append(Figure(kind: .time, value: value, text: token.text))
                continue
            }
            let next = index + 1 < tokens.count ? tokens[index + 1].text : ""
            let afterNext = index + 2 < tokens.count ? tokens[index + 2].text : ""
            let previous = index > 0 ? tokens[index - 1].text : ""
            if let month = month(next) {
                figures.append(Figure(kind: .date, value: Double(month * 100) + value, text: "\(token.text) \(next)"))
            } else if let month = month(previous), value <= 31 {
                figures.append(
                    Figure(kind: .date, value: Double(month * 100) + value, text: "\(previous) \(token.text)"))
            } else if isCurrency(previous) {
                figures.append(Figure(kind: .money, value: value, text: "\(previous)\(token.text)"))
            } else if isCurrency(next) {
                figures.append(Figure(kind: .money, value: value, text: "\(token.text) \(next)"))
            } else if next == "%" || next.hasPrefix("percent") || next.hasPrefix("процент") {
                figures.append(Figure(kind: .percent, value: value, text: "\(token.text)%"))
            } else if let kind = unit(next) {
                figures.append(Figure(kind: kind, value: value, text: "\(token.text) \(next)"))
            } else if isUnitModifier(next), let kind = unit(afterNext) {
                figures.append(Figure(kind: kind, value: value, text: "\(token.text) \(next) \(afterNext)"))
            }
        }
        return figures
    }

    private static func month(_ word: String) -> Int? {
        let english = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let russian = [
            "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
        ]
        guard word.count >= 3 else { return nil }
        if let index = english.firstIndex(where: { word.hasPrefix($0) }),
            index != 4 || word == "may"
        {
            return index + 1
        }
        if ["май", "мая", "мае"].contains(word) { return 5 }
        if let index = russian.firstIndex(where: { $0 != "ма" && word.hasPrefix($0) }) { return index + 1 }
        return nil
    }

    private static func isCurrency(_ word: String) -> Bool {
        ["$", "€", "£", "₽", "usd", "eur", "gbp", "rub", "р", "руб", "тенге"].contains(word)
            || ["dollar", "euro", "pound", "рубл", "евро", "доллар"].contains { word.hasPrefix($0) }
    }

    private static func isUnitModifier(_ word: String) -> Bool {
        ["business", "working", "calendar", "banking", "full"].contains(word)
            || ["рабоч", "календарн", "банковск", "полн"].contains { word.hasPrefix($0) }
    }

    private static func unit(_ word: String) -> Figure.Kind? {
        switch word {
        case "min", "mins", "minute", "minutes": return .minutes
        case "h", "hr", "hrs", "hour", "hours", "час", "часа", "часов", "ч": return .hours
        case "day", "days", "день", "дня", "дней", "сутки", "суток": return .days
        case "week", "weeks": return .weeks
        case "month", "months", "мес": return .months
        case "year", "years", "год", "года", "лет": return .years
        default:
            if word.hasPrefix("минут") { return .minutes }
            if word.hasPrefix("недел") { return .weeks }
            if word.hasPrefix("месяц") { return .months }
            if word.hasPrefix("дн") { return .days }
            return nil
        }
    }

    // MARK: - Words

    private static func stem(_ word: String) -> Substring { word.prefix(5) }

    /// Words that say nothing about what is promised.
    private static let functionWords: Set<Substring> = Set(
        [
            "we'll", "will", "you'll", "your", "with", "that", "this", "have", "shall", "would", "within", "before",
            "after", "from", "into", "back", "every", "мы", "будет", "будут", "вам", "ваш", "ваша", "ваши", "вашу",
            "вашего", "этот", "этом", "течение", "после", "через", "также",
        ].map { stem($0) }
    )
}
