import Foundation

/// Identifies the language of a text among 55 (ISO 639-1 codes, `zh-cn`/`zh-tw` for Chinese): a naive Bayes
/// classifier over character 1-, 2- and 3-grams, with the n-gram frequencies of langdetect's profiles
/// (`LanguageProfileData`) — the identifier IFEval's reference uses — so both make the same decisions.
///
/// Deterministic and offline. Where langdetect samples n-grams at random until one language passes 99.999%, this
/// sums the log-likelihood of every n-gram (each smoothed by 0.5 / 10,000 as there), which is the posterior that
/// sampling estimates. Features as in langdetect: URLs and emails are dropped; digits, ASCII punctuation and
/// general punctuation are word boundaries; Latin letters are dropped from a text written mostly in another
/// script; in a word in capitals only the first letter is a feature (so `YES` says little about its language).
public struct LanguageIdentifier: Sendable {
    /// The codes the identifier can return.
    public let languages: [String]
    /// n-gram (packed code points) → (language index, ln(p) − ln(p + smoothing) difference) pairs.
    private let model: [UInt64: [(language: Int, weight: Double)]]

    static let smoothing = 0.5 / 10_000
    static let maxTextLength = 10_000

    /// The identifier with langdetect's 55 languages; built on first use.
    public static let standard = LanguageIdentifier(
        data: LanguageProfileData.ngrams, languages: LanguageProfileData.languages,
        alphabet: LanguageProfileData.alphabet, step: LanguageProfileData.step)

    init(data: String, languages: String, alphabet: String, step: Double) {
        self.languages = languages.split(separator: " ").map(String.init)
        var digit: [UInt8: Int] = [:]
        for (index, byte) in alphabet.utf8.enumerated() { digit[byte] = index }
        let logSmoothing = Foundation.log(Self.smoothing)
        var weights: [Double] = []
        for k in 0..<alphabet.utf8.count {
            weights.append(Foundation.log(Self.smoothing + exp(-Double(k) * step)) - logSmoothing)
        }
        var model: [UInt64: [(language: Int, weight: Double)]] = [:]
        model.reserveCapacity(60_000)
        for line in data.utf8.split(separator: UInt8(ascii: "\n")) {
            guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
            let gram = String(decoding: line[line.startIndex..<tab], as: UTF8.self)
            var key: UInt64 = 0
            for scalar in gram.unicodeScalars { key = Self.append(scalar == "_" ? " " : scalar, to: key) }
            var entries: [(language: Int, weight: Double)] = []
            var cursor = line.index(after: tab)
            while cursor < line.endIndex {
                let next = line.index(after: cursor)
                guard next < line.endIndex, let language = digit[line[cursor]], let k = digit[line[next]] else { break }
                entries.append((language, weights[k]))
                cursor = line.index(after: next)
            }
            model[key] = entries
        }
        self.model = model
    }

    private static func append(_ scalar: Unicode.Scalar, to key: UInt64) -> UInt64 {
        (key << 21) | UInt64(scalar.value)
    }

    // langdetect's own patterns for what it leaves out.
    private static let url = try! TextPattern(#"https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}"#)
    private static let email = try! TextPattern(#"[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}"#)

    /// The most likely language of `text`; nil when it has no letters to judge.
    public func identify(_ text: String) -> String? {
        let scores = scores(text)
        guard !scores.isEmpty else { return nil }
        var best = 0
        for index in scores.indices where scores[index] > scores[best] { best = index }
        return languages[best]
    }

    /// The log-likelihood of `text` in each language, up to a shared constant; empty when there is no feature.
    func scores(_ text: String) -> [Double] {
        var scores = [Double](repeating: 0, count: languages.count)
        var known = 0
        for key in features(of: text) {
            guard let entries = model[key] else { continue }
            known += 1
            for entry in entries { scores[entry.language] += entry.weight }
        }
        return known == 0 ? [] : scores
    }

    /// The text as langdetect reads it: without URLs and emails, composed (NFC), spaces collapsed, at most
    /// 10,000 code points, and without Latin letters when other scripts dominate.
    static func cleaned(_ text: String) -> [Unicode.Scalar] {
        var text = text
        // Both patterns need a `://` or an `@`: without either there is nothing to match.
        if Self.mayHaveURLOrEmail(text) {
            for pattern in [url, email] {
                for range in pattern.matches(in: text).reversed() { text.replaceSubrange(range, with: " ") }
            }
        }
        if !Self.isComposed(text) { text = text.precomposedStringWithCanonicalMapping }
        var scalars: [Unicode.Scalar] = []
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars.prefix(maxTextLength) {
            if scalar != " " || previous != " " { scalars.append(scalar) }
            previous = scalar
        }
        var latin = 0
        var other = 0
        for scalar in scalars {
            if ("A"..."z").contains(scalar) {
                latin += 1
            } else if scalar.value >= 0x300, !(0x1E00...0x1EFF).contains(scalar.value) {
                other += 1
            }
        }
        if latin * 2 < other { scalars.removeAll { ("A"..."z").contains($0) } }
        return scalars
    }

    static func mayHaveURLOrEmail(_ text: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "@") { return true }
            if byte == UInt8(ascii: "/"), previous == (UInt8(ascii: ":"), UInt8(ascii: "/")) { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    /// Whether NFC leaves `text` as it is, known without normalising: every scalar is below U+0300 (no combining
    /// marks yet), basic Cyrillic (U+0400–U+045F) or a dash, quote or ellipsis (U+2010–U+2027). None of these has a
    /// canonical decomposition that NFC undoes or composes with the scalar after it.
    static func isComposed(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            let value = scalar.value
            return value < 0x300 || (0x400...0x45F).contains(value) || (0x2010...0x2027).contains(value)
        }
    }

    /// One code point as langdetect's n-grams see it.
    static func normalize(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        switch value {
        case 0...0x7F:
            return ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) ? scalar : " "
        case 0x80...0xFF:
            return [0xA0, 0xAB, 0xB0, 0xBB].contains(value) ? " " : scalar
        case 0x219: return "\u{15F}"  // s with comma below → with cedilla
        case 0x21B: return "\u{163}"  // t with comma below → with cedilla
        case 0x2000...0x206F: return " "  // general punctuation
        case 0x6CC: return "\u{64A}"  // Farsi yeh → Arabic yeh
        case 0x1EA0...0x1EFF: return "\u{1EC3}"
        case 0x3040...0x309F: return "\u{3042}"  // hiragana
        case 0x30A0...0x30FF: return "\u{30A2}"  // katakana
        case 0x3100...0x312F, 0x31A0...0x31BF: return "\u{3105}"  // bopomofo
        case 0xAC00...0xD7AF: return "\u{AC00}"  // hangul syllables
        default: return scalar
        }
    }

    /// The 1-, 2- and 3-grams of `text` that the model knows, as packed keys.
    func features(of text: String) -> [UInt64] {
        var keys: [UInt64] = []
        var grams: [Unicode.Scalar] = [" "]
        var capitalWord = false
        for raw in Self.cleaned(text) {
            let scalar = Self.normalize(raw)
            let last = grams[grams.count - 1]
            if last == " " {
                grams = [" "]
                capitalWord = false
                if scalar == " " { continue }
            } else if grams.count >= 3 {
                grams.removeFirst()
            }
            grams.append(scalar)
            if scalar.properties.isUppercase {
                if last.properties.isUppercase { capitalWord = true }
            } else {
                capitalWord = false
            }
            if capitalWord { continue }
            for length in 1...3 {
                guard grams.count >= length else { break }
                if length == 1, scalar == " " { continue }
                var key: UInt64 = 0
                for gram in grams[(grams.count - length)...] { key = Self.append(gram, to: key) }
                keys.append(key)
            }
        }
        return keys
    }
}
