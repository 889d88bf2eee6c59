/// Russian insurance account numbers (СНИЛС): `112-233-445 95` (also with a dash or space before the check
/// number, or solid). The check number is Σ digit × (9 − position) over the first nine digits; below 100 it is the
/// sum itself, 100 and 101 give 00, larger sums are taken mod 101 (and 100 again gives 00).
///
/// Numbers up to 001-001-998 were issued before the checksum existed, so nothing validates them: they are reported
/// only next to `СНИЛС`/`SNILS`, and only there the legacy nine-digit form (`001-001-998`, `001001998`) is
/// accepted. A solid 11-digit run yields to a phone number of the same digits unless `СНИЛС` is near.
enum PIISNILS {
    static let keywords = piiKeywords("снилс", "snils", "страхов")

    static func candidate(
        in chunk: PIIDigitChunk, from i: Int, bytes: PIIBytes, requiresContext: Bool
    ) -> PIINumberCandidate? {
        guard !(i == 0 && chunk.plusAt != nil) else { return nil }
        let start = chunk.groups[i].start
        func found(_ j: Int, rank: Int) -> PIINumberCandidate {
            PIINumberCandidate(entity: .snils, endGroup: j, start: start, end: chunk.groups[j].end, rank: rank)
        }
        func hasContext(_ j: Int) -> Bool {
            !requiresContext || bytes.mentions(keywords, around: start, chunk.groups[j].end)
        }
        let grouped = isGroupedTriplets(chunk, i)
        if grouped, i + 3 <= chunk.last, chunk.count(i + 3) == 2, chunk.endsCleanly(i + 3) {
            let last = chunk.joiner(i + 3)
            if last == .space || last == .dash {
                let digits = chunk.digits(i, i + 3)
                if isValid(digits) || (isLegacy(digits) && hasContext(i + 3)) { return found(i + 3, rank: 1) }
            }
        }
        if chunk.count(i) == 11, chunk.endsCleanly(i), !chunk.isRepdigit(i, i) {
            let digits = chunk.digits(i, i)
            if isValid(digits) || (isLegacy(digits) && hasContext(i)) { return found(i, rank: 6) }
        }
        if grouped, chunk.endsCleanly(i + 2), isLegacy(chunk.digits(i, i + 2)), hasContext(i + 2) {
            return found(i + 2, rank: 6)
        }
        if chunk.count(i) == 9, chunk.endsCleanly(i), isLegacy(chunk.digits(i, i)), hasContext(i) {
            return found(i, rank: 6)
        }
        return nil
    }

    /// `ddd-ddd-ddd` (or with spaces) starting at group `i`.
    private static func isGroupedTriplets(_ chunk: PIIDigitChunk, _ i: Int) -> Bool {
        guard i + 2 <= chunk.last, chunk.count(i) == 3, chunk.count(i + 1) == 3, chunk.count(i + 2) == 3 else {
            return false
        }
        let separator = chunk.joiner(i + 1)
        return (separator == .dash || separator == .space) && chunk.joiner(i + 2) == separator
    }

    /// The first nine digits as a number.
    private static func number(_ digits: ArraySlice<UInt8>) -> Int {
        var number = 0
        for digit in digits.prefix(9) { number = number * 10 + Int(digit) }
        return number
    }

    /// A number issued before checksums (up to 001-001-998), in the 9- or 11-digit form.
    static func isLegacy(_ digits: ArraySlice<UInt8>) -> Bool {
        (digits.count == 9 || digits.count == 11) && number(digits) <= 1_001_998 && number(digits) > 0
    }

    /// An 11-digit number above 001-001-998 whose last two digits are its check number.
    static func isValid(_ digits: ArraySlice<UInt8>) -> Bool {
        guard digits.count == 11, number(digits) > 1_001_998 else { return false }
        var sum = 0
        for (offset, digit) in digits.prefix(9).enumerated() { sum += Int(digit) * (9 - offset) }
        var control = sum
        if sum >= 100 { control = sum % 101 == 100 ? 0 : sum % 101 }
        let given = Int(digits[digits.startIndex + 9]) * 10 + Int(digits[digits.startIndex + 10])
        return control == given
    }
}
