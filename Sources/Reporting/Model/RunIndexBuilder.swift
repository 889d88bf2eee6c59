import EvalCore

/// Collects the result lines of a log case by case in a compact form, then reduces each case to its `CaseOutcome`.
///
/// A log does not promise that a case's repeats are adjacent, so every repeat is kept until the log is read, as a
/// few small values: its checks as one array shared by every answer with the same verdicts, the strings a log
/// repeats (suites, check types, tags, error classes, rules) interned once per log, and findings, rules, risks,
/// judge verdicts and errors in a side table that only the repeats with any of them use. Cases are found by an
/// open-addressing table of 32-bit positions instead of a dictionary keyed by strings.
struct RunIndexBuilder {
    struct Repeat {
        /// Check type → passed (every check of that type passed), sorted by type; interned.
        var checks: [CheckVerdict]
        var latency: Double?
        var promptTokens: Int?
        var completionTokens: Int?
        var index: Int
        /// Where the repeat's findings, rules, risks, judge verdicts and error are in `details`; -1 for none.
        var details: Int32
        var status: CaseResult.Status
        /// Answered, and no check judged the answer.
        var unchecked: Bool
        var answered: Bool
        var truncated: Bool
        var cached: Bool
    }

    /// What only some repeats have.
    struct RepeatDetails {
        var findings: [Evidence] = []
        /// Rule ids of the failed checks' findings (the check type for a failed check without findings).
        var failingRules: [String] = []
        var risks: [Evidence] = []
        /// The verdicts of the judge checks, passed ones too.
        var judgeVerdicts: [JudgeVerdict] = []
        var errorClass: String?
        var errorMessage: String?

        var isEmpty: Bool {
            findings.isEmpty && failingRules.isEmpty && risks.isEmpty && judgeVerdicts.isEmpty && errorClass == nil
                && errorMessage == nil
        }
    }

    struct Pending {
        var suite: String
        var caseID: String
        var caseHash: String
        var tags: [String]
        var kind: SuiteKind
        /// The first repeat read, and the others (most cases have one: no array for them).
        var first: Repeat
        var more: [Repeat]
    }

    private var entries: [Pending] = []
    private var details: [RepeatDetails] = []
    /// Open addressing over `entries`: a position + 1, 0 for an empty slot; at most half full.
    private var slots: [Int32]
    private var interned = Interner()

    init(expectedCases: Int) {
        entries.reserveCapacity(expectedCases)
        var size = 1024
        while size < expectedCases * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
    }

    /// The number of cases the manifest lists (a hint for reserving room, bounded whatever the manifest says).
    static func expectedCases(_ manifest: RunManifest) -> Int {
        manifest.suites.reduce(0) { min($0 + min(max(0, $1.caseCount), 1 << 22), 1 << 22) }
    }

    mutating func add(_ result: CaseResult) {
        let record = reduce(result)
        let hash = Self.hash(suite: result.suite, caseID: result.caseID)
        var slot = hash & (slots.count - 1)
        while slots[slot] != 0 {
            let position = Int(slots[slot]) - 1
            if entries[position].caseID == result.caseID, entries[position].suite == result.suite {
                update(position, with: result, record)
                return
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        entries.append(
            Pending(
                suite: interned.string(result.suite), caseID: result.caseID, caseHash: result.caseHash,
                tags: interned.strings(result.tags), kind: result.kind, first: record, more: []))
        slots[slot] = Int32(entries.count)
        if entries.count * 2 > slots.count { grow() }
    }

    /// A second line of a case: its kind, hash and tags are the last line's; a repeat written twice keeps its last
    /// line.
    private mutating func update(_ position: Int, with result: CaseResult, _ record: Repeat) {
        entries[position].kind = result.kind
        entries[position].caseHash = result.caseHash
        entries[position].tags = interned.strings(result.tags)
        if entries[position].first.index == record.index {
            entries[position].first = record
        } else if let at = entries[position].more.firstIndex(where: { $0.index == record.index }) {
            entries[position].more[at] = record
        } else {
            entries[position].more.append(record)
        }
    }

    private static func hash(suite: String, caseID: String) -> Int {
        var hasher = Hasher()
        hasher.combine(suite)
        hasher.combine(caseID)
        return hasher.finalize()
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for (position, entry) in entries.enumerated() {
            var slot = Self.hash(suite: entry.suite, caseID: entry.caseID) & (slots.count - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(position + 1)
        }
    }

    private mutating func reduce(_ result: CaseResult) -> Repeat {
        var checks: [CheckVerdict] = []
        var extra = RepeatDetails()
        let sensitive = SensitiveText.found(in: result.checks)
        for check in result.checks {
            if !check.passed, check.findings.isEmpty, !extra.failingRules.contains(check.type) {
                extra.failingRules.append(interned.string(check.type))
            }
            if let at = checks.firstIndex(where: { $0.type == check.type }) {
                checks[at].passed = checks[at].passed && check.passed
            } else {
                checks.append(CheckVerdict(type: check.type, passed: check.passed))
            }
            for finding in check.findings {
                if !check.passed, !extra.failingRules.contains(finding.ruleID) {
                    extra.failingRules.append(interned.string(finding.ruleID))
                }
                let quoted = !check.passed && extra.findings.count < RunIndex.evidencePerCase
                // One finding per risk rule and answer: whether the answer has the rule is what the diff compares.
                let risk = RiskCategory(finding.category) != nil && !extra.risks.contains { $0.rule == finding.ruleID }
                guard quoted || risk else { continue }
                let evidence = Self.evidence(
                    finding, repeatIndex: result.repeatIndex, sensitive: sensitive, answer: result.response?.content)
                if quoted { extra.findings.append(evidence) }
                if risk { extra.risks.append(evidence) }
            }
        }
        // After the findings, while there is room: what looked like a finding and was let pass, and why (`not a
        // promise (negated): '…'`), so a reviewer of a failed answer sees the verdicts of its other phrases too.
        if !extra.failingRules.isEmpty {
            for check in result.checks {
                for note in check.notes where extra.findings.count < RunIndex.evidencePerCase {
                    extra.findings.append(Self.evidence(note, repeatIndex: result.repeatIndex, sensitive: sensitive))
                }
            }
        }
        extra.judgeVerdicts = JudgeVerdict.all(in: result) {
            Self.evidence($0, repeatIndex: result.repeatIndex, sensitive: sensitive)
        }
        if result.status == .error {
            extra.errorClass = interned.string(result.error?.errorClass ?? "unknown")
            extra.errorMessage = result.error.flatMap(Self.errorMessage)
        }
        var position: Int32 = -1
        if !extra.isEmpty {
            position = Int32(details.count)
            details.append(extra)
        }
        let response = result.response
        checks.sort { $0.type < $1.type }
        return Repeat(
            checks: interned.checks(checks), latency: response.flatMap { $0.cached ? nil : $0.latencyMs },
            promptTokens: response?.promptTokens, completionTokens: response?.completionTokens,
            index: result.repeatIndex, details: position, status: result.status,
            unchecked: result.status != .error && result.checks.isEmpty,
            answered: response != nil, truncated: response?.finishReason == "length", cached: response?.cached ?? false)
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
            finding.message.quotes(item.text) || (finding.text?.quotes(item.text) ?? false)
                || excerpt.map { [$0.before, $0.match, $0.after].contains { $0.quotes(item.text) } } ?? false
        }
        func cut(_ text: String) -> String {
            guard text.count > limit else { return text }
            var end = text.index(text.startIndex, offsetBy: limit)
            for item in quoted {
                for range in text.occurrences(of: item.text) where range.lowerBound < end && range.upperBound > end {
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
        slots = []
        var cases: [CaseOutcome] = []
        cases.reserveCapacity(entries.count)
        var counts = StatusCounts()
        var latencies: [Double] = []
        var tokens = TokenStats()
        var errorClasses: [String: Int] = [:]
        for position in entries.indices {
            let entry = entries[position]
            // Its repeats are freed as the outcome is made, so they do not all stay while the outcomes grow.
            entries[position].more = []
            func tally(_ record: Repeat) {
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
                if record.details >= 0, let errorClass = details[Int(record.details)].errorClass {
                    errorClasses[errorClass, default: 0] += 1
                }
            }
            if entry.more.isEmpty {
                tally(entry.first)
                cases.append(outcome(entry, repeats: CollectionOfOne(entry.first)))
            } else {
                let repeats = ([entry.first] + entry.more).sorted { $0.index < $1.index }
                for record in repeats { tally(record) }
                cases.append(outcome(entry, repeats: repeats))
            }
        }
        entries = []
        details = []
        cases.sort { $0.key < $1.key }
        latencies.sort()
        return RunIndex(
            path: path, manifest: manifest, cases: cases, ends: ends, warnings: warnings, resultCounts: counts,
            latencies: latencies, tokens: tokens, errorClasses: errorClasses)
    }

    private mutating func outcome<Repeats: Collection<Repeat>>(_ entry: Pending, repeats: Repeats) -> CaseOutcome {
        let unchecked = repeats.count(where: \.unchecked)
        let passed = repeats.count { $0.status == .passed && !$0.unchecked }
        let failed = repeats.count { $0.status == .failed && !$0.unchecked }
        let errors = repeats.count - passed - failed - unchecked
        let verdict: CaseOutcome.Verdict =
            passed + failed == 0
            ? (unchecked > 0 ? .unchecked : .error) : (passed * 2 > passed + failed ? .passed : .failed)
        let counted = repeats.filter { $0.status != .error && !$0.unchecked }
        var rules: Set<String> = []
        var risks: [RiskShare] = []
        for record in counted where record.details >= 0 {
            let extra = details[Int(record.details)]
            if record.status == .failed { rules.formUnion(extra.failingRules) }
            for risk in extra.risks {
                if let at = risks.firstIndex(where: { $0.rule == risk.rule }) {
                    risks[at].repeats += 1
                } else if let category = risk.riskCategory {
                    risks.append(RiskShare(category: category, repeats: 1, evidence: risk))
                }
            }
        }
        let table = details
        func extra(_ record: Repeat) -> RepeatDetails? { record.details >= 0 ? table[Int(record.details)] : nil }
        let checks = counted.count == 1 ? counted[0].checks : interned.checks(Self.majority(counted))
        return CaseOutcome(
            suite: entry.suite, kind: entry.kind, caseID: entry.caseID, caseHash: entry.caseHash, tags: entry.tags,
            verdict: verdict, passedRepeats: passed, failedRepeats: failed, errorRepeats: errors,
            uncheckedRepeats: unchecked,
            answers: repeats.count(where: \.answered), truncatedRepeats: repeats.count(where: \.truncated),
            cachedRepeats: repeats.count(where: \.cached), checks: checks,
            failingRules: rules.sorted(),
            evidence: repeats.first { $0.status == .failed }.flatMap(extra)?.findings ?? [],
            risks: risks.sorted { $0.rule < $1.rule },
            errorClasses: Set(repeats.compactMap { extra($0)?.errorClass }).sorted(),
            errorMessage: repeats.lazy.compactMap { extra($0)?.errorMessage }.first,
            judgeVerdicts: Array(repeats.flatMap { extra($0)?.judgeVerdicts ?? [] }.prefix(RunIndex.evidencePerCase))
        )
    }

    /// Each check type and whether it passed in most of the counted repeats, sorted by type.
    private static func majority(_ counted: [Repeat]) -> [CheckVerdict] {
        var tally: [(type: String, passed: Int, seen: Int)] = []
        for record in counted {
            for check in record.checks {
                if let at = tally.firstIndex(where: { $0.type == check.type }) {
                    tally[at].seen += 1
                    if check.passed { tally[at].passed += 1 }
                } else {
                    tally.append((check.type, check.passed ? 1 : 0, 1))
                }
            }
        }
        return tally.map { CheckVerdict(type: $0.type, passed: $0.passed * 2 > $0.seen) }.sorted { $0.type < $1.type }
    }
}

/// One copy of each string and array a log repeats on many lines, so that its cases share them. Strings of up to 15
/// UTF-8 bytes are stored inline in a `String` and are not interned.
struct Interner {
    private var strings: Set<String> = []
    private var stringArrays: Set<[String]> = []
    private var checkArrays: Set<[CheckVerdict]> = []

    mutating func string(_ text: String) -> String {
        text.utf8.count <= 15 ? text : strings.insert(text).memberAfterInsert
    }

    mutating func strings(_ texts: [String]) -> [String] {
        texts.isEmpty ? [] : stringArrays.insert(texts.map { string($0) }).memberAfterInsert
    }

    mutating func checks(_ checks: [CheckVerdict]) -> [CheckVerdict] {
        checks.isEmpty
            ? []
            : checkArrays.insert(checks.map { CheckVerdict(type: string($0.type), passed: $0.passed) })
                .memberAfterInsert
    }
}
