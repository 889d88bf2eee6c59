/// International bank account numbers: a country code from the IBAN registry, the exact length that country uses,
/// capitals and digits only (or lower-case letters and digits throughout: `de89 3704 …`), written solid or in groups of four separated by single spaces or dashes (the same
/// separator after every group), and the ISO 13616 mod-97 check (the number, its first four characters moved to the end
/// and letters read as 10–35, leaves 1). A longer solid run, or grouping that continues past the country's length
/// with another group of digits, is not an IBAN; a word after it (`… 8901 USD`) does not matter.
enum PIIIBAN {
    /// The end of an IBAN that starts at `start`, or nil.
    static func match(_ bytes: PIIBytes, at start: Int) -> Int? {
        // One case throughout: `DE89…` or `de89…`; the lower-case form is read as its capitals.
        let lower = PIIASCII.isLower(bytes[start])
        let fold: UInt8 = lower ? 0x20 : 0
        let isLetter: (UInt8) -> Bool = { lower ? PIIASCII.isLower($0) : PIIASCII.isUpper($0) }
        let first = bytes[start] &- fold
        let second = bytes[start + 1] &- fold
        guard isLetter(bytes[start + 1]), PIIASCII.isDigit(bytes[start + 2]), PIIASCII.isDigit(bytes[start + 3]),
            let length = lengths[UInt16(first) << 8 | UInt16(second)]
        else { return nil }
        var characters: [UInt8] = []
        characters.reserveCapacity(length)
        var index = start
        var separator: UInt8 = 0
        while characters.count < length {
            let count = characters.count
            if count > 0 && count % 4 == 0 {
                let byte = bytes[index]
                if count == 4 && (byte == PIIASCII.space || byte == PIIASCII.minus) { separator = byte }
                if separator != 0 {
                    guard byte == separator, PIIASCII.isAlnum(bytes[index + 1]) else { return nil }
                    index += 1
                }
            }
            let byte = bytes[index]
            guard isLetter(byte) || PIIASCII.isDigit(byte) else { return nil }
            characters.append(PIIASCII.isDigit(byte) ? byte : byte &- fold)
            index += 1
        }
        guard !PIIASCII.isWord(bytes[index]) else { return nil }
        if separator != 0 && bytes[index] == separator {
            let next = index + 1
            let nextEnd = bytes.run(from: next, limit: 8, while: PIIASCII.isAlnum)
            for offset in next..<nextEnd where PIIASCII.isDigit(bytes.base[offset]) { return nil }
        }
        return isValid(characters) ? index : nil
    }

    /// ISO 13616 mod-97 over capitals and digits.
    static func isValid(_ characters: [UInt8]) -> Bool {
        guard characters.count > 4 else { return false }
        var remainder = 0
        for byte in characters[4...] + characters[..<4] {
            if PIIASCII.isDigit(byte) {
                remainder = (remainder * 10 + Int(byte &- 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(byte &- 0x41) + 10) % 97
            }
        }
        return remainder == 1
    }

    /// IBAN lengths by country (SWIFT IBAN registry).
    static let lengths: [UInt16: Int] = {
        let table: [(String, Int)] = [
            ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16), ("BG", 22),
            ("BH", 22), ("BI", 27), ("BR", 29), ("BY", 28), ("CH", 21), ("CR", 22), ("CY", 28), ("CZ", 24),
            ("DE", 22), ("DJ", 27), ("DK", 18), ("DO", 28), ("EE", 20), ("EG", 29), ("ES", 24), ("FI", 18),
            ("FK", 18), ("FO", 18), ("FR", 27), ("GB", 22), ("GE", 22), ("GI", 23), ("GL", 18), ("GR", 27),
            ("GT", 28), ("HR", 21), ("HU", 28), ("IE", 22), ("IL", 23), ("IQ", 23), ("IS", 26), ("IT", 27),
            ("JO", 30), ("KW", 30), ("KZ", 20), ("LB", 28), ("LC", 32), ("LI", 21), ("LT", 20), ("LU", 20),
            ("LV", 21), ("LY", 25), ("MC", 27), ("MD", 24), ("ME", 22), ("MK", 19), ("MN", 20), ("MR", 27),
            ("MT", 31), ("MU", 30), ("NI", 28), ("NL", 18), ("NO", 15), ("OM", 23), ("PK", 24), ("PL", 28),
            ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22), ("RU", 33), ("SA", 24), ("SC", 31),
            ("SD", 18), ("SE", 24), ("SI", 19), ("SK", 24), ("SM", 27), ("SO", 23), ("ST", 25), ("SV", 28),
            ("TL", 23), ("TN", 24), ("TR", 26), ("UA", 29), ("VA", 22), ("VG", 24), ("XK", 20), ("YE", 30),
        ]
        var lengths: [UInt16: Int] = [:]
        for (code, length) in table {
            let bytes = Array(code.utf8)
            lengths[UInt16(bytes[0]) << 8 | UInt16(bytes[1])] = length
        }
        return lengths
    }()
}
