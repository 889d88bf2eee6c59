/// IP addresses.
///
/// IPv4: a dotted quad of decimal octets 0–255 without leading zeros (`192.168.01.1` is not an address), not glued to
/// letters or digits, not part of a longer dotted run (`1.2.3.4.5` is a version or an OID), and not within two words
/// after `version`, `build`, `версия` and the like (`version 1.2.3.4` and `версия приложения 1.2.3.4` are version
/// numbers), nor is a subnet mask (`255.255.255.0`: leading ones, then zeros). A CIDR suffix `/0`–`/32` belongs to
/// the match. Four one-digit numbers (`3.2.4.2`, a clause of a contract) are an address only when a word such as
/// `IP`, `server` or `адрес` is near, a prefix length follows, or they are `0.0.0.0`.
///
/// IPv6: the full and the compressed forms (`2001:db8::1`, `::ffff:192.0.2.1`), validated group by group, with an
/// optional zone (`%eth0`) and prefix length (`/64`). The address must contain a decimal digit or carry a prefix
/// length: a bare `::` (Haskell's type annotation, reStructuredText's literal marker) or `dead::beef` (a C++
/// `Class::method` written in hex letters) is not reported, nor are eight two-digit groups
/// (`01:23:45:67:89:ab:cd:ef` is a certificate serial or an EUI-64, written byte by byte).
enum PIIIPAddress {
    /// Words that make the dotted quad after them a version number.
    static let versionWords = piiKeywords(
        "version", "versions", "ver", "ver.", "v", "v.", "build", "release", "firmware", "версия", "версии", "версию",
        "версией", "сборка", "сборки", "релиз", "прошивка", "прошивки", "update", "upgrade", "patch", "обновление",
        "обновления", "mask", "netmask", "маска", "маску")

    /// Words that make four one-digit numbers an address (`DNS 1.1.1.1`).
    static let contextWords = piiKeywords(
        "ip", "address", "адрес", "server", "сервер", "host", "хост", "dns", "ping", "gateway", "шлюз", "connect",
        "подключ", "from")

    /// An IPv4 address in groups `i...i+3` of a digit chunk.
    static func candidate(in chunk: PIIDigitChunk, from i: Int, bytes: PIIBytes) -> PIINumberCandidate? {
        let j = i + 3
        guard j <= chunk.last, !(i == 0 && chunk.plusAt != nil) else { return nil }
        guard chunk.joiners(i, j, are: .dot) else { return nil }
        if j < chunk.last && chunk.joiner(j + 1) == .dot { return nil }
        for group in i...j {
            let count = chunk.count(group)
            guard count <= 3, count == 1 || chunk.digit(group, 0) != 0, chunk.value(group) <= 255 else { return nil }
        }
        guard !isNetmask(chunk, i) else { return nil }
        var end = chunk.groups[j].end
        if j == chunk.last {
            guard chunk.trailingClean else { return nil }
            if let prefixEnd = prefixLength(bytes, at: end, maximum: 32) { end = prefixEnd }
        } else {
            guard chunk.joiner(j + 1) == .space || chunk.joiner(j + 1) == .dash else { return nil }
        }
        let start = chunk.groups[i].start
        guard !bytes.isPreceded(byOneOf: versionWords, before: start, count: 2) else { return nil }
        let unspecified = (i...j).allSatisfy { chunk.value($0) == 0 }
        if (i...j).allSatisfy({ chunk.count($0) == 1 }), !unspecified, end == chunk.groups[j].end,
            !bytes.mentions(contextWords, around: start, end)
        {
            return nil
        }
        return PIINumberCandidate(entity: .ip, endGroup: j, start: start, end: end, rank: 0)
    }

    /// `255.255.255.0`, `255.255.252.0`: leading ones then zeros, starting with 255 — a subnet mask, not a host
    /// (`255.255.255.255`, the broadcast address, is an address).
    static func isNetmask(_ chunk: PIIDigitChunk, _ i: Int) -> Bool {
        var bits: UInt32 = 0
        for group in i...(i + 3) { bits = bits << 8 | UInt32(chunk.value(group)) }
        return bits >> 24 == 255 && bits != .max && (~bits) & (~bits &+ 1) == 0
    }

    /// The end of `/N` at `index` when N is a prefix length up to `maximum` and nothing word-like follows.
    static func prefixLength(_ bytes: PIIBytes, at index: Int, maximum: Int) -> Int? {
        guard bytes[index] == PIIASCII.slash else { return nil }
        let end = bytes.run(from: index + 1, limit: 4, while: PIIASCII.isDigit)
        guard end > index + 1, end - index - 1 <= 3, !PIIASCII.isWord(bytes[end]) else { return nil }
        var value = 0
        for offset in (index + 1)..<end { value = value * 10 + Int(bytes.base[offset] &- 0x30) }
        return value <= maximum ? end : nil
    }

    enum IPv6Result {
        case match(start: Int, end: Int)
        /// Not an address; colons before `until` belong to the same token and need not be tried again.
        case rejected(until: Int)
    }

    /// An IPv6 address around the colon at `colon` (the first colon of its token).
    static func ipv6(_ bytes: PIIBytes, colonAt colon: Int) -> IPv6Result? {
        let next = bytes[colon + 1]
        guard PIIASCII.isHex(next) || next == PIIASCII.colon else { return nil }
        var start = colon
        while start > 0 && colon - start < 5 && PIIASCII.isHex(bytes.base[start - 1]) { start -= 1 }
        var end = bytes.run(from: colon, limit: 64) { PIIASCII.isHex($0) || $0 == PIIASCII.colon || $0 == PIIASCII.dot }
        guard colon - start <= 4, !PIIASCII.isWord(bytes[start - 1]), bytes[start - 1] != PIIASCII.dot else {
            return .rejected(until: end)
        }
        let tokenEnd = end
        while end > colon && bytes[end - 1] == PIIASCII.dot { end -= 1 }
        if bytes[end - 1] == PIIASCII.colon && bytes[end - 2] != PIIASCII.colon { end -= 1 }
        guard !PIIASCII.isWord(bytes[end]), let hasDigit = parseIPv6(bytes, start, end) else {
            return .rejected(until: tokenEnd)
        }
        var matchEnd = end
        if bytes[end] == PIIASCII.percent && PIIASCII.isAlnum(bytes[end + 1]) {
            let zoneEnd = bytes.run(from: end + 1, limit: 16, while: PIIASCII.isAlnum)
            if !PIIASCII.isWord(bytes[zoneEnd]) { matchEnd = zoneEnd }
        }
        var hasPrefix = false
        if let prefixEnd = prefixLength(bytes, at: matchEnd, maximum: 128) {
            matchEnd = prefixEnd
            hasPrefix = true
        }
        guard hasDigit || hasPrefix else { return .rejected(until: tokenEnd) }
        return .match(start: start, end: matchEnd)
    }

    /// Validates `start..<end` as an IPv6 address; returns whether it contains a decimal digit, or nil when invalid
    /// (or when it is eight two-digit groups: bytes, not an address).
    static func parseIPv6(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool? {
        var index = start
        var pieces = 0
        var compressed = false
        var hasDigit = false
        var allPairs = true
        if bytes[index] == PIIASCII.colon {
            guard bytes[index + 1] == PIIASCII.colon else { return nil }
            compressed = true
            index += 2
        }
        while index < end {
            let pieceStart = index
            while index < end && PIIASCII.isHex(bytes.base[index]) {
                if PIIASCII.isDigit(bytes.base[index]) { hasDigit = true }
                index += 1
            }
            if index < end && bytes.base[index] == PIIASCII.dot {
                guard parseIPv4(bytes, pieceStart, end) else { return nil }
                pieces += 2
                hasDigit = true
                index = end
                break
            }
            guard (1...4).contains(index - pieceStart) else { return nil }
            if index - pieceStart != 2 { allPairs = false }
            pieces += 1
            if index == end { break }
            guard bytes.base[index] == PIIASCII.colon else { return nil }
            index += 1
            if index < end && bytes.base[index] == PIIASCII.colon {
                guard !compressed else { return nil }
                compressed = true
                index += 1
            } else if index == end {
                return nil
            }
        }
        let valid = compressed ? pieces <= 7 : pieces == 8 && !allPairs
        return valid ? hasDigit : nil
    }

    /// Validates `start..<end` as a dotted quad (the tail of an IPv4-mapped or -embedded IPv6 address).
    static func parseIPv4(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        var index = start
        for octet in 0..<4 {
            let digitsEnd = bytes.run(from: index, limit: 4, while: PIIASCII.isDigit)
            let count = digitsEnd - index
            guard (1...3).contains(count), count == 1 || bytes.base[index] != 0x30 else { return false }
            var value = 0
            for offset in index..<digitsEnd { value = value * 10 + Int(bytes.base[offset] &- 0x30) }
            guard value <= 255 else { return false }
            index = digitsEnd
            if octet < 3 {
                guard index < end, bytes.base[index] == PIIASCII.dot else { return false }
                index += 1
            }
        }
        return index == end
    }
}
