/// US social security numbers written `123-45-6789` (or with spaces or dots, the same separator twice). Numbers the
/// SSA never issues are rejected: area 000, 666 and 900–999, group 00, serial 0000, and the two voided specimen
/// numbers 078-05-1120 and 219-09-9999. Nine solid digits are not reported: alone they are any nine-digit number.
enum PIISSN {
    static func candidate(in chunk: PIIDigitChunk, from i: Int) -> PIINumberCandidate? {
        let j = i + 2
        guard j <= chunk.last, !(i == 0 && chunk.plusAt != nil) else { return nil }
        guard chunk.count(i) == 3, chunk.count(i + 1) == 2, chunk.count(j) == 4 else { return nil }
        let separator = chunk.joiner(i + 1)
        guard separator == .dash || separator == .space || separator == .dot, chunk.joiner(j) == separator,
            chunk.endsCleanly(j)
        else { return nil }
        let area = chunk.value(i)
        let group = chunk.value(i + 1)
        let serial = chunk.value(j)
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return nil }
        guard !(area == 78 && group == 5 && serial == 1120), !(area == 219 && group == 9 && serial == 9999) else {
            return nil
        }
        return PIINumberCandidate(
            entity: .ssn, endGroup: j, start: chunk.groups[i].start, end: chunk.groups[j].end, rank: 3)
    }
}
