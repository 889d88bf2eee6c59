import Foundation

/// A secret rule of gitleaks' rule set, generated into `PIISecretRules.swift` by `scripts/secret-rules.py`: a
/// literal prefix found at a word start, then a sequence of character classes with counts, matched greedily. A match
/// must end at a word boundary, reach the rule's Shannon entropy (gitleaks' guard against placeholders), and its
/// body must look random (`piiLooksRandom`: no `xxxx…`, `abcd…`, `1234…`).
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
    /// Whether gitleaks requires a boundary after the token (a non-word byte follows in any case here).
    let boundary: Bool
    let entropy: Double
    let elements: [Element]

    init(id: String, prefix: String, boundary: Bool, entropy: Double, elements: [Element]) {
        self.id = id
        self.prefix = Array(prefix.utf8)
        self.boundary = boundary
        self.entropy = entropy
        self.elements = elements
    }

    /// The kind in rule ids: `gitlab_ptt` (`pii.secret.gitlab_ptt`).
    var kind: String { String(id.map { $0 == "-" ? "_" : $0 }) }

    /// The end of this rule's token at `start`, or nil.
    func match(_ bytes: PIIBytes, at start: Int) -> Int? {
        guard start + prefix.count <= bytes.count else { return nil }
        for (offset, byte) in prefix.enumerated() where bytes.base[start + offset] != byte { return nil }
        let bodyStart = start + prefix.count
        var index = bodyStart
        for element in elements {
            let end = bytes.run(from: index, limit: element.max, while: element.accepts)
            guard end - index >= element.min else { return nil }
            index = end
        }
        guard !PIIASCII.isWord(bytes[index]), index > bodyStart else { return nil }
        guard Self.shannonEntropy(bytes, start, index) >= entropy else { return nil }
        guard index - bodyStart < 8 || piiLooksRandom(bytes, bodyStart, index) else { return nil }
        return index
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
    static func match(_ bytes: PIIBytes, at start: Int) -> (PIISecretRule, Int)? {
        guard beginnings.contains(bytes.base[start], bytes[start + 1]), middles.contains(bytes[start + 1], bytes[start + 2])
        else { return nil }
        for index in byFirstByte[Int(bytes.base[start])] {
            let rule = gitleaks[index]
            if let end = rule.match(bytes, at: start) { return (rule, end) }
        }
        return nil
    }
}
