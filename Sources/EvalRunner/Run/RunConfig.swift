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
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [.error("cannot read the config file", path: path)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [.error("the config file is not valid UTF-8", path: path)])
        }
        return parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) -> (config: RunConfig?, diagnostics: [Diagnostic]) {
        let (yaml, yamlDiagnostics) = LocatedYAML.parse(text, path: path)
        guard let yaml else { return (nil, yamlDiagnostics) }
        var reader = Reader(yaml: yaml, diagnostics: yamlDiagnostics.filter { !$0.isError })
        var config = RunConfig(path: path)
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ relative: String) -> String {
            relative.hasPrefix("/") || folder.isEmpty ? relative : folder + "/" + relative
        }
        guard let root = reader.object(yaml.root, at: [], keys: keys) else { return (nil, reader.diagnostics) }
        if let suites = root["suites"] {
            config.suites = reader.strings(suites, at: ["suites"]).map(resolve)
        }
        config.out = root["out"].flatMap { reader.string($0, at: ["out"]) }.map(resolve)
        config.concurrency = root["concurrency"].flatMap {
            reader.int($0, at: ["concurrency"], in: RunLimits.concurrency)
        }
        config.repeats = root["repeats"].flatMap { reader.int($0, at: ["repeats"], in: RunLimits.repeats) }
        config.seed = root["seed"].flatMap { reader.int($0, at: ["seed"], minimum: Int.min) }.map(Int64.init)
        config.maxErrorRate = root["max_error_rate"].flatMap { reader.fraction($0, at: ["max_error_rate"]) }
        config.rateLimitRequeues = root["rate_limit_requeues"].flatMap {
            reader.int($0, at: ["rate_limit_requeues"], in: RunLimits.rateLimitRequeues)
        }
        config.rateLimitBudget = root["rate_limit_budget"].flatMap {
            reader.int($0, at: ["rate_limit_budget"], in: RunLimits.rateLimitBudget)
        }
        config.rateLimitWait = root["rate_limit_wait"].flatMap {
            reader.number($0, at: ["rate_limit_wait"], in: RunLimits.seconds, unit: "seconds")
        }
        config.cacheDirectory = root["cache_dir"].flatMap { reader.string($0, at: ["cache_dir"]) }.map(resolve)
        config.cache = root["cache"].flatMap { reader.bool($0, at: ["cache"]) }
        if let defaults = root["defaults"] {
            config.defaults = reader.target(defaults, at: ["defaults"], requireIdentity: false)
        }
        // Judges are targets too (the model a judge check asks), read the same way.
        for (key, noun) in [("targets", "target"), ("judges", "judge")] {
            guard let list = root[key] else { continue }
            guard let items = list.arrayValue else {
                reader.error("\"\(key)\" expects a list of \(noun)s, found \(list.typeName)", at: [.key(key)])
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

    /// Reads typed values, collecting located errors.
    private struct Reader {
        let yaml: LocatedYAML
        var diagnostics: [Diagnostic]

        mutating func error(_ message: String, at path: [LocatedYAML.PathComponent], atKey: Bool = false) {
            diagnostics.append(yaml.error(message, at: path, atKey: atKey))
        }

        private func name(_ path: [LocatedYAML.PathComponent]) -> String {
            var text = ""
            for component in path {
                switch component {
                case .key(let key): text += text.isEmpty ? key : ".\(key)"
                case .index(let index): text += "[\(index)]"
                }
            }
            return "\"\(text)\""
        }

        mutating func object(_ value: JSONValue, at path: [LocatedYAML.PathComponent], keys: [String]) -> [String:
            JSONValue]?
        {
            guard let fields = value.objectValue else {
                error("\(path.isEmpty ? "the file" : name(path)) expects a mapping, found \(value.typeName)", at: path)
                return nil
            }
            for key in fields.keys.sorted() where !keys.contains(key) {
                var message = "unknown key '\(key)'"
                message += didYouMean(closestName(to: key, in: keys))
                error(message, at: path + [.key(key)], atKey: true)
            }
            return fields
        }

        mutating func string(_ value: JSONValue, at path: [LocatedYAML.PathComponent]) -> String? {
            guard let text = value.stringValue, !text.isEmpty else {
                error("\(name(path)) expects a non-empty string, found \(value.typeName)", at: path)
                return nil
            }
            return text
        }

        mutating func strings(_ value: JSONValue, at path: [LocatedYAML.PathComponent]) -> [String] {
            if let single = value.stringValue { return [single] }
            guard let items = value.arrayValue else {
                error("\(name(path)) expects a list of strings, found \(value.typeName)", at: path)
                return []
            }
            return items.enumerated().compactMap { index, item in string(item, at: path + [.index(index)]) }
        }

        mutating func int(_ value: JSONValue, at path: [LocatedYAML.PathComponent], minimum: Int) -> Int? {
            guard let number = value.intValue, let int = Int(exactly: number), case .int = value else {
                error("\(name(path)) expects an integer, found \(value.typeName)", at: path)
                return nil
            }
            guard int >= minimum else {
                error("\(name(path)) expects at least \(minimum), found \(int)", at: path)
                return nil
            }
            return int
        }

        /// An integer within `range`; out of it, an error that names the range.
        mutating func int(_ value: JSONValue, at path: [LocatedYAML.PathComponent], in range: ClosedRange<Int>) -> Int?
        {
            guard let int = int(value, at: path, minimum: Int.min) else { return nil }
            guard range.contains(int) else {
                error("\(name(path)) \(RunLimits.outOfRange(range, found: int))", at: path)
                return nil
            }
            return int
        }

        /// A number within `range` (NaN and infinities are outside every range); `unit` ends the message.
        mutating func number(
            _ value: JSONValue, at path: [LocatedYAML.PathComponent], in range: ClosedRange<Double>, unit: String = ""
        ) -> Double? {
            guard let number = value.doubleValue else {
                error("\(name(path)) expects a number, found \(value.typeName)", at: path)
                return nil
            }
            guard range.contains(number) else {
                error("\(name(path)) \(RunLimits.outOfRange(range, found: number, unit: unit))", at: path)
                return nil
            }
            return number
        }

        mutating func fraction(_ value: JSONValue, at path: [LocatedYAML.PathComponent]) -> Double? {
            guard let number = value.doubleValue, number >= 0, number <= 1 else {
                error(
                    "\(name(path)) expects a number from 0 to 1, found \(value.doubleValue.map { "\($0)" } ?? value.typeName)",
                    at: path)
                return nil
            }
            return number
        }

        mutating func bool(_ value: JSONValue, at path: [LocatedYAML.PathComponent]) -> Bool? {
            guard let flag = value.boolValue else {
                error("\(name(path)) expects true or false, found \(value.typeName)", at: path)
                return nil
            }
            return flag
        }

        mutating func stringMap(_ value: JSONValue, at path: [LocatedYAML.PathComponent]) -> [String: String] {
            guard let fields = value.objectValue else {
                error("\(name(path)) expects a mapping of names to strings, found \(value.typeName)", at: path)
                return [:]
            }
            var map: [String: String] = [:]
            for (key, item) in fields {
                switch item {
                case .string(let text): map[key] = text
                case .int(let number): map[key] = String(number)
                default:
                    error(
                        "\(name(path + [.key(key)])) expects a string, found \(item.typeName)", at: path + [.key(key)])
                }
            }
            return map
        }

        mutating func target(_ value: JSONValue, at path: [LocatedYAML.PathComponent], requireIdentity: Bool)
            -> TargetFields
        {
            var fields = TargetFields()
            guard let object = object(value, at: path, keys: TargetFields.keys) else { return fields }
            fields.label = object["label"].flatMap { string($0, at: path + ["label"]) }
            fields.model = object["model"].flatMap { string($0, at: path + ["model"]) }
            fields.revision = object["revision"].flatMap { string($0, at: path + ["revision"]) }
            if requireIdentity {
                if object["label"] == nil {
                    error("a target needs a \"label\" (its name in reports, e.g. v1.3)", at: path)
                }
                if object["model"] == nil {
                    error("a target needs a \"model\" (the model name the server knows)", at: path)
                }
            }
            fields.baseURL = object["base_url"].flatMap { string($0, at: path + ["base_url"]) }
            if let url = fields.baseURL {
                // Checked here, where the line is known, as the client would check it.
                do {
                    try ChatEndpoint(baseURL: url).validate()
                } catch {
                    self.error("\(name(path + ["base_url"])): \(error.message)", at: path + ["base_url"])
                }
            }
            fields.apiKeyEnv = object["api_key_env"].flatMap { string($0, at: path + ["api_key_env"]) }
            fields.headers = object["headers"].map { stringMap($0, at: path + ["headers"]) } ?? [:]
            fields.secretHeaders = object["secret_headers"].map { stringMap($0, at: path + ["secret_headers"]) } ?? [:]
            fields.query = object["query"].map { stringMap($0, at: path + ["query"]) } ?? [:]
            fields.secretQuery = object["secret_query"].map { stringMap($0, at: path + ["secret_query"]) } ?? [:]
            if let params = object["params"] {
                if let map = params.objectValue {
                    fields.params = map
                } else {
                    error(
                        "\(name(path + ["params"])) expects a mapping of request params, found \(params.typeName)",
                        at: path + ["params"])
                }
            }
            fields.stream = object["stream"].flatMap { bool($0, at: path + ["stream"]) }
            fields.concurrency = object["concurrency"].flatMap {
                int($0, at: path + ["concurrency"], in: RunLimits.concurrency)
            }
            fields.requestsPerSecond = object["rps"].flatMap {
                number($0, at: path + ["rps"], in: RunLimits.requestsPerSecond)
            }
            fields.tokensPerMinute = object["tpm"].flatMap {
                int($0, at: path + ["tpm"], in: RunLimits.tokensPerMinute)
            }
            fields.timeout = object["timeout"].flatMap {
                number($0, at: path + ["timeout"], in: RunLimits.seconds, unit: "seconds")
            }
            fields.connectTimeout = object["connect_timeout"].flatMap {
                number($0, at: path + ["connect_timeout"], in: RunLimits.seconds, unit: "seconds")
            }
            fields.idleTimeout = object["idle_timeout"].flatMap {
                number($0, at: path + ["idle_timeout"], in: RunLimits.seconds, unit: "seconds")
            }
            return fields
        }
    }
}
