public import EvalCore

/// What two runs must share to be compared: the settings a difference in which could explain a change in the
/// numbers as well as the model could. The label, the model name, the base URL, the run id and the times are the
/// version's identity and are expected to differ; everything listed here is not.
public enum DifferenceKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The target's request params (`temperature`, `max_tokens`, ...), key by key.
    case params
    /// The eval sets: each suite's content hash (cases, checks, defaults and system prompts), or a suite only one
    /// run has.
    case suites
    /// The scorer version (`scorer_version`): the same answers could be judged differently.
    case scorer
    /// Answers per case.
    case repeats
    /// The base seed sent with the requests.
    case seed
    /// Streamed or whole answers.
    case stream
    /// The judges of judge checks: each judge's model, rubric hash and settings (`model rubric:hash8[ settings:hash8]`:
    /// its request params such as temperature, max_tokens and seed, its revision, samples, threshold and what it saw),
    /// or a judge only one run asked. Two judges' verdicts are not the same measurement.
    case judges

    public static func < (lhs: DifferenceKind, rhs: DifferenceKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The names `--allow-differences` takes, comma-separated.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ",") }
}

/// One setting that differs between a baseline and a candidate.
public struct ManifestDifference: Sendable, Hashable, Encodable, CustomStringConvertible {
    public var kind: DifferenceKind
    /// What differs: `params.max_tokens`, `suites.support-golden`, `scorer_version`, `repeats`, `seed`, `stream`.
    public var field: String
    /// The baseline's and the candidate's value as text; nil when that run does not have it.
    public var base: String?
    public var candidate: String?

    public init(kind: DifferenceKind, field: String, base: String?, candidate: String?) {
        self.kind = kind
        self.field = field
        self.base = base
        self.candidate = candidate
    }

    /// `params.max_tokens: 700 in the baseline, not set in the candidate`.
    public var description: String {
        "\(field): \(base ?? "not set") in the baseline, \(candidate ?? "not set") in the candidate"
    }
}

extension ManifestDifference {
    /// Every setting in which the two manifests differ, in `DifferenceKind` order, then by field.
    public static func between(_ base: RunManifest, _ candidate: RunManifest) -> [ManifestDifference] {
        var differences: [ManifestDifference] = []
        let keys = Set(base.target.params.keys).union(candidate.target.params.keys).sorted()
        for key in keys {
            let old = base.target.params[key]
            let new = candidate.target.params[key]
            if let old, let new, old.equalsByValue(new) { continue }
            differences.append(
                ManifestDifference(
                    kind: .params, field: "params.\(key)", base: old.map(CanonicalJSON.string),
                    candidate: new.map(CanonicalJSON.string)))
        }
        let names = Set(base.suites.map(\.name)).union(candidate.suites.map(\.name)).sorted()
        for name in names {
            let old = base.suite(named: name)?.contentHash
            let new = candidate.suite(named: name)?.contentHash
            if old != new {
                differences.append(
                    ManifestDifference(
                        kind: .suites, field: "suites.\(name)", base: old.map { "content hash \($0.prefix(12))" },
                        candidate: new.map { "content hash \($0.prefix(12))" }))
            }
        }
        if base.scorerVersion != candidate.scorerVersion {
            differences.append(
                ManifestDifference(
                    kind: .scorer, field: "scorer_version", base: base.scorerVersion, candidate: candidate.scorerVersion
                ))
        }
        if base.repeats != candidate.repeats {
            differences.append(
                ManifestDifference(
                    kind: .repeats, field: "repeats", base: "\(base.repeats)", candidate: "\(candidate.repeats)"))
        }
        if base.seed != candidate.seed {
            differences.append(
                ManifestDifference(
                    kind: .seed, field: "seed", base: base.seed.map { "\($0)" },
                    candidate: candidate.seed.map { "\($0)" }))
        }
        let oldStream = base.target.stream ?? false
        let newStream = candidate.target.stream ?? false
        if oldStream != newStream {
            differences.append(
                ManifestDifference(kind: .stream, field: "stream", base: "\(oldStream)", candidate: "\(newStream)"))
        }
        let oldJudges = JudgeTrust.descriptions(of: base)
        let newJudges = JudgeTrust.descriptions(of: candidate)
        if Set(oldJudges.keys) != Set(newJudges.keys) {
            let text = { (judges: [String: String]) in
                judges.isEmpty ? nil : judges.keys.sorted().map { judges[$0]! }.joined(separator: ", ")
            }
            differences.append(
                ManifestDifference(kind: .judges, field: "judges", base: text(oldJudges), candidate: text(newJudges)))
        }
        return differences
    }
}
