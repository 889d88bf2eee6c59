/// Email addresses: a local part of letters (ASCII or Cyrillic), digits, `.` `_` `%` `+` `-` (no leading, trailing
/// or doubled dot) and a domain of at least two labels whose last one is a top-level domain of letters (`.com`,
/// `.рф`) or punycode (`.xn--p1ai`). Domain labels may be Cyrillic (`почта.рф`). A trailing dot is the sentence's,
/// not the address's. Not addresses: a domain ending in an image or document extension (`icon@3x.png` is a retina
/// file name), an SSH remote (`git@github.com:acme/shop.git`), a masked address (`i***v@mail.ru`).
enum PIIEmail {
    /// The address around the `@` at `at`.
    static func match(_ bytes: PIIBytes, at: Int) -> (Int, Int)? {
        var start = at
        while start > 0 && at - start < 64 {
            if isLocal(bytes.base[start - 1]) {
                start -= 1
            } else if PIIASCII.isContinuation(bytes[start - 1]) && PIIASCII.isCyrillicLead(bytes[start - 2]) {
                start -= 2  // `почта@почта.рф`
            } else {
                break
            }
        }
        guard !isLocal(bytes[start - 1]) else { return nil }  // a local part longer than 64 characters
        // `i***v@mail.ru`: a masked address discloses nothing (`**ivan@mail.ru**` is Markdown bold)
        var stars = start
        while bytes[stars - 1] == 0x2A { stars -= 1 }
        guard stars == start || !PIIASCII.isAlnum(bytes[stars - 1]) else { return nil }
        while start < at && bytes.base[start] == PIIASCII.dot { start += 1 }
        guard start < at, bytes[at - 1] != PIIASCII.dot else { return nil }
        for index in start..<(at - 1) where bytes.base[index] == PIIASCII.dot && bytes.base[index + 1] == PIIASCII.dot {
            return nil
        }
        var index = at + 1
        var labels = 0
        var lastLabelStart = index
        while true {
            let labelStart = index
            index = labelEnd(bytes, from: index)
            let length = index - labelStart
            guard length > 0, length <= 63, bytes[labelStart] != PIIASCII.minus, bytes[index - 1] != PIIASCII.minus
            else { return nil }
            labels += 1
            lastLabelStart = labelStart
            if bytes[index] == PIIASCII.dot && isLabelStart(bytes, index + 1) {
                index += 1
                continue
            }
            break
        }
        guard labels >= 2, isTopLevelDomain(bytes, lastLabelStart, index), !PIIASCII.isWord(bytes[index]),
            !isFileExtension(bytes, lastLabelStart, index), !isRemotePath(bytes, at: index)
        else {
            return nil
        }
        return (start, index)
    }

    /// `git@github.com:acme/shop.git`: an SSH remote (`user@host:path`), not a mailbox.
    static func isRemotePath(_ bytes: PIIBytes, at index: Int) -> Bool {
        guard bytes[index] == PIIASCII.colon else { return false }
        let next = bytes[index + 1]
        return PIIASCII.isWord(next) || next == PIIASCII.slash || next == 0x7E
    }

    @inline(__always) static func isLocal(_ byte: UInt8) -> Bool {
        PIIASCII.isWord(byte) || byte == PIIASCII.dot || byte == PIIASCII.percent || byte == PIIASCII.plus
            || byte == PIIASCII.minus
    }

    static func isLabelStart(_ bytes: PIIBytes, _ index: Int) -> Bool {
        let byte = bytes[index]
        return PIIASCII.isAlnum(byte) || (PIIASCII.isCyrillicLead(byte) && PIIASCII.isContinuation(bytes[index + 1]))
    }

    /// The end of a domain label: ASCII letters, digits and `-`, and Cyrillic letters.
    static func labelEnd(_ bytes: PIIBytes, from start: Int) -> Int {
        var index = start
        while true {
            let byte = bytes[index]
            if PIIASCII.isAlnum(byte) || byte == PIIASCII.minus {
                index += 1
            } else if PIIASCII.isCyrillicLead(byte) && PIIASCII.isContinuation(bytes[index + 1]) {
                index += 2
            } else {
                return index
            }
            if index - start > 63 { return index }
        }
    }

    /// Image and document extensions, none of them a top-level domain: `icon@3x.png` is a retina file name.
    static let fileExtensions: [[UInt8]] = piiKeywords(
        "png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "tif", "tiff", "heic", "avif", "pdf", "psd")

    static func isFileExtension(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        fileExtensions.contains { ext in
            ext.count == end - start && ext.indices.allSatisfy { ext[$0] == bytes.base[start + $0] | 0x20 }
        }
    }

    /// Letters only (at least two), or punycode `xn--…`.
    static func isTopLevelDomain(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        if end - start > 4 && bytes.hasPrefix("xn--", at: start) { return true }
        var letters = 0
        var index = start
        while index < end {
            let byte = bytes.base[index]
            if PIIASCII.isLetter(byte) {
                index += 1
            } else if PIIASCII.isCyrillicLead(byte) {
                index += 2
            } else {
                return false
            }
            letters += 1
        }
        return letters >= 2
    }
}
