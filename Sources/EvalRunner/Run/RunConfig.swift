public import EvalCore
import Foundation

/// `evalgate.yaml`: the suites, the targets and how to run them, so that CI and people run the same thing.
///
/// ```yaml
/// suites: [EvalSets/support-ru-golden, EvalSets/base-skills]
/// out: Reports/runs
/// concurrency: 16
/// repeats: 1
/// seed: 42
/// defaults:                 # under every target
///   base_url: http://localhost:8000/v1
///   params: {temperature: 0}
/// targets:
///   - label: v1.2
///     model: support-lora-v1.2
///   - label: v1.3
///     model: support-lora-v1.3
///     revision: ckpt-300       # the weights behind the name: keys the response cache
///     concurrency: 8
/// ```
/// Relative paths are relative to the file's folder. Every problem is reported at its line and column; an unknown
/// key is an error with a "did you mean".
public struct RunConfig: Sendable, Hashable {
    /// The settings a target can have; every field optional so that flags and `defaults` can fill in.
    public struct TargetFields: Sendable, Hashable {
        public var label: String?
        public var model: String?
        /// What the weights behind the model name are (an adapter path, a checkpoint hash, a date): keys the cache.
        public var revision: String?
        public var baseURL: String?
        public var apiKeyEnv: String?
        public var headers: [String: String] = [:]
        public var secretHeaders: [String: String] = [:]
        public var query: [String: String] = [:]
        /// Query item name → environment variable holding its (secret) value.
        public var secretQuery: [String: String] = [:]
        public var params: [String: JSONValue] = [:]
        public var stream: Bool?
        public var concurrency: Int?
        public var requestsPerSecond: Double?
        public var tokensPerMinute: Int?
        public var timeout: Double?
        public var connectTimeout: Double?
        public var idleTimeout: Double?

        public init() {}

        /// `self` with `other`'s fields on top (maps merged key by key).
        public func overlaid(by other: TargetFields) -> TargetFields {
            var merged = self
            merged.label = other.label ?? label
            merged.model = other.model ?? model
            merged.revision = other.revision ?? revision
            merged.baseURL = other.baseURL ?? baseURL
            merged.apiKeyEnv = other.apiKeyEnv ?? apiKeyEnv
            merged.headers.merge(other.headers) { _, new in new }
            merged.secretHeaders.merge(other.secretHeaders) { _, new in new }
            merged.query.merge(other.query) { _, new in new }
            merged.secretQuery.merge(other.secretQuery) { _, new in new }
            merged.params.merge(other.params) { _, new in new }
            merged.stream = other.stream ?? stream
            merged.concurrency = other.concurrency ?? concurrency
            merged.requestsPerSecond = other.requestsPerSecond ?? requestsPerSecond
            merged.tokensPerMinute = other.tokensPerMinute ?? tokensPerMinute
            merged.timeout = other.timeout ?? timeout
            merged.connectTimeout = other.connectTimeout ?? connectTimeout
            merged.idleTimeout = other.idleTimeout ?? idleTimeout
            return merged
        }

        static let keys = [
            "label", "model", "revision", "base_url", "api_key_env", "headers", "secret_headers", "query",
            "secret_query",
            "params", "stream",
            "concurrency", "rps", "tpm", "timeout", "connect_timeout", "idle_timeout",
        ]
    }

    public var path: String
    public var suites: [String] = []
    public var out: String?
    public var concurrency: Int?
    public var repeats: Int?
    public var seed: Int64?
    public var maxErrorRate: Double?
    /// The bounds on 429s (`--rate-limit-requeues`, `--rate-limit-budget`, `--rate-limit-wait` win over these).
    public var rateLimitRequeues: Int?
    public var rateLimitBudget: Int?
    public var rateLimitWait: Double?
    public var cacheDirectory: String?
    public var cache: Bool?
    public var defaults = TargetFields()
    public var targets: [TargetFields] = []
    /// The judge targets that `judge` checks name by label; they take `defaults` as targets do.
    public var judges: [TargetFields] = []

    static let keys = [
        "suites", "out", "concurrency", "repeats", "seed", "max_error_rate", "rate_limit_requeues", "rate_limit_budget",
        "rate_limit_wait", "cache_dir", "cache", "defaults", "targets", "judges",
    ]

    public init(path: String) {
        self.path = path
    }

    /// Reads and checks the file; all its problems at once, as located diagnostics.
    public static func load(path: String) -> (config: RunConfig?, diagnostics: [Diagnostic]) {
        read(
            LocatedYAML.load(
                path: path, unreadable: "cannot read the config file", notUTF8: "the config file is not valid UTF-8"))
    }

    public static func parse(_ text: String, path: String) -> (config: RunConfig?, diagnostics: [Diagnostic]) {
        read(LocatedYAML.parse(text, path: path))
    }

    private static func read(_ parsed: (yaml: LocatedYAML?, diagnostics: [Diagnostic])) -> (
        config: RunConfig?, diagnostics: [Diagnostic]
    ) {
        let (yaml, yamlDiagnostics) = parsed
        guard let yaml else { return (nil, yamlDiagnostics) }
        let path = yaml.path
        var reader = yaml.reader(wording: .runConfig, diagnostics: yamlDiagnostics.filter { !$0.isError })
        var config = RunConfig(path: path)
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") || folder.isEmpty ? relative : folder + "/" + relative
        }
        guard let root = reader.object(yaml.root, at: .root, known: keys, expected: "a mapping") else {
            return (nil, reader.diagnostics)
        }
        if let suites = root["suites"] {
            config.suites = reader.strings(
                suites, at: ["suites"], expected: "a list of strings", single: true, nonEmpty: true
            )
            .map(resolve)
        }
        config.out = root["out"].flatMap { reader.string($0, at: ["out"], nonEmpty: true) }.map(resolve)
        config.concurrency = root["concurrency"].flatMap {
            reader.int($0, at: ["concurrency"], limits: RunLimits.concurrency)
        }
        config.repeats = root["repeats"].flatMap { reader.int($0, at: ["repeats"], limits: RunLimits.repeats) }
        config.seed = root["seed"].flatMap { reader.int($0, at: ["seed"], wholeDoubles: false) }.map(Int64.init)
        config.maxErrorRate = root["max_error_rate"].flatMap {
            reader.number($0, at: ["max_error_rate"], expected: "a number from 0 to 1", in: 0...1)
        }
        config.rateLimitRequeues = root["rate_limit_requeues"].flatMap {
            reader.int($0, at: ["rate_limit_requeues"], limits: RunLimits.rateLimitRequeues)
        }
        config.rateLimitBudget = root["rate_limit_budget"].flatMap {
            reader.int($0, at: ["rate_limit_budget"], limits: RunLimits.rateLimitBudget)
        }
        config.rateLimitWait = root["rate_limit_wait"].flatMap { reader.seconds($0, at: ["rate_limit_wait"]) }
        config.cacheDirectory = root["cache_dir"].flatMap { reader.string($0, at: ["cache_dir"], nonEmpty: true) }
            .map(resolve)
        config.cache = root["cache"].flatMap { reader.bool($0, at: ["cache"]) }
        if let defaults = root["defaults"] {
            config.defaults = reader.target(defaults, at: ["defaults"], requireIdentity: false)
        }
        // Judges are targets too (the model a judge check asks), read the same way.
        for (key, noun) in [("targets", "target"), ("judges", "judge")] {
            guard let list = root[key] else { continue }
            guard let items = list.arrayValue else {
                reader.mistyped([.key(key)], expected: "a list of \(noun)s", found: list)
                continue
            }
            var labels: Set<String> = []
            for (index, item) in items.enumerated() {
                let fields = reader.target(item, at: [.key(key), .index(index)], requireIdentity: true)
                if let label = fields.label, !labels.insert(label).inserted {
                    reader.error("duplicate \(noun) label '\(label)'", at: [.key(key), .index(index), "label"])
                }
                if key == "targets" { config.targets.append(fields) } else { config.judges.append(fields) }
            }
        }
        let errors = reader.diagnostics.contains(where: \.isError)
        return (errors ? nil : config, reader.diagnostics)
    }
}

extension DocumentReader.Wording {
    /// `"targets[0].rps" expects a number, found string`; `"concurrency" must be between 1 and 10000, found 0`.
    static var runConfig: Self {
        @Sendable func name(_ field: String) -> String { field.isEmpty ? "the file" : "\"\(field)\"" }
        return Self(
            number: RunLimits.text,
            mistyped: { field, expected, found in "\(name(field)) expects \(expected), found \(found)" },
            outOfRange: { field, range, found in "\(name(field)) must be \(range), found \(found)" })
    }
}

/// The fields of `evalgate.yaml` that are more than a type: ranges from `RunLimits`, header maps and targets.
extension DocumentReader {
    /// An integer within `range`, named in the message as `RunLimits` names it (`between 1 and 10000`).
    fileprivate mutating func int(_ value: JSONValue, at path: FieldPath, limits range: ClosedRange<Int>) -> Int? {
        int(value, at: path, in: range, described: RunLimits.between(range), wholeDoubles: false)
    }

    /// A number within `range` (NaN and infinities are outside every range); `unit` ends the range's name.
    fileprivate mutating func number(
        _ value: JSONValue, at path: FieldPath, limits range: ClosedRange<Double>, unit: String = ""
    ) -> Double? {
        number(value, at: path, in: range, described: RunLimits.between(range, unit: unit))
    }

    fileprivate mutating func seconds(_ value: JSONValue, at path: FieldPath) -> Double? {
        number(value, at: path, limits: RunLimits.seconds, unit: "seconds")
    }

    fileprivate mutating func stringMap(_ value: JSONValue, at path: FieldPath) -> [String: String] {
        guard let fields = object(value, at: path, expected: "a mapping of names to strings") else { return [:] }
        var map: [String: String] = [:]
        for (key, item) in fields {
            switch item {
            case .string(let text): map[key] = text
            case .int(let number): map[key] = String(number)
            default: mistyped(path.appending(key), expected: "a string", found: item)
            }
        }
        return map
    }

    fileprivate mutating func target(_ value: JSONValue, at path: FieldPath, requireIdentity: Bool)
        -> RunConfig.TargetFields
    {
        var fields = RunConfig.TargetFields()
        guard let object = object(value, at: path, known: RunConfig.TargetFields.keys, expected: "a mapping") else {
            return fields
        }
        func string(_ key: String) -> String? {
            object[key].flatMap { self.string($0, at: path.appending(key), nonEmpty: true) }
        }
        fields.label = string("label")
        fields.model = string("model")
        fields.revision = string("revision")
        if requireIdentity {
            if object["label"] == nil {
                error("a target needs a \"label\" (its name in reports, e.g. v1.3)", at: path)
            }
            if object["model"] == nil {
                error("a target needs a \"model\" (the model name the server knows)", at: path)
            }
        }
        fields.baseURL = string("base_url")
        if let url = fields.baseURL {
            // Checked here, where the line is known, as the client would check it.
            do {
                try ChatEndpoint(baseURL: url).validate()
            } catch {
                self.error("\"\(path.appending("base_url"))\": \(error.message)", at: path.appending("base_url"))
            }
        }
        fields.apiKeyEnv = string("api_key_env")
        fields.headers = object["headers"].map { stringMap($0, at: path.appending("headers")) } ?? [:]
        fields.secretHeaders =
            object["secret_headers"].map { stringMap($0, at: path.appending("secret_headers")) } ?? [:]
        fields.query = object["query"].map { stringMap($0, at: path.appending("query")) } ?? [:]
        fields.secretQuery = object["secret_query"].map { stringMap($0, at: path.appending("secret_query")) } ?? [:]
        if let params = object["params"] {
            fields.params =
                self.object(params, at: path.appending("params"), expected: "a mapping of request params") ?? [:]
        }
        fields.stream = object["stream"].flatMap { bool($0, at: path.appending("stream")) }
        fields.concurrency = object["concurrency"].flatMap {
            int($0, at: path.appending("concurrency"), limits: RunLimits.concurrency)
        }
        fields.requestsPerSecond = object["rps"].flatMap {
            number($0, at: path.appending("rps"), limits: RunLimits.requestsPerSecond)
        }
        fields.tokensPerMinute = object["tpm"].flatMap {
            int($0, at: path.appending("tpm"), limits: RunLimits.tokensPerMinute)
        }
        fields.timeout = object["timeout"].flatMap { seconds($0, at: path.appending("timeout")) }
        fields.connectTimeout = object["connect_timeout"].flatMap { seconds($0, at: path.appending("connect_timeout")) }
        fields.idleTimeout = object["idle_timeout"].flatMap { seconds($0, at: path.appending("idle_timeout")) }
        return fields
    }
}
