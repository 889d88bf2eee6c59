import Foundation

/// Which eval cases leaked into training data: the eval side (small) is indexed as hashed n-grams of normalised words
/// and the training files stream past it, so memory grows with the eval sets and the longest training line, never
/// with the training data.
///
/// Per eval text (each user message of a case's prompt, each ideal answer):
/// - `exact`: a training text is byte for byte the same;
/// - `normalised`: a training text has the same normalised words (case, whitespace, punctuation, Unicode form, ё/е);
/// - `ngram`: a training text shares a run of at least `n` normalised words with it (13 by default, as in GPT-3's
///   contamination study); the longest shared run is shown.
/// Texts shorter than `minWords` words are not checked for duplicates: "yes" or "42" in training data proves nothing.
public struct ContaminationIndex: Sendable {
    public enum Field: String, Sendable, Hashable, Codable {
        case prompt, ideal
    }

    /// One text of an eval case.
    public struct EvalText: Sendable {
        public var suite: String
        public var caseID: String
        public var field: Field
        public var path: String
        public var line: Int
        /// The text as the case writes it.
        public var original: String
        public var words: WordTokens
    }

    struct Posting: Sendable {
        var text: Int32
        var position: Int32
    }

    public let n: Int
    public let minWords: Int
    public private(set) var texts: [EvalText] = []
    /// Cases checked, in suite order (for the report).
    public private(set) var cases: [(suite: String, caseID: String, path: String, line: Int)] = []
    public private(set) var suites: [(name: String, path: String, contentHash: String, cases: Int)] = []
    var exact: [UInt64: [Int32]] = [:]
    var normalised: [UInt64: [Int32]] = [:]
    var grams: [UInt64: [Posting]] = [:]

    public init(n: Int = 13, minWords: Int = 4) {
        self.n = max(1, n)
        self.minWords = max(1, minWords)
    }

    public init(suites: [Suite], n: Int = 13, minWords: Int = 4) {
        self.init(n: n, minWords: minWords)
        for suite in suites {
            let path = (suite.directory as NSString).appendingPathComponent("cases.jsonl")
            self.suites.append((suite.name, suite.directory, suite.contentHash, suite.cases.count))
            for evalCase in suite.cases {
                cases.append((suite.name, evalCase.id, path, evalCase.line))
                for message in evalCase.messages where message.role == "user" {
                    if let text = message.text {
                        add(
                            text, suite: suite.name, caseID: evalCase.id, field: .prompt, path: path,
                            line: evalCase.line)
                    }
                }
                for ideal in evalCase.ideals {
                    add(ideal, suite: suite.name, caseID: evalCase.id, field: .ideal, path: path, line: evalCase.line)
                }
            }
        }
    }

    /// Adds one eval text to the index (and its case to `cases` when it is not the last one added).
    public mutating func add(_ text: String, suite: String, caseID: String, field: Field, path: String, line: Int) {
        if cases.last.map({ $0.suite != suite || $0.caseID != caseID }) ?? true {
            cases.append((suite, caseID, path, line))
        }
        let words = WordTokens(text)
        let index = Int32(texts.count)
        texts.append(
            EvalText(suite: suite, caseID: caseID, field: field, path: path, line: line, original: text, words: words))
        exact[StableHash.hash(text.utf8), default: []].append(index)
        if words.hashes.count >= minWords { normalised[WordTokens.sequence(words.hashes), default: []].append(index) }
        guard words.hashes.count >= n else { return }
        words.hashes.withUnsafeBufferPointer { hashes in
            for start in 0...(hashes.count - n) {
                grams[WordTokens.gram(hashes, start: start, count: n), default: []].append(
                    Posting(text: index, position: Int32(start)))
            }
        }
    }
}

/// Where in the training data a match was found.
public struct TrainingLocation: Sendable, Hashable, Codable {
    public var path: String
    public var line: Int

    public init(path: String, line: Int) {
        self.path = path
        self.line = line
    }

    public var description: String { "\(path):\(line)" }
}

/// Streams training texts past a `ContaminationIndex`, keeping per eval text and kind the first few places found and a
/// count (memory stays bounded however often a text recurs in the training data).
public struct ContaminationScanner: Sendable {
    public static let locationsKept = 3

    public enum Kind: String, Sendable, Hashable, Codable, Comparable {
        case exact, normalised, ngram

        var order: Int {
            switch self {
            case .exact: 0
            case .normalised: 1
            case .ngram: 2
            }
        }

        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.order < rhs.order }
    }

    public struct Match: Sendable, Hashable {
        public var kind: Kind
        /// The first places found (at most `locationsKept`).
        public var locations: [TrainingLocation] = []
        /// Training texts that matched.
        public var count = 0
        /// For `ngram`: the longest run of words shared, as the eval text writes it, and its length in words.
        public var overlap: String?
        public var overlapWords = 0
        /// Where the longest overlap was found.
        public var overlapLocation: TrainingLocation?
    }

    public let index: ContaminationIndex
    /// Per eval text, per kind.
    public private(set) var matches: [Int: [Kind: Match]] = [:]
    private var words: [UInt64] = []
    /// Per eval text hit in the current training text: the eval positions whose n-gram was found.
    private var hits: [Int32: [Int32]] = [:]

    public init(index: ContaminationIndex) {
        self.index = index
        words.reserveCapacity(4096)
    }

    /// Checks one training text.
    public mutating func scan(_ text: String, at location: TrainingLocation) {
        var duplicates: Set<Int32> = []
        if let found = index.exact[StableHash.hash(text.utf8)] {
            for textIndex in found
            where index.texts[Int(textIndex)].words.hashes.count >= index.minWords
                && index.texts[Int(textIndex)].original == text
            {
                duplicates.insert(textIndex)
                record(Int(textIndex), .exact, at: location)
            }
        }
        words.removeAll(keepingCapacity: true)
        WordTokens.hashes(of: text, into: &words)
        guard words.count >= min(index.minWords, index.n) else { return }
        if words.count >= index.minWords, let found = index.normalised[WordTokens.sequence(words)] {
            for textIndex in found
            where !duplicates.contains(textIndex) && index.texts[Int(textIndex)].words.hashes == words {
                duplicates.insert(textIndex)
                record(Int(textIndex), .normalised, at: location)
            }
        }
        let n = index.n
        guard words.count >= n, !index.grams.isEmpty else { return }
        hits.removeAll(keepingCapacity: true)
        words.withUnsafeBufferPointer { training in
            for start in 0...(training.count - n) {
                guard let postings = index.grams[WordTokens.gram(training, start: start, count: n)] else { continue }
                for posting in postings where !duplicates.contains(posting.text) {
                    // A hash is not proof: the words themselves must agree.
                    let eval = index.texts[Int(posting.text)].words.hashes
                    let from = Int(posting.position)
                    var same = true
                    for offset in 0..<n where eval[from + offset] != training[start + offset] {
                        same = false
                        break
                    }
                    if same { hits[posting.text, default: []].append(posting.position) }
                }
            }
        }
        for (textIndex, positions) in hits {
            // Consecutive n-gram positions are one run of shared words: n + (run length - 1) words.
            let sorted = Set(positions).sorted()
            var best = (start: sorted[0], end: sorted[0])
            var current = best
            for position in sorted.dropFirst() {
                if position == current.end + 1 { current.end = position } else { current = (position, position) }
                if current.end - current.start > best.end - best.start { best = current }
            }
            let range = Int(best.start)..<Int(best.end) + n
            record(Int(textIndex), .ngram, at: location, overlap: range)
        }
    }

    private mutating func record(
        _ textIndex: Int, _ kind: Kind, at location: TrainingLocation, overlap: Range<Int>? = nil
    ) {
        var match = matches[textIndex]?[kind] ?? Match(kind: kind)
        match.count += 1
        if match.locations.count < Self.locationsKept { match.locations.append(location) }
        if let overlap, overlap.count > match.overlapWords {
            match.overlapWords = overlap.count
            match.overlap = index.texts[textIndex].words.span(words: overlap)
            match.overlapLocation = location
        }
        matches[textIndex, default: [:]][kind] = match
    }

    /// Adds what another scanner of the same index found (for training files read in parallel).
    public mutating func merge(_ other: ContaminationScanner) {
        for (textIndex, kinds) in other.matches {
            for (kind, theirs) in kinds {
                guard var ours = matches[textIndex]?[kind] else {
                    matches[textIndex, default: [:]][kind] = theirs
                    continue
                }
                ours.count += theirs.count
                ours.locations = Array((ours.locations + theirs.locations).prefix(Self.locationsKept))
                if theirs.overlapWords > ours.overlapWords {
                    ours.overlapWords = theirs.overlapWords
                    ours.overlap = theirs.overlap
                    ours.overlapLocation = theirs.overlapLocation
                }
                matches[textIndex]![kind] = ours
            }
        }
    }
}
