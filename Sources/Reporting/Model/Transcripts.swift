public import EvalCore

/// One answer of a case as a person reads it beside the verdict: the text (cut to `Transcripts.maximumCharacters`),
/// every finding of its checks with its span, each check's verdict, latency and tokens; or the error that took its
/// place.
public struct Transcript: Sendable, Hashable {
    public var repeatIndex: Int
    /// `unchecked` for an answer no check judged, whatever the line says.
    public var status: CaseResult.Status
    /// The answer, cut to `Transcripts.maximumCharacters`; nil for an error.
    public var answer: String?
    /// The answer's length in characters when it was cut; nil when it is whole.
    public var fullLength: Int?
    /// Every finding of every check of the answer (a passing check may have findings too), in the checks' order.
    public var findings: [Finding]
    /// Each check type and whether all its checks passed, in first-seen order.
    public var checks: [CheckVerdict]
    /// Personal data and secrets that `pii` findings found in the answer: masked wherever the answer shows them.
    public var sensitive: [SensitiveText]
    public var latencyMs: Double?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var finishReason: String?
    public var cached: Bool
    public var error: ErrorRecord?

    public init(_ result: CaseResult) {
        let limit = Transcripts.maximumCharacters
        repeatIndex = result.repeatIndex
        status = result.status != .error && result.checks.isEmpty ? .unchecked : result.status
        let sensitive = SensitiveText.found(in: result.checks)
        if let content = result.response?.content {
            let length = content.count
            if length > limit {
                // The cut never keeps part of a piece of personal data: a part could not be masked.
                var end = content.index(content.startIndex, offsetBy: limit)
                for item in sensitive {
                    for range in content.occurrences(of: item.text)
                    where range.lowerBound < end && range.upperBound > end {
                        end = range.lowerBound
                    }
                }
                answer = String(content[..<end])
                fullLength = length
            } else {
                answer = content
            }
        }
        findings = result.checks.flatMap(\.findings)
        var checks: [CheckVerdict] = []
        for check in result.checks {
            if let at = checks.firstIndex(where: { $0.type == check.type }) {
                checks[at].passed = checks[at].passed && check.passed
            } else {
                checks.append(CheckVerdict(type: check.type, passed: check.passed))
            }
        }
        self.checks = checks
        self.sensitive = sensitive
        latencyMs = result.response.flatMap { $0.cached ? nil : $0.latencyMs }
        promptTokens = result.response?.promptTokens
        completionTokens = result.response?.completionTokens
        finishReason = result.response?.finishReason
        cached = result.response?.cached ?? false
        error = result.error
    }
}

/// The answers of the cases a report lists, read back from the run logs: `RunIndex` keeps no answers, so a report
/// that shows them reads each log once more and keeps only the cases asked for (regressed, fixed, failing, new
/// findings: what the report lists), one answer per status, each cut to `maximumCharacters`. Memory grows with the
/// cases listed, never with the log.
public struct Transcripts: Sendable {
    /// The longest answer kept, in characters; a cut answer says how long it was.
    public static let maximumCharacters = 4000

    /// Per case, the lowest repeat of each status.
    public private(set) var answers: [CaseKey: [CaseResult.Status: Transcript]] = [:]

    public init() {}

    /// The answers to `keys` in `results` (tests, the demo, logs in memory).
    public init(_ results: some Sequence<CaseResult>, keys: Set<CaseKey>) {
        for result in results { add(result, keys: keys) }
    }

    /// The answers to `keys` in the log at `path`. Lines that do not read as results are skipped: the log was read
    /// whole (and its errors reported) by `RunIndex` before.
    public static func load(path: String, keys: Set<CaseKey>) throws(RunLogError) -> Transcripts {
        var transcripts = Transcripts()
        guard !keys.isEmpty else { return transcripts }
        let reader = try RunLogReader(path: path)
        try reader.forEachLine { line, _, _ in
            // The fast parser drops the answer; it tells cheaply whether the line is wanted, and only wanted lines
            // are decoded whole.
            if let result = ResultLineParser.parse(line),
                !keys.contains(CaseKey(suite: result.suite, caseID: result.caseID))
            {
                return true
            }
            if case .success(.result(let result)) = RunLog.decode(line) {
                transcripts.add(result, keys: keys)
            }
            return true
        }
        return transcripts
    }

    mutating func add(_ result: CaseResult, keys: Set<CaseKey>) {
        let key = CaseKey(suite: result.suite, caseID: result.caseID)
        guard keys.contains(key) else { return }
        let transcript = Transcript(result)
        var byStatus = answers[key] ?? [:]
        // A repeat written twice keeps its last line, as `RunIndex` does; otherwise the lowest repeat wins.
        for (status, kept) in byStatus where kept.repeatIndex == transcript.repeatIndex { byStatus[status] = nil }
        if let kept = byStatus[transcript.status], kept.repeatIndex < transcript.repeatIndex { return }
        byStatus[transcript.status] = transcript
        answers[key] = byStatus
    }

    /// The answer that shows a case's verdict: its first failing answer for a failed case, its first passing one for
    /// a passed case, and so on; any answer when none has that status.
    public func answer(_ key: CaseKey, verdict: CaseOutcome.Verdict?) -> Transcript? {
        guard let byStatus = answers[key] else { return nil }
        let wanted: CaseResult.Status? = verdict.map {
            switch $0 {
            case .passed: .passed
            case .failed: .failed
            case .error: .error
            case .unchecked: .unchecked
            }
        }
        if let wanted, let transcript = byStatus[wanted] { return transcript }
        return byStatus.values.min { $0.repeatIndex < $1.repeatIndex }
    }
}

extension SensitiveText {
    /// The personal data and secrets the `pii` findings of these checks quote, without duplicates.
    static func found(in checks: [CheckRecord]) -> [SensitiveText] {
        var sensitive: [SensitiveText] = []
        for check in checks {
            for entry in check.findings.compactMap(SensitiveText.init) where !sensitive.contains(entry) {
                sensitive.append(entry)
            }
        }
        return sensitive
    }
}
