public import EvalCore

/// How far each check's verdicts agree with people's, from labelling files: per rule (and per judge, for judge
/// checks) Cohen's kappa, Gwet's AC1, the human-confirmed precision and recall of the check with Wilson intervals,
/// the confusion matrix, and the disagreements with their evidence. The model behind every agreement format
/// (Markdown, JSON `evalgate.agreement/1`, the summary line) and the gate's `judges:` rules.
public struct AgreementReport: Sendable, Hashable, Encodable {
    public var schema = "evalgate.agreement/1"
    /// The labelling files read, in the order given.
    public var files: [String]
    /// Items with a person's pass or fail.
    public var labelled: Int
    /// Items the person skipped.
    public var skipped: Int
    /// Items not labelled yet.
    public var unlabelled: Int
    /// Sorted by rule, then judge.
    public var rules: [RuleAgreement]
    /// What the reader should know: verdicts labelled differently in two files, rules with too few labels to say much.
    public var warnings: [String]

    /// Disagreements kept per rule; the counts are always whole.
    public static let disagreementsPerRule = 50
    /// Below this many labels a kappa is too noisy to act on: the report says so.
    public static let fewLabels = 30

    enum CodingKeys: String, CodingKey {
        case schema, files, labelled, skipped, unlabelled, rules, warnings
    }

    /// The report on `records` (of several files, in file order: a verdict labelled again later replaces the earlier
    /// label, and a changed verdict is named in `warnings`). Personal data in the evidence is masked unless `showPII`;
    /// secrets always are.
    public static func make(files: [String], records: [LabelRecord], showPII: Bool = false) -> AgreementReport {
        var latest: [LabelKey: LabelRecord] = [:]
        var order: [LabelKey] = []
        var conflicts: [LabelKey] = []
        for record in records {
            if let earlier = latest[record.key] {
                if let before = earlier.human?.verdict, let now = record.human?.verdict, before != now {
                    conflicts.append(record.key)
                }
                // A later file that has not labelled the item keeps the earlier label.
                if record.human == nil { continue }
            } else {
                order.append(record.key)
            }
            latest[record.key] = record
        }
        var groups: [GroupKey: [LabelRecord]] = [:]
        var skipped = 0
        var unlabelled = 0
        var labelled = 0
        for key in order {
            let record = latest[key]!
            switch record.human {
            case nil: unlabelled += 1
            case .skip?: skipped += 1
            case .pass?, .fail?:
                labelled += 1
                groups[GroupKey(rule: record.rule, judge: record.judge), default: []].append(record)
            }
        }
        var warnings: [String] = []
        if !conflicts.isEmpty {
            let first = conflicts[0]
            warnings.append(
                "\(conflicts.count) verdict\(conflicts.count == 1 ? " was" : "s were") labelled differently in two files (first: \(first.suite)/\(first.caseID)#\(first.repeatIndex) \(first.rule)); the later file's label is used"
            )
        }
        let rules = groups.keys.sorted().map { key in
            RuleAgreement(rule: key.rule, judge: key.judge, records: groups[key]!, showPII: showPII)
        }
        for rule in rules where rule.labels < fewLabels {
            warnings.append(
                "\(rule.name): only \(rule.labels) label\(rule.labels == 1 ? "" : "s"); agreement on fewer than \(fewLabels) is too noisy to rely on"
            )
        }
        return AgreementReport(
            files: files, labelled: labelled, skipped: skipped, unlabelled: unlabelled, rules: rules, warnings: warnings
        )
    }

    /// The agreement of `rule` (any judge when `judge` is nil), when it was labelled.
    public func agreement(rule: String, judge: String? = nil) -> RuleAgreement? {
        rules.first { $0.rule == rule && (judge == nil || $0.judge == judge) }
    }

    struct GroupKey: Hashable, Comparable {
        var rule: String
        var judge: String?

        static func < (lhs: GroupKey, rhs: GroupKey) -> Bool {
            (lhs.rule, lhs.judge ?? "") < (rhs.rule, rhs.judge ?? "")
        }
    }
}

/// One rule's (or one judge's) agreement with people.
public struct RuleAgreement: Sendable, Hashable, Encodable {
    public var rule: String
    /// The judge (model and rubric) for a judge check; nil for deterministic checks.
    public var judge: String?
    /// Labels with a person's pass or fail.
    public var labels: Int
    public var confusion: ConfusionMatrix
    /// Observed agreement.
    public var agreement: Double?
    public var kappa: Double?
    public var ac1: Double?
    public var precision: Proportion?
    public var recall: Proportion?
    /// Every disagreement, up to `AgreementReport.disagreementsPerRule`, in file order.
    public var disagreements: [Disagreement]

    /// `rule`, or `rule (judge)`.
    public var name: String { judge.map { "\(rule) (\($0))" } ?? rule }

    init(rule: String, judge: String?, records: [LabelRecord], showPII: Bool) {
        self.rule = rule
        self.judge = judge
        var confusion = ConfusionMatrix()
        var disagreements: [Disagreement] = []
        for record in records {
            guard let human = record.human?.verdict else { continue }
            confusion.add(check: record.check, human: human)
            if human != record.check, disagreements.count < AgreementReport.disagreementsPerRule {
                disagreements.append(Disagreement(record, showPII: showPII))
            }
        }
        labels = confusion.total
        self.confusion = confusion
        // Six decimals, as every rate of the JSON formats.
        agreement = confusion.observedAgreement.map(rounded)
        kappa = confusion.cohensKappa.map(rounded)
        ac1 = confusion.gwetsAC1.map(rounded)
        precision = confusion.precision
        recall = confusion.recall
        self.disagreements = disagreements
    }
}

/// A verdict the person did not share, with what the check saw.
public struct Disagreement: Sendable, Hashable, Encodable {
    public var log: String
    public var suite: String
    public var caseID: String
    public var repeatIndex: Int
    public var check: Verdict
    public var human: Verdict
    public var note: String?
    /// The check's evidence (its first findings, cut to `RunIndex.maximumEvidenceCharacters`).
    public var evidence: [Evidence]

    init(_ record: LabelRecord, showPII: Bool) {
        log = record.log
        suite = record.suite
        caseID = record.caseID
        repeatIndex = record.repeatIndex
        check = record.check
        human = record.human?.verdict ?? record.check.flipped
        note = record.note
        // What `pii` findings of this check found is masked wherever the evidence quotes it, as in every report.
        let sensitive = record.evidence.compactMap(SensitiveText.init)
        evidence = record.evidence.prefix(RunIndex.evidencePerCase).map { finding in
            // Masked whole first, then cut: a cut must never keep part of something that is masked.
            // With the answer at hand, the span is placed (line:column) and quoted with the answer around it.
            let placed = record.answer.flatMap { finding.placedSpan(in: $0) }
            var evidence = PIIMask.apply(
                Evidence(
                    rule: finding.ruleID, message: finding.message, span: finding.span, text: finding.text,
                    position: placed.flatMap { span in record.answer.flatMap { TextPosition(span, in: $0) } },
                    excerpt: record.answer.flatMap { Excerpt(around: placed, in: $0, sensitive: sensitive) },
                    repeatIndex: record.repeatIndex, sensitive: sensitive),
                showPII: showPII)
            evidence.message = Self.cut(evidence.message)
            evidence.text = evidence.text.map(Self.cut)
            return evidence
        }
    }

    private static func cut(_ text: String) -> String {
        text.count > RunIndex.maximumEvidenceCharacters
            ? String(text.prefix(RunIndex.maximumEvidenceCharacters)) + "…" : text
    }

    enum CodingKeys: String, CodingKey {
        case log, suite
        case caseID = "case"
        case repeatIndex = "repeat"
        case check, human, note, evidence
    }
}
