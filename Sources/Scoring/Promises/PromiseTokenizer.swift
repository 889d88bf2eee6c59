/// What a token is made of.
enum PromiseTokenKind: UInt8, Sendable {
    /// Letters (any script), with inner apostrophes and hyphens: `гарантируем`, `we'll`, `same-day`.
    case word
    /// Digits, with inner `.`, `,`, `:`, ranges (`2-3`, `1–2`), thousands groups (`10 000`) and Russian case
    /// endings (`3-х`, `5-ти`).
    case number
    /// One currency sign or `%`: `₽`, `$`, `€`, `%`.
    case symbol
}

/// Receives the tokenizer's output. Two sinks exist: one that classifies tokens against a lexicon while they are read
/// (detection), and one that collects the normalized text of each token (compiling patterns and allowed phrases).
protocol PromiseTokenSink {
    mutating func begin(_ kind: PromiseTokenKind, at offset: Int)
    /// One byte of the token's normalized form (lowercased, `ё` read as `е`, `’` read as `'`).
    mutating func emit(_ byte: UInt8)
    /// One lowercase letter of U+0400–U+045F, the Cyrillic of Russian and its neighbours: the lexicon steps through
    /// its trie by letter rather than by byte.
    mutating func emitCyrillic(_ scalar: UInt32)
    mutating func end(at offset: Int, isTime: Bool)
    /// A comma or a semicolon.
    mutating func clauseBreak()
    /// `.`, `!`, `?`, `…` or a line break; `question` when the sentence ends with `?`.
    mutating func sentenceBreak(question: Bool)
}

/// Splits UTF-8 text into words, numbers and symbols in one pass, with byte offsets, and normalizes each token on the
/// way (never building a `String`): ASCII, Cyrillic and Latin-1 letters are lowercased by arithmetic, `ё` is read as
/// `е`; other scripts go through Unicode's lowercase mapping. Punctuation is not a token: commas and semicolons end a
/// clause; `.`, `!`, `?`, `…` and line breaks end a sentence (a period followed by a lowercase letter is taken as an
/// abbreviation: `500 руб. в месяц`, `т.е.`).
enum PromiseTokenizer {
    static func tokenize<Sink: PromiseTokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if isASCIILetter(byte) {
                    index = scanWord(bytes, from: index, into: &sink)
                    continue
                }
                if isDigit(byte) {
                    index = scanNumber(bytes, from: index, into: &sink)
                    continue
                }
                switch byte {
                case UInt8(ascii: "."):
                    if endsSentence(bytes, dotAt: index) { sink.sentenceBreak(question: false) }
                case UInt8(ascii: "!"), UInt8(ascii: "\n"):
                    sink.sentenceBreak(question: false)
                case UInt8(ascii: "?"):
                    sink.sentenceBreak(question: true)
                case UInt8(ascii: ","), UInt8(ascii: ";"):
                    sink.clauseBreak()
                case UInt8(ascii: "%"), UInt8(ascii: "$"):
                    sink.begin(.symbol, at: index)
                    sink.emit(byte)
                    sink.end(at: index + 1, isTime: false)
                default:
                    break
                }
                index += 1
                continue
            }
            let (scalar, length) = decode(bytes, at: index)
            if isLetter(scalar) {
                index = scanWord(bytes, from: index, into: &sink)
                continue
            }
            switch scalar {
            case 0x2026, 0x3002, 0xFF01:  // … 。 ！
                sink.sentenceBreak(question: false)
            case 0xFF1F:  // ？
                sink.sentenceBreak(question: true)
            case 0x2030:  // ‰
                emitSymbol(scalar, at: index, length: length, into: &sink)
            // – and —, both read as `—`: a token, so a pack can read `Пульт — 850 рублей` as a price.
            case 0x2013, 0x2014:
                emitSymbol(0x2014, at: index, length: length, into: &sink)
            default:
                if isCurrencySymbol(scalar) { emitSymbol(scalar, at: index, length: length, into: &sink) }
            }
            index += length
        }
    }

    private static func emitSymbol<Sink: PromiseTokenSink>(
        _ scalar: UInt32, at index: Int, length: Int, into sink: inout Sink
    ) {
        sink.begin(.symbol, at: index)
        emitScalar(scalar, into: &sink)
        sink.end(at: index + length, isTime: false)
    }

    // MARK: - Words

    private static func scanWord<Sink: PromiseTokenSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into sink: inout Sink
    ) -> Int {
        let count = bytes.count
        sink.begin(.word, at: start)
        var index = start
        var tokenEnd = start
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if isASCIILetter(byte) {
                    sink.emit(byte | 0x20)
                    index += 1
                    tokenEnd = index
                    continue
                }
                if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "-"), index + 1 < count,
                    isLetter(at: index + 1, in: bytes)
                {
                    sink.emit(byte)
                    index += 1
                    continue
                }
                break
            }
            // Cyrillic fast path: U+0400–U+045F is D0 80 – D1 9F; lowercase stays two bytes.
            if byte == 0xD0 || byte == 0xD1, index + 1 < count, bytes[index + 1] & 0xC0 == 0x80 {
                sink.emitCyrillic(lowercasedCyrillic(UInt32(byte & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)))
                index += 2
                tokenEnd = index
                continue
            }
            let (scalar, length) = decode(bytes, at: index)
            if isLetter(scalar) {
                emitLowercased(scalar, into: &sink)
                index += length
                tokenEnd = index
                continue
            }
            switch scalar {
            case 0x2019, 0x02BC:  // ’ ʼ inside a word: an apostrophe
                guard index + length < count, isLetter(at: index + length, in: bytes) else { break }
                sink.emit(UInt8(ascii: "'"))
                index += length
                continue
            case 0x2010, 0x2011:  // ‐ ‑ inside a word: a hyphen
                guard index + length < count, isLetter(at: index + length, in: bytes) else { break }
                sink.emit(UInt8(ascii: "-"))
                index += length
                continue
            case 0x00AD, 0x200B...0x200D, 0x2060, 0xFEFF:  // soft hyphen, zero-width characters: ignored
                index += length
                continue
            case 0x0300...0x036F:  // combining marks belong to the letter before them
                emitScalar(scalar, into: &sink)
                index += length
                tokenEnd = index
                continue
            default:
                break
            }
            break
        }
        sink.end(at: tokenEnd, isTime: false)
        return tokenEnd
    }

    // MARK: - Numbers

    private static func scanNumber<Sink: PromiseTokenSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into sink: inout Sink
    ) -> Int {
        let count = bytes.count
        sink.begin(.number, at: start)
        var index = start
        var isTime = false
        var groupDigits = 0
        var canGroup = true  // only plain digit groups so far: `10 000` may continue with ` 000`
        while true {
            while index < count, isDigit(bytes[index]) {
                sink.emit(bytes[index])
                index += 1
                groupDigits += 1
            }
            if groupDigits > 3 { canGroup = false }
            guard index + 1 < count else { break }
            let byte = bytes[index]
            let next = bytes[index + 1]
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: "-"),
                isDigit(next)
            {
                sink.emit(byte)
                if byte == UInt8(ascii: ":") { isTime = true }
                index += 1
                groupDigits = 0
                canGroup = false
                continue
            }
            // `1–2`, `1—2`: a range written with a dash.
            if byte == 0xE2, next == 0x80, index + 3 < count, bytes[index + 2] == 0x93 || bytes[index + 2] == 0x94,
                isDigit(bytes[index + 3])
            {
                sink.emit(UInt8(ascii: "-"))
                index += 3
                groupDigits = 0
                canGroup = false
                continue
            }
            // `10 000`, `10 000` (no-break space), `10 000` (narrow no-break space): one number.
            if canGroup {
                let separator = spaceLength(bytes, at: index)
                if separator > 0, hasThreeDigits(bytes, at: index + separator) {
                    index += separator
                    groupDigits = 0
                    continue
                }
            }
            // `3-х`, `5-ти`, `2-мя`: a Russian case ending written after the digits.
            if byte == UInt8(ascii: "-") {
                let suffixEnd = cyrillicSuffixEnd(bytes, from: index + 1)
                if suffixEnd > index + 1 {
                    sink.emit(UInt8(ascii: "-"))
                    var position = index + 1
                    while position < suffixEnd {
                        let (scalar, length) = decode(bytes, at: position)
                        emitScalar(lowercasedCyrillic(scalar), into: &sink)
                        position += length
                    }
                    index = suffixEnd
                }
            }
            break
        }
        sink.end(at: index, isTime: isTime)
        return index
    }

    /// The length of a space that may separate thousands: ` `, U+00A0, U+202F, U+2009.
    private static func spaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let count = bytes.count
        guard index < count else { return 0 }
        if bytes[index] == 0x20 { return 1 }
        if bytes[index] == 0xC2, index + 1 < count, bytes[index + 1] == 0xA0 { return 2 }
        if bytes[index] == 0xE2, index + 2 < count, bytes[index + 1] == 0x80,
            bytes[index + 2] == 0xAF || bytes[index + 2] == 0x89
        {
            return 3
        }
        return 0
    }

    /// Exactly three digits at `index`, not followed by another digit.
    private static func hasThreeDigits(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 2 < bytes.count, isDigit(bytes[index]), isDigit(bytes[index + 1]), isDigit(bytes[index + 2])
        else {
            return false
        }
        return index + 3 == bytes.count || !isDigit(bytes[index + 3])
    }

    /// The end of one to three Cyrillic letters starting at `index` that end the word; `index` when there are none.
    private static func cyrillicSuffixEnd(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var position = index
        var letters = 0
        while position + 1 < bytes.count, letters <= 3 {
            let (scalar, length) = decode(bytes, at: position)
            guard scalar >= 0x0400 && scalar <= 0x045F else { break }
            position += length
            letters += 1
        }
        guard letters >= 1, letters <= 3, !(position < bytes.count && isLetter(at: position, in: bytes)) else {
            return index
        }
        return position
    }

    // MARK: - Sentences

    /// A period ends a sentence unless a lowercase letter follows it (an abbreviation: `руб. в месяц`, `e.g. the`).
    private static func endsSentence(_ bytes: UnsafeBufferPointer<UInt8>, dotAt index: Int) -> Bool {
        var next = index + 1
        while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
        guard next < bytes.count else { return true }
        let byte = bytes[next]
        if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { return false }
        guard next + 1 < bytes.count else { return true }
        let second = bytes[next + 1]
        if byte == 0xD0 && second >= 0xB0 && second <= 0xBF { return false }  // а-п
        if byte == 0xD1 && (second >= 0x80 && second <= 0x8F || second == 0x91) { return false }  // р-я, ё
        return true
    }

    // MARK: - Characters

    @inline(__always) static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The scalar at `index` and its length in bytes; U+FFFD and 1 for a byte that does not start a valid sequence.
    @inline(__always) static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[index])
        let count = bytes.count
        if lead < 0x80 { return (lead, 1) }
        if lead & 0xE0 == 0xC0, index + 1 < count {
            return ((lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2)
        }
        if lead & 0xF0 == 0xE0, index + 2 < count {
            return ((lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
        }
        if lead & 0xF8 == 0xF0, index + 3 < count {
            let value = (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
            return (value | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    private static func isLetter(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let byte = bytes[index]
        if byte < 0x80 { return isASCIILetter(byte) }
        return isLetter(decode(bytes, at: index).0)
    }

    @inline(__always) static func isLetter(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return isASCIILetter(UInt8(scalar)) }
        if scalar >= 0x0400 && scalar <= 0x04FF { return true }  // Cyrillic
        if scalar >= 0x00C0 && scalar <= 0x024F { return scalar != 0xD7 && scalar != 0xF7 }  // Latin-1, Latin Extended
        return Unicode.Scalar(scalar)?.properties.isAlphabetic ?? false
    }

    private static func isCurrencySymbol(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x20A0...0x20CF, 0xA2...0xA5: return true  // ₽ € ₴ ₸ … ¢ £ ¤ ¥
        default: return Unicode.Scalar(scalar)?.properties.generalCategory == .currencySymbol
        }
    }

    /// Lowercase for U+0400–U+045F, with `ё`/`Ё` read as `е`.
    @inline(__always) static func lowercasedCyrillic(_ scalar: UInt32) -> UInt32 {
        switch scalar {
        case 0x0401, 0x0451: return 0x0435
        case 0x0410...0x042F: return scalar + 0x20
        case 0x0400...0x040F: return scalar + 0x50
        default: return scalar
        }
    }

    private static func emitLowercased<Sink: PromiseTokenSink>(_ scalar: UInt32, into sink: inout Sink) {
        if scalar >= 0x00C0 && scalar <= 0x00DE && scalar != 0xD7 {
            emitScalar(scalar + 0x20, into: &sink)
            return
        }
        guard scalar >= 0x0100, let unicode = Unicode.Scalar(scalar) else {
            emitScalar(scalar, into: &sink)
            return
        }
        let properties = unicode.properties
        guard properties.changesWhenLowercased else {
            emitScalar(scalar, into: &sink)
            return
        }
        for lower in properties.lowercaseMapping.unicodeScalars { emitScalar(lower.value, into: &sink) }
    }

    @inline(__always) static func emitScalar<Sink: PromiseTokenSink>(_ scalar: UInt32, into sink: inout Sink) {
        switch scalar {
        case 0..<0x80:
            sink.emit(UInt8(scalar))
        case 0x0400...0x045F:
            sink.emitCyrillic(scalar)
        case 0x80..<0x800:
            sink.emit(UInt8(0xC0 | scalar >> 6))
            sink.emit(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            sink.emit(UInt8(0xE0 | scalar >> 12))
            sink.emit(UInt8(0x80 | scalar >> 6 & 0x3F))
            sink.emit(UInt8(0x80 | scalar & 0x3F))
        default:
            sink.emit(UInt8(0xF0 | scalar >> 18))
            sink.emit(UInt8(0x80 | scalar >> 12 & 0x3F))
            sink.emit(UInt8(0x80 | scalar >> 6 & 0x3F))
            sink.emit(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

/// Collects each token's normalized bytes: used to compile the words of patterns and allowed phrases, so that they
/// are normalized exactly as the text they are matched against.
struct PromiseTokenCollector: PromiseTokenSink {
    struct Collected: Hashable {
        var kind: PromiseTokenKind
        var bytes: [UInt8]
        var isTime: Bool
    }

    var tokens: [Collected] = []
    private var current: [UInt8] = []
    private var kind = PromiseTokenKind.word

    mutating func begin(_ kind: PromiseTokenKind, at offset: Int) {
        self.kind = kind
        current.removeAll(keepingCapacity: true)
    }

    mutating func emit(_ byte: UInt8) { current.append(byte) }

    mutating func emitCyrillic(_ scalar: UInt32) {
        current.append(UInt8(0xC0 | scalar >> 6))
        current.append(UInt8(0x80 | scalar & 0x3F))
    }

    mutating func end(at offset: Int, isTime: Bool) {
        tokens.append(Collected(kind: kind, bytes: current, isTime: isTime))
    }

    mutating func clauseBreak() {}
    mutating func sentenceBreak(question: Bool) {}

    /// The tokens of `text`.
    static func tokens(of text: String) -> [Collected] {
        var collector = PromiseTokenCollector()
        var text = text
        text.withUTF8 { PromiseTokenizer.tokenize($0, into: &collector) }
        return collector.tokens
    }
}
