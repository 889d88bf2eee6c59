/// A verdict: what a check said about an answer, or what a person said about the same answer.
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    case pass
    case fail

    public init(passed: Bool) { self = passed ? .pass : .fail }

    public var passed: Bool { self == .pass }

    /// The other verdict: what a person means by "disagree".
    public var flipped: Verdict { self == .pass ? .fail : .pass }
}

/// A person's answer to one label item: a verdict of their own, or a skip (not sure, cannot tell).
public enum HumanVerdict: String, Sendable, Hashable, Codable, CaseIterable {
    case pass
    case fail
    case skip

    public var verdict: Verdict? {
        switch self {
        case .pass: return .pass
        case .fail: return .fail
        case .skip: return nil
        }
    }
}

/// One line of a labelling file: a check's verdict on one answer of a run, and the person's verdict on the same
/// answer (nil until someone labels it).
///
/// It names the verdict exactly — (log, suite, case, repeat, rule) — and carries what a person needs to decide
/// without opening the run log: the prompt, the answer, and the check's evidence. `evalgate label` writes these;
/// `evalgate agreement` reads them, and so may a spreadsheet (`--csv`) or any script: it is plain JSONL.
public struct LabelRecord: Sendable, Hashable {
    /// The run log the verdict is from, as it was given to `evalgate label`.
    public var log: String
    /// The label of the version that answered (the log's target).
    public var target: String?
    public var suite: String
    public var caseID: String
    public var repeatIndex: Int
    /// The check whose verdict is labelled: its `type` as in the run log (`promises`, `pii`, `judge`).
    public var rule: String
    /// Who judged, for a judge check: its model and rubric hash (`gpt-4o rubric:1a2b3c4d`); nil for deterministic
    /// checks. Agreement is reported per rule and per judge.
    public var judge: String?
    /// The check's verdict.
    public var check: Verdict
    /// The person's verdict; nil while the item is not labelled yet.
    public var human: HumanVerdict?
    /// Why, in the person's words.
    public var note: String?
    /// The prompt's last user message, when the suite could be read.
    public var prompt: String?
    /// The answer the verdict is about.
    public var answer: String?
    /// The check's evidence (its findings: rule, message, span into `answer`, matched text).
    public var evidence: [Finding]

    public init(
        log: String, target: String? = nil, suite: String, caseID: String, repeatIndex: Int, rule: String,
        judge: String? = nil, check: Verdict, human: HumanVerdict? = nil, note: String? = nil, prompt: String? = nil,
        answer: String? = nil, evidence: [Finding] = []
    ) {
        self.log = log
        self.target = target
        self.suite = suite
        self.caseID = caseID
        self.repeatIndex = repeatIndex
        self.rule = rule
        self.judge = judge
        self.check = check
        self.human = human
        self.note = note
        self.prompt = prompt
        self.answer = answer
        self.evidence = evidence
    }

    /// What identifies the labelled verdict across files.
    public var key: LabelKey {
        LabelKey(log: log, suite: suite, caseID: caseID, repeatIndex: repeatIndex, rule: rule)
    }

    /// The field names, in the order they are written.
    public static let fieldNames = [
        "log", "target", "suite", "case", "repeat", "rule", "judge", "check", "human", "note", "prompt", "answer",
        "evidence",
    ]

    /// The record as one JSON object (nil fields left out, except `human`, which is written as null until labelled,
    /// so that a person editing the file by hand sees where the verdict goes).
    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "log": .string(log), "suite": .string(suite), "case": .string(caseID), "repeat": .int(Int64(repeatIndex)),
            "rule": .string(rule), "check": .string(check.rawValue),
            "human": human.map { .string($0.rawValue) } ?? .null,
        ]
        if let target { fields["target"] = .string(target) }
        if let judge { fields["judge"] = .string(judge) }
        if let note { fields["note"] = .string(note) }
        if let prompt { fields["prompt"] = .string(prompt) }
        if let answer { fields["answer"] = .string(answer) }
        if !evidence.isEmpty {
            fields["evidence"] = .array(
                evidence.map { finding in
                    var item: [String: JSONValue] = [
                        "rule": .string(finding.ruleID), "message": .string(finding.message),
                    ]
                    if let span = finding.span {
                        item["span"] = ["start": .int(Int64(span.start)), "end": .int(Int64(span.end))]
                    }
                    if let text = finding.text { item["text"] = .string(text) }
                    return .object(item)
                })
        }
        return .object(fields)
    }

    /// One line of a labelling file, without its newline: the keys in `fieldNames` order.
    public var jsonLine: String {
        guard case .object(let fields) = json else { return "{}" }
        let members = Self.fieldNames.compactMap { name in
            fields[name].map { CanonicalJSON.string(.string(name)) + ":" + CanonicalJSON.string($0) }
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}

/// (log, suite, case, repeat, rule): one verdict of one check on one answer.
public struct LabelKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var log: String
    public var suite: String
    public var caseID: String
    public var repeatIndex: Int
    public var rule: String

    public init(log: String, suite: String, caseID: String, repeatIndex: Int, rule: String) {
        self.log = log
        self.suite = suite
        self.caseID = caseID
        self.repeatIndex = repeatIndex
        self.rule = rule
    }

    public static func < (lhs: LabelKey, rhs: LabelKey) -> Bool {
        (lhs.log, lhs.suite, lhs.caseID, lhs.repeatIndex, lhs.rule) < (
            rhs.log, rhs.suite, rhs.caseID, rhs.repeatIndex, rhs.rule
        )
    }

    public var description: String { "\(log) \(suite)/\(caseID)#\(repeatIndex) \(rule)" }
}
