import ArgumentParser
import EvalCore
import EvalRunner
import Foundation
import Synchronization
import Transport

/// `evalgate run`: suites × targets × repeats, one append-only run log per target.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run eval suites against one or more model versions and record every answer in a run log.",
        discussion: """
            A target is a model version: a label, a base URL, a model name, params, an API-key variable and headers. \
            Give one with --base-url/--model/--label, or any number in a config file (evalgate.yaml: `targets:`); \
            flags win over the file. Targets are interleaved case by case, so a baseline and a candidate see the \
            same prompts under the same conditions.

            Each target's log is <out>/<label>.jsonl: a manifest line (model, base URL without credentials, params, \
            suite content hashes, scorer version, tool version, git commit of the suites), then one line per \
            finished (case, repeat). Rerunning into the same log, or --resume, finishes only what is missing. \
            Ctrl-C stops cleanly (exit 130); run the same command again to resume.

            Params: a case is sent its suite's `defaults.params`, the case's own `params` on top, and the target's \
            params (--param, the config's `params`) on top of both: what you give for the run is what is sent. A \
            target param that overrides a suite's or case's value is named in a warning, and every result line \
            records the params its request was sent with.

            Cache: answers are kept under --cache-dir, keyed by base URL, the target's label and --revision, \
            stream mode and the whole request. A server that keeps one model name across new weights (a new LoRA \
            adapter, a new checkpoint) needs a new --revision (or label), or --refresh; a target answered wholly \
            from the cache gets a warning saying so.

            Exit codes: 0 done; 2 bad input; 3 a target's endpoint errors passed --max-error-rate or it was given up \
            (errors in a row, or 429s past --rate-limit-budget / --rate-limit-wait); 130 interrupted.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Suite folders or folders of suites (default: `suites:` of the config file).", valueName: "suite"))
    var suitePaths: [String] = []

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

    @OptionGroup(title: "Subsets") var subset: SubsetOptions

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

    // MARK: where

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

    // MARK: connection

    @Option(
        name: .long, parsing: .unconditional,
        help: "Seconds a whole request may take, a streamed answer included (default 600; 0.001 to 86400).")
    var timeout: Double?

    @Option(
        name: .long, parsing: .unconditional, help: "Seconds to establish a connection (default 10; 0.001 to 86400).")
    var connectTimeout: Double?

    @Option(
        name: .long, parsing: .unconditional,
        help: "Seconds of silence allowed inside a streamed answer (default 120; 0.001 to 86400).")
    var idleTimeout: Double?

    @Option(
        name: .long, parsing: .unconditional, help: "Attempts per request, the first included (default 3; at most 100)."
    )
    var maxAttempts: Int = 3

    @Option(name: .long, parsing: .unconditional, help: "Largest response body accepted, in bytes (1024 to 1 GiB).")
    var maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes

    @Option(name: .long, help: "PEM file of CA certificates to trust instead of the system's.")
    var caFile: String?

    @Flag(name: .long, help: "Do not verify TLS certificates (self-signed test servers only).")
    var insecure = false

    // MARK: a judge from flags

    @OptionGroup var judge: JudgeOptions

    // MARK: output

    @Flag(name: .long, help: "No progress lines, only the final summary.")
    var quiet = false

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
        for (flag, seconds) in [
            ("--timeout", timeout), ("--connect-timeout", connectTimeout), ("--idle-timeout", idleTimeout),
            ("--rate-limit-wait", rateLimitWait),
        ] {
            try NumericLimits.check(flag, seconds, in: RunLimits.seconds, unit: "seconds")
        }
        try NumericLimits.check("--max-attempts", maxAttempts, in: RunLimits.maxAttempts)
        try NumericLimits.check("--max-response-bytes", maxResponseBytes, in: RunLimits.responseBytes, unit: "bytes")
        try NumericLimits.check("--max-error-rate", maxErrorRate, in: RunLimits.errorRate)
        try NumericLimits.check("--rate-limit-requeues", rateLimitRequeues, in: RunLimits.rateLimitRequeues)
        try NumericLimits.check("--rate-limit-budget", rateLimitBudget, in: RunLimits.rateLimitBudget)
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
        if resume && fresh { throw ValidationError("--resume and --fresh contradict each other: choose one") }
        if noCache && refresh { throw ValidationError("--no-cache and --refresh contradict each other: choose one") }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file: cannot read '\(caFile)'")
        }
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

    func run() async throws {
        let file = try loadConfig()
        let loaded = try SuitePaths.loadValidLazily(suitePaths.isEmpty ? (file?.suites ?? []) : suitePaths)
        let shard = try parsedShard()
        let selected = try subset.select(loaded, seed: seed ?? file?.seed)
        let suites = shard.map { $0.select(selected) } ?? selected
        let targets = try makeTargets(file)
        let judges = try makeJudges(file)
        // Flags win over the file: --refresh asks again and stores the answers even where the file says `cache: false`.
        let cacheMode: ResponseCache.Mode = noCache ? .off : (refresh ? .refresh : (file?.cache == false ? .off : .use))
        // A subset is logged apart from whole runs (an explicit --out is taken as given).
        // A shard is logged in a folder of its own, so that the shards of one run never share a log.
        let outDirectory =
            out
            ?? ((file?.out ?? "Reports/runs") + (subset.isActive ? "/subset" : "")
                + (shard.map { "/shard-\($0.index)-of-\($0.count)" } ?? ""))
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: outDirectory, isDirectory: &isFolder), !isFolder.boolValue {
            // A mistake in the command, not a failure of the machine: say so before any target is asked.
            throw CLIError.usage(
                "--out: '\(outDirectory)' is a file; expected a folder for the run logs (one <label>.jsonl per target)"
            ).report()
        }
        let maxErrorRate = maxErrorRate ?? file?.maxErrorRate ?? 0.1
        let progressStyle: ProgressStyle = quiet ? .off : .automatic()
        var settings = RunSettings(
            outDirectory: outDirectory,
            repeats: repeats ?? file?.repeats ?? 1,
            seed: seed ?? file?.seed,
            concurrency: concurrency ?? file?.concurrency ?? 16,
            cache: cacheMode == .off
                ? nil
                : ResponseCache(directory: cacheDir ?? file?.cacheDirectory ?? ".evalgate/cache", mode: cacheMode),
            maxErrorRate: maxErrorRate,
            maxRateLimitRequeues: rateLimitRequeues ?? file?.rateLimitRequeues ?? 5,
            rateLimitBudget: rateLimitBudget ?? file?.rateLimitBudget ?? 100,
            rateLimitWait: NumericLimits.duration(seconds: rateLimitWait ?? file?.rateLimitWait ?? 900),
            existingLog: resume ? .resumeOnly : (fresh ? .fresh : .resumeOrCreate),
            retryErrors: retryErrors,
            rerunAll: refresh,
            toolVersion: EvalgateVersion.current,
            progress: progressStyle,
            progressOutput: { FileHandle.standardError.write(Data($0.utf8)) }
        )
        settings.sharedLogs = sharedLogs
        settings.shard = shard
        let transport: CurlClient
        do {
            transport = try CurlClient(configuration: .init(verifyTLS: !insecure, caFile: caFile))
        } catch {
            throw CLIError.infrastructure("cannot start libcurl: \(error)").report()
        }
        var retry = RetryPolicy()
        retry.maxAttempts = maxAttempts
        let runner: Runner
        do {
            runner = try Runner(
                suites: suites, targets: targets, judges: judges, settings: settings, transport: transport, retry: retry
            )
        } catch {
            throw CLIError(error).report()
        }

        let task = Task { try await runner.run() }
        let interrupts = InterruptHandler(
            message: "stopping; answers already received are kept (Ctrl-C again to stop at once)"
        ) {
            task.cancel()
        }
        let summary: RunOutcome
        do {
            summary = try await task.value
        } catch let error as RunError {
            interrupts.stop()
            throw CLIError(error).report()
        }
        interrupts.stop()

        for note in summary.notes { FileHandle.standardError.write(Data("evalgate: note: \(note)\n".utf8)) }
        for warning in summary.warnings { FileHandle.standardError.write(Data("evalgate: warning: \(warning)\n".utf8)) }
        var failedTargets: [String] = []
        for target in summary.targets {
            var line =
                "\(target.label): \(target.results)/\(target.expected) results — passed \(target.passed), failed \(target.failed), errors \(target.errors)"
            if target.unchecked > 0 {
                line += ", unchecked \(target.unchecked) (kept without checks: not counted as passed)"
            }
            line += " (\(target.requests) requests, \(target.cacheHits) from cache"
            if target.resumed > 0 { line += ", \(target.resumed) already in the log" }
            line += ") → \(target.logPath)"
            if target.outcome == .aborted { line += "  [given up]" }
            print(line)
            if !target.errorClasses.isEmpty {
                let classes = target.errorClasses.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }
                    .joined(separator: ", ")
                print("  errors this session: \(classes)")
            }
            if target.outcome == .aborted || target.errorRate > maxErrorRate {
                failedTargets.append(target.label)
            }
        }
        if !summary.interrupted && !quiet {
            // What to do with the logs, spelled out for the first runs.
            let logs = summary.targets.map(\.logPath)
            if let shard {
                FileHandle.standardError.write(
                    Data(
                        "next: once all \(shard.count) shards have run, evalgate merge THEIR_LOGS… --out LOG (per target), then report, diff or gate the merged log\n"
                            .utf8))
            } else if logs.count >= 2 {
                FileHandle.standardError.write(
                    Data("next: evalgate diff \(logs[0]) \(logs[1])   ·   evalgate gate \(logs[0]) \(logs[1])\n".utf8))
            } else if let log = logs.first {
                FileHandle.standardError.write(
                    Data("next: evalgate report \(log)   ·   evalgate diff BASELINE.jsonl \(log)\n".utf8))
            }
        }
        if summary.interrupted {
            let hint =
                "interrupted; every finished answer is in the logs. Run the same command again to finish (or add --resume)."
            FileHandle.standardError.write(Data("evalgate: \(hint)\n".utf8))
            throw ExitCode(130)
        }
        let givenUp = summary.targets.filter { $0.outcome == .aborted }
        if !givenUp.isEmpty {
            let reasons = givenUp.map { "'\($0.label)' \($0.abortReason ?? "given up")" }.joined(separator: "; ")
            throw CLIError.infrastructure(
                "gave up on target \(reasons); the log keeps every result so far, run the same command again to finish"
            ).report()
        }
        if !failedTargets.isEmpty {
            let rates = summary.targets.filter { failedTargets.contains($0.label) }
                .map { "\($0.label) \(String(format: "%.1f%%", $0.errorRate * 100))" }.joined(separator: ", ")
            throw CLIError.infrastructure(
                "endpoint errors above the limit of \(String(format: "%.1f%%", maxErrorRate * 100)): \(rates); the logs record each error with its class"
            ).report()
        }
    }

    // MARK: config and targets

    private func loadConfig() throws -> RunConfig? {
        try Self.loadConfig(config)
    }

    /// The config file at `config`, else ./evalgate.yaml when it exists; its diagnostics on stderr, exit 2 on errors.
    static func loadConfig(_ config: String?) throws -> RunConfig? {
        let path: String
        if let config {
            path = config
        } else if FileManager.default.fileExists(atPath: "evalgate.yaml") {
            path = "evalgate.yaml"
        } else {
            return nil
        }
        let (file, diagnostics) = RunConfig.load(path: path)
        if !diagnostics.isEmpty {
            FileHandle.standardError.write(Data(diagnostics.map { "\($0)\n" }.joined().utf8))
        }
        guard let file else { throw ExitCode(2) }
        return file
    }

    /// The targets to run: the flag target when --model is given (on top of the config target with its label, if
    /// any, and the config's defaults), else the config's targets (those selected with --target).
    func makeTargets(_ file: RunConfig?) throws -> [RunTargetSpec] {
        var flagFields = RunConfig.TargetFields()
        flagFields.label = label
        flagFields.model = model
        flagFields.revision = revision
        flagFields.baseURL = baseURL
        flagFields.apiKeyEnv = access.apiKeyEnv
        flagFields.headers = EndpointOptions.pairs(access.headers)
        flagFields.secretHeaders = EndpointOptions.pairs(access.secretHeaders)
        flagFields.query = EndpointOptions.pairs(access.queryItems)
        flagFields.secretQuery = EndpointOptions.pairs(access.secretQueryItems)
        flagFields.stream = stream ? true : nil
        flagFields.concurrency = targetConcurrency
        flagFields.requestsPerSecond = rps
        flagFields.tokensPerMinute = tpm
        flagFields.timeout = timeout
        flagFields.connectTimeout = connectTimeout
        flagFields.idleTimeout = idleTimeout
        for pair in params {
            let (name, text) = EndpointOptions.split(pair)!
            guard let value = try? JSONValue.parse(text) else {
                // A bare word is a string: --param reasoning_effort=low
                flagFields.params[name] = .string(text)
                continue
            }
            flagFields.params[name] = value
        }

        let defaults = file?.defaults ?? RunConfig.TargetFields()
        var chosen: [RunConfig.TargetFields]
        if model != nil {
            let labelled = label ?? model!
            let base = file?.targets.first { $0.label == labelled } ?? RunConfig.TargetFields()
            flagFields.label = labelled
            chosen = [defaults.overlaid(by: base).overlaid(by: flagFields)]
        } else {
            guard let file, !file.targets.isEmpty else {
                throw CLIError.usage(
                    "no target: give --model and --base-url, or list targets in evalgate.yaml (see evalgate run --help)"
                ).report()
            }
            var configured = file.targets
            if !selectedTargets.isEmpty {
                let known = configured.compactMap(\.label)
                for wanted in selectedTargets where !known.contains(wanted) {
                    var message = "\(file.path): no target labelled '\(wanted)'"
                    if let suggestion = closestName(to: wanted, in: known) {
                        message += "; did you mean '\(suggestion)'?"
                    }
                    throw CLIError.usage(message).report()
                }
                configured = configured.filter { selectedTargets.contains($0.label ?? "") }
            }
            // Flags other than the identity (label, revision) apply to every configured target.
            flagFields.label = nil
            flagFields.revision = nil
            chosen = configured.map { defaults.overlaid(by: $0).overlaid(by: flagFields) }
        }
        return try chosen.map(spec)
    }

    /// The judge targets of the config file, with its defaults under each, and the one of `--judge-model` (which
    /// replaces a config judge of the same label).
    func makeJudges(_ file: RunConfig?) throws -> [RunTargetSpec] {
        try judge.judges(in: file, baseURL: baseURL).map { try spec($0) }
    }

    func spec(_ fields: RunConfig.TargetFields) throws -> RunTargetSpec {
        try Self.spec(fields, maxResponseBytes: maxResponseBytes, urlSource: baseURL != nil ? "--base-url" : "base_url")
    }

    /// A target (or judge) to ask, from its config fields; `urlSource` names where its base URL came from.
    static func spec(_ fields: RunConfig.TargetFields, maxResponseBytes: Int, urlSource: String) throws -> RunTargetSpec
    {
        guard let baseURL = fields.baseURL else {
            throw CLIError.usage(
                "target '\(fields.label ?? "?")' has no base URL: give --base-url or base_url in the config file"
            ).report()
        }
        let endpoint = ChatEndpoint(
            baseURL: baseURL,
            apiKeyEnvironmentVariable: fields.apiKeyEnv,
            headers: fields.headers,
            secretHeaders: fields.secretHeaders,
            queryItems: fields.query,
            secretQueryItems: fields.secretQuery,
            timeouts: HTTPTimeouts(
                total: NumericLimits.duration(seconds: fields.timeout ?? 600),
                connect: NumericLimits.duration(seconds: fields.connectTimeout ?? 10),
                idle: NumericLimits.duration(seconds: fields.idleTimeout ?? 120)
            ),
            maxResponseBytes: maxResponseBytes
        )
        do {
            try endpoint.validate()
        } catch {
            // Name where the URL came from: the flag, or the config target's base_url.
            throw CLIError.usage("target '\(fields.label ?? "?")': \(urlSource): \(error.message)").report()
        }
        return RunTargetSpec(
            label: fields.label ?? fields.model ?? "?", model: fields.model ?? "", endpoint: endpoint,
            params: fields.params,
            stream: fields.stream ?? false, maxConcurrency: fields.concurrency,
            requestsPerSecond: fields.requestsPerSecond, tokensPerMinute: fields.tokensPerMinute,
            revision: fields.revision
        )
    }
}

extension CLIError {
    init(_ error: RunError) {
        switch error.kind {
        case .badInput: self = .usage(error.message)
        case .infrastructure: self = .infrastructure(error.message)
        }
    }
}

/// Turns SIGINT and SIGTERM into one call of `onInterrupt` (a clean stop); a second signal exits at once with 130.
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]

    init(message: String, onInterrupt: @escaping @Sendable () -> Void) {
        let fired = Once()
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if fired.happenedBefore() {
                    FileHandle.standardError.write(Data("evalgate: interrupted again; stopping now\n".utf8))
                    exit(130)
                }
                FileHandle.standardError.write(Data("\nevalgate: \(message)\n".utf8))
                onInterrupt()
            }
            source.resume()
            return source
        }
    }

    /// Stops listening and gives SIGINT and SIGTERM back their default action.
    func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// True from the second call on.
    private final class Once: Sendable {
        private let flag = Atomic<Bool>(false)
        func happenedBefore() -> Bool { flag.exchange(true, ordering: .relaxed) }
    }
}
