public import EvalCore

/// An answer read back whole from a run log, for training data (reports cut answers; training data must not).
public struct ExportAnswer: Sendable, Hashable {
    public var label: String
    public var repeatIndex: Int
    public var text: String
    /// For a failed answer: the rules it failed (a failed check's finding rules, or the check's type when it has none).
    public var failingRules: [String]
    /// Personal data and secrets its `pii` findings quote.
    public var sensitive: [SensitiveText]

    init(label: String, result: CaseResult) {
        self.label = label
        repeatIndex = result.repeatIndex
        text = result.response?.content ?? ""
        var rules: [String] = []
        for check in result.checks where !check.passed {
            let found = check.findings.map(\.ruleID)
            for rule in found.isEmpty ? [check.type] : found where !rules.contains(rule) { rules.append(rule) }
        }
        failingRules = rules
        sensitive = SensitiveText.found(in: result.checks)
    }
}

/// A good and a bad answer to the same prompt: what DPO-style training reads.
public struct PreferencePair: Sendable, Hashable {
    public enum Origin: String, Sendable, Hashable {
        /// Passed in the baseline, failed in the candidate.
        case regressed
        /// Failed in the baseline, passed in the candidate.
        case fixed
        /// One repeat of a run passed, another failed.
        case repeats
    }

    public var suite: String
    public var caseID: String
    public var origin: Origin
    /// The conversation sent to the model.
    public var prompt: [ChatMessage]
    public var chosen: ExportAnswer
    public var rejected: ExportAnswer
}

/// Training data from run logs: preference pairs from the cases one version (or one repeat) passed and another failed,
/// and corrections (the ideal answers of failed cases) for supervised fine-tuning.
public enum TrainingExport {
    /// The pairs of `base` against each candidate — its regressed and fixed cases, as `diff` counts them (runs whose
    /// settings differ are paired too: a good and a bad answer are a pair whatever produced them) — then, per log,
    /// the cases whose repeats disagree. A pair whose prompt is no longer in its suite as the run asked it is left
    /// out and counted in `notes`.
    public static func pairs(base: RunIndex, candidates: [RunIndex]) throws(RunLogError) -> (
        pairs: [PreferencePair], notes: [String]
    ) {
        var wanted: [String: Set<CaseKey>] = [:]
        var plan: [(origin: PreferencePair.Origin, key: CaseKey, chosen: RunIndex, rejected: RunIndex)] = []
        var notes: [String] = []
        for candidate in candidates {
            let diff: RunDiff
            do {
                diff = try RunDiff.make(
                    base: base, candidate: candidate,
                    options: DiffOptions(allowedDifferences: Set(DifferenceKind.allCases)))
            } catch {
                notes.append("'\(candidate.label)' against '\(base.label)': no pairs, \(error)")
                continue
            }
            for change in diff.regressed {
                plan.append((.regressed, CaseKey(suite: change.suite, caseID: change.caseID), base, candidate))
            }
            for change in diff.fixed {
                plan.append((.fixed, CaseKey(suite: change.suite, caseID: change.caseID), candidate, base))
            }
        }
        for log in [base] + candidates {
            for outcome in log.cases where outcome.isFlaky { plan.append((.repeats, outcome.key, log, log)) }
        }
        for item in plan {
            wanted[item.chosen.path, default: []].insert(item.key)
            wanted[item.rejected.path, default: []].insert(item.key)
        }
        var answers: [String: [CaseKey: Answers]] = [:]
        var prompts: [String: Prompts] = [:]
        for log in [base] + candidates where answers[log.path] == nil {
            let keys = wanted[log.path] ?? []
            answers[log.path] = try Self.answers(path: log.path, label: log.label, keys: keys)
            var hashes: [CaseKey: String] = [:]
            for key in keys { hashes[key] = log[key]?.caseHash }
            prompts[log.path] = Prompts.load(manifest: log.manifest, cases: hashes)
        }
        var pairs: [PreferencePair] = []
        var promptless = 0
        for item in plan {
            guard let chosen = answers[item.chosen.path]?[item.key]?.passed,
                let rejected = answers[item.rejected.path]?[item.key]?.failed
            else { continue }
            // The prompt of the run that failed: the pair teaches what that run should have said.
            guard let prompt = prompts[item.rejected.path]?.messages[item.key] else {
                promptless += 1
                continue
            }
            pairs.append(
                PreferencePair(
                    suite: item.key.suite, caseID: item.key.caseID, origin: item.origin, prompt: prompt, chosen: chosen,
                    rejected: rejected))
        }
        if promptless > 0 {
            notes.append(
                "\(Format.plural(promptless, "pair")) left out: the prompt is no longer in its suite as the run asked it"
            )
        }
        notes += prompts.values.flatMap(\.notes)
        return (pairs, notes)
    }

    /// A correction: a failed case's prompt and the answer it should have had.
    public struct Correction: Sendable, Hashable {
        public var suite: String
        public var caseID: String
        public var prompt: [ChatMessage]
        public var ideal: String
        public var label: String
    }

    /// The ideal answers of the cases that failed in any of `logs` (each case once, from the first log it failed in);
    /// cases without an ideal, or whose prompt changed since the run, are counted in `notes`.
    public static func corrections(_ logs: [RunIndex]) -> (corrections: [Correction], notes: [String]) {
        var seen: Set<CaseKey> = []
        var corrections: [Correction] = []
        var withoutIdeal = 0
        var promptless = 0
        var notes: [String] = []
        for log in logs {
            var hashes: [CaseKey: String] = [:]
            for outcome in log.cases where outcome.verdict == .failed && !seen.contains(outcome.key) {
                hashes[outcome.key] = outcome.caseHash
            }
            guard !hashes.isEmpty else { continue }
            let prompts = Prompts.load(manifest: log.manifest, cases: hashes)
            notes += prompts.notes
            for key in hashes.keys.sorted() {
                guard let messages = prompts.messages[key] else {
                    promptless += 1
                    continue
                }
                guard let ideal = prompts.ideals[key]?.first else {
                    withoutIdeal += 1
                    continue
                }
                seen.insert(key)
                corrections.append(
                    Correction(suite: key.suite, caseID: key.caseID, prompt: messages, ideal: ideal, label: log.label))
            }
        }
        if withoutIdeal > 0 {
            notes.append("\(Format.plural(withoutIdeal, "failed case")) without an \"ideal\" answer left out")
        }
        if promptless > 0 {
            notes.append(
                "\(Format.plural(promptless, "failed case")) left out: the prompt is no longer in its suite as the run asked it"
            )
        }
        return (corrections, notes)
    }

    struct Answers {
        var passed: ExportAnswer?
        var failed: ExportAnswer?
    }

    /// The first passing and first failing answer (by repeat) of each of `keys` in the log at `path`, whole.
    static func answers(path: String, label: String, keys: Set<CaseKey>) throws(RunLogError) -> [CaseKey: Answers] {
        var found: [CaseKey: Answers] = [:]
        guard !keys.isEmpty else { return found }
        let reader = try RunLogReader(path: path)
        try reader.forEachLine { line, _, _ in
            if let result = ResultLineParser.parse(line),
                !keys.contains(CaseKey(suite: result.suite, caseID: result.caseID))
            {
                return true
            }
            guard case .success(.result(let result)) = RunLog.decode(line), !result.checks.isEmpty else { return true }
            let key = CaseKey(suite: result.suite, caseID: result.caseID)
            guard keys.contains(key), result.response?.content != nil else { return true }
            var answers = found[key] ?? Answers()
            let answer = ExportAnswer(label: label, result: result)
            switch result.status {
            case .passed:
                if answers.passed.map({ $0.repeatIndex >= answer.repeatIndex }) ?? true { answers.passed = answer }
            case .failed:
                if answers.failed.map({ $0.repeatIndex >= answer.repeatIndex }) ?? true { answers.failed = answer }
            default:
                break
            }
            found[key] = answers
            return true
        }
        return found
    }
}

/// The JSONL lines of exported training data, in the shapes trainers read.
public enum TrainingExportFormat: String, Sendable, CaseIterable {
    /// TRL's conversational preference form: `{"prompt": [messages], "chosen": [assistant], "rejected": [assistant]}`.
    case trl
    /// TRL's standard (plain text) preference form: `{"prompt": "...", "chosen": "...", "rejected": "..."}`.
    case trlText = "trl-text"
    /// OpenAI's preference fine-tuning: `{"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]}`.
    case openai

    /// One line for `pair`, its answers passed through `mask`; TRL's forms carry `metadata` (OpenAI's has no field
    /// for it: see `metadata(_:)`).
    public func line(_ pair: PreferencePair, mask: (ExportAnswer) -> String) -> JSONValue {
        let chosen = mask(pair.chosen)
        let rejected = mask(pair.rejected)
        switch self {
        case .trl:
            return [
                "prompt": .array(pair.prompt.map(Self.message)), "chosen": [Self.assistant(chosen)],
                "rejected": [Self.assistant(rejected)],
                "metadata": Self.metadata(pair),
            ]
        case .trlText:
            return [
                "prompt": .string(Self.plainPrompt(pair.prompt)), "chosen": .string(chosen),
                "rejected": .string(rejected),
                "metadata": Self.metadata(pair),
            ]
        case .openai:
            return [
                "input": ["messages": .array(pair.prompt.map(Self.message))],
                "preferred_output": [Self.assistant(chosen)],
                "non_preferred_output": [Self.assistant(rejected)],
            ]
        }
    }

    /// Where a pair comes from and the rules its rejected answer failed.
    public static func metadata(_ pair: PreferencePair) -> JSONValue {
        [
            "suite": .string(pair.suite), "case_id": .string(pair.caseID), "origin": .string(pair.origin.rawValue),
            "chosen": ["label": .string(pair.chosen.label), "repeat": .int(Int64(pair.chosen.repeatIndex))],
            "rejected": [
                "label": .string(pair.rejected.label), "repeat": .int(Int64(pair.rejected.repeatIndex)),
                "failing_rules": .array(pair.rejected.failingRules.map(JSONValue.string)),
            ],
        ]
    }

    /// A chat fine-tuning line: the prompt, then the ideal answer as the assistant's.
    public static func line(_ correction: TrainingExport.Correction, ideal: String) -> JSONValue {
        ["messages": .array(correction.prompt.map(message) + [assistant(ideal)])]
    }

    static func message(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role), "content": .string(message.text ?? "")]
        if let name = message.name { object["name"] = .string(name) }
        return .object(object)
    }

    static func assistant(_ text: String) -> JSONValue {
        ["role": "assistant", "content": .string(text)]
    }

    /// The prompt as one text: a lone user message as it is, a conversation as its messages' texts, one paragraph each.
    static func plainPrompt(_ messages: [ChatMessage]) -> String {
        if messages.count == 1, messages[0].role == "user" { return messages[0].text ?? "" }
        return messages.compactMap(\.text).joined(separator: "\n\n")
    }
}
