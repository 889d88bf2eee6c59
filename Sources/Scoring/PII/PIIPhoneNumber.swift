/// Phone numbers, by shape. Groups may be joined by spaces, dashes, dots and parentheses around one group.
///
/// Accepted:
/// - international: `+` (or a call prefix: `00`, `001-`, Russian `8-10-`), a country calling code that exists, and
///   a national number of a length that country's fixed-line or mobile numbers have (libphonenumber's metadata,
///   generated into `PIIPhoneMetadata`), at most 15 digits in all; a trunk `(0)` after the code does not count:
///   `+4915123456789`, `+7 (912) 345-67-89`, `+44 (0)20 7946 0958`, `00 49 30 12345678`, `8-10-49-30-12345678`;
/// - an extension after any of these belongs to it: `x31`, ` ext. 12`, `, доб. 123`;
/// - Russian national: `8` and 10 digits whose area code starts with 3, 4, 8 or 9 (`8 912 345 67 89`,
///   `8-800-555-35-35`, `8(8352)42-14-14`), also written solid (`89123456789`, `79123456789`); Belarusian
///   `8 029 123-45-67`;
/// - an area code of 3–5 digits in parentheses and 10 digits in all: `(212) 555-0199`, `(495) 123-45-67`; 9–11
///   with a trunk `0`: `(050) 923-35-72`, `(089) 5895473`;
/// - North American `212-555-0199`, `212.555.0199`, `212 555 0199`, optionally after `1-`: area code and exchange
///   start with 2–9;
/// - trunk-`0` national numbers of 9–11 digits in at least two groups: `020 7946 0958`, `090-1234-5678`;
/// - Chinese mobile numbers written solid: `1[3-9]` and 9 more digits;
/// - French numbers as five pairs with a trunk `0`: `06 51 46 32 53`, `01.42.68.53.00`;
/// - any grouping of 7–15 digits right after a phone word (`тел.`, `call me at`), even in a shape no national plan
///   has (`(03).6018.1590`, `1-178-245-0400`);
/// - local numbers without an area code (`478-5520`, `544-50-71`, `20-82-05`) right after a phone word.
///
/// Rejected: dates, times and versions (none has these shapes), runs too short or too long for their country, solid
/// runs of other lengths (an order number, an INN), numbers after `#` or `№`, numbers glued to words or continued
/// by a dash or dot (`2024-415-555-0199` is one code, not a phone), and the digits of a code (`INV-0837-03182`).
enum PIIPhoneNumber {
    static func candidate(in chunk: PIIDigitChunk, from i: Int, bytes: PIIBytes) -> PIINumberCandidate? {
        if i == 0 && chunk.afterNumberSign { return nil }
        // `INV-0837-03182`, `SKU-415-555-0199`: the digits of a code after its letters
        let first = chunk.plusAt ?? chunk.parenAt ?? chunk.groups[0].start
        if bytes[first - 1] == PIIASCII.minus && PIIASCII.isLetter(bytes[first - 2]) { return nil }
        if i == 0, let plus = chunk.plusAt { return international(chunk, from: 0, group: 0, offset: 0, start: plus) }
        if let (group, offset) = exitCode(chunk, i),
            let found = international(chunk, from: i, group: group, offset: offset, start: chunk.groups[i].start)
        {
            return found
        }
        return russian(chunk, i) ?? parenthesised(chunk, i) ?? northAmerican(chunk, i) ?? trunkZero(chunk, i)
            ?? chineseMobile(chunk, i) ?? frenchPairs(chunk, i) ?? local(chunk, i, bytes) ?? labelled(chunk, i, bytes)
    }

    private static func found(_ chunk: PIIDigitChunk, _ start: Int, _ j: Int) -> PIINumberCandidate {
        var end = chunk.groups[j].end
        if j == chunk.last, let extensionEnd = chunk.extensionEnd { end = extensionEnd }
        return PIINumberCandidate(entity: .phone, endGroup: j, start: start, end: end, rank: 5)
    }

    /// Where the country code starts after an international call prefix written instead of `+`: `00 49 …`,
    /// `0049 …`, `001-212-…`, and the Russian `8-10-49-…` / `8 10 44 …`.
    private static func exitCode(_ chunk: PIIDigitChunk, _ i: Int) -> (group: Int, offset: Int)? {
        guard i < chunk.last else { return nil }
        let count = chunk.count(i)
        if chunk.digit(i, 0) == 0 && chunk.digit(i, 1) == 0 {
            if count == 2 { return (i + 1, 0) }
            if (3...5).contains(count) && chunk.digit(i, 2) != 0 { return (i, 2) }
        }
        if count == 1, chunk.digit(i, 0) == 8, i + 1 < chunk.last, chunk.count(i + 1) == 2, chunk.digit(i + 1, 0) == 1,
            chunk.digit(i + 1, 1) == 0
        {
            return (i + 2, 0)
        }
        return nil
    }

    /// A country code at digit `offset` of `group`, and a national number of that country's length; `+44 (0)20 …`
    /// writes the trunk `0` in parentheses, which does not count.
    private static func international(
        _ chunk: PIIDigitChunk, from i: Int, group: Int, offset: Int, start: Int
    ) -> PIINumberCandidate? {
        let base = chunk.groups[group].digitStart + offset
        let digits = chunk.digits
        guard digits.count - base >= 8 else { return nil }
        // Calling codes are prefix-free: the first of 1, 2 or 3 digits that is a code is the code.
        var code = 0
        var codeLength = 0
        var lengths: UInt32 = 0
        for length in 1...3 {
            code = code * 10 + Int(digits[base + length - 1])
            if let found = PIIPhoneMetadata.nationalLengths[code] {
                (codeLength, lengths) = (length, found)
                break
            }
        }
        guard codeLength > 0 else { return nil }
        guard chunk.count(group) - offset >= codeLength else { return nil }
        var trunk = 0
        if group < chunk.last, chunk.joiner(group + 1) == .openParen, chunk.count(group + 1) == 1,
            chunk.digit(group + 1, 0) == 0
        {
            trunk = 1
        }
        for j in stride(from: chunk.last, through: group, by: -1) {
            let total = chunk.digitCount(group, j) - offset - trunk
            guard total <= 15, total - codeLength < 32, lengths >> (total - codeLength) & 1 == 1 else { continue }
            guard chunk.phoneEndsCleanly(j), chunk.parensBalanced(i, j) else { continue }
            return found(chunk, start, j)
        }
        return nil
    }

    /// A phone word just before (`тел.`, `звоните на рабочий`, `my number is`): how many bytes lie between.
    private static func hintGap(_ bytes: PIIBytes, before start: Int) -> Int? {
        phoneWordGap(bytes, localHints, before: start)
    }

    /// The gap to the nearest of `words` before `start` when it begins a word (`тел.`, not the `тел` of
    /// `получатель` or the `tel` of `whitelist`).
    private static func phoneWordGap(_ bytes: PIIBytes, _ words: [[UInt8]], before start: Int) -> Int? {
        guard let (keyword, gap) = bytes.nearestMention(of: words, before: start, characters: 32) else { return nil }
        let wordStart = start - gap - words[keyword].count
        let previous = bytes[wordStart - 1]
        guard !PIIASCII.isLetter(previous), !PIIASCII.isContinuation(previous) else { return nil }
        return gap
    }

    /// The phone words, and `номер` / `number`, which name a phone when the digits have a phone's shape.
    static let localHints = (PIIDigitChunk.hints[.phone] ?? []) + piiKeywords("номер", "number")

    /// Any number of 7–15 digits, solid or in groups of two digits or more (`0930045124`, `(03).6018.1590`,
    /// `1-178-245-0400`, `501 396 245`), right after a phone word (`тел.`, `call me at`, `my number is`), or a solid
    /// run with a trunk `0` right after `номер`/`number`: named a phone, a number is one even in a shape no national
    /// plan has. Dates (`2024-01-05`) are not.
    private static func labelled(_ chunk: PIIDigitChunk, _ i: Int, _ bytes: PIIBytes) -> PIINumberCandidate? {
        guard i == 0, (7...15).contains(chunk.digits.count), chunk.phoneEndsCleanly(chunk.last),
            chunk.parensBalanced(0, chunk.last), chunk.groups.dropFirst().allSatisfy({ $0.count >= 2 }),
            !isDate(chunk), !(chunk.last == 3 && chunk.joiners(0, 3, are: .dot))  // an IPv4 address
        else { return nil }
        let start = chunk.plusAt ?? chunk.parenAt ?? chunk.groups[0].start
        // `tel415-555-0132`, `ISBN 978-5-…`: a chunk continuing a word or a code is no number of its own
        let before = bytes[start - 1]
        guard before != PIIASCII.minus, before != PIIASCII.dot, before != PIIASCII.slash, !PIIASCII.isWord(before)
        else { return nil }
        // a phone word; or `номер`/`number` before a solid run with a trunk `0` (`Киев, номер 0738971580`)
        let trunkRun = chunk.last == 0 && chunk.digit(0, 0) == 0 && (9...11).contains(chunk.count(0))
        guard let gap = phoneWordGap(bytes, trunkRun ? localHints : PIIDigitChunk.hints[.phone] ?? [], before: start),
            gap <= 24
        else { return nil }
        return found(chunk, start, chunk.last)
    }

    /// `2024-01-05`, `05.01.2024`, `2024 01 05`: a year, a month and a day.
    private static func isDate(_ chunk: PIIDigitChunk) -> Bool {
        guard chunk.last == 2 else { return false }
        let counts = chunk.groups.map(\.count)
        return (counts == [4, 2, 2] && (1...12).contains(chunk.value(1)))
            || (counts == [2, 2, 4] && (1...12).contains(chunk.value(1)))
    }

    /// A local number without its area code, `478-5520`, `544-50-71`, `20-82-05`, only right after a word that
    /// names a phone (`тел.`, `звоните`, `phone`, `call`, `номер`): alone these shapes are anything.
    private static func local(_ chunk: PIIDigitChunk, _ i: Int, _ bytes: PIIBytes) -> PIINumberCandidate? {
        guard i == 0, chunk.parenAt == nil, (1...2).contains(chunk.last), chunk.phoneEndsCleanly(chunk.last) else {
            return nil
        }
        let separator = chunk.joiner(1)
        guard separator == .dash || separator == .space, chunk.joiners(0, chunk.last, are: separator) else {
            return nil
        }
        let counts = chunk.groups.map(\.count)
        guard counts == [3, 4] || counts == [3, 2, 2] || counts == [2, 2, 2] else { return nil }
        let start = chunk.groups[0].start
        let before = bytes[start - 1]
        guard before != PIIASCII.minus, before != PIIASCII.dot, before != PIIASCII.slash else { return nil }
        guard let gap = hintGap(bytes, before: start), gap <= 40 else { return nil }
        // `номер заказа 458 56 30`: a reference word nearer than the phone word names another number
        if let reference = bytes.nearestMention(of: PIIDigitChunk.referenceWords, before: start, characters: 32),
            reference.gap <= gap
        {
            return nil
        }
        return found(chunk, start, chunk.last)
    }

    /// `8 912 345-67-89`, `8 (800) 555-35-35`, `89123456789`, `79123456789`.
    private static func russian(_ chunk: PIIDigitChunk, _ i: Int) -> PIINumberCandidate? {
        let first = chunk.digit(i, 0)
        if chunk.count(i) == 11 {
            // `89123456789`, `79123456789`, and Belarusian `80291234567` (trunk `80`, operator 25, 29, 33 or 44)
            let belarusian = first == 8 && chunk.digit(i, 1) == 0 && (1...4).contains(chunk.digit(i, 2))
            guard first == 8 || first == 7, isRussianArea(chunk.digit(i, 1)) || belarusian, chunk.phoneEndsCleanly(i)
            else {
                return nil
            }
            guard !(i == 0 && chunk.afterNumberSign) else { return nil }
            return found(chunk, chunk.groups[i].start, i)
        }
        guard chunk.count(i) == 1, first == 8, i < chunk.last else { return nil }
        let area = chunk.digit(i + 1, 0)
        // `8 0xx`: a Belarusian trunk prefix and operator code; `8 ddd ddd dd dd`, the way Russian numbers are
        // written, whatever the area code
        let classic = i + 4 <= chunk.last && (1...4).allSatisfy { chunk.count(i + $0) == ($0 <= 2 ? 3 : 2) }
        guard
            isRussianArea(area) || (area == 0 && chunk.count(i + 1) >= 2 && chunk.digit(i + 1, 1) != 0)
                || (classic && area != 0)
        else {
            return nil
        }
        for j in (i + 1)...chunk.last {
            let total = chunk.digitCount(i, j)
            if total > 11 { break }
            if total == 11 && chunk.phoneEndsCleanly(j) && chunk.parensBalanced(i, j) {
                return found(chunk, chunk.groups[i].start, j)
            }
        }
        return nil
    }

    private static func isRussianArea(_ digit: UInt8) -> Bool {
        digit == 3 || digit == 4 || digit == 8 || digit == 9
    }

    /// `(212) 555-0199`, `(495) 123-45-67`, `(8352) 42-14-14`; with a trunk `0`, 9–11 digits: `(050) 923-35-72`,
    /// `(089) 5895473`.
    private static func parenthesised(_ chunk: PIIDigitChunk, _ i: Int) -> PIINumberCandidate? {
        guard (i == 0 && chunk.parenAt != nil) || chunk.joiner(i) == .openParen else { return nil }
        let first = chunk.digit(i, 0)
        // `(02) 8063 5423`: a trunk `0` and a one-digit area code
        let trunkAndDigit = chunk.count(i) == 2 && first == 0
        guard (3...5).contains(chunk.count(i)) || trunkAndDigit, first != 1, first != 0 || chunk.digit(i, 1) != 0,
            i < chunk.last,
            chunk.joiner(i + 1) == .closeParen
        else { return nil }
        let lengths = first == 0 ? 9...11 : 10...10
        for j in (i + 1)...chunk.last {
            let total = chunk.digitCount(i, j)
            if total > lengths.upperBound { break }
            if lengths.contains(total) && chunk.phoneEndsCleanly(j) && chunk.parensBalanced(i, j) {
                return found(chunk, chunk.groups[i].start - 1, j)
            }
        }
        return nil
    }

    /// `212-555-0199`, `212.555.0199`, `212 555 0199`, `1-800-555-0199`.
    private static func northAmerican(_ chunk: PIIDigitChunk, _ i: Int) -> PIINumberCandidate? {
        var area = i
        if chunk.count(i) == 1 && chunk.digit(i, 0) == 1 { area = i + 1 }
        let j = area + 2
        guard j <= chunk.last, chunk.count(area) == 3, chunk.count(area + 1) == 3, chunk.count(j) == 4 else {
            return nil
        }
        let separator = chunk.joiner(area + 1)
        guard separator == .dash || separator == .dot || separator == .space, chunk.joiners(i, j, are: separator) else {
            return nil
        }
        guard chunk.digit(area, 0) >= 2, chunk.digit(area + 1, 0) >= 2, chunk.phoneEndsCleanly(j) else { return nil }
        return found(chunk, chunk.groups[i].start, j)
    }

    /// `020 7946 0958`, `090-1234-5678`, `09-7625400`.
    private static func trunkZero(_ chunk: PIIDigitChunk, _ i: Int) -> PIINumberCandidate? {
        guard (2...5).contains(chunk.count(i)), chunk.digit(i, 0) == 0, chunk.digit(i, 1) != 0, i < chunk.last else {
            return nil
        }
        var best: Int?
        for j in (i + 1)...min(chunk.last, i + 4) {
            let joiner = chunk.joiner(j)
            guard joiner == .dash || joiner == .space, chunk.count(j) >= 2 else { break }
            let total = chunk.digitCount(i, j)
            if total > 11 { break }
            if total >= 9 && chunk.phoneEndsCleanly(j) { best = j }
        }
        return best.map { found(chunk, chunk.groups[i].start, $0) }
    }

    /// `06 51 46 32 53`, `01.42.68.53.00`, `06-12-34-56-78`: the French way, five pairs with a trunk `0`.
    private static func frenchPairs(_ chunk: PIIDigitChunk, _ i: Int) -> PIINumberCandidate? {
        let j = i + 4
        guard j <= chunk.last, chunk.digit(i, 0) == 0, chunk.digit(i, 1) != 0,
            (i...j).allSatisfy({ chunk.count($0) == 2 })
        else { return nil }
        let separator = chunk.joiner(i + 1)
        guard separator == .space || separator == .dot || separator == .dash, chunk.joiners(i, j, are: separator),
            chunk.phoneEndsCleanly(j)
        else { return nil }
        return found(chunk, chunk.groups[i].start, j)
    }

    /// `13812345678`.
    private static func chineseMobile(_ chunk: PIIDigitChunk, _ i: Int) -> PIINumberCandidate? {
        guard chunk.count(i) == 11, chunk.digit(i, 0) == 1, chunk.digit(i, 1) >= 3, chunk.phoneEndsCleanly(i) else {
            return nil
        }
        return found(chunk, chunk.groups[i].start, i)
    }
}
