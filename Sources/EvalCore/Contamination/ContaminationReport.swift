import Foundation

/// What `evalgate contamination` found: the eval cases whose prompt or ideal overlaps the training data, each match
/// with its kind, where it was found and (for n-grams) the words shared. Its JSON is what `gate --contamination`
/// reads (schema in Reporting.docc/JSONSchema.md).
public struct ContaminationReport: Sendable, Hashable, Codable {
    public struct SuiteEntry: Sendable, Hashable, Codable {
        public var name: String
        public var path: String
        public var contentHash: String
        public var cases: Int

        enum CodingKeys: String, CodingKey {
            case name, path, cases
            case contentHash = "content_hash"
        }
    }

    public struct MatchEntry: Sendable, Hashable, Codable {
        public var field: ContaminationIndex.Field
        public var kind: ContaminationScanner.Kind
        /// Training texts that matched.
        public var count: Int
        /// The first places found.
        public var found: [TrainingLocation]
        /// For `ngram`: the longest run of shared words as the eval case writes it, its length, and where.
        public var overlap: String?
        public var overlapWords: Int?
        public var overlapAt: TrainingLocation?

        enum CodingKeys: String, CodingKey {
            case field, kind, count, found, overlap
            case overlapWords = "overlap_words"
            case overlapAt = "overlap_at"
        }
    }

    public struct CaseEntry: Sendable, Hashable, Codable {
        public var suite: String
        public var caseID: String
        /// The case's cases.jsonl and line.
        public var path: String
        public var line: Int
        public var matches: [MatchEntry]

        enum CodingKeys: String, CodingKey {
            case suite, path, line, matches
            case caseID = "case_id"
        }
    }

    public static let schema = "evalgate.contamination/1"

    public var schema = ContaminationReport.schema
    public var ngram: Int
    public var minWords: Int
    public var training: [TrainingData.FileSummary]
    public var suites: [SuiteEntry]
    public var casesChecked: Int
    public var casesContaminated: Int
    public var cases: [CaseEntry]

    enum CodingKeys: String, CodingKey {
        case schema, ngram, training, suites, cases
        case minWords = "min_words"
        case casesChecked = "cases_checked"
        case casesContaminated = "cases_contaminated"
    }

    /// Reads every training file past the eval texts of `suites`; the first bad line of any file is the error.
    public static func scan(suites: [Suite], training paths: [String], n: Int = 13, minWords: Int = 4)
        throws(Diagnostic) -> ContaminationReport
    {
        let index = ContaminationIndex(suites: suites, n: n, minWords: minWords)
        var scanner = ContaminationScanner(index: index)
        var summaries: [TrainingData.FileSummary] = []
        for path in paths {
            summaries.append(
                try TrainingData.read(path: path) { text, line in
                    scanner.scan(text, at: TrainingLocation(path: path, line: line))
                })
        }
        return make(scanner, training: summaries)
    }

    /// The report of what `scanner` found.
    public static func make(_ scanner: ContaminationScanner, training: [TrainingData.FileSummary])
        -> ContaminationReport
    {
        let index = scanner.index
        var byCase: [String: [MatchEntry]] = [:]
        for (textIndex, kinds) in scanner.matches {
            let text = index.texts[textIndex]
            for match in kinds.values {
                let entry = MatchEntry(
                    field: text.field, kind: match.kind, count: match.count, found: match.locations,
                    overlap: match.overlap,
                    overlapWords: match.overlap == nil ? nil : match.overlapWords, overlapAt: match.overlapLocation)
                byCase[text.suite + "\u{0}" + text.caseID, default: []].append(entry)
            }
        }
        var cases: [CaseEntry] = []
        for evalCase in index.cases {
            guard let matches = byCase[evalCase.suite + "\u{0}" + evalCase.caseID] else { continue }
            let sorted = matches.sorted {
                ($0.field == .prompt ? 0 : 1, $0.kind, $0.found.first?.path ?? "", $0.found.first?.line ?? 0)
                    < ($1.field == .prompt ? 0 : 1, $1.kind, $1.found.first?.path ?? "", $1.found.first?.line ?? 0)
            }
            cases.append(
                CaseEntry(
                    suite: evalCase.suite, caseID: evalCase.caseID, path: evalCase.path, line: evalCase.line,
                    matches: sorted))
        }
        return ContaminationReport(
            ngram: index.n, minWords: index.minWords, training: training,
            suites: index.suites.map {
                SuiteEntry(name: $0.name, path: $0.path, contentHash: $0.contentHash, cases: $0.cases)
            },
            casesChecked: index.cases.count, casesContaminated: cases.count, cases: cases)
    }

    /// One line per match: `suite/case: prompt is an exact duplicate of train.jsonl:12 (and 3 more)`.
    public static func describe(_ match: MatchEntry) -> String {
        var line = "\(match.field.rawValue) "
        switch match.kind {
        case .exact: line += "is an exact duplicate of a training text"
        case .normalised: line += "is a duplicate, once normalised, of a training text"
        case .ngram: line += "shares \(match.overlapWords ?? 0) words in a row with a training text"
        }
        let at = (match.kind == .ngram ? match.overlapAt : nil) ?? match.found.first
        if let at { line += " at \(at.description)" }
        if match.count > 1 { line += " (\(match.count) training texts in all)" }
        if let overlap = match.overlap { line += ": '\(overlap)'" }
        return line
    }
}
