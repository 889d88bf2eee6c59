/// Russian taxpayer numbers (ИНН), written solid: 10 digits for organisations with one check digit, 12 for people
/// with two, each the weighted sum of the digits before it, mod 11, mod 10 (weights of the Federal Tax Service).
/// Reported on a valid checksum alone; a run of one repeated digit is never an INN.
enum PIIINN {
    static func candidate(in chunk: PIIDigitChunk, from i: Int) -> PIINumberCandidate? {
        let count = chunk.count(i)
        guard count == 10 || count == 12, !(i == 0 && chunk.plusAt != nil), chunk.endsCleanly(i) else { return nil }
        guard !chunk.isRepdigit(i, i), isValid(chunk.digits(i, i)) else { return nil }
        return PIINumberCandidate(
            entity: .inn, endGroup: i, start: chunk.groups[i].start, end: chunk.groups[i].end, rank: 2)
    }

    static let weights10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    static let weights11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    static let weights12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]

    static func isValid(_ digits: ArraySlice<UInt8>) -> Bool {
        let values = Array(digits).map(Int.init)
        switch values.count {
        case 10:
            return checkDigit(values, weights10) == values[9]
        case 12:
            return checkDigit(values, weights11) == values[10] && checkDigit(values, weights12) == values[11]
        default:
            return false
        }
    }

    private static func checkDigit(_ values: [Int], _ weights: [Int]) -> Int {
        var sum = 0
        for (value, weight) in zip(values, weights) { sum += value * weight }
        return sum % 11 % 10
    }
}
