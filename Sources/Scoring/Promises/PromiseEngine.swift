import EvalCore

/// The packs compiled for matching: flat tables of plain values, so that scanning a text copies no arrays and
/// strings and retains nothing.
///
/// - every word and stem of every pattern is an atom of one `PromiseLexicon` (a trie the tokenizer walks);
/// - every element of a pattern is a `Test`: a bitset of the atoms it accepts plus the built-in classes;
/// - patterns are runs of `Node`s in one array; rules and qualifier groups name their patterns by index;
/// - `ruleAnchors` lists, per atom, the rule patterns whose first element accepts it: the only patterns tried at a
///   token. Qualifier patterns are anchored the same way but tried only in the window around a match.
struct PromiseEngine: Sendable {
    /// A test (`gap == 0`) or a gap of up to `gap` tokens.
    private struct Node: Sendable {
        var test: Int32
        var gap: Int32
        var optional: Bool
    }

    private struct Pattern: Sendable {
        var nodeStart: Int32
        var nodeCount: Int32
        /// The most tokens a match can span.
        var length: Int32
        /// The rule or the qualifier group the pattern belongs to; -1 for an allowed phrase.
        var owner: Int32
        var skipsQuestions: Bool
        /// No gaps and no optional elements: matched by a plain loop.
        var isLinear: Bool
        /// The test of the last required element after the first, or -1: a pattern with gaps is searched only when a
        /// token within its reach passes this test, so that a common first word (`will`, `будет`) costs a scan, not a
        /// search.
        var lastRequiredTest: Int32 = -1
    }

    private struct Test: Sendable {
        var bits: Int32
        var digits: Bool
        var time: Bool
        var any: Bool
    }

    private struct Rule: Sendable {
        var findingID: String
        var category: PromiseCategory
        /// The category's place in `PromiseCategory.allCases`, kept so that resolving matches builds no array.
        var categoryIndex: Int
        var pack: String
        var skipsQuestions: Bool
        var exceptions: Range<Int32>
    }

    private struct Group: Sendable {
        var sentenceScope: Bool
        var before: Int32
        var after: Int32
        var stop: Int32
        /// Words that, anywhere in the match's clause, keep it a promise; -1 for none.
        var keep: Int32
        var exceptions: Range<Int32>
    }

    /// Pattern ids by the atom, or the kind of number, their match can start with (compressed rows: the ids of atom
    /// `a` are `ids[start[a]..<start[a + 1]]`).
    private struct Anchors: Sendable {
        var start: [Int32] = [0]
        var ids: [Int32] = []
        var digits: [Int32] = []
        var time: [Int32] = []
    }

    private let categoryCount = PromiseCategory.allCases.count
    private var lexicon = PromiseLexicon()
    private var tests: [Test] = []
    private var bits: [UInt64] = []
    private var nodes: [Node] = []
    private var patterns: [Pattern] = []
    private var rules: [Rule] = []
    private var groups: [Group] = []
    /// Why a match a group qualifies is not a promise, by group (kept apart so that `Group` holds no reference).
    private var groupReasons: [String] = []
    /// Exception patterns of rules and groups, by the ranges in `Rule.exceptions` and `Group.exceptions`.
    private var exceptionIDs: [Int32] = []
    private var ruleAnchors = Anchors()
    private var qualifierAnchors = Anchors()
    private var allowIDs: [Int32] = []
    /// Clause joins: the patterns of their commitments and of the clause starts they reach, and how far before the
    /// comma the commitment may be.
    private struct Join: Sendable {
        var leads: [Int32]
        var into: [Int32]
        var before: Int
    }
    private var joins: [Join] = []

    init(packs: [PromisePack], categories: Set<PromiseCategory>, allow: [String]) throws(PromisePackError) {
        // Atoms first, so that every test's bitset has its final size.
        var pendingTests: [[PromiseAtom]] = []
        func test(_ atoms: [PromiseAtom]) -> Int32 {
            pendingTests.append(atoms)
            for atom in atoms { _ = lexicon.id(of: atom) }
            return Int32(pendingTests.count - 1)
        }
        func pattern(_ source: [PromisePatternNode], owner: Int32, skipsQuestions: Bool = false) -> Int32 {
            let start = Int32(nodes.count)
            var length: Int32 = 0
            for node in source {
                switch node {
                case .test(let atoms, let optional):
                    nodes.append(Node(test: test(atoms), gap: 0, optional: optional))
                    length += 1
                case .gap(let size):
                    nodes.append(Node(test: -1, gap: Int32(size), optional: true))
                    length += Int32(size)
                }
            }
            let added = nodes[Int(start)...]
            patterns.append(
                Pattern(
                    nodeStart: start, nodeCount: Int32(nodes.count) - start, length: length, owner: owner,
                    skipsQuestions: skipsQuestions, isLinear: added.allSatisfy { $0.gap == 0 && !$0.optional },
                    lastRequiredTest: added.dropFirst().last { $0.gap == 0 && !$0.optional }?.test ?? -1
                )
            )
            return Int32(patterns.count - 1)
        }
        func exceptions(_ sources: [[PromisePatternNode]], owner: Int32) -> Range<Int32> {
            let ids = sources.map { pattern($0, owner: owner) }
            let start = Int32(exceptionIDs.count)
            exceptionIDs += ids
            return start..<Int32(exceptionIDs.count)
        }

        var rulePatterns: [Int32] = []
        var qualifierPatterns: [Int32] = []
        for pack in packs {
            for rule in pack.rules where categories.contains(rule.category) {
                let owner = Int32(rules.count)
                rulePatterns += rule.compiledPatterns.map {
                    pattern($0, owner: owner, skipsQuestions: pack.skipsQuestions)
                }
                rules.append(
                    Rule(
                        findingID: rule.findingID, category: rule.category,
                        categoryIndex: PromiseCategory.allCases.firstIndex(of: rule.category)!, pack: pack.name,
                        skipsQuestions: pack.skipsQuestions,
                        exceptions: exceptions(rule.compiledExceptions, owner: owner)
                    )
                )
            }
            for group in pack.negators + pack.hedges + pack.contexts {
                let owner = Int32(groups.count)
                qualifierPatterns += group.compiledPatterns.map { pattern($0, owner: owner) }
                groupReasons.append(group.reason)
                groups.append(
                    Group(
                        sentenceScope: group.scope == .sentence, before: Int32(group.before), after: Int32(group.after),
                        stop: group.compiledStop.isEmpty ? -1 : test(group.compiledStop),
                        keep: group.compiledKeep.isEmpty ? -1 : test(group.compiledKeep),
                        exceptions: exceptions(group.compiledExceptions, owner: owner)
                    )
                )
            }
        }
        for pack in packs {
            for join in pack.joins {
                joins.append(
                    Join(
                        leads: join.compiledLeads.map { pattern($0, owner: -2) },
                        into: join.compiledInto.map { pattern($0, owner: -2) }, before: join.before
                    )
                )
            }
        }
        for phrase in allow {
            allowIDs.append(pattern(try Self.allowedPhrase(phrase), owner: -1))
        }

        lexicon.freeze()
        let words = (lexicon.atomCount + 63) / 64
        bits = [UInt64](repeating: 0, count: max(1, pendingTests.count * words))
        for (index, atoms) in pendingTests.enumerated() {
            var entry = Test(bits: Int32(index * words), digits: false, time: false, any: false)
            for atom in atoms {
                switch atom {
                case .digits: entry.digits = true
                case .time: entry.time = true
                case .any: entry.any = true
                case .word, .stem:
                    let id = Int(lexicon.id(of: atom)!)
                    bits[Int(entry.bits) + id / 64] |= 1 << UInt64(id % 64)
                }
            }
            tests.append(entry)
        }
        ruleAnchors = anchors(for: rulePatterns, pendingTests)
        qualifierAnchors = anchors(for: qualifierPatterns, pendingTests)
    }

    /// Indexes patterns by the atoms their match can start with: those of every element up to the first required one.
    private mutating func anchors(for ids: [Int32], _ testAtoms: [[PromiseAtom]]) -> Anchors {
        var rows = Array(repeating: [Int32](), count: lexicon.atomCount)
        var anchors = Anchors()
        for id in ids {
            var first = Set<PromiseAtom>()
            let pattern = patterns[Int(id)]
            for node in nodes[Int(pattern.nodeStart)..<Int(pattern.nodeStart + pattern.nodeCount)] {
                guard node.gap == 0 else { break }
                first.formUnion(testAtoms[Int(node.test)])
                if !node.optional { break }
            }
            for atom in first {
                switch atom {
                case .digits: anchors.digits.append(id)
                case .time: anchors.time.append(id)
                case .any: break  // rejected when the pattern was read
                case .word, .stem: rows[Int(lexicon.id(of: atom)!)].append(id)
                }
            }
        }
        for row in rows {
            anchors.ids += row
            anchors.start.append(Int32(anchors.ids.count))
        }
        return anchors
    }

    private static func allowedPhrase(_ phrase: String) throws(PromisePackError) -> [PromisePatternNode] {
        var nodes: [PromisePatternNode] = []
        for chunk in phrase.split(whereSeparator: \.isWhitespace).map(String.init) {
            if chunk.hasSuffix("*") {
                do throws(PromisePatternError) {
                    nodes.append(.test([try PromisePatternSyntax.atom(chunk)], optional: false))
                } catch {
                    throw PromisePackError("allowed phrase '\(phrase)': \(error.message)")
                }
                continue
            }
            for token in PromiseTokenCollector.tokens(of: chunk) {
                nodes.append(.test([.word(token.bytes)], optional: false))
            }
        }
        guard !nodes.isEmpty else { throw PromisePackError("allowed phrase '\(phrase)' has no words") }
        return nodes
    }

    // MARK: - Detection

    /// Every match in the text: the promises, and the matches that context made not promises, each with its reason.
    /// `keepSuppressed` false skips building the suppressed matches (the common case: only the promises are wanted).
    func detect(_ bytes: UnsafeBufferPointer<UInt8>, keepSuppressed: Bool) -> (
        promises: [PromiseMatch], suppressed: [(PromiseMatch, String)]
    ) {
        var text = tokenize(bytes)
        if !joins.isEmpty { joinPurposeClauses(&text) }
        let tokens = text.tokens
        var candidates: [Candidate] = []
        var tried: [Int32] = []
        for index in tokens.indices {
            let token = tokens[index]
            if token.atomCount == 0 && token.kind != .number { continue }
            let first = Int(token.atomStart)
            var attempts = 0
            for offset in 0..<Int(token.atomCount) {
                let atom = Int(text.atoms[first + offset])
                attempts += Int(ruleAnchors.start[atom + 1] - ruleAnchors.start[atom])
            }
            if token.kind == .number {
                attempts += ruleAnchors.digits.count + (token.isTime ? ruleAnchors.time.count : 0)
            }
            if attempts == 0 { continue }
            // A pattern may be anchored on several atoms of one token (`гаранти*` and `гарантир*`): try it once.
            tried.removeAll(keepingCapacity: true)
            // A closure literal, not a local function passed as a value: the variables it changes then need no
            // exclusivity checks at run time (they cost a tenth of the check).
            forEachAnchored(ruleAnchors, token, in: text) { id in
                if attempts > 1 {
                    if tried.contains(id) { return }
                    tried.append(id)
                }
                let pattern = patterns[Int(id)]
                if let match = longest(id, at: index, in: text) {
                    candidates.append(
                        Candidate(rule: pattern.owner, start: index, end: match.end, consumed: match.consumed))
                }
            }
        }
        guard !candidates.isEmpty else { return ([], []) }

        let quotes = PromiseQuotes.ranges(in: bytes)
        var suppressed: [Candidate] = []
        var reasons: [Int: String] = [:]
        var qualifierCache = QualifierCache(tokens: tokens.count, groups: groups.count)
        candidates.removeAll { candidate in
            var reason = notPromise(candidate, in: text, cache: &qualifierCache)
            if reason == nil, !quotes.isEmpty {
                let start = Int(tokens[candidate.start].start)
                if quotes.contains(where: { $0.contains(start) }) { reason = "quoted" }
            }
            guard let reason else { return false }
            guard keepSuppressed else { return true }
            reasons[suppressed.count] = reason
            var marked = candidate
            marked.reason = Int32(suppressed.count)
            suppressed.append(marked)
            return true
        }
        func match(_ candidate: Candidate) -> PromiseMatch {
            let rule = rules[Int(candidate.rule)]
            let start = Int(tokens[candidate.start].start)
            let end = Int(tokens[candidate.end - 1].end)
            let phrase = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            return PromiseMatch(
                ruleID: rule.findingID, category: rule.category, pack: rule.pack,
                span: TextSpan(start: start, end: end), text: phrase
            )
        }
        return (
            resolve(candidates).map(match),
            resolve(suppressed).map { (match($0), reasons[Int($0.reason)] ?? "") }
        )
    }

    private func tokenize(_ text: UnsafeBufferPointer<UInt8>) -> PromiseTokens {
        lexicon.withTables { tables in
            var sink = PromiseLexiconSink(tables, capacityHint: text.count / 5 + 4)
            PromiseTokenizer.tokenize(text, into: &sink)
            return sink.output
        }
    }

    /// Reads a purpose clause as part of the clause before it when a join's commitment ends that clause (`прослежу,
    /// чтобы деньги вернулись`, `I'll make sure, that…`): its tokens take the clause number of the comma's left side.
    private func joinPurposeClauses(_ text: inout PromiseTokens) {
        var index = 1
        while index < text.tokens.count {
            let token = text.tokens[index]
            let previous = text.tokens[index - 1]
            guard token.clause != previous.clause, token.sentence == previous.sentence, token.atomCount > 0,
                joinsClause(at: index, in: text)
            else {
                index += 1
                continue
            }
            let joined = token.clause
            while index < text.tokens.count, text.tokens[index].clause == joined {
                text.tokens[index].clause = previous.clause
                index += 1
            }
        }
    }

    /// Whether the clause that starts at `index` opens with a join's `into` and a `lead` of that join ends within its
    /// window before the comma.
    private func joinsClause(at index: Int, in text: PromiseTokens) -> Bool {
        let clause = text.tokens[index - 1].clause
        for join in joins where join.into.contains(where: { longest($0, at: index, in: text) != nil }) {
            for start in max(0, index - join.before)..<index where text.tokens[start].clause == clause {
                if join.leads.contains(where: { longest($0, at: start, in: text) != nil }) { return true }
            }
        }
        return false
    }

    /// Keeps one match per promise, by category: a match inside a longer match of the same category is dropped (of two
    /// with the same span, one is kept), and matches of one category that overlap are joined into one, reported with
    /// the rule of the first. A deadline inside a guarantee (`will definitely arrive this week`) is two promises.
    /// Sorted by position.
    private func resolve(_ candidates: [Candidate]) -> [Candidate] {
        let sorted =
            candidates.count < 2
            ? candidates : candidates.sorted { ($0.start, -$0.end, $0.rule) < ($1.start, -$1.end, $1.rule) }
        var kept: [Candidate] = []
        kept.reserveCapacity(sorted.count)
        // Per category, the kept match that reaches furthest: sorted by start, a match is inside an earlier one exactly
        // when it ends no later than that one.
        var cover = [Int](repeating: -1, count: categoryCount)
        for candidate in sorted {
            let slot = rules[Int(candidate.rule)].categoryIndex
            let index = cover[slot]
            if index >= 0 {
                if candidate.end <= kept[index].end { continue }
                if candidate.start < kept[index].end {
                    kept[index].end = candidate.end
                    continue
                }
            }
            kept.append(candidate)
            cover[slot] = kept.count - 1
        }
        return kept
    }

    fileprivate struct Candidate {
        var rule: Int32
        var start: Int
        var end: Int
        /// Bit `k`: token `start + k` was matched by an element (not skipped by a gap).
        var consumed: UInt64
        /// For a suppressed match: the index of its reason.
        var reason: Int32 = -1
    }

    // MARK: - Matching

    @inline(__always) private func accepts(_ testIndex: Int32, _ token: PromiseToken, in text: PromiseTokens) -> Bool {
        let test = tests[Int(testIndex)]
        if test.any { return true }
        if token.kind == .number && (test.digits || test.time && token.isTime) { return true }
        let first = Int(token.atomStart)
        for offset in 0..<Int(token.atomCount) {
            let atom = Int(text.atoms[first + offset])
            if bits[Int(test.bits) + atom >> 6] & (1 << UInt64(atom & 63)) != 0 { return true }
        }
        return false
    }

    /// The longest match of a pattern that starts at `start`: its end and which of its tokens elements matched.
    private func longest(_ id: Int32, at start: Int, in text: PromiseTokens) -> (end: Int, consumed: UInt64)? {
        let tokens = text.tokens
        guard start >= 0, start < tokens.count else { return nil }
        let pattern = patterns[Int(id)]
        if pattern.isLinear {
            let count = Int(pattern.nodeCount)
            guard start + count <= tokens.count else { return nil }
            let clause = tokens[start].clause
            for offset in 0..<count {
                let token = tokens[start + offset]
                guard token.clause == clause, accepts(nodes[Int(pattern.nodeStart) + offset].test, token, in: text)
                else {
                    return nil
                }
            }
            return (start + count, count == 64 ? ~0 : (1 << UInt64(count)) - 1)
        }
        if pattern.lastRequiredTest >= 0 {
            let clause = tokens[start].clause
            let reach = min(tokens.count, start + Int(pattern.length))
            var position = start + 1
            while position < reach, tokens[position].clause == clause,
                !accepts(pattern.lastRequiredTest, tokens[position], in: text)
            {
                position += 1
            }
            guard position < reach, tokens[position].clause == clause else { return nil }
        }
        var best: (end: Int, consumed: UInt64) = (-1, 0)
        search(
            Int(pattern.nodeStart), Int(pattern.nodeStart + pattern.nodeCount), at: start, from: start,
            clause: tokens[start].clause, 0, end: -1, &best, in: text
        )
        return best.end > start ? best : nil
    }

    private func search(
        _ node: Int, _ last: Int, at position: Int, from start: Int, clause: Int32, _ consumed: UInt64, end: Int,
        _ best: inout (end: Int, consumed: UInt64), in text: PromiseTokens
    ) {
        guard node < last else {
            if end > best.end { best = (end, consumed) }
            return
        }
        let tokens = text.tokens
        let step = nodes[node]
        if step.gap > 0 {
            search(node + 1, last, at: position, from: start, clause: clause, consumed, end: end, &best, in: text)
            var next = position
            for _ in 0..<step.gap {
                guard next < tokens.count, tokens[next].clause == clause else { break }
                next += 1
                search(node + 1, last, at: next, from: start, clause: clause, consumed, end: end, &best, in: text)
            }
            return
        }
        if position < tokens.count, tokens[position].clause == clause, accepts(step.test, tokens[position], in: text) {
            let bit: UInt64 = 1 << UInt64(position - start)
            search(
                node + 1, last, at: position + 1, from: start, clause: clause, consumed | bit, end: position + 1, &best,
                in: text)
        }
        if step.optional {
            search(node + 1, last, at: position, from: start, clause: clause, consumed, end: end, &best, in: text)
        }
    }

    // MARK: - Allowlist, exceptions, qualifiers

    /// Why a candidate is not a promise, or nil when it is one: inside an allowed phrase (`allowed`), one of its rule's
    /// exceptions (`exception`), in a question (`question`), or qualified by a group (its reason: `negated`, `hedged`,
    /// `reported speech`…).
    private func notPromise(_ candidate: Candidate, in text: PromiseTokens, cache: inout QualifierCache) -> String? {
        let tokens = text.tokens
        for id in allowIDs {
            let length = Int(patterns[Int(id)].length)
            for start in max(0, candidate.start - length + 1)...candidate.start {
                if let match = longest(id, at: start, in: text), match.end >= candidate.end { return "allowed" }
            }
        }
        if rules[Int(candidate.rule)].skipsQuestions && tokens[candidate.start].inQuestion { return "question" }
        let sentence = tokens[candidate.start].sentence
        for slot in rules[Int(candidate.rule)].exceptions {
            let id = exceptionIDs[Int(slot)]
            let length = Int(patterns[Int(id)].length)
            for start in max(0, candidate.start - length + 1)..<candidate.end where tokens[start].sentence == sentence {
                if let match = longest(id, at: start, in: text), match.end > candidate.start { return "exception" }
            }
        }
        for group in groups.indices where isQualified(candidate, by: Int32(group), in: text, cache: &cache) {
            return groupReasons[group]
        }
        return nil
    }

    /// Whether a pattern of the group matches in the window around the candidate: `before` tokens before it, the
    /// tokens its gaps skipped, `after` tokens after it, within the group's scope and up to a stop word.
    private func isQualified(
        _ candidate: Candidate, by groupIndex: Int32, in text: PromiseTokens, cache: inout QualifierCache
    ) -> Bool {
        let tokens = text.tokens
        let group = groups[Int(groupIndex)]
        let first = tokens[candidate.start]
        let last = tokens[candidate.end - 1]
        func inScope(_ token: PromiseToken, _ reference: PromiseToken) -> Bool {
            group.sentenceScope ? token.sentence == reference.sentence : token.clause == reference.clause
        }
        func isStop(_ token: PromiseToken) -> Bool { group.stop >= 0 && accepts(group.stop, token, in: text) }

        var low = candidate.start
        while low > 0, candidate.start - low < group.before, inScope(tokens[low - 1], first), !isStop(tokens[low - 1]) {
            low -= 1
        }
        var high = candidate.end
        while high < tokens.count, high - candidate.end < group.after, inScope(tokens[high], last),
            !isStop(tokens[high])
        {
            high += 1
        }
        for position in low..<high {
            if position >= candidate.start && position < candidate.end
                && candidate.consumed & (1 << UInt64(position - candidate.start)) != 0
            {
                continue
            }
            if qualifies(at: position, group: Int(groupIndex), in: text, cache: &cache) {
                return !keeps(candidate, group, in: text)
            }
        }
        return false
    }

    /// Whether a `keep` word of the group stands anywhere in the match's clause, leaving it a promise (`если посылка не
    /// придёт, вернём деньги`). Looked at only once the group has qualified the match, which is rare.
    private func keeps(_ candidate: Candidate, _ group: Group, in text: PromiseTokens) -> Bool {
        guard group.keep >= 0 else { return false }
        let tokens = text.tokens
        let clause = tokens[candidate.start].clause
        var position = candidate.start
        while position > 0, tokens[position - 1].clause == clause { position -= 1 }
        while position < tokens.count, tokens[position].clause == clause || position < candidate.end {
            if accepts(group.keep, tokens[position], in: text) { return true }
            position += 1
        }
        return false
    }

    /// Which groups have a pattern that matches at each token of one answer, outside the group's exceptions: computed
    /// once per token, so that the many candidates of an answer, each looked at by every group, share the work.
    private struct QualifierCache {
        let words: Int
        var bits: [UInt64]
        var computed: [Bool]

        init(tokens: Int, groups: Int) {
            words = groups / 64 + 1
            bits = [UInt64](repeating: 0, count: tokens * words)
            computed = [Bool](repeating: false, count: tokens)
        }
    }

    /// Whether a pattern of the group matches at `position`, outside the group's exceptions.
    private func qualifies(at position: Int, group: Int, in text: PromiseTokens, cache: inout QualifierCache) -> Bool {
        let row = position * cache.words
        if !cache.computed[position] {
            cache.computed[position] = true
            forEachAnchored(qualifierAnchors, text.tokens[position], in: text) { id in
                let owner = Int(patterns[Int(id)].owner)
                guard owner >= 0, cache.bits[row + owner >> 6] & (1 << UInt64(owner & 63)) == 0 else { return }
                if qualifies(id, at: position, group: Int32(owner), in: text) {
                    cache.bits[row + owner >> 6] |= 1 << UInt64(owner & 63)
                }
            }
        }
        return cache.bits[row + group >> 6] & (1 << UInt64(group & 63)) != 0
    }

    /// Calls `body` with every pattern of `anchors` that a match starting at `token` can begin with.
    @inline(__always)
    private func forEachAnchored(
        _ anchors: borrowing Anchors, _ token: PromiseToken, in text: PromiseTokens, _ body: (Int32) -> Void
    ) {
        let first = Int(token.atomStart)
        for offset in 0..<Int(token.atomCount) {
            let atom = Int(text.atoms[first + offset])
            for slot in Int(anchors.start[atom])..<Int(anchors.start[atom + 1]) { body(anchors.ids[slot]) }
        }
        if token.kind == .number {
            for id in anchors.digits { body(id) }
            if token.isTime { for id in anchors.time { body(id) } }
        }
    }

    private func qualifies(_ id: Int32, at position: Int, group: Int32, in text: PromiseTokens) -> Bool {
        guard patterns[Int(id)].owner == group, longest(id, at: position, in: text) != nil else { return false }
        for slot in groups[Int(group)].exceptions {
            let exception = exceptionIDs[Int(slot)]
            let length = Int(patterns[Int(exception)].length)
            for start in max(0, position - length + 1)...position {
                if let match = longest(exception, at: start, in: text), match.end > position { return false }
            }
        }
        return true
    }
}
