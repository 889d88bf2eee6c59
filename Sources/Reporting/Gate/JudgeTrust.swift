public import EvalCore

/// A judge a run's verdicts rest on: the check (its type) and who judged (model and rubric hash).
public struct JudgeUse: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rule: String
    public var judge: String

    public init(rule: String, judge: String) {
        self.rule = rule
        self.judge = judge
    }

    public static func < (lhs: JudgeUse, rhs: JudgeUse) -> Bool {
        (lhs.rule, lhs.judge) < (rhs.rule, rhs.judge)
    }

    public var description: String { "\(rule) (\(judge))" }
}

/// The gate's `judges.agreement` rule: a verdict that rests on a judge counts only when people checked that judge on
/// enough labels and it agreed with them well enough. A judge short of either makes the evidence untrustworthy —
/// exit 3, never 0.
public enum JudgeTrust {
    /// The judges whose verdicts are in the log at `path`. Only the lines that hold a judge's record are decoded.
    public static func uses(inLog path: String) throws(RunLogError) -> Set<JudgeUse> {
        let reader = try RunLogReader(path: path)
        let marker = Array(#""judge":{"#.utf8)
        var uses: Set<JudgeUse> = []
        try reader.forEachLine { line, _, _ in
            guard line.firstRange(of: marker) != nil, case .success(.result(let result)) = RunLog.decode(line) else {
                return true
            }
            for check in result.checks {
                if let judge = check.judge { uses.insert(JudgeUse(rule: check.type, judge: judge.identity)) }
            }
            return true
        }
        return uses
    }

    /// The rule's verdict for `uses` against the people's labels in `agreement` (nil when no labels were given).
    public static func check(uses: Set<JudgeUse>, agreement: AgreementReport?, policy: GatePolicy) -> GateCheck {
        var problems: [String] = []
        var trusted: [String] = []
        for use in uses.sorted() {
            let measured = agreement?.agreement(rule: use.rule, judge: use.judge)
            let labels = measured?.labels ?? 0
            if labels < policy.judgesMinLabels {
                problems.append("\(use): \(Format.plural(labels, "label")), at least \(policy.judgesMinLabels) needed")
            } else if let kappa = measured?.kappa, kappa >= policy.judgesMinKappa {
                trusted.append("\(use) kappa \(AgreementFormat.coefficient(kappa)) on \(labels) labels")
            } else {
                let kappa = measured?.kappa.map(AgreementFormat.coefficient) ?? "undefined"
                problems.append(
                    "\(use): kappa \(kappa) on \(labels) labels, at least \(AgreementFormat.coefficient(policy.judgesMinKappa)) needed"
                )
            }
        }
        let message: String
        if uses.isEmpty {
            message = "no verdict rests on a judge"
        } else if problems.isEmpty {
            message = "every judge agrees with people: " + trusted.joined(separator: "; ")
        } else {
            message =
                "\(Format.plural(problems.count, "judge")) not checked by hand enough to trust (label a sample: evalgate label, then evalgate gate --labels FILE)"
        }
        return GateCheck(
            code: "judges.agreement", passed: problems.isEmpty, infrastructure: true, message: message, cases: problems)
    }
}

extension JudgeTrust {
    /// Who judged a run, as a set of `model rubric:hash8[ settings:hash8]` (the manifest's judges).
    public static func judges(of manifest: RunManifest) -> Set<String> {
        Set(descriptions(of: manifest).keys)
    }

    /// Each judge identity of the run with what a reader needs to tell it from another: the identity, then the
    /// settings that are not defaults (`gpt-4o rubric:1a2b3c4d settings:5e6f7a8b {"params":{"temperature":0.7}}`).
    public static func descriptions(of manifest: RunManifest) -> [String: String] {
        var descriptions: [String: String] = [:]
        for judge in manifest.judges ?? [] {
            for (rubric, identity) in zip(judge.rubrics, judge.identities) {
                descriptions[identity] =
                    identity + (rubric.settings.map { " " + CanonicalJSON.string(.object($0)) } ?? "")
            }
        }
        return descriptions
    }
}
