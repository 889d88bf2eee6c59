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

    private let positions: [CaseKey: Int]

    /// Findings kept per case for quoting, and the longest text kept for a finding's message and matched text.
    public static let evidencePerCase = 5
    public static let maximumEvidenceCharacters = 300

    public subscript(key: CaseKey) -> CaseOutcome? {
        positions[key].map { cases[$0] }
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
        var builder = Builder()
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
        var builder = Builder()
        for result in results { builder.add(result) }
        return builder.finish(path: path, manifest: manifest, ends: ends, warnings: [])
    }

    fileprivate init(
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
        var positions: [CaseKey: Int] = [:]
        positions.reserveCapacity(cases.count)
        for (index, outcome) in cases.enumerated() { positions[outcome.key] = index }
        self.positions = positions
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

/// Collects result lines case by case, then reduces each case.
private struct Builder {
    struct Repeat {
        var index: Int
        var status: CaseResult.Status
        /// Answered, and no check judged the answer.
        var unchecked: Bool
        var answered: Bool
        var truncated: Bool
        var cached: Bool
        /// Check type → passed (every check of that type passed), in first-seen order.
        var checks: [(type: String, passed: Bool)]
        var findings: [Evidence]
        /// Rule ids of the failed checks' findings (the check type for a failed check without findings).
        var failingRules: [String]
        var risks: [Evidence]
        /// The verdicts of the judge checks, passed ones too.
        var judgeVerdicts: [JudgeVerdict]
        var latency: Double?
        var promptTokens: Int?
        var completionTokens: Int?
        var errorClass: String?
        var errorMessage: String?
    }

    struct Pending {
        var suite: String
        var kind: SuiteKind
        var caseID: String
        var caseHash: String
        var tags: [String]
        var repeats: [Repeat]
    }

    var pending: [CaseKey: Pending] = [:]

    mutating func add(_ result: CaseResult) {
        let record = Self.reduce(result)
        let key = CaseKey(suite: result.suite, caseID: result.caseID)
        if var existing = pending[key] {
            pending[key] = nil
            existing.kind = result.kind
            existing.caseHash = result.caseHash
            existing.tags = result.tags
            if let at = existing.repeats.firstIndex(where: { $0.index == record.index }) {
                existing.repeats[at] = record
            } else {
                existing.repeats.append(record)
            }
            pending[key] = existing
        } else {
            pending[key] = Pending(
                suite: result.suite, kind: result.kind, caseID: result.caseID, caseHash: result.caseHash,
                tags: result.tags, repeats: [record])
        }
    }

    static func reduce(_ result: CaseResult) -> Repeat {
        var checks: [(type: String, passed: Bool)] = []
        var findings: [Evidence] = []
        var risks: [Evidence] = []
        var failingRules: [String] = []
        let sensitive = SensitiveText.found(in: result.checks)
        for check in result.checks {
            if !check.passed, check.findings.isEmpty, !failingRules.contains(check.type) {
                failingRules.append(check.type)
            }
            if let at = checks.firstIndex(where: { $0.type == check.type }) {
                checks[at].passed = checks[at].passed && check.passed
            } else {
                checks.append((check.type, check.passed))
            }
            for finding in check.findings {
                if !check.passed, !failingRules.contains(finding.ruleID) { failingRules.append(finding.ruleID) }
                let quoted = !check.passed && findings.count < RunIndex.evidencePerCase
                // One finding per risk rule and answer: whether the answer has the rule is what the diff compares.
                let risk = RiskCategory(finding.category) != nil && !risks.contains { $0.rule == finding.ruleID }
                guard quoted || risk else { continue }
                let evidence = Self.evidence(
                    finding, repeatIndex: result.repeatIndex, sensitive: sensitive, answer: result.response?.content)
                if quoted { findings.append(evidence) }
                if risk { risks.append(evidence) }
            }
        }
        // After the findings, while there is room: what looked like a finding and was let pass, and why (`not a
        // promise (negated): '…'`), so a reviewer of a failed answer sees the verdicts of its other phrases too.
        if !failingRules.isEmpty {
            for check in result.checks {
                for note in check.notes where findings.count < RunIndex.evidencePerCase {
                    findings.append(Self.evidence(note, repeatIndex: result.repeatIndex, sensitive: sensitive))
                }
            }
        }
        let response = result.response
        return Repeat(
            index: result.repeatIndex, status: result.status,
            unchecked: result.status != .error && result.checks.isEmpty,
            answered: response != nil, truncated: response?.finishReason == "length", cached: response?.cached ?? false,
            checks: checks, findings: findings,
            failingRules: failingRules, risks: risks,
            judgeVerdicts: JudgeVerdict.all(in: result) {
                Self.evidence($0, repeatIndex: result.repeatIndex, sensitive: sensitive)
            },
            latency: response.flatMap { $0.cached ? nil : $0.latencyMs },
            promptTokens: response?.promptTokens, completionTokens: response?.completionTokens,
            errorClass: result.status == .error ? (result.error?.errorClass ?? "unknown") : nil,
            errorMessage: result.status == .error ? result.error.flatMap(Self.errorMessage) : nil
        )
    }

    /// The error's message cut to `maximumEvidenceCharacters`; nil when empty.
    static func errorMessage(_ error: ErrorRecord) -> String? {
        let limit = RunIndex.maximumEvidenceCharacters
        guard !error.message.isEmpty else { return nil }
        return error.message.count > limit ? String(error.message.prefix(limit)) + "…" : error.message
    }

    /// A finding as evidence: its message and text cut to `maximumEvidenceCharacters`, and, with the answer, where
    /// its span starts and the excerpt around it.
    static func evidence(_ finding: Finding, repeatIndex: Int, sensitive: [SensitiveText] = [], answer: String? = nil)
        -> Evidence
    {
        let limit = RunIndex.maximumEvidenceCharacters
        // A span that does not fit the answer, or covers other text than the finding quotes, is not placed: the
        // excerpt is the answer's start, and the report gives the offsets.
        let span = answer.flatMap { finding.placedSpan(in: $0) }
        let excerpt = answer.flatMap { Excerpt(around: span, in: $0, sensitive: sensitive) }
        // The sensitive texts this finding quotes; a cut never keeps part of one (it could not be masked).
        let quoted = sensitive.filter { item in
            finding.message.contains(item.text) || (finding.text?.contains(item.text) ?? false)
                || excerpt.map { [$0.before, $0.match, $0.after].contains { $0.contains(item.text) } } ?? false
        }
        func cut(_ text: String) -> String {
            guard text.count > limit else { return text }
            var end = text.index(text.startIndex, offsetBy: limit)
            for item in quoted {
                for range in text.ranges(of: item.text) where range.lowerBound < end && range.upperBound > end {
                    end = range.lowerBound
                }
            }
            return String(text[..<end]) + "…"
        }
        return Evidence(
            rule: finding.ruleID, message: cut(finding.message), span: finding.span, text: finding.text.map(cut),
            position: answer.flatMap { answer in span.flatMap { TextPosition($0, in: answer) } }, excerpt: excerpt,
            repeatIndex: repeatIndex, sensitive: quoted)
    }

    mutating func finish(path: String, manifest: RunManifest, ends: [RunEnd], warnings: [Diagnostic]) -> RunIndex {
        var cases: [CaseOutcome] = []
        cases.reserveCapacity(pending.count)
        var counts = StatusCounts()
        var latencies: [Double] = []
        var tokens = TokenStats()
        var errorClasses: [String: Int] = [:]
        // Each entry is taken out as it is reduced, so its per-repeat form is freed while the outcomes grow.
        for key in Array(pending.keys) {
            let entry = pending.removeValue(forKey: key)!
            let repeats = entry.repeats.sorted { $0.index < $1.index }
            for record in repeats {
                if record.unchecked {
                    counts.unchecked += 1
                } else {
                    switch record.status {
                    case .passed: counts.passed += 1
                    case .failed: counts.failed += 1
                    case .error: counts.errors += 1
                    case .unchecked: counts.unchecked += 1
                    }
                }
                if let latency = record.latency { latencies.append(latency) }
                if record.promptTokens != nil || record.completionTokens != nil {
                    tokens.answers += 1
                    tokens.prompt += record.promptTokens ?? 0
                    tokens.completion += record.completionTokens ?? 0
                }
                if let errorClass = record.errorClass { errorClasses[errorClass, default: 0] += 1 }
            }
            cases.append(Self.outcome(entry, repeats: repeats))
        }
        cases.sort { $0.key < $1.key }
        latencies.sort()
        return RunIndex(
            path: path, manifest: manifest, cases: cases, ends: ends, warnings: warnings, resultCounts: counts,
            latencies: latencies, tokens: tokens, errorClasses: errorClasses)
    }

    static func outcome(_ entry: Pending, repeats: [Repeat]) -> CaseOutcome {
        let unchecked = repeats.count(where: \.unchecked)
        let passed = repeats.count { $0.status == .passed && !$0.unchecked }
        let failed = repeats.count { $0.status == .failed && !$0.unchecked }
        let errors = repeats.count - passed - failed - unchecked
        let verdict: CaseOutcome.Verdict =
            passed + failed == 0
            ? (unchecked > 0 ? .unchecked : .error) : (passed * 2 > passed + failed ? .passed : .failed)
        var tally: [String: (passed: Int, seen: Int)] = [:]
        var rules: Set<String> = []
        var risks: [RiskShare] = []
        for record in repeats where record.status != .error && !record.unchecked {
            for check in record.checks {
                var entry = tally[check.type] ?? (0, 0)
                entry.seen += 1
                if check.passed { entry.passed += 1 }
                tally[check.type] = entry
            }
            if record.status == .failed { rules.formUnion(record.failingRules) }
            for risk in record.risks {
                if let at = risks.firstIndex(where: { $0.rule == risk.rule }) {
                    risks[at].repeats += 1
                } else if let category = risk.riskCategory {
                    risks.append(RiskShare(category: category, repeats: 1, evidence: risk))
                }
            }
        }
        let checks = tally.map { CheckVerdict(type: $0.key, passed: $0.value.passed * 2 > $0.value.seen) }
            .sorted { $0.type < $1.type }
        return CaseOutcome(
            suite: entry.suite, kind: entry.kind, caseID: entry.caseID, caseHash: entry.caseHash, tags: entry.tags,
            verdict: verdict, passedRepeats: passed, failedRepeats: failed, errorRepeats: errors,
            uncheckedRepeats: unchecked,
            answers: repeats.count(where: \.answered), truncatedRepeats: repeats.count(where: \.truncated),
            cachedRepeats: repeats.count(where: \.cached), checks: checks,
            failingRules: rules.sorted(),
            evidence: repeats.first { $0.status == .failed }?.findings ?? [],
            risks: risks.sorted { $0.rule < $1.rule },
            errorClasses: Set(repeats.compactMap(\.errorClass)).sorted(),
            errorMessage: repeats.lazy.compactMap(\.errorMessage).first,
            judgeVerdicts: Array(repeats.flatMap(\.judgeVerdicts).prefix(RunIndex.evidencePerCase))
        )
    }
}
