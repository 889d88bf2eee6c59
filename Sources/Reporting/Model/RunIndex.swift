import Dispatch
public import EvalCore
import Synchronization

/// One run log read once and reduced to a table of `CaseOutcome`s plus the run-wide numbers (result counts,
/// latencies, tokens, error classes): the input of every report, diff and comparison.
///
/// The log is streamed (`RunLogReader.forEach`); answers are dropped as soon as their line is read, and only a few
/// findings per case are kept, so memory grows with the number of cases, not with the size of the answers.
/// A (suite, case, repeat) written twice — which evalgate never does — keeps its last line, as the reader promises.
public struct RunIndex: Sendable {
    public let path: String
    public let manifest: RunManifest
    /// Sorted by (suite, case).
    public let cases: [CaseOutcome]
    /// Session ends in file order: the last one says how the run ended.
    public let ends: [RunEnd]
    /// Warnings from reading the log (an incomplete last line).
    public let warnings: [Diagnostic]
    /// Result lines, by status.
    public let resultCounts: StatusCounts
    /// Latencies of answered, uncached results in milliseconds, sorted.
    public let latencies: [Double]
    public let tokens: TokenStats
    /// Errored results per error class.
    public let errorClasses: [String: Int]

    /// Findings kept per case for quoting, and the longest text kept for a finding's message and matched text.
    public static let evidencePerCase = 5
    public static let maximumEvidenceCharacters = 300

    /// The case with this key (a binary search of `cases`).
    public subscript(key: CaseKey) -> CaseOutcome? {
        cases.outcome(key)
    }

    /// The label of the version this log ran.
    public var label: String { manifest.target.label }

    /// Reads the log at `path`.
    public static func load(path: String) throws(RunLogError) -> RunIndex {
        try load(RunLogReader(path: path))
    }

    /// Reads several logs at once, one thread each: a diff reads its two logs in the time of one on two cores.
    /// The first error (in the order of `paths`) is thrown.
    public static func load(paths: [String]) throws(RunLogError) -> [RunIndex] {
        let results = Mutex([Result<RunIndex, RunLogError>?](repeating: nil, count: paths.count))
        DispatchQueue.concurrentPerform(iterations: paths.count) { position in
            let result: Result<RunIndex, RunLogError>
            do throws(RunLogError) {
                result = .success(try load(path: paths[position]))
            } catch {
                result = .failure(error)
            }
            results.withLock { $0[position] = result }
        }
        return try results.withLock { $0 }.map { result throws(RunLogError) in try result!.get() }
    }

    /// Reads every line of `reader`: result lines through the fast `ResultLineParser`, anything it declines through
    /// `RunLog.decode`, with the reader's own errors and warnings.
    public static func load(_ reader: RunLogReader) throws(RunLogError) -> RunIndex {
        var builder = RunIndexBuilder(expectedCases: RunIndexBuilder.expectedCases(reader.manifest))
        var ends: [RunEnd] = []
        var warnings: [Diagnostic] = []
        var failure: RunLogError?
        try reader.forEachLine { line, number, complete in
            if let result = ResultLineParser.parse(line) {
                builder.add(result)
                return true
            }
            switch RunLog.decode(line) {
            case .success(.result(let result)):
                builder.add(result)
            case .success(.end(let end)):
                ends.append(end)
            case .success(.manifest):
                failure = RunLogError(
                    .error(
                        "a second manifest record: a run log holds one run", path: reader.path, line: number, column: 1)
                )
                return false
            case .failure(let error):
                if complete {
                    failure = RunLogError(.error(error.message, path: reader.path, line: number, column: error.column))
                } else {
                    warnings.append(
                        .warning(
                            "incomplete last line ignored (the run was stopped while writing it; --resume reruns that case)",
                            path: reader.path, line: number))
                }
                return false
            }
            return true
        }
        if let failure { throw failure }
        return builder.finish(path: reader.path, manifest: reader.manifest, ends: ends, warnings: warnings)
    }

    /// An index of results built in memory (tests, the demo).
    public static func make(
        path: String = "<memory>", manifest: RunManifest, results: [CaseResult], ends: [RunEnd] = []
    ) -> RunIndex {
        var builder = RunIndexBuilder(expectedCases: 0)
        for result in results { builder.add(result) }
        return builder.finish(path: path, manifest: manifest, ends: ends, warnings: [])
    }

    init(
        path: String, manifest: RunManifest, cases: [CaseOutcome], ends: [RunEnd], warnings: [Diagnostic],
        resultCounts: StatusCounts, latencies: [Double], tokens: TokenStats, errorClasses: [String: Int]
    ) {
        self.path = path
        self.manifest = manifest
        self.cases = cases
        self.ends = ends
        self.warnings = warnings
        self.resultCounts = resultCounts
        self.latencies = latencies
        self.tokens = tokens
        self.errorClasses = errorClasses
    }
}

extension [CaseOutcome] {
    /// The case with this key in cases sorted by key (a binary search).
    func outcome(_ key: CaseKey) -> CaseOutcome? {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low].key == key ? self[low] : nil
    }
}

/// Counts by status: of result lines, or of cases. `unchecked` (answered, judged by no check) is neither passed nor
/// failed.
public struct StatusCounts: Sendable, Hashable, Codable {
    public var passed = 0
    public var failed = 0
    public var errors = 0
    /// Answers no check judged: cases kept without checks (`"unchecked": true`), counted apart, never in `total`
    /// or `answered`, so never as passed.
    public var unchecked = 0

    public init(passed: Int = 0, failed: Int = 0, errors: Int = 0, unchecked: Int = 0) {
        self.passed = passed
        self.failed = failed
        self.errors = errors
        self.unchecked = unchecked
    }

    public var total: Int { passed + failed + errors + unchecked }
    public var answered: Int { passed + failed }
    /// Errors among all; 0 when there is nothing.
    public var errorRate: Double { total == 0 ? 0 : Double(errors) / Double(total) }

    enum CodingKeys: String, CodingKey {
        case passed, failed, errors, unchecked
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        passed = try container.decode(Int.self, forKey: .passed)
        failed = try container.decode(Int.self, forKey: .failed)
        errors = try container.decode(Int.self, forKey: .errors)
        unchecked = try container.decodeIfPresent(Int.self, forKey: .unchecked) ?? 0
    }

    /// `unchecked` only when there are any, so that reports of suites without such cases read as before.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(passed, forKey: .passed)
        try container.encode(failed, forKey: .failed)
        try container.encode(errors, forKey: .errors)
        if unchecked > 0 { try container.encode(unchecked, forKey: .unchecked) }
    }
}

/// Tokens the endpoint reported, over the answered results that reported them.
public struct TokenStats: Sendable, Hashable, Codable {
    public var answers = 0
    public var prompt = 0
    public var completion = 0

    public init(answers: Int = 0, prompt: Int = 0, completion: Int = 0) {
        self.answers = answers
        self.prompt = prompt
        self.completion = completion
    }

    /// Completion tokens per answer; nil without answers.
    public var meanCompletion: Double? { answers == 0 ? nil : Double(completion) / Double(answers) }
    public var meanPrompt: Double? { answers == 0 ? nil : Double(prompt) / Double(answers) }
}
