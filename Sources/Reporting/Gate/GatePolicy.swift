public import EvalCore
import Foundation

/// What a candidate must satisfy to ship, read from `gate.yaml`; every field has a default, so an empty file (or
/// no file) is the default policy:
///
/// ```yaml
/// version: 1
/// golden:
///   max_regressions: 0      # golden cases that may regress (0: any golden regression fails)
///   min_pass_rate: 1.0      # the candidate's golden pass rate, whatever the baseline did; null turns it off
/// eval:
///   min_pass_rate: 0.80     # the candidate's eval-suite pass rate; null turns the rule off
/// regressions:
///   alpha: 0.05             # a tag, suite or kind fails on a paired-test regression at this level...
///   min_effect: 0.02        # ...that is at least this big (2 percentage points)
/// findings:
///   new_pii: fail           # fail | warn | allow: a PII rule in the candidate's answers that none of the baseline's had
///   new_promises: fail      # fail | warn | allow: banned promises likewise
/// errors:
///   max_rate: 0.05          # errored requests per run, at most (exit 3 beyond)
///   allow_incomplete: false # a run with fewer results than its manifest expects fails with exit 3
/// truncation:
///   max_rate: 0.05          # answers cut off by the token limit (finish_reason: length) per run, at most
/// levels:                   # any rule: fail (the default) or warn (listed, exit 0)
///   regression.significant: warn
/// judges:
///   min_labels: 50          # a verdict resting on a judge needs this many labels of it (exit 3 below)...
///   min_kappa: 0.6          # ...and this Cohen's kappa against people (exit 3 below)
/// contamination:
///   max_cases: 0            # eval cases found in the training data (`gate --contamination REPORT.json`); unset: not checked
/// overfitting:
///   max_gap: 0.10           # train-sample pass rate minus held-out eval pass rate, at most; off unless set
/// ```
public struct GatePolicy: Sendable, Hashable, Encodable {
    /// Every rule of the gate, in the order it checks them.
    public static let ruleCodes = [
        "golden.regression", "golden.pass_rate", "eval.pass_rate", "regression.significant", "findings.new_pii",
        "findings.new_promise", "errors.rate", "truncation.rate", "run.incomplete", "overfitting.gap",
    ]
    /// Rules checked only when their input is given (`gate --contamination REPORT`); `levels` may name them too.
    public static let inputRuleCodes = ["contamination.cases"]

    public var goldenMaxRegressions = 0
    public var goldenMinPassRate: Double? = 1.0
    public var evalMinPassRate: Double? = 0.8
    public var alpha = 0.05
    public var minEffect = 0.02
    public var failOnNewPII = true
    public var failOnNewPromises = true
    public var maxErrorRate = 0.05
    public var allowIncomplete = false
    public var maxTruncatedRate = 0.05
    /// Rules whose level is not `fail`, by code.
    public var levels: [String: RuleLevel] = [:]
    public var judgesMinLabels = 50
    public var judgesMinKappa = 0.6
    /// Eval cases the contamination report may list; nil: checked (at 0) only when a report is given.
    public var contaminationMaxCases: Int?
    /// The candidate's train-sample pass rate may exceed its held-out eval pass rate by at most this; nil: no rule.
    public var overfittingMaxGap: Double?

    public init() {}

    public static let `default` = GatePolicy()

    /// The level of the rule `code`: `fail` unless the policy says otherwise.
    public func level(of code: String) -> RuleLevel { levels[code] ?? .fail }

    enum CodingKeys: String, CodingKey {
        case goldenMaxRegressions = "golden_max_regressions"
        case goldenMinPassRate = "golden_min_pass_rate"
        case evalMinPassRate = "eval_min_pass_rate"
        case alpha
        case minEffect = "min_effect"
        case failOnNewPII = "fail_on_new_pii"
        case failOnNewPromises = "fail_on_new_promises"
        case maxErrorRate = "max_error_rate"
        case allowIncomplete = "allow_incomplete"
        case maxTruncatedRate = "max_truncated_rate"
        case levels
        case judgesMinLabels = "judges_min_labels"
        case judgesMinKappa = "judges_min_kappa"
        case contaminationMaxCases = "contamination_max_cases"
        case overfittingMaxGap = "overfitting_max_gap"
    }

    /// Reads a policy file; every problem is a located diagnostic.
    public static func load(path: String) -> (policy: GatePolicy?, diagnostics: [Diagnostic]) {
        read(
            LocatedYAML.load(
                path: path, unreadable: "cannot read the gate policy", notUTF8: "the gate policy is not UTF-8 text"))
    }

    /// Parses a policy; nil with the diagnostics when anything is wrong (all problems at once).
    public static func parse(_ text: String, path: String) -> (policy: GatePolicy?, diagnostics: [Diagnostic]) {
        read(LocatedYAML.parse(text, path: path))
    }

    private static func read(_ parsed: (yaml: LocatedYAML?, diagnostics: [Diagnostic])) -> (
        policy: GatePolicy?, diagnostics: [Diagnostic]
    ) {
        let (yaml, syntax) = parsed
        guard let yaml else { return (nil, syntax) }
        var reader = PolicyReader(reader: yaml.reader(wording: .gatePolicy))
        let policy = reader.read(yaml.root)
        return reader.diagnostics.isEmpty ? (policy, []) : (nil, reader.diagnostics)
    }
}

/// How a failed gate rule counts.
public enum RuleLevel: String, Sendable, Hashable, Encodable, CaseIterable {
    /// The gate fails (exit 1, or 3 for an infrastructure rule).
    case fail
    /// The failure is listed as a warning and the gate passes (exit 0).
    case warn
}

extension DocumentReader.Wording {
    /// `"regressions.alpha" expected a number between 0 and 1, found 'high'`: values shown as written.
    fileprivate static var gatePolicy: Self {
        Self(showsValues: true) { field, expected, found in
            field.isEmpty ? "expected \(expected), found \(found)" : "\"\(field)\" expected \(expected), found \(found)"
        }
    }
}

/// Reads the YAML tree field by field, collecting located problems.
private struct PolicyReader {
    var reader: DocumentReader
    /// The sections that are mappings, by name.
    var sections: [String: [String: JSONValue]] = [:]

    var diagnostics: [Diagnostic] { reader.diagnostics }

    static let sectionKeys: [String: [String]] = [
        "golden": ["max_regressions", "min_pass_rate"],
        "eval": ["min_pass_rate"],
        "regressions": ["alpha", "min_effect"],
        "findings": ["new_pii", "new_promises"],
        "errors": ["max_rate", "allow_incomplete"],
        "truncation": ["max_rate"],
        "judges": ["min_labels", "min_kappa"],
        "contamination": ["max_cases"],
        "overfitting": ["max_gap"],
    ]

    mutating func read(_ document: JSONValue) -> GatePolicy {
        var policy = GatePolicy()
        guard document != .null else { return policy }
        let known = ["version"] + Self.sectionKeys.keys.sorted() + ["levels"]
        guard let root = reader.object(document, at: .root, known: known, expected: "a mapping of policy sections")
        else { return policy }
        if let version = root["version"], version != .int(1) {
            reader.error("\"version\" must be 1, found \(reader.shown(version))", at: ["version"])
        }
        for name in Self.sectionKeys.keys.sorted() {
            // An empty section (`eval:` with nothing under it) keeps its defaults.
            guard let value = root[name], value != .null else { continue }
            sections[name] = reader.object(
                value, at: [.key(name)], known: Self.sectionKeys[name]!, expected: "a mapping")
        }
        let atLeastZero = "a whole number of at least 0"
        if let count = read(
            "golden", "max_regressions",
            { r, v, p in
                r.int(v, at: p, expected: atLeastZero, in: 0...Int.max, wholeDoubles: false)
            })
        {
            policy.goldenMaxRegressions = count
        }
        policy.goldenMinPassRate = optionalFraction(
            "golden", "min_pass_rate", "a rate", current: policy.goldenMinPassRate)
        policy.evalMinPassRate = optionalFraction("eval", "min_pass_rate", "a rate", current: policy.evalMinPassRate)
        // Between 0 and 1, both left out.
        policy.alpha =
            read("regressions", "alpha") { r, v, p in
                r.number(v, at: p, expected: "a number between 0 and 1", in: (0.0).nextUp...(1.0).nextDown)
            } ?? policy.alpha
        policy.minEffect = rate("regressions", "min_effect") ?? policy.minEffect
        for (name, code) in [("new_pii", "findings.new_pii"), ("new_promises", "findings.new_promise")] {
            let setting = read("findings", name) { r, v, p in
                r.choice(v, at: p, of: ["fail", "warn", "allow"], expected: "'fail', 'warn' or 'allow'")
            }
            switch setting {
            case "warn": policy.levels[code] = .warn
            case "allow":
                if name == "new_pii" { policy.failOnNewPII = false } else { policy.failOnNewPromises = false }
            default: break
            }
        }
        policy.maxErrorRate = rate("errors", "max_rate") ?? policy.maxErrorRate
        policy.allowIncomplete =
            read("errors", "allow_incomplete") { r, v, p in r.bool(v, at: p) } ?? policy.allowIncomplete
        policy.maxTruncatedRate = rate("truncation", "max_rate") ?? policy.maxTruncatedRate
        readLevels(root["levels"], into: &policy)
        policy.judgesMinLabels =
            read("judges", "min_labels") { r, v, p in
                r.int(v, at: p, expected: "a whole number from 1 to 1000000", in: 1...1_000_000, wholeDoubles: false)
            } ?? policy.judgesMinLabels
        policy.judgesMinKappa =
            read("judges", "min_kappa") { r, v, p in
                r.number(v, at: p, expected: "a kappa from -1 to 1", in: -1...1)
            } ?? policy.judgesMinKappa
        if let value = sections["contamination"]?["max_cases"], value != .null {
            policy.contaminationMaxCases = reader.int(
                value, at: ["contamination", "max_cases"], expected: atLeastZero, in: 0...Int.max, wholeDoubles: false)
        }
        policy.overfittingMaxGap = optionalFraction(
            "overfitting", "max_gap", "a gap", current: policy.overfittingMaxGap)
        return policy
    }

    /// `levels:`: a mapping of rule codes to `fail` or `warn`.
    mutating func readLevels(_ value: JSONValue?, into policy: inout GatePolicy) {
        guard let value, value != .null else { return }
        let codes = GatePolicy.ruleCodes + GatePolicy.inputRuleCodes
        let expected = "a mapping of rule codes to 'fail' or 'warn'"
        guard let fields = reader.object(value, at: ["levels"], known: codes, expected: expected) else { return }
        for code in fields.keys.sorted() where codes.contains(code) {
            let name = reader.choice(
                fields[code]!, at: ["levels", .key(code)], of: ["fail", "warn"], expected: "'fail' or 'warn'")
            // `levels` wins over `findings.new_*: warn`, as the more specific setting.
            switch name.flatMap(RuleLevel.init(rawValue:)) {
            case .fail?: policy.levels[code] = nil
            case let level?: policy.levels[code] = level
            case nil: break
            }
        }
    }

    /// The field `name` of `section`, read by `read` when it is given; nil when absent or wrong (then recorded).
    mutating func read<T>(
        _ section: String, _ name: String, _ read: (inout DocumentReader, JSONValue, FieldPath) -> T?
    ) -> T? {
        guard let value = sections[section]?[name] else { return nil }
        return read(&reader, value, [.key(section), .key(name)])
    }

    mutating func rate(_ section: String, _ name: String) -> Double? {
        read(section, name) { r, v, p in r.number(v, at: p, expected: "a rate from 0 to 1", in: 0...1) }
    }

    /// A fraction from 0 to 1, or null to turn its rule off; `current` when the field is absent or wrong (and then
    /// the problem is recorded).
    mutating func optionalFraction(_ section: String, _ name: String, _ what: String, current: Double?) -> Double? {
        guard let value = sections[section]?[name] else { return current }
        if value == .null { return nil }
        return read(section, name) { r, v, p in
            r.number(v, at: p, expected: "\(what) from 0 to 1 (or null to turn it off)", in: 0...1)
        } ?? current
    }
}
