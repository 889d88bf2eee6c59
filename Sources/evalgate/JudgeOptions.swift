import ArgumentParser
import EvalRunner

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
            throw ValidationError("--judge-base-url, --judge-label and --judge-api-key-env describe the judge given by --judge-model; add --judge-model")
        }
    }

    /// The judges of the config file, with its defaults under each, and the one of `--judge-model` (which replaces a
    /// config judge of the same label; its base URL defaults to the config's, else `baseURL`).
    func judges(in file: RunConfig?, baseURL: String? = nil) -> [RunConfig.TargetFields] {
        let defaults = file?.defaults ?? RunConfig.TargetFields()
        var judges = file?.judges ?? []
        if let judgeModel {
            var fields = RunConfig.TargetFields()
            fields.label = judgeLabel ?? judgeModel
            fields.model = judgeModel
            fields.baseURL = judgeBaseURL ?? defaults.baseURL ?? baseURL
            fields.apiKeyEnv = judgeApiKeyEnv
            judges.removeAll { $0.label == fields.label }
            judges.append(fields)
        }
        return judges.map { defaults.overlaid(by: $0) }
    }
}
