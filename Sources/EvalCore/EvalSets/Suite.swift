/// What a suite is for. The gate policy decides what each kind means for a release; the loader only checks the name.
public enum SuiteKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Prompts with known good answers: any regression is a release blocker.
    case golden
    /// Broader quality measurement: scores are compared between versions.
    case eval
    /// Checks of a base model or checkpoint before any adapter (format, refusals, basic behaviour).
    case base
    /// Cases drawn from the training data: measured beside the held-out `eval` suites, the gap between the two pass
    /// rates shows overfitting (`report`, `compare`, the gate's `overfitting.max_gap`).
    case trainSample = "train-sample"
}

/// What `suite.yaml` gives every case of the suite.
public struct SuiteDefaults: Sendable, Hashable {
    /// Applied to every case before its own checks, unless the case says `"inherit_checks": false`.
    public var checks: [CheckSpec]
    /// Request params merged under each case's own (the case wins, key by key).
    public var params: [String: JSONValue]
    /// Put before each case's own tags.
    public var tags: [String]
    /// The system prompt of every case that has none of its own (no `system` field and no system or developer
    /// message in its prompt).
    public var system: String?
    /// Data every case's answer may rely on (the policy, the price list), before each case's own facts.
    public var facts: [String]

    public init(
        checks: [CheckSpec] = [], params: [String: JSONValue] = [:], tags: [String] = [], system: String? = nil,
        facts: [String] = []
    ) {
        self.checks = checks
        self.params = params
        self.tags = tags
        self.system = system
        self.facts = facts
    }

    /// The canonical form that enters the suite's content hash (`system` only when set, so that the hashes of
    /// suites without one stay what they were).
    public var canonicalJSON: JSONValue {
        var fields: [String: JSONValue] = [
            "checks": .array(checks.map(\.json)),
            "params": .object(params),
            "tags": .array(tags.map(JSONValue.string)),
        ]
        if let system { fields["system"] = .string(system) }
        return .object(fields)
    }
}

/// One eval set as loaded from `EvalSets/<suite>/`: `suite.yaml` plus the cases of `cases.jsonl`, in file order,
/// with the suite's defaults already applied to each case.
public struct Suite: Sendable, Hashable {
    public let name: String
    public let kind: SuiteKind
    public let description: String?
    public let defaults: SuiteDefaults
    public let cases: [EvalCase]
    /// The suite's folder, as it was named when loading.
    public let directory: String
    /// SHA-256 (64 hex digits) of the canonical form: hash-format version, name, kind, defaults and every case's
    /// hash in file order. It changes when any case or default changes, and not when only whitespace, key order or
    /// the description changes. The run manifest records it.
    public let contentHash: String

    /// Bumped whenever the canonical form changes, so that hashes of different forms never compare equal.
    public static let hashFormatVersion = 1

    public init(
        name: String,
        kind: SuiteKind,
        description: String? = nil,
        defaults: SuiteDefaults = SuiteDefaults(),
        cases: [EvalCase],
        directory: String
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.defaults = defaults
        self.cases = cases
        self.directory = directory
        self.contentHash = Self.contentHash(
            name: name, kind: kind, defaults: defaults, caseHashes: cases.map(\.contentHash))
    }

    /// The suite's content hash from its parts (shared with `LazySuite`, which keeps only the cases' hashes).
    static func contentHash(name: String, kind: SuiteKind, defaults: SuiteDefaults, caseHashes: [String]) -> String {
        CanonicalJSON.sha256(
            .object([
                "format": .int(Int64(hashFormatVersion)),
                "name": .string(name),
                "kind": .string(kind.rawValue),
                "defaults": defaults.canonicalJSON,
                "cases": .array(caseHashes.map { .string($0) }),
            ])
        )
    }

    /// The case with this id.
    public func evalCase(id: String) -> EvalCase? {
        cases.first { $0.id == id }
    }
}
