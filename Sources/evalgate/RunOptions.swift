import ArgumentParser
import EvalCore
import EvalRunner
import Foundation

// The flags of `evalgate run`, in groups declared in the order `run --help` lists them. Each group checks its own
// values and writes them on a `RunRequest`; EvalRunner resolves the request against evalgate.yaml.

/// Which targets: the config file, the config targets to pick, or one target from flags.
struct RunTargetOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Config file (default: ./evalgate.yaml when it exists; its defaults apply to a --model target too).",
            valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("target"), help: ArgumentHelp("Run only this config target (repeatable).", valueName: "label")
    )
    var selectedTargets: [String] = []

    // MARK: one target from flags

    @Option(name: .long, help: "API root, e.g. http://localhost:8000/v1 (vLLM), http://localhost:11434/v1 (Ollama).")
    var baseURL: String?

    @Option(name: .long, help: "Model name to send (vLLM serves each LoRA adapter under its own name).")
    var model: String?

    @Option(name: .long, help: "The version's name in logs and reports, e.g. v1.3 (default: the model name).")
    var label: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "What the weights behind the model name are: an adapter path, a checkpoint hash, a date. Part of the cache key, recorded in the log.",
            valueName: "revision"))
    var revision: String?

    @OptionGroup var access: AccessOptions

    func validate() throws {
        if model == nil, label != nil {
            throw ValidationError(
                "--label names the target given by --model; to pick targets of the config file use --target")
        }
        if model == nil, revision != nil {
            throw ValidationError(
                "--revision names the weights of the target given by --model; give config targets their own `revision:` in the config file"
            )
        }
        if model != nil, !selectedTargets.isEmpty {
            throw ValidationError(
                "--target picks config targets; with --model the run has one target from the flags: use one or the other"
            )
        }
    }

    func apply(to request: inout RunRequest) {
        request.selectedTargets = selectedTargets
        request.target.label = label
        request.target.model = model
        request.target.revision = revision
        request.target.baseURL = baseURL
        access.apply(to: &request.target)
    }
}

/// What each target is asked and how hard it is pushed.
struct RunLoadOptions: ParsableArguments {
    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "Run share I of N of the cases (by a hash of each case's suite and id: stable when cases are added), logged under <out>/shard-I-of-N/; join the N logs with evalgate merge.",
            valueName: "i/n"))
    var shard: String?

    @Option(
        name: .customLong("param"),
        help: ArgumentHelp(
            "Request param, NAME=JSON (repeatable), e.g. temperature=0, max_tokens=512, stop='[\"\\n\"]'. Wins over the suites' and cases' params (a warning names each override).",
            valueName: "name=json"))
    var params: [String] = []

    @Flag(name: .long, help: "Stream answers (server-sent events) and record time to first token.")
    var stream = false

    // MARK: how hard

    @Option(name: .long, parsing: .unconditional, help: "Requests in flight across all targets (default 16).")
    var concurrency: Int?

    @Option(name: .long, parsing: .unconditional, help: "Requests in flight per target (default: --concurrency).")
    var targetConcurrency: Int?

    @Option(name: .long, parsing: .unconditional, help: "Requests per second per target (default: unlimited).")
    var rps: Double?

    @Option(
        name: .long, parsing: .unconditional,
        help: "Tokens per minute per target, as the server counts them (default: unlimited).")
    var tpm: Int?

    @Option(
        name: .long, parsing: .unconditional,
        help: "Answers per case, to measure sampling noise (default 1). Each repeat is its own request.")
    var repeats: Int?

    @Option(
        name: .long, parsing: .unconditional,
        help: "Base seed: repeat r is sent with seed+r (default: none, the params' seed if any).")
    var seed: Int64?

    @Option(
        name: .long, parsing: .unconditional,
        help:
            "Times a case refused with 429 (after the client's retries) goes back in the queue before it is recorded as an http_429 error (default 5; config rate_limit_requeues)."
    )
    var rateLimitRequeues: Int?

    @Option(
        name: .long, parsing: .unconditional,
        help:
            "429s in a row without an answer after which a target is given up (exit 3) (default 100; config rate_limit_budget)."
    )
    var rateLimitBudget: Int?

    @Option(
        name: .long, parsing: .unconditional,
        help:
            "Seconds a case, or a target, may stay rate limited without an answer before it is recorded as an error, or given up (default 900; config rate_limit_wait)."
    )
    var rateLimitWait: Double?

    func validate() throws {
        for value in params where EndpointOptions.split(value) == nil {
            throw ValidationError("--param expects NAME=VALUE, found '\(value)'")
        }
        for (flag, value) in [("--concurrency", concurrency), ("--target-concurrency", targetConcurrency)] {
            try NumericLimits.check(flag, value, in: RunLimits.concurrency)
        }
        try NumericLimits.check("--repeats", repeats, in: RunLimits.repeats)
        try NumericLimits.check("--tpm", tpm, in: RunLimits.tokensPerMinute)
        try NumericLimits.check("--rps", rps, in: RunLimits.requestsPerSecond)
        try NumericLimits.check("--rate-limit-wait", rateLimitWait, in: RunLimits.seconds, unit: "seconds")
        try NumericLimits.check("--rate-limit-requeues", rateLimitRequeues, in: RunLimits.rateLimitRequeues)
        try NumericLimits.check("--rate-limit-budget", rateLimitBudget, in: RunLimits.rateLimitBudget)
        _ = try parsedShard()
    }

    /// `--shard I/N` read; a bad value is a usage error on one line (exit 2).
    func parsedShard() throws -> RunShard? {
        guard let shard else { return nil }
        switch RunShard.parse(shard) {
        case .success(let parsed): return parsed
        case .failure(let error): throw CLIError.usage("--shard \(error.message)").report()
        }
    }

    func apply(to request: inout RunRequest) throws {
        request.shard = try parsedShard()
        for pair in params {
            let (name, text) = EndpointOptions.split(pair)!
            // A bare word is a string: --param reasoning_effort=low
            request.target.params[name] = (try? JSONValue.parse(text)) ?? .string(text)
        }
        request.target.stream = stream ? true : nil
        request.concurrency = concurrency
        request.target.concurrency = targetConcurrency
        request.target.requestsPerSecond = rps
        request.target.tokensPerMinute = tpm
        request.repeats = repeats
        request.seed = seed
        request.rateLimitRequeues = rateLimitRequeues
        request.rateLimitBudget = rateLimitBudget
        request.rateLimitWait = rateLimitWait
    }
}

/// Where the logs and the cache are, and what to do with a log that exists.
struct RunLogOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder for the run logs (default Reports/runs).", valueName: "folder"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Response cache folder (default .evalgate/cache).", valueName: "folder"))
    var cacheDir: String?

    @Flag(name: .long, help: "Neither read nor write the response cache.")
    var noCache = false

    @Flag(
        name: .long,
        help:
            "Ask the endpoint again for every case, overwrite the cached answers, and replace the log's lines (the new line of a case wins)."
    )
    var refresh = false

    @Flag(name: .long, help: "Finish existing logs; an error when a log does not exist.")
    var resume = false

    @Flag(name: .long, help: "Start the logs over; old logs are kept beside them as <log>.replaced-<time>.")
    var fresh = false

    @Flag(
        name: .long,
        help: "Create new logs readable by everyone (0644); by default only their owner may read them (0600).")
    var sharedLogs = false

    @Flag(
        name: .long,
        help:
            "When continuing a log, run again the cases that ended in an endpoint error (the new line supersedes the old)."
    )
    var retryErrors = false

    @Option(
        name: .long, parsing: .unconditional,
        help: "Exit 3 when a target's share of endpoint errors is above this (default 0.1).")
    var maxErrorRate: Double?

    func validate() throws {
        try NumericLimits.check("--max-error-rate", maxErrorRate, in: RunLimits.errorRate)
        if resume && fresh { throw ValidationError("--resume and --fresh contradict each other: choose one") }
        if noCache && refresh { throw ValidationError("--no-cache and --refresh contradict each other: choose one") }
    }

    func apply(to request: inout RunRequest) {
        request.out = out
        request.cacheDirectory = cacheDir
        request.noCache = noCache
        request.refresh = refresh
        request.resume = resume
        request.fresh = fresh
        request.sharedLogs = sharedLogs
        request.retryErrors = retryErrors
        request.maxErrorRate = maxErrorRate
    }
}

/// The config file of `run`, `rescore --rejudge` and `judge-pairs`.
enum ConfigFile {
    /// The file at `path`, else ./evalgate.yaml when it exists; its diagnostics on stderr, exit 2 on errors.
    static func load(_ path: String?) throws -> RunConfig? {
        guard let path = path ?? (FileManager.default.fileExists(atPath: "evalgate.yaml") ? "evalgate.yaml" : nil)
        else { return nil }
        let (file, diagnostics) = RunConfig.load(path: path)
        if !diagnostics.isEmpty {
            FileHandle.standardError.write(Data(diagnostics.map { "\($0)\n" }.joined().utf8))
        }
        guard let file else { throw ExitCode(2) }
        return file
    }
}
