/// Russian internal passports: a series of 4 digits (often written `45 08`) and a number of 6 digits:
/// `45 08 123456`, `4508 123456`, `4508123456`, `4508 № 123456`, `45 08 номер 123456`.
///
/// Ten digits alone are too ambiguous (an INN, an order, a phone without its trunk prefix), so a passport is
/// reported only within ~40 characters of `паспорт`, `серия`/`серии`/`серию` or `passport`. `номер` alone is not
/// enough: every order and ticket has one.
enum PIIPassportRU {
    static let keywords = piiKeywords("паспорт", "passport", "серия", "серии", "серию")

    static func candidate(
        in chunk: PIIDigitChunk, from i: Int, bytes: PIIBytes, requiresContext: Bool
    ) -> PIINumberCandidate? {
        guard !(i == 0 && chunk.plusAt != nil) else { return nil }
        let last = chunk.last
        var j = i
        var end: Int?
        if chunk.count(i) == 10 {
            j = i
        } else if chunk.count(i) == 2, i + 1 <= last, chunk.count(i + 1) == 2, chunk.joiner(i + 1) == .space {
            j = i + 1
            if j + 1 <= last && chunk.count(j + 1) == 6 && chunk.joiner(j + 1) == .space {
                j += 1
            } else {
                guard j == last, let number = numberAfterSeries(bytes, from: chunk.groups[j].end) else { return nil }
                end = number
            }
        } else if chunk.count(i) == 4 {
            if i + 1 <= last && chunk.count(i + 1) == 6 && chunk.joiner(i + 1) == .space {
                j = i + 1
            } else {
                guard i == last, let number = numberAfterSeries(bytes, from: chunk.groups[i].end) else { return nil }
                end = number
            }
        } else {
            return nil
        }
        guard end != nil || chunk.endsCleanly(j), !chunk.isRepdigit(i, j) else { return nil }
        let start = chunk.groups[i].start
        let matchEnd = end ?? chunk.groups[j].end
        guard !requiresContext || bytes.mentions(keywords, around: start, matchEnd) else { return nil }
        return PIINumberCandidate(entity: .passportRU, endGroup: j, start: start, end: matchEnd, rank: 4)
    }

    /// After a series: ` № 123456`, ` номер 123456`, ` N 123456`; the end of the six digits.
    static func numberAfterSeries(_ bytes: PIIBytes, from start: Int) -> Int? {
        var index = skipSpaces(bytes, from: start)
        if bytes[index] == 0xE2 && bytes[index + 1] == 0x84 && bytes[index + 2] == 0x96 {  // №
            index += 3
        } else if bytes.hasPrefix("номер", at: index) {
            index += 10
        } else if bytes[index] == 0x4E {  // N
            index += 1
        } else {
            return nil
        }
        index = skipSpaces(bytes, from: index)
        let end = bytes.run(from: index, limit: 7, while: PIIASCII.isDigit)
        guard end - index == 6, !PIIASCII.isWord(bytes[end]) else { return nil }
        return end
    }

    private static func skipSpaces(_ bytes: PIIBytes, from start: Int) -> Int {
        var index = start
        for _ in 0..<2 {
            if bytes[index] == PIIASCII.space {
                index += 1
            } else if bytes[index] == 0xC2 && bytes[index + 1] == 0xA0 {
                index += 2
            }
        }
        return index
    }
}
