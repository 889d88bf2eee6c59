/// Payment card numbers: 12–19 digits, solid or grouped by spaces or dashes (4-4-4-4, 4-4-4-4-3, 4-4-4-1,
/// 4-6-5 for American Express, 4-6-4 for Diners), Luhn-valid, with the issuer prefix of a real network:
/// - `1`: UATP and JCB 1800, 15 digits only (a 13-digit millisecond timestamp starting with 1 is not a card);
/// - `2`: Mir 2200–2204 and Mastercard 2221–2720, 16 digits; JCB 2131, 15 digits;
/// - `3`: American Express 34/37 (15), Diners Club 300–305, 36, 38, 39 (14–19), JCB 35 (16–19);
/// - `4`: Visa, 13–19; `5`: Mastercard and Maestro, 12–19; `6`: Discover, UnionPay, Maestro, RuPay, 12–19.
/// Any other prefix (0, 7, 8, 9, and the gaps above) is not a card however Luhn-valid: long order numbers and
/// timestamps pass Luhn one time in ten.
enum PIICardNumber {
    static func candidate(in chunk: PIIDigitChunk, from i: Int) -> PIINumberCandidate? {
        if i == 0 && chunk.plusAt != nil { return nil }
        for j in stride(from: min(chunk.last, i + 4), through: i, by: -1) {
            guard chunk.endsCleanly(j), isGrouped(chunk, i, j) else { continue }
            let digits = chunk.digits(i, j)
            guard issuerAccepts(digits), luhn(digits) else { continue }
            return PIINumberCandidate(
                entity: .card, endGroup: j, start: chunk.groups[i].start, end: chunk.groups[j].end, rank: 1)
        }
        return nil
    }

    /// Whether groups `i...j` are 12–19 digits grouped as cards are printed.
    static func isGrouped(_ chunk: PIIDigitChunk, _ i: Int, _ j: Int) -> Bool {
        guard (12...19).contains(chunk.digitCount(i, j)) else { return false }
        if i == j { return true }
        let separator = chunk.joiner(i + 1)
        guard separator == .space || separator == .dash, chunk.joiners(i, j, are: separator) else { return false }
        if j - i == 2 && chunk.count(i) == 4 && chunk.count(i + 1) == 6 && (4...5).contains(chunk.count(j)) {
            return true
        }
        guard j - i >= 2, (1...4).contains(chunk.count(j)) else { return false }
        for group in i..<j where chunk.count(group) != 4 { return false }
        return true
    }

    static func issuerAccepts(_ digits: ArraySlice<UInt8>) -> Bool {
        let length = digits.count
        var prefix = 0
        for digit in digits.prefix(4) { prefix = prefix * 10 + Int(digit) }
        let two = prefix / 100
        let three = prefix / 10
        switch prefix / 1000 {
        case 1: return length == 15
        case 2:
            if prefix == 2131 { return length == 15 }  // JCB
            return length == 16 && ((2200...2204).contains(prefix) || (2221...2720).contains(prefix))
        case 3:
            if two == 34 || two == 37 { return length == 15 }
            if (300...305).contains(three) || two == 36 || two == 38 || two == 39 { return (14...19).contains(length) }
            return two == 35 && (16...19).contains(length)  // JCB 3528–3589, and 35 as issuers print it
        case 4: return length >= 13
        case 5, 6: return true
        default: return false
        }
    }

    static func luhn(_ digits: ArraySlice<UInt8>) -> Bool {
        var sum = 0
        var double = false
        for digit in digits.reversed() {
            var value = Int(digit)
            if double {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
            double.toggle()
        }
        return sum % 10 == 0
    }
}
