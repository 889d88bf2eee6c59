import ArgumentParser
import EvalRunner
import Transport

/// The judge given by flags, beside (or instead of) `judges:` of the config file: `run` asks it about each new
/// answer, `rescore --rejudge` about the answers in a log.
struct JudgeOptions: ParsableArguments {
    @Option(name: .long, help: "Model name of a judge (for the suites' judge checks; else judges: in the config file).")
    var judgeModel: String?

    @Option(name: .long, help: "API root of the judge (default: the config's defaults.base_url, or --base-url).")
    var judgeBaseURL: String?

    @Option(name: .long, help: "The judge's label, as judge checks name it (default: the judge model's name).")
    var judgeLabel: String?

    @Option(name: .long, help: ArgumentHelp("Environment variable holding the judge's API key.", valueName: "name"))
    var judgeApiKeyEnv: String?

    func validate() throws {
        if judgeModel == nil, judgeBaseURL != nil || judgeLabel != nil || judgeApiKeyEnv != nil {
            throw ValidationError(
                "--judge-base-url, --judge-label and --judge-api-key-env describe the judge given by --judge-model; add --judge-model"
            )
        }
    }

    /// The judge of `--judge-model`, if given.
    var request: JudgeRequest? {
        judgeModel.map {
            JudgeRequest(model: $0, baseURL: judgeBaseURL, label: judgeLabel, apiKeyEnv: judgeApiKeyEnv)
        }
    }
}

/// The judges to ask outside `run` (`rescore --rejudge`, `judge-pairs`): the config file's `judges:` and the judge
/// flags, with how hard to push them and the response cache.
struct JudgeAskOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Config file with the judges (default: ./evalgate.yaml when it exists).", valueName: "file"))
    var config: String?

    @OptionGroup var judge: JudgeOptions

    @Option(name: .long, help: "The most requests in flight to one judge (a judge's own concurrency: may lower it).")
    var concurrency: Int = 16

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The response cache folder for the judges' answers (default: the config's cache_dir, or .evalgate/cache).",
            valueName: "folder"))
    var cacheDir: String?

    @Flag(name: .long, help: "Neither read nor write the response cache.")
    var noCache = false

    @Flag(name: .long, help: "Ask the judges even for answers in the cache, and store the new ones.")
    var refresh = false

    /// The flags given, by name: for a command that takes them only in one mode.
    var given: [String] {
        [
            ("--config", config != nil), ("--judge-model", judge.judgeModel != nil), ("--cache-dir", cacheDir != nil),
            ("--no-cache", noCache), ("--refresh", refresh),
        ].filter(\.1).map(\.0)
    }

    func validate() throws {
        if noCache && refresh { throw ValidationError("--no-cache and --refresh contradict each other: choose one") }
        try NumericLimits.check("--concurrency", concurrency, in: RunLimits.concurrency)
    }

    /// The judges of the config file and the flags, with their clients, limits and the cache.
    func panel() throws -> JudgePanel {
        let file = try ConfigFile.load(config)
        let judges: [RunTargetSpec]
        do {
            judges = try JudgeRequest.judges(judge.request, in: file).map { fields throws(RunError) in
                try RunTargetSpec(
                    resolving: fields, maxResponseBytes: HTTPRequest.defaultMaxResponseBytes, urlSource: "base_url")
            }
        } catch {
            throw CLIError(error).report()
        }
        let transport: CurlClient
        do {
            transport = try CurlClient()
        } catch {
            throw CLIError.infrastructure("cannot start libcurl: \(error)").report()
        }
        do {
            return try JudgePanel(
                judges: judges, transport: transport, concurrency: concurrency,
                cache: ResponseCache.resolved(noCache: noCache, refresh: refresh, directory: cacheDir, in: file))
        } catch {
            throw CLIError(error).report()
        }
    }
}
