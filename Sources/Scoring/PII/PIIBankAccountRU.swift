/// Russian bank accounts: 20 digits written solid whose balance account (the first five digits) is of the classes
/// banks open for customers, 3 and 4 (`40817…` a person's current account, `40802…` a sole trader's, `40702…` a
/// company's, `423…` deposits). A bank's own correspondent account (`30101…`, printed as `к/с` in every set of
/// requisites) is public and not reported. When a BIC (9 digits starting `04`) is within 160 bytes, the account must
/// pass the control key of the Bank of Russia (the BIC's last three digits and the account, weighted 7-1-3, sum
/// divisible by 10); otherwise a word such as `р/с`, `счёт` or `account` must be near it.
enum PIIBankAccountRU {
    static let keywords = piiKeywords("р/с", "расч", "счёт", "счет", "сч.", "account", "acct", "a/c", "лицев")

    static func candidate(
        in chunk: PIIDigitChunk, from i: Int, bytes: PIIBytes, requiresContext: Bool
    ) -> PIINumberCandidate? {
        guard chunk.count(i) == 20, chunk.endsCleanly(i), !(i == 0 && chunk.plusAt != nil), !chunk.isRepdigit(i, i)
        else { return nil }
        guard isCustomerAccount(chunk.digits(i, i)) else { return nil }
        let start = chunk.groups[i].start
        let end = chunk.groups[i].end
        if let bic = nearbyBIC(bytes, start, end) {
            guard hasValidKey(bic: bic, account: chunk.digits(i, i)) else { return nil }
        } else if requiresContext && !bytes.mentions(keywords, around: start, end) {
            return nil
        }
        return PIINumberCandidate(entity: .bankAccountRU, endGroup: i, start: start, end: end, rank: 3)
    }

    /// Classes 3 and 4 of the chart of accounts, except a bank's correspondent accounts (`301…`).
    static func isCustomerAccount(_ digits: ArraySlice<UInt8>) -> Bool {
        let first = digits[digits.startIndex]
        let second = digits[digits.startIndex + 1]
        let third = digits[digits.startIndex + 2]
        return first == 4 || (first == 3 && !(second == 0 && third == 1))
    }

    /// The last three digits of a BIC (9 digits starting `04`, not glued to other digits) near the account.
    static func nearbyBIC(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> [UInt8]? {
        var index = max(0, start - 160)
        let limit = min(bytes.count, end + 160)
        while index < limit {
            guard PIIASCII.isDigit(bytes.base[index]) else {
                index += 1
                continue
            }
            let runEnd = bytes.run(from: index, while: PIIASCII.isDigit)
            if runEnd - index == 9, bytes.base[index] == 0x30, bytes.base[index + 1] == 0x34,
                !PIIASCII.isWord(bytes[index - 1]), !PIIASCII.isWord(bytes[runEnd])
            {
                return (runEnd - 3..<runEnd).map { bytes.base[$0] &- 0x30 }
            }
            index = runEnd
        }
        return nil
    }

    static func hasValidKey(bic: [UInt8], account: ArraySlice<UInt8>) -> Bool {
        let weights = [7, 1, 3]
        var sum = 0
        for (offset, digit) in (bic + Array(account)).enumerated() { sum += Int(digit) * weights[offset % 3] }
        return sum % 10 == 0
    }
}
