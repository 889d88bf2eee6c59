/// Every word and stem the loaded packs mention, each with an id, and a trie over them. The tokenizer walks the trie
/// while it reads a token, so that when the token ends, the ids of every word and stem it matches are known without
/// building a string or looking anything up again.
///
/// The trie steps by unit: a byte of the normalized UTF-8 (0–255) or, for the Cyrillic letters U+0400–U+045F, the
/// whole letter (256 + offset), so that Russian text takes one step per letter. Nodes with many children (the root,
/// the first letters) have a dense table; the other edges live in one open-addressing hash table keyed by
/// (node, unit).
struct PromiseLexicon: Sendable {
    private(set) var atomCount = 0
    private var ids: [PromiseAtom: Int32] = [:]
    private var children: [[UInt16: Int32]] = [[:]]
    /// Per trie node: the id of the stem that ends there, or -1.
    private var stemAtom: [Int32] = [-1]
    /// Per trie node: the id of the word that ends there, or -1.
    private var exactAtom: [Int32] = [-1]
    /// Per trie node: the index of its dense table in `dense`, or -1.
    private var denseIndex: [Int32] = []
    private var dense: [Int32] = []
    private var keys: [UInt32] = []
    private var targets: [Int32] = []
    private var shift: UInt32 = 28

    /// Units: 256 byte values and 96 Cyrillic letters.
    static let unitCount = 352
    /// Nodes with at least this many children get a dense table.
    private static let denseThreshold = 12

    @inline(__always) static func unit(cyrillic scalar: UInt32) -> UInt16 { UInt16(256 + scalar - 0x0400) }

    /// The units of normalized UTF-8: its Cyrillic letters as one unit each, every other byte as itself.
    static func units(_ bytes: [UInt8]) -> [UInt16] {
        var units: [UInt16] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let scalar = UInt32(byte & 0x1F) << 6 | UInt32(index + 1 < bytes.count ? bytes[index + 1] & 0x3F : 0)
            if byte == 0xD0 || byte == 0xD1, index + 1 < bytes.count, bytes[index + 1] & 0xC0 == 0x80, scalar <= 0x045F
            {
                units.append(unit(cyrillic: scalar))
                index += 2
            } else {
                units.append(UInt16(byte))
                index += 1
            }
        }
        return units
    }

    /// The id of a word or a stem, added when new; nil for the built-in classes, which tests check by token kind.
    mutating func id(of atom: PromiseAtom) -> Int32? {
        let bytes: [UInt8]
        let isStem: Bool
        switch atom {
        case .word(let word): (bytes, isStem) = (word, false)
        case .stem(let stem): (bytes, isStem) = (stem, true)
        case .digits, .time, .any: return nil
        }
        if let known = ids[atom] { return known }
        let id = Int32(atomCount)
        atomCount += 1
        ids[atom] = id
        var node = 0
        for unit in Self.units(bytes) {
            if let next = children[node][unit] {
                node = Int(next)
            } else {
                let next = Int32(children.count)
                children.append([:])
                stemAtom.append(-1)
                exactAtom.append(-1)
                children[node][unit] = next
                node = Int(next)
            }
        }
        if isStem { stemAtom[node] = id } else { exactAtom[node] = id }
        return id
    }

    /// Builds the lookup tables; call once, after every atom was added.
    mutating func freeze() {
        var edges: [(key: UInt32, target: Int32)] = []
        denseIndex = [Int32](repeating: -1, count: children.count)
        for (node, next) in children.enumerated() {
            if node == 0 || next.count >= Self.denseThreshold {
                denseIndex[node] = Int32(dense.count)
                let base = dense.count
                dense += [Int32](repeating: -1, count: Self.unitCount)
                for (unit, target) in next { dense[base + Int(unit)] = target }
            } else {
                for (unit, target) in next { edges.append((Self.key(Int32(node), unit), target)) }
            }
        }
        var capacity = 16
        var bits: UInt32 = 4
        while capacity < edges.count * 2 {
            capacity *= 2
            bits += 1
        }
        shift = 32 - bits
        keys = [UInt32](repeating: 0, count: capacity)
        targets = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        for edge in edges {
            var slot = Int((edge.key &* 0x9E37_79B1) >> shift)
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = edge.key
            targets[slot] = edge.target
        }
        children = []
    }

    @inline(__always) static func key(_ node: Int32, _ unit: UInt16) -> UInt32 {
        (UInt32(node) << 9 | UInt32(unit)) &+ 1
    }

    /// The lookup tables as pointers, valid inside `withTables` only.
    struct Tables {
        let denseIndex: UnsafeBufferPointer<Int32>
        let dense: UnsafeBufferPointer<Int32>
        let keys: UnsafeBufferPointer<UInt32>
        let targets: UnsafeBufferPointer<Int32>
        let stemAtom: UnsafeBufferPointer<Int32>
        let exactAtom: UnsafeBufferPointer<Int32>
        let shift: UInt32

        /// The child of `node` along `unit`, or -1.
        @inline(__always) func next(_ node: Int32, _ unit: UInt16) -> Int32 {
            let table = denseIndex[Int(node)]
            if table >= 0 { return dense[Int(table) + Int(unit)] }
            let key = PromiseLexicon.key(node, unit)
            let mask = keys.count - 1
            var slot = Int((key &* 0x9E37_79B1) >> shift)
            while true {
                let found = keys[slot]
                if found == key { return targets[slot] }
                if found == 0 { return -1 }
                slot = (slot + 1) & mask
            }
        }
    }

    func withTables<Result>(_ body: (Tables) -> Result) -> Result {
        denseIndex.withUnsafeBufferPointer { denseIndex in
            dense.withUnsafeBufferPointer { dense in
                keys.withUnsafeBufferPointer { keys in
                    targets.withUnsafeBufferPointer { targets in
                        stemAtom.withUnsafeBufferPointer { stemAtom in
                            exactAtom.withUnsafeBufferPointer { exactAtom in
                                body(
                                    Tables(
                                        denseIndex: denseIndex, dense: dense, keys: keys, targets: targets,
                                        stemAtom: stemAtom, exactAtom: exactAtom, shift: shift
                                    )
                                )
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One token of a response: where it is, what it matched in the lexicon, which clause and sentence it belongs to.
struct PromiseToken: Sendable {
    var start: Int32
    var end: Int32
    var atomStart: Int32
    var atomCount: Int32
    var clause: Int32
    var sentence: Int32
    var kind: PromiseTokenKind
    var isTime: Bool
    /// The token's sentence ends with `?`.
    var inQuestion: Bool
}

/// The tokens of one text, with the lexicon ids each one matched.
struct PromiseTokens {
    var tokens: [PromiseToken] = []
    var atoms: [Int32] = []
}

/// Tokenizes with the lexicon: walks the trie byte by byte while a token is read.
struct PromiseLexiconSink: PromiseTokenSink {
    let tables: PromiseLexicon.Tables
    var output = PromiseTokens()
    private var node: Int32 = 0
    private var start = 0
    private var atomStart: Int32 = 0
    private var kind = PromiseTokenKind.word
    private var clause: Int32 = 0
    private var sentence: Int32 = 0

    init(_ tables: PromiseLexicon.Tables, capacityHint: Int) {
        self.tables = tables
        output.tokens.reserveCapacity(capacityHint)
        output.atoms.reserveCapacity(capacityHint)
    }

    @inline(__always) mutating func begin(_ kind: PromiseTokenKind, at offset: Int) {
        self.kind = kind
        start = offset
        node = 0
        atomStart = Int32(output.atoms.count)
    }

    @inline(__always) mutating func emit(_ byte: UInt8) { step(UInt16(byte)) }

    @inline(__always) mutating func emitCyrillic(_ scalar: UInt32) { step(PromiseLexicon.unit(cyrillic: scalar)) }

    @inline(__always) private mutating func step(_ unit: UInt16) {
        if node < 0 { return }
        node = tables.next(node, unit)
        if node >= 0 {
            let stem = tables.stemAtom[Int(node)]
            if stem >= 0 { output.atoms.append(stem) }
        }
    }

    @inline(__always) mutating func end(at offset: Int, isTime: Bool) {
        if node >= 0 {
            let exact = tables.exactAtom[Int(node)]
            if exact >= 0 { output.atoms.append(exact) }
        }
        let count = Int32(output.atoms.count) - atomStart
        output.tokens.append(
            PromiseToken(
                start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: offset),
                atomStart: atomStart, atomCount: count, clause: clause, sentence: sentence, kind: kind, isTime: isTime,
                inQuestion: false
            )
        )
    }

    @inline(__always) mutating func clauseBreak() { clause += 1 }

    @inline(__always) mutating func sentenceBreak(question: Bool) {
        if question { markQuestion() }
        sentence += 1
        clause += 1
    }

    private mutating func markQuestion() {
        var index = output.tokens.count - 1
        while index >= 0, output.tokens[index].sentence == sentence {
            output.tokens[index].inQuestion = true
            index -= 1
        }
    }
}
