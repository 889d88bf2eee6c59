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
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [.error("cannot read the gate policy", path: path)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [.error("the gate policy is not UTF-8 text", path: path)])
        }
        return parse(text, path: path)
    }

    /// Parses a policy; nil with the diagnostics when anything is wrong (all problems at once).
    public static func parse(_ text: String, path: String) -> (policy: GatePolicy?, diagnostics: [Diagnostic]) {
        let (yaml, syntax) = LocatedYAML.parse(text, path: path)
        guard let yaml else { return (nil, syntax) }
        var reader = PolicyReader(yaml: yaml)
        let policy = reader.read()
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

/// Reads the YAML tree field by field, collecting located problems.
private struct PolicyReader {
    let yaml: LocatedYAML
    var diagnostics: [Diagnostic] = []

    static let sections: [String: [String]] = [
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

    mutating func read() -> GatePolicy {
        var policy = GatePolicy()
        guard case .object(let root) = yaml.root else {
            if yaml.root != .null {
                diagnostics.append(
                    yaml.error("expected a mapping of policy sections, found \(yaml.root.typeName)", at: []))
            }
            return policy
        }
        unknownKeys(root, allowed: ["version"] + Self.sections.keys.sorted() + ["levels"], at: [])
        if let version = root["version"], version != .int(1) {
            diagnostics.append(yaml.error("\"version\" must be 1, found \(describe(version))", at: ["version"]))
        }
        for name in Self.sections.keys.sorted() {
            // An empty section (`eval:` with nothing under it) keeps its defaults.
            guard let value = root[name], value != .null else { continue }
            guard case .object(let fields) = value else {
                diagnostics.append(
                    yaml.error("\"\(name)\" expected a mapping, found \(value.typeName)", at: [.key(name)]))
                continue
            }
            unknownKeys(fields, allowed: Self.sections[name]!, at: [.key(name)])
        }
        if let value = field("golden", "max_regressions") {
            if case .int(let count) = value, count >= 0 {
                policy.goldenMaxRegressions = Int(count)
            } else {
                wrong("golden", "max_regressions", "a whole number of at least 0", value)
            }
        }
        policy.goldenMinPassRate = optionalFraction(
            "golden", "min_pass_rate", "a rate", current: policy.goldenMinPassRate)
        policy.evalMinPassRate = optionalFraction("eval", "min_pass_rate", "a rate", current: policy.evalMinPassRate)
        if let value = field("regressions", "alpha") {
            if let alpha = fraction(value), alpha > 0, alpha < 1 {
                policy.alpha = alpha
            } else {
                wrong("regressions", "alpha", "a number between 0 and 1", value)
            }
        }
        if let value = field("regressions", "min_effect") {
            if let effect = fraction(value) {
                policy.minEffect = effect
            } else {
                wrong("regressions", "min_effect", "a rate from 0 to 1", value)
            }
        }
        for (name, code) in [("new_pii", "findings.new_pii"), ("new_promises", "findings.new_promise")] {
            guard let value = field("findings", name) else { continue }
            switch value {
            case .string("fail"): break
            case .string("warn"): policy.levels[code] = .warn
            case .string("allow"):
                if name == "new_pii" { policy.failOnNewPII = false } else { policy.failOnNewPromises = false }
            default: wrong("findings", name, "'fail', 'warn' or 'allow'", value)
            }
        }
        if let value = field("errors", "max_rate") {
            if let rate = fraction(value) {
                policy.maxErrorRate = rate
            } else {
                wrong("errors", "max_rate", "a rate from 0 to 1", value)
            }
        }
        if let value = field("errors", "allow_incomplete") {
            if case .bool(let allow) = value {
                policy.allowIncomplete = allow
            } else {
                wrong("errors", "allow_incomplete", "true or false", value)
            }
        }
        if let value = field("truncation", "max_rate") {
            if let rate = fraction(value) {
                policy.maxTruncatedRate = rate
            } else {
                wrong("truncation", "max_rate", "a rate from 0 to 1", value)
            }
        }
        readLevels(into: &policy)
        if let value = field("judges", "min_labels") {
            if case .int(let count) = value, count >= 1, count <= 1_000_000 {
                policy.judgesMinLabels = Int(count)
            } else {
                wrong("judges", "min_labels", "a whole number from 1 to 1000000", value)
            }
        }
        if let value = field("judges", "min_kappa") {
            if let kappa = value.doubleValue, kappa >= -1, kappa <= 1 {
                policy.judgesMinKappa = kappa
            } else {
                wrong("judges", "min_kappa", "a kappa from -1 to 1", value)
            }
        }
        if let value = field("contamination", "max_cases") {
            if case .int(let count) = value, count >= 0 {
                policy.contaminationMaxCases = Int(count)
            } else if value != .null {
                wrong("contamination", "max_cases", "a whole number of at least 0", value)
            }
        }
        policy.overfittingMaxGap = optionalFraction(
            "overfitting", "max_gap", "a gap", current: policy.overfittingMaxGap)
        return policy
    }

    /// `levels:`: a mapping of rule codes to `fail` or `warn`.
    mutating func readLevels(into policy: inout GatePolicy) {
        guard let value = yaml.root["levels"], value != .null else { return }
        guard case .object(let fields) = value else {
            diagnostics.append(
                yaml.error(
                    "\"levels\" expected a mapping of rule codes to 'fail' or 'warn', found \(value.typeName)",
                    at: [.key("levels")]))
            return
        }
        let codes = GatePolicy.ruleCodes + GatePolicy.inputRuleCodes
        unknownKeys(fields, allowed: codes, at: [.key("levels")])
        for code in fields.keys.sorted() where codes.contains(code) {
            let level = fields[code]!
            if let name = level.stringValue, let parsed = RuleLevel(rawValue: name) {
                // `levels` wins over `findings.new_*: warn`, as the more specific setting.
                if parsed == .fail { policy.levels[code] = nil } else { policy.levels[code] = parsed }
            } else {
                diagnostics.append(
                    yaml.error(
                        "\"levels.\(code)\" expected 'fail' or 'warn', found \(describe(level))",
                        at: [.key("levels"), .key(code)]))
            }
        }
    }

    func field(_ section: String, _ name: String) -> JSONValue? {
        yaml.root[section]?[name]
    }

    /// A fraction from 0 to 1, or null to turn its rule off; `current` when the field is absent or wrong (and then
    /// the problem is recorded).
    mutating func optionalFraction(_ section: String, _ name: String, _ what: String, current: Double?) -> Double? {
        guard let value = field(section, name) else { return current }
        if value == .null { return nil }
        if let rate = fraction(value) { return rate }
        wrong(section, name, "\(what) from 0 to 1 (or null to turn it off)", value)
        return current
    }

    func fraction(_ value: JSONValue) -> Double? {
        guard let number = value.doubleValue, number >= 0, number <= 1 else { return nil }
        return number
    }

    mutating func wrong(_ section: String, _ name: String, _ expected: String, _ value: JSONValue) {
        diagnostics.append(
            yaml.error(
                "\"\(section).\(name)\" expected \(expected), found \(describe(value))",
                at: [.key(section), .key(name)]))
    }

    func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "'\(text)'"
        case .int(let number): return "\(number)"
        case .double(let number): return "\(number)"
        case .bool(let flag): return "\(flag)"
        default: return value.typeName
        }
    }

    mutating func unknownKeys(_ fields: [String: JSONValue], allowed: [String], at path: [LocatedYAML.PathComponent]) {
        for key in fields.keys.sorted() where !allowed.contains(key) {
            var message = "unknown field \"\(key)\""
            message += didYouMean(closestName(to: key, in: allowed))
            message += "; expected one of " + allowed.map { "\"\($0)\"" }.joined(separator: ", ")
            diagnostics.append(yaml.error(message, at: path + [.key(key)], atKey: true))
        }
    }
}
