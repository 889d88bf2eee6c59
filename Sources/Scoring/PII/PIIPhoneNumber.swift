/// Phone numbers, by shape. Groups may be joined by spaces, dashes, dots and parentheses around one group.
///
/// Accepted:
/// - international: `+`, a country calling code that exists, and a national number of that country's length
///   (`+7` and `+1`: 10 digits; a table for common countries; 7–12 otherwise), at most 15 digits in all:
///   `+4915123456789`, `+7 (912) 345-67-89`, `+44 20 7946 0958`;
/// - Russian national: `8` and 10 digits whose area code starts with 3, 4, 8 or 9 (`8 912 345 67 89`,
///   `8-800-555-35-35`, `8(8352)42-14-14`), also written solid (`89123456789`, `79123456789`);
/// - an area code of 3–5 digits in parentheses and 10 digits in all: `(212) 555-0199`, `(495) 123-45-67`;
/// - North American `212-555-0199`, `212.555.0199`, `212 555 0199`, optionally after `1-`: area code and exchange
///   start with 2–9;
/// - trunk-`0` national numbers of 9–11 digits in at least two groups: `020 7946 0958`, `090-1234-5678`;
/// - Chinese mobile numbers written solid: `1[3-9]` and 9 more digits.
///
/// Rejected: dates, times and versions (none has these shapes), runs too short or too long for their country, solid
/// runs of other lengths (an order number, an INN), numbers after `#` or `№`, and numbers glued to words or
/// continued by a dash or dot (`2024-415-555-0199` is one code, not a phone).
enum PIIPhoneNumber {
    static func candidate(in chunk: PIIDigitChunk, from i: Int) -> PIINumberCandidate? {
        if i == 0 && chunk.afterNumberSign { return nil }
        if i == 0, let plus = chunk.plusAt { return international(chunk, plus: plus) }
        return russian(chunk, i) ?? parenthesised(chunk, i) ?? northAmerican(chunk, i) ?? trunkZero(chunk, i)
            ?? chineseMobile(chunk, i)
    }

    private static func found(_ chunk: PIIDigitChunk, _ start: Int, _ j: Int) -> PIINumberCandidate {
        PIINumberCandidate(entity: .phone, endGroup: j, start: start, end: chunk.groups[j].end, rank: 5)
    }

    /// `+` and a country code.
    private static func international(_ chunk: PIIDigitChunk, plus: Int) -> PIINumberCandidate? {
        let digits = chunk.digits
        guard digits.count >= 8 else { return nil }
        let first = Int(digits[0])
        let two = first * 10 + Int(digits[1])
        let codeLength: Int
        let code: Int
        if first == 1 || first == 7 {
            (codeLength, code) = (1, first)
        } else if twoDigitCodes.contains(two) {
            (codeLength, code) = (2, two)
        } else if threeDigitCodePrefixes.contains(two) {
            (codeLength, code) = (3, two * 10 + Int(digits[2]))
        } else {
            return nil
        }
        guard chunk.count(0) >= codeLength else { return nil }
        let lengths = nationalLengths[code] ?? 7...12
        for j in stride(from: chunk.last, through: 0, by: -1) {
            let total = chunk.digitCount(0, j)
            guard total <= 15, lengths.contains(total - codeLength) else { continue }
            guard chunk.endsCleanly(j), chunk.parensBalanced(0, j) else { continue }
            return found(chunk, plus, j)
        }
        return nil
    }

    /// `8 912 345-67-89`, `8 (800) 555-35-35`, `89123456789`, `79123456789`.
    private static func russian(_ chunk: PIIDigitChunk, _ i: Int) -> PIINumberCandidate? {
        let first = chunk.digit(i, 0)
        if chunk.count(i) == 11 {
            guard first == 8 || first == 7, isRussianArea(chunk.digit(i, 1)), chunk.endsCleanly(i) else { return nil }
            guard !(i == 0 && chunk.afterNumberSign) else { return nil }
            return found(chunk, chunk.groups[i].start, i)
        }
        guard chunk.count(i) == 1, first == 8, i < chunk.last, isRussianArea(chunk.digit(i + 1, 0)) else { return nil }
        for j in (i + 1)...chunk.last {
            let total = chunk.digitCount(i, j)
            if total > 11 { break }
            if total == 11 && chunk.endsCleanly(j) && chunk.parensBalanced(i, j) {
                return found(chunk, chunk.groups[i].start, j)
            }
        }
        return nil
    }

    private static func isRussianArea(_ digit: UInt8) -> Bool {
        digit == 3 || digit == 4 || digit == 8 || digit == 9
    }

    /// `(212) 555-0199`, `(495) 123-45-67`, `(8352) 42-14-14`.
    private static func parenthesised(_ chunk: PIIDigitChunk, _ i: Int) -> PIINumberCandidate? {
        guard (i == 0 && chunk.parenAt != nil) || chunk.joiner(i) == .openParen else { return nil }
        guard (3...5).contains(chunk.count(i)), chunk.digit(i, 0) >= 2, i < chunk.last,
            chunk.joiner(i + 1) == .closeParen
        else { return nil }
        for j in (i + 1)...chunk.last {
            let total = chunk.digitCount(i, j)
            if total > 10 { break }
            if total == 10 && chunk.endsCleanly(j) && chunk.parensBalanced(i, j) {
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
        guard chunk.digit(area, 0) >= 2, chunk.digit(area + 1, 0) >= 2, chunk.endsCleanly(j) else { return nil }
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
            if total >= 9 && chunk.endsCleanly(j) { best = j }
        }
        return best.map { found(chunk, chunk.groups[i].start, $0) }
    }

    /// `13812345678`.
    private static func chineseMobile(_ chunk: PIIDigitChunk, _ i: Int) -> PIINumberCandidate? {
        guard chunk.count(i) == 11, chunk.digit(i, 0) == 1, chunk.digit(i, 1) >= 3, chunk.endsCleanly(i) else {
            return nil
        }
        return found(chunk, chunk.groups[i].start, i)
    }

    /// Two-digit country calling codes (ITU-T E.164 assignments).
    static let twoDigitCodes: Set<Int> = [
        20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61,
        62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
    ]

    /// The first two digits of three-digit country calling codes; the numbering plan is prefix-free, so these never
    /// begin a two-digit code.
    static let threeDigitCodePrefixes: Set<Int> = [
        21, 22, 23, 24, 25, 26, 29, 35, 37, 38, 42, 50, 59, 67, 68, 69, 80, 85, 87, 88, 96, 97, 99,
    ]

    /// National number lengths of common countries; others accept 7–12 digits.
    static let nationalLengths: [Int: ClosedRange<Int>] = [
        1: 10...10, 7: 10...10, 20: 8...10, 27: 9...9, 30: 10...10, 31: 9...9, 32: 8...9, 33: 9...9, 34: 9...9,
        36: 8...9, 39: 6...11, 40: 9...9, 41: 9...9, 43: 4...13, 44: 9...10, 45: 8...8, 46: 7...13, 47: 8...8,
        48: 9...9, 49: 6...13, 52: 10...10, 55: 10...11, 61: 9...9, 62: 9...12, 81: 9...10, 82: 8...10, 84: 9...10,
        86: 10...11, 90: 10...10, 91: 10...10, 92: 9...10, 370: 8...8, 371: 8...8, 372: 7...8, 373: 8...8,
        374: 8...8, 375: 9...9, 380: 9...9, 971: 8...9, 972: 8...9, 992: 9...9, 993: 8...8, 994: 9...9,
        995: 9...9, 996: 9...9, 998: 9...9,
    ]
}
