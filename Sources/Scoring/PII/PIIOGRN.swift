/// Russian state registration numbers, written solid.
///
/// ОГРН (companies), 13 digits: the sign 1 or 5, the year of registration (00–35: the bound keeps 13-digit
/// millisecond timestamps, `17…`, out), and a check digit = the first 12 digits mod 11, mod 10.
/// ОГРНИП (sole traders), 15 digits: the sign 3, and a check digit = the first 14 digits mod 13, mod 10.
enum PIIOGRN {
    static func candidate(in chunk: PIIDigitChunk, from i: Int) -> PIINumberCandidate? {
        let count = chunk.count(i)
        guard count == 13 || count == 15, !(i == 0 && chunk.plusAt != nil), chunk.endsCleanly(i) else { return nil }
        let digits = chunk.digits(i, i)
        guard let entity = validate(digits) else { return nil }
        return PIINumberCandidate(
            entity: entity, endGroup: i, start: chunk.groups[i].start, end: chunk.groups[i].end, rank: 0)
    }

    /// `.ogrn` or `.ogrnip` when the digits are a valid number of that kind.
    static func validate(_ digits: ArraySlice<UInt8>) -> PIIEntity? {
        let values = Array(digits).map(UInt64.init)
        var number: UInt64 = 0
        for value in values.dropLast() { number = number * 10 + value }
        switch values.count {
        case 13:
            let year = values[1] * 10 + values[2]
            guard values[0] == 1 || values[0] == 5, year <= 35 else { return nil }
            return number % 11 % 10 == values[12] ? .ogrn : nil
        case 15:
            guard values[0] == 3 else { return nil }
            return number % 13 % 10 == values[14] ? .ogrnip : nil
        default:
            return nil
        }
    }
}
