public import EvalCore
import Foundation
import Transport

/// A run as the command line asks for it, before `evalgate.yaml` and the defaults fill in what it leaves out: a nil
/// (or empty, or false) field is a flag not given. Flags win over the file, the file over the defaults.
public struct RunRequest: Sendable, Hashable {
    /// The target of the flags. With `model` set it is the run's one target, on top of the config target of its
    /// label and the config's `defaults`; without, its fields other than the identity (label, revision) apply to
    /// every config target.
    public var target = RunConfig.TargetFields()
    /// Config targets to run (`--target`); empty: all of them.
    public var selectedTargets: [String] = []
    /// The judge of the flags (`--judge-model`...), beside the config's `judges:`.
    public var judge: JudgeRequest?
    public var out: String?
    public var cacheDirectory: String?
    public var repeats: Int?
    public var seed: Int64?
    public var concurrency: Int?
    public var maxErrorRate: Double?
    public var rateLimitRequeues: Int?
    public var rateLimitBudget: Int?
    public var rateLimitWait: Double?
    public var noCache = false
    public var refresh = false
    public var resume = false
    public var fresh = false
    public var retryErrors = false
    public var sharedLogs = false
    public var maxResponseBytes = HTTPRequest.defaultMaxResponseBytes
    /// Only some of the cases run (`--suite/--case/--tag/--limit`): logged apart, under `<out>/subset/`.
    public var isSubset = false
    public var shard: RunShard?

    public init() {}

    /// The seed of the run: the flag's, else the config's.
    public func seed(in file: RunConfig?) -> Int64? { seed ?? file?.seed }

    /// The share of endpoint errors above which a target makes the run exit 3 (default 0.1).
    public func maxErrorRate(in file: RunConfig?) -> Double { maxErrorRate ?? file?.maxErrorRate ?? 0.1 }

    /// The targets to run: the flag target when `target.model` is given (on top of the config target with its label,
    /// if any, and the config's defaults), else the config's targets (those in `selectedTargets`).
    public func targets(in file: RunConfig?) throws(RunError) -> [RunTargetSpec] {
        var flagFields = target
        let defaults = file?.defaults ?? RunConfig.TargetFields()
        let chosen: [RunConfig.TargetFields]
        if let model = flagFields.model {
            let labelled = flagFields.label ?? model
            let base = file?.targets.first { $0.label == labelled } ?? RunConfig.TargetFields()
            flagFields.label = labelled
            chosen = [defaults.overlaid(by: base).overlaid(by: flagFields)]
        } else {
            guard let file, !file.targets.isEmpty else {
                throw .badInput(
                    "no target: give --model and --base-url, or list targets in evalgate.yaml (see evalgate run --help)"
                )
            }
            var configured = file.targets
            if !selectedTargets.isEmpty {
                let known = configured.compactMap(\.label)
                for wanted in selectedTargets where !known.contains(wanted) {
                    throw .badInput(
                        "\(file.path): no target labelled '\(wanted)'"
                            + didYouMean(closestName(to: wanted, in: known)))
                }
                configured = configured.filter { selectedTargets.contains($0.label ?? "") }
            }
            // Flags other than the identity (label, revision) apply to every configured target.
            flagFields.label = nil
            flagFields.revision = nil
            chosen = configured.map { defaults.overlaid(by: $0).overlaid(by: flagFields) }
        }
        let urlSource = target.baseURL != nil ? "--base-url" : "base_url"
        return try chosen.map { fields throws(RunError) in
            try RunTargetSpec(resolving: fields, maxResponseBytes: maxResponseBytes, urlSource: urlSource)
        }
    }

    /// The judges: the config's, with its defaults under each, and the one of the flags (its base URL defaulting to
    /// the config's, else the flag target's).
    public func judges(in file: RunConfig?) throws(RunError) -> [RunTargetSpec] {
        let urlSource = target.baseURL != nil ? "--base-url" : "base_url"
        return try JudgeRequest.judges(judge, in: file, baseURL: target.baseURL).map { fields throws(RunError) in
            try RunTargetSpec(resolving: fields, maxResponseBytes: maxResponseBytes, urlSource: urlSource)
        }
    }

    /// The folder of the logs: `--out` as given, else the config's `out` (default `Reports/runs`) with `/subset`
    /// for a subset and `/shard-I-of-N` for a shard, so that neither ever shares a log with a whole run.
    public func outDirectory(in file: RunConfig?) -> String {
        out
            ?? ((file?.out ?? "Reports/runs") + (isSubset ? "/subset" : "")
                + (shard.map { "/shard-\($0.index)-of-\($0.count)" } ?? ""))
    }

    /// How the run goes, every setting resolved; `--out` naming a file is bad input (before any target is asked).
    public func settings(in file: RunConfig?, toolVersion: String) throws(RunError) -> RunSettings {
        let outDirectory = outDirectory(in: file)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: outDirectory, isDirectory: &isFolder), !isFolder.boolValue {
            throw .badInput(
                "--out: '\(outDirectory)' is a file; expected a folder for the run logs (one <label>.jsonl per target)")
        }
        var settings = RunSettings(
            outDirectory: outDirectory,
            repeats: repeats ?? file?.repeats ?? 1,
            seed: seed(in: file),
            concurrency: concurrency ?? file?.concurrency ?? 16,
            cache: ResponseCache.resolved(noCache: noCache, refresh: refresh, directory: cacheDirectory, in: file),
            maxErrorRate: maxErrorRate(in: file),
            maxRateLimitRequeues: rateLimitRequeues ?? file?.rateLimitRequeues ?? 5,
            rateLimitBudget: rateLimitBudget ?? file?.rateLimitBudget ?? 100,
            rateLimitWait: RunLimits.duration(seconds: rateLimitWait ?? file?.rateLimitWait ?? 900),
            existingLog: resume ? .resumeOnly : (fresh ? .fresh : .resumeOrCreate),
            retryErrors: retryErrors,
            rerunAll: refresh,
            toolVersion: toolVersion
        )
        settings.sharedLogs = sharedLogs
        settings.shard = shard
        return settings
    }
}

/// The judge given by flags (`--judge-model`, `--judge-base-url`, `--judge-label`, `--judge-api-key-env`).
public struct JudgeRequest: Sendable, Hashable {
    public var model: String
    public var baseURL: String?
    public var label: String?
    public var apiKeyEnv: String?

    public init(model: String, baseURL: String? = nil, label: String? = nil, apiKeyEnv: String? = nil) {
        self.model = model
        self.baseURL = baseURL
        self.label = label
        self.apiKeyEnv = apiKeyEnv
    }

    /// The judges of the config file, with its defaults under each, and `flag`'s (which replaces a config judge of
    /// the same label; its base URL defaults to the config's, else `baseURL`).
    public static func judges(_ flag: JudgeRequest?, in file: RunConfig?, baseURL: String? = nil)
        -> [RunConfig.TargetFields]
    {
        let defaults = file?.defaults ?? RunConfig.TargetFields()
        var judges = file?.judges ?? []
        if let flag {
            var fields = RunConfig.TargetFields()
            fields.label = flag.label ?? flag.model
            fields.model = flag.model
            fields.baseURL = flag.baseURL ?? defaults.baseURL ?? baseURL
            fields.apiKeyEnv = flag.apiKeyEnv
            judges.removeAll { $0.label == fields.label }
            judges.append(fields)
        }
        return judges.map { defaults.overlaid(by: $0) }
    }
}

extension ResponseCache {
    /// The cache a run or a judge panel uses: none with `noCache` (or the config's `cache: false`, unless `refresh`
    /// asks again and stores the answers), under `directory`, else the config's `cache_dir`, else `.evalgate/cache`.
    public static func resolved(noCache: Bool, refresh: Bool, directory: String?, in file: RunConfig?) -> ResponseCache?
    {
        let mode: Mode = noCache ? .off : (refresh ? .refresh : (file?.cache == false ? .off : .use))
        guard mode != .off else { return nil }
        return ResponseCache(directory: directory ?? file?.cacheDirectory ?? ".evalgate/cache", mode: mode)
    }
}

extension ChatEndpoint {
    /// Every timeout a request may have when neither a flag nor the config says: 600 s in all, 10 s to connect,
    /// 120 s of silence inside a streamed answer.
    public static let defaultTimeouts = (total: 600.0, connect: 10.0, idle: 120.0)

    /// The endpoint of a target's fields, the timeouts it leaves out at their defaults. Not validated.
    public init(fields: RunConfig.TargetFields, baseURL: String, maxResponseBytes: Int) {
        self.init(
            baseURL: baseURL,
            apiKeyEnvironmentVariable: fields.apiKeyEnv,
            headers: fields.headers,
            secretHeaders: fields.secretHeaders,
            queryItems: fields.query,
            secretQueryItems: fields.secretQuery,
            timeouts: HTTPTimeouts(
                total: RunLimits.duration(seconds: fields.timeout ?? Self.defaultTimeouts.total),
                connect: RunLimits.duration(seconds: fields.connectTimeout ?? Self.defaultTimeouts.connect),
                idle: RunLimits.duration(seconds: fields.idleTimeout ?? Self.defaultTimeouts.idle)
            ),
            maxResponseBytes: maxResponseBytes
        )
    }
}

extension RunTargetSpec {
    /// A target (or judge) to ask, from its merged fields; `urlSource` names where its base URL came from
    /// (`--base-url` or `base_url`), for the message when it is missing or bad.
    public init(resolving fields: RunConfig.TargetFields, maxResponseBytes: Int, urlSource: String) throws(RunError) {
        guard let baseURL = fields.baseURL else {
            throw .badInput(
                "target '\(fields.label ?? "?")' has no base URL: give --base-url or base_url in the config file")
        }
        let endpoint = ChatEndpoint(fields: fields, baseURL: baseURL, maxResponseBytes: maxResponseBytes)
        do {
            try endpoint.validate()
        } catch {
            throw .badInput("target '\(fields.label ?? "?")': \(urlSource): \(error.message)")
        }
        self.init(
            label: fields.label ?? fields.model ?? "?", model: fields.model ?? "", endpoint: endpoint,
            params: fields.params, stream: fields.stream ?? false, maxConcurrency: fields.concurrency,
            requestsPerSecond: fields.requestsPerSecond, tokensPerMinute: fields.tokensPerMinute,
            revision: fields.revision)
    }
}
