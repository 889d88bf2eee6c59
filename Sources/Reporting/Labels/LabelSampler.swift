public import EvalCore

/// Draws the verdicts a person should check by hand from run logs: a stratified sample, reproducible by its seed.
///
/// Every (answer, check) of the logs is a candidate: the check's verdict on that answer. First come the answers on
/// which a judge and a deterministic check disagree (the cases that tell most about both), then the rest by stratum —
/// (rule, verdict) — taken round-robin, so that a rare verdict (the 3 promises the check flagged among 400 answers)
/// is in the sample as often as a common one, not in proportion to how common it is. Within a stratum the order is a
/// shuffle by `seed`: the same logs and seed give the same sample.
public struct LabelSampler: Sendable {
    public struct Options: Sendable, Hashable {
        /// How many verdicts to draw (all when fewer).
        public var count: Int
        public var seed: UInt64
        /// Only these rules (check types); all when empty.
        public var rules: Set<String>
        /// Verdicts already labelled elsewhere (a previous sample): never drawn again.
        public var exclude: Set<LabelKey>

        public init(count: Int = 50, seed: UInt64 = 1, rules: Set<String> = [], exclude: Set<LabelKey> = []) {
            self.count = count
            self.seed = seed
            self.rules = rules
            self.exclude = exclude
        }
    }

    /// One log to draw from, as given on the command line, with its results.
    public struct Source: Sendable {
        public var path: String
        public var manifest: RunManifest
        public var results: [CaseResult]

        public init(path: String, manifest: RunManifest, results: [CaseResult]) {
            self.path = path
            self.manifest = manifest
            self.results = results
        }

        /// Reads the log at `path` (the last line of a (suite, case, repeat) written twice wins).
        public static func read(path: String) throws(RunLogError) -> Source {
            let reader = try RunLogReader(path: path)
            var latest: [ResultKey: Int] = [:]
            var results: [CaseResult] = []
            try reader.forEach { line in
                guard case .result(let result) = line else { return }
                if let at = latest[result.key] {
                    results[at] = result
                } else {
                    latest[result.key] = results.count
                    results.append(result)
                }
            }
            return Source(path: path, manifest: reader.manifest, results: results)
        }
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// The sample: label records with the person's verdict empty. `prompt(suite reference, case id, case hash)` gives
    /// the prompt to show, when the suite can be read and still holds the case as it was run.
    public func sample(_ sources: [Source], prompt: (SuiteReference?, String, String) -> String? = { _, _, _ in nil })
        -> [LabelRecord]
    {
        var disputed: [Candidate] = []
        var strata: [Stratum: [Candidate]] = [:]
        for source in sources {
            for result in source.results where result.status == .passed || result.status == .failed {
                let checks = Self.verdicts(result)
                let judged = checks.filter(\.isJudge)
                let ruled = checks.filter { !$0.isJudge }
                // A judge and a rule gave this answer different verdicts: both verdicts are worth a person's look.
                let isDisputed = judged.contains { judge in ruled.contains { $0.verdict != judge.verdict } }
                for check in checks where options.rules.isEmpty || options.rules.contains(check.rule) {
                    let key = LabelKey(
                        log: source.path, suite: result.suite, caseID: result.caseID, repeatIndex: result.repeatIndex,
                        rule: check.rule)
                    guard !options.exclude.contains(key) else { continue }
                    let candidate = Candidate(key: key, source: source, result: result, check: check)
                    if isDisputed {
                        disputed.append(candidate)
                    } else {
                        strata[Stratum(rule: check.rule, verdict: check.verdict), default: []].append(candidate)
                    }
                }
            }
        }
        var generator = SplitMix64(seed: options.seed)
        var chosen = Self.shuffled(disputed, using: &generator).prefix(options.count).map { $0 }
        let order = strata.keys.sorted()
        var queues = order.map { Self.shuffled(strata[$0]!, using: &generator) }
        var position = 0
        while chosen.count < options.count, queues.contains(where: { !$0.isEmpty }) {
            let index = position % queues.count
            if !queues[index].isEmpty { chosen.append(queues[index].removeFirst()) }
            position += 1
        }
        return chosen.map { candidate in
            LabelRecord(
                log: candidate.key.log, target: candidate.source.manifest.target.label, suite: candidate.key.suite,
                caseID: candidate.key.caseID, repeatIndex: candidate.key.repeatIndex, rule: candidate.key.rule,
                judge: candidate.check.judge, check: candidate.check.verdict, human: nil,
                prompt: prompt(
                    candidate.source.manifest.suite(named: candidate.key.suite), candidate.key.caseID,
                    candidate.result.caseHash),
                answer: candidate.result.response?.content, evidence: candidate.check.findings)
        }
    }

    /// Sorted by key first, so that the shuffle depends only on the seed and the candidates, not on the logs' order.
    static func shuffled(_ candidates: [Candidate], using generator: inout SplitMix64) -> [Candidate] {
        var sorted = candidates.sorted { $0.key < $1.key }
        sorted.shuffle(using: &generator)
        return sorted
    }

    /// One verdict per check type of the answer: a type used twice (two `contains` checks) fails when either did,
    /// with the findings of both.
    static func verdicts(_ result: CaseResult) -> [CheckVerdictItem] {
        var items: [CheckVerdictItem] = []
        for check in result.checks {
            if let at = items.firstIndex(where: { $0.rule == check.type }) {
                if !check.passed { items[at].verdict = .fail }
                items[at].findings += check.findings
            } else {
                items.append(
                    CheckVerdictItem(
                        rule: check.type, verdict: Verdict(passed: check.passed), findings: check.findings,
                        judge: check.judge.map(\.identity)))
            }
        }
        return items
    }

    struct CheckVerdictItem: Sendable {
        var rule: String
        var verdict: Verdict
        var findings: [Finding]
        /// The judge's identity, for a judge check.
        var judge: String?
        var isJudge: Bool { judge != nil }
    }

    struct Candidate: Sendable {
        var key: LabelKey
        var source: Source
        var result: CaseResult
        var check: CheckVerdictItem
    }

    struct Stratum: Hashable, Comparable {
        var rule: String
        var verdict: Verdict

        static func < (lhs: Stratum, rhs: Stratum) -> Bool {
            (lhs.rule, lhs.verdict.rawValue) < (rhs.rule, rhs.verdict.rawValue)
        }
    }
}
