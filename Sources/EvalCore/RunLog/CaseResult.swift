/// Where one answered (or failed) request ended: one line of a run log per (suite, case, repeat).
///
/// A result is `passed` or `failed` only when the model answered and every check ran; when the endpoint never gave an
/// answer (after retries) it is an `error`, with the error's class, and no checks: a model cannot fail a check it
/// never answered, and reports and the gate count errors apart from failures.
public struct CaseResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case passed
        case failed
        case error
        /// Answered, but the case has no checks (a case kept `"unchecked": true` on purpose): counted apart, never
        /// as passed.
        case unchecked

        /// The status of an answer scored by these checks: `unchecked` when there were none, `passed` when every
        /// one passed, `failed` otherwise.
        public init(scoredBy checks: [CheckRecord]) {
            if checks.isEmpty {
                self = .unchecked
            } else {
                self = checks.allSatisfy(\.passed) ? .passed : .failed
            }
        }

        public init(from decoder: any Decoder) throws {
            self = try RunLog.decodeName(from: decoder)
        }
    }

    public var suite: String
    public var kind: SuiteKind
    /// The case id.
    public var caseID: String
    /// `EvalCase.contentHash` when the case was run: the diff names cases whose content changed between runs.
    public var caseHash: String
    /// 0-based.
    public var repeatIndex: Int
    public var tags: [String]
    public var status: Status
    /// One record per check of the case, in the case's order; empty for errors.
    public var checks: [CheckRecord]
    /// The answer; nil for errors.
    public var response: ResponseRecord?
    /// Why there is no answer; nil unless `status == .error`.
    public var error: ErrorRecord?
    /// ISO 8601, UTC.
    public var finishedAt: String
    /// The request params this answer was asked with, as sent (the target's over the case's and its suite's, the
    /// per-repeat seed included); nil in logs written before evalgate recorded them.
    public var params: [String: JSONValue]?

    public init(
        suite: String,
        kind: SuiteKind,
        caseID: String,
        caseHash: String,
        repeatIndex: Int,
        tags: [String],
        status: Status,
        checks: [CheckRecord] = [],
        response: ResponseRecord? = nil,
        error: ErrorRecord? = nil,
        finishedAt: String,
        params: [String: JSONValue]? = nil
    ) {
        self.suite = suite
        self.kind = kind
        self.caseID = caseID
        self.caseHash = caseHash
        self.repeatIndex = repeatIndex
        self.tags = tags
        self.status = status
        self.checks = checks
        self.response = response
        self.error = error
        self.finishedAt = finishedAt
        self.params = params
    }

    /// What identifies the line within a run: a resumed run skips keys that are already there.
    public var key: ResultKey { ResultKey(suite: suite, caseID: caseID, repeatIndex: repeatIndex) }

    /// Every finding of every failed check.
    public var findings: [Finding] { checks.flatMap(\.findings) }

    enum CodingKeys: String, CodingKey {
        case suite, kind
        case caseID = "case"
        case caseHash = "case_hash"
        case repeatIndex = "repeat"
        case tags, status, checks, response, error
        case finishedAt = "finished_at"
        case params
    }
}

/// (suite, case, repeat): the identity of a result line.
public struct ResultKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var suite: String
    public var caseID: String
    public var repeatIndex: Int

    public init(suite: String, caseID: String, repeatIndex: Int) {
        self.suite = suite
        self.caseID = caseID
        self.repeatIndex = repeatIndex
    }

    public static func < (lhs: ResultKey, rhs: ResultKey) -> Bool {
        (lhs.suite, lhs.caseID, lhs.repeatIndex) < (rhs.suite, rhs.caseID, rhs.repeatIndex)
    }

    public var description: String { "\(suite)/\(caseID)#\(repeatIndex)" }
}

/// One check's verdict on an answer, with its evidence.
public struct CheckRecord: Sendable, Hashable, Codable {
    /// The check's `type`, e.g. `pii`, `sections`, `ifeval:punctuation:no_comma`.
    public var type: String
    public var passed: Bool
    public var findings: [Finding]
    /// What looked like a finding but was not one, and why: for `promises`, a phrase that was negated, hedged,
    /// quoted, in the past, conditional or backed by the facts (`not a promise (negated): 'к пятнице'`). Optional in
    /// the log (`notes`, written only when there are some): logs written before it read as none.
    public var notes: [Finding]
    /// For a judge check: who judged, what it answered and what that cost; nil for every other check.
    public var judge: JudgeRecord?

    public init(type: String, passed: Bool, findings: [Finding] = [], notes: [Finding] = [], judge: JudgeRecord? = nil)
    {
        self.type = type
        self.passed = passed
        self.findings = findings
        self.notes = notes
        self.judge = judge
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        passed = try container.decode(Bool.self, forKey: .passed)
        findings = try container.decodeIfPresent([Finding].self, forKey: .findings) ?? []
        notes = try container.decodeIfPresent([Finding].self, forKey: .notes) ?? []
        judge = try container.decodeIfPresent(JudgeRecord.self, forKey: .judge)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(passed, forKey: .passed)
        if !findings.isEmpty { try container.encode(findings, forKey: .findings) }
        if !notes.isEmpty { try container.encode(notes, forKey: .notes) }
        try container.encodeIfPresent(judge, forKey: .judge)
    }

    enum CodingKeys: String, CodingKey {
        case type, passed, findings, notes, judge
    }
}

/// What a judge check's judge did, kept in the run log beside the check's verdict: the judge (its target label,
/// model and rubric hash), its raw answers (one per sample), the parsed verdicts, and the tokens and time it took.
public struct JudgeRecord: Sendable, Hashable, Codable {
    /// The judge target's label (`judges:` in evalgate.yaml).
    public var target: String
    /// The model name the judge was asked with.
    public var model: String
    /// The rubric's name (a shipped rubric's id, or the file's name), and the SHA-256 of its text.
    public var rubric: String
    public var rubricHash: String
    /// `JudgeSettings.hash` of how the judge was asked beyond its model and rubric (its request params, revision,
    /// samples, threshold, what it saw); nil when all are the defaults, and in logs written before they were recorded.
    public var settingsHash: String?
    /// The judge's answers, one per sample, as they came (secrets redacted).
    public var raw: [String]
    /// Each sample's parsed verdict, in order: `pass`, `fail`, or `error` when the answer could not be used.
    public var votes: [String]
    /// The reason the judge gave (of the first sample that agrees with the majority).
    public var reason: String?
    /// The answer's words that sample quoted as evidence, verbatim; nil when it quoted none (a pass may not).
    public var quote: String?
    /// The score, for a rubric scored against a threshold.
    public var score: Double?
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// Milliseconds, summed over the samples.
    public var latencyMs: Double
    /// True when every sample came from the response cache.
    public var cached: Bool

    public init(
        target: String, model: String, rubric: String, rubricHash: String, settingsHash: String? = nil,
        raw: [String] = [],
        votes: [String] = [], reason: String? = nil, score: Double? = nil, promptTokens: Int? = nil,
        completionTokens: Int? = nil, latencyMs: Double = 0, cached: Bool = false, quote: String? = nil
    ) {
        self.target = target
        self.model = model
        self.rubric = rubric
        self.rubricHash = rubricHash
        self.settingsHash = settingsHash
        self.raw = raw
        self.votes = votes
        self.reason = reason
        self.quote = quote
        self.score = score
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latencyMs = latencyMs
        self.cached = cached
    }

    /// Who judged, as labels, agreement, diff and gate name it: `gpt-4o rubric:1a2b3c4d`, with ` settings:5e6f7a8b`
    /// when the judge was asked with other than the default settings (see `JudgeSettings`). Two judges with another
    /// model, another rubric text or other settings are other judges.
    public var identity: String {
        JudgeSettings.identity(model: model, rubricHash: rubricHash, settingsHash: settingsHash)
    }

    enum CodingKeys: String, CodingKey {
        case target, model, rubric
        case rubricHash = "rubric_hash"
        case settingsHash = "settings_hash"
        case raw, votes, reason, quote, score
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case latencyMs = "latency_ms"
        case cached
    }
}

/// The model's answer and what it cost.
public struct ResponseRecord: Sendable, Hashable, Codable {
    public var content: String
    public var finishReason: String?
    /// The model name the endpoint reported.
    public var model: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// Milliseconds from sending the request to the whole answer (of the last attempt).
    public var latencyMs: Double
    /// Milliseconds to the first content token, for streamed answers.
    public var timeToFirstTokenMs: Double?
    /// HTTP attempts, retries included; 0 when the answer came from the cache.
    public var attempts: Int
    /// True when the answer came from the response cache instead of the endpoint.
    public var cached: Bool
    /// The `system_fingerprint` the server sent with the answer (OpenAI, vLLM and llama.cpp send one; it changes
    /// with the weights or the serving setup), when it sent one.
    public var systemFingerprint: String?

    public init(
        content: String,
        finishReason: String? = nil,
        model: String? = nil,
        promptTokens: Int? = nil,
        completionTokens: Int? = nil,
        latencyMs: Double,
        timeToFirstTokenMs: Double? = nil,
        attempts: Int,
        cached: Bool = false,
        systemFingerprint: String? = nil
    ) {
        self.content = content
        self.finishReason = finishReason
        self.model = model
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latencyMs = latencyMs
        self.timeToFirstTokenMs = timeToFirstTokenMs
        self.attempts = attempts
        self.cached = cached
        self.systemFingerprint = systemFingerprint
    }

    enum CodingKeys: String, CodingKey {
        case content
        case finishReason = "finish_reason"
        case model
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case latencyMs = "latency_ms"
        case timeToFirstTokenMs = "ttft_ms"
        case attempts, cached
        case systemFingerprint = "system_fingerprint"
    }
}

/// Why a request got no answer, after retries.
public struct ErrorRecord: Sendable, Hashable, Codable {
    /// A stable class for grouping: `http_429`, `http_500`, `timeout_total`, `connect_tls`, `malformed`, `truncated`...
    public var errorClass: String
    /// One line, secrets redacted.
    public var message: String
    public var status: Int?
    public var attempts: Int

    public init(errorClass: String, message: String, status: Int? = nil, attempts: Int) {
        self.errorClass = errorClass
        self.message = message
        self.status = status
        self.attempts = attempts
    }

    enum CodingKeys: String, CodingKey {
        case errorClass = "class"
        case message, status, attempts
    }
}

/// Closes one session of a run: a run that was interrupted and resumed has one per session, the last one wins.
public struct RunEnd: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every expected result is in the log.
        case complete
        /// Stopped by Ctrl-C or a signal; `--resume` finishes it.
        case interrupted
        /// The target was given up: errors in a row, or 429s past the rate-limit budget.
        case aborted

        public init(from decoder: any Decoder) throws {
            self = try RunLog.decodeName(from: decoder)
        }
    }

    public var endedAt: String
    public var outcome: Outcome
    /// Result lines in the log at the end of this session.
    public var results: Int
    public var passed: Int
    public var failed: Int
    public var errors: Int
    /// Requests this session sent to the endpoint (cache hits excluded).
    public var requests: Int

    public init(endedAt: String, outcome: Outcome, results: Int, passed: Int, failed: Int, errors: Int, requests: Int) {
        self.endedAt = endedAt
        self.outcome = outcome
        self.results = results
        self.passed = passed
        self.failed = failed
        self.errors = errors
        self.requests = requests
    }

    enum CodingKeys: String, CodingKey {
        case endedAt = "ended_at"
        case outcome, results, passed, failed, errors, requests
    }
}

/// How a judge was asked beyond its model and its rubric text: the judge target's request params (`temperature`,
/// `max_tokens`, `seed`, …, as the request carries them), its `revision`, and the check's `samples`, `threshold` and
/// `sees` when they are not the defaults. Each changes the verdicts as surely as another model does, so they are part
/// of the judge's identity: as a canonical JSON object of the settings that are not defaults, hashed. A judge asked
/// with all defaults has no settings hash, and its identity is the one logs written before settings were recorded
/// give every judge (`model rubric:hash8`): those logs keep comparing, and their labels keep counting, as before.
public enum JudgeSettings {
    /// SHA-256 of the settings' canonical JSON; nil when there are none (all defaults).
    public static func hash(_ settings: [String: JSONValue]) -> String? {
        settings.isEmpty ? nil : CanonicalJSON.sha256(.object(settings))
    }

    /// `model rubric:hash8`, then ` settings:hash8` for a judge with settings.
    public static func identity(model: String, rubricHash: String, settingsHash: String?) -> String {
        "\(model) rubric:\(rubricHash.prefix(8))" + (settingsHash.map { " settings:\($0.prefix(8))" } ?? "")
    }
}
