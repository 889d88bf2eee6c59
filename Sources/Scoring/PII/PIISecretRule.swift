import Foundation

/// A secret rule of gitleaks' rule set, generated into `PIISecretRules.swift` by `scripts/secret-rules.py`: a
/// literal prefix found at a word start, then a sequence of character classes with counts (one alternative of the
/// rule's pattern; a rule with alternation has one entry per alternative). A match must end at a word boundary, reach
/// the rule's Shannon entropy (gitleaks' guard against placeholders), not be one of the rule's allowlisted shapes, and
/// its body must look random (`piiLooksRandom`: no `xxxx…`, `abcd…`, `1234…`).
struct PIISecretRule: Sendable {
    /// One class of ASCII bytes (a 128-bit set) repeated `min...max` times.
    struct Element: Sendable {
        let low: UInt64
        let high: UInt64
        let min: Int
        let max: Int

        init(_ low: UInt64, _ high: UInt64, _ min: Int, _ max: Int) {
            self.low = low
            self.high = high
            self.min = min
            self.max = max
        }

        @inline(__always) func accepts(_ byte: UInt8) -> Bool {
            byte < 64 ? low >> byte & 1 == 1 : byte < 128 ? high >> (byte - 64) & 1 == 1 : false
        }
    }

    typealias E = Element

    /// gitleaks' rule id: `gitlab-ptt`.
    let id: String
    let prefix: [UInt8]
    let entropy: Double
    let elements: [Element]
    /// gitleaks' allowlist of the rule, where it is a sequence too (vault's `s.` + 24 letters): a match that is one of
    /// them whole is no secret.
    let allow: [[Element]]

    init(id: String, prefix: String, entropy: Double, elements: [Element], allow: [[Element]] = []) {
        self.id = id
        self.prefix = Array(prefix.utf8)
        self.entropy = entropy
        self.elements = elements
        self.allow = allow
    }

    /// The kind in rule ids: `gitlab_ptt` (`pii.secret.gitlab_ptt`).
    var kind: String { String(id.map { $0 == "-" ? "_" : $0 }) }

    /// The end of this rule's token at `start`, or nil.
    func match(_ bytes: PIIBytes, at start: Int) -> Int? {
        guard start + prefix.count <= bytes.count else { return nil }
        guard bytes.hasPrefix(prefix, at: start) else { return nil }
        let bodyStart = start + prefix.count
        var budget = Self.backtrackBudget
        guard
            let index = Self.match(
                elements, bytes, from: bodyStart, budget: &budget, ends: { !PIIASCII.isWord(bytes[$0]) }),
            index > bodyStart, Self.isSecret(bytes, start, index, bodyStart: bodyStart, entropy: entropy, allow: allow)
        else { return nil }
        return index
    }

    /// How many element placements one match may try before giving up (the patterns are short: a few dozen do).
    static let backtrackBudget = 4096

    /// The longest way `elements` cover the bytes from `start` to an end that `ends` accepts, trying the longest run of
    /// each element first and shorter ones when the rest does not fit (gitleaks' `[a-z0-9]{20}[a-f0-9]{4}`).
    static func match(
        _ elements: [Element], _ bytes: PIIBytes, from start: Int, budget: inout Int, ends: (Int) -> Bool
    ) -> Int? {
        matchFrom(elements[...], bytes, start, &budget, ends)
    }

    private static func matchFrom(
        _ elements: ArraySlice<Element>, _ bytes: PIIBytes, _ start: Int, _ budget: inout Int, _ ends: (Int) -> Bool
    ) -> Int? {
        guard let element = elements.first else { return ends(start) ? start : nil }
        let longest = bytes.run(from: start, limit: element.max, while: element.accepts)
        var end = longest
        while end - start >= element.min {
            budget -= 1
            guard budget > 0 else { return nil }
            if let found = matchFrom(elements.dropFirst(), bytes, end, &budget, ends) { return found }
            end -= 1
        }
        return nil
    }

    /// gitleaks' checks of a match `start..<end` whose random part starts at `bodyStart`: entropy, allowlist, and the
    /// placeholder guard.
    static func isSecret(
        _ bytes: PIIBytes, _ start: Int, _ end: Int, bodyStart: Int, entropy: Double, allow: [[Element]]
    ) -> Bool {
        guard shannonEntropy(bytes, start, end) >= entropy else { return false }
        guard end - bodyStart < 8 || piiLooksRandom(bytes, bodyStart, end) else { return false }
        for shape in allow {
            var budget = backtrackBudget
            if match(shape, bytes, from: start, budget: &budget, ends: { $0 == end }) != nil { return false }
        }
        return true
    }

    static func shannonEntropy(_ bytes: PIIBytes, _ start: Int, _ end: Int) -> Double {
        var counts = [Int](repeating: 0, count: 256)
        for index in start..<end { counts[Int(bytes.base[index])] += 1 }
        let total = Double(end - start)
        var entropy = 0.0
        for count in counts where count > 0 {
            let share = Double(count) / total
            entropy -= share * log2(share)
        }
        return entropy
    }

    /// Indexes into `gitleaks` by the first byte of the prefix.
    static let byFirstByte: [[Int]] = {
        var table = [[Int]](repeating: [], count: 256)
        for (index, rule) in gitleaks.enumerated() { table[Int(rule.prefix[0])].append(index) }
        return table
    }()

    /// The first two bytes of every prefix, and its second and third: most words fail one of the two lookups.
    static let beginnings = PIIPrefixSet(gitleaks.map(\.prefix))
    static let middles = PIIPrefixSet(gitleaks.map { Array($0.prefix.dropFirst()) })

    /// The first gitleaks rule whose token starts at the word start `start`: the rule and where the token ends.
    /// A word after a dot glued to a word is a file extension (`video_box.ico-7a38…`), not a token.
    static func match(_ bytes: PIIBytes, at start: Int) -> (PIISecretRule, Int)? {
        guard beginnings.contains(bytes.base[start], bytes[start + 1]),
            middles.contains(bytes[start + 1], bytes[start + 2])
        else { return nil }
        guard !(bytes[start - 1] == PIIASCII.dot && PIIASCII.isWord(bytes[start - 2])) else { return nil }
        for index in byFirstByte[Int(bytes.base[start])] {
            let rule = gitleaks[index]
            if let end = rule.match(bytes, at: start) { return (rule, end) }
        }
        return nil
    }
}
