/// What a run was: the first line of every run log. It keeps together what a result depends on: the model and
/// where it was served, the request params, the exact eval sets (content hashes), the scorer (version hash) and the
/// tool, so that a number in a report can always be traced to the run that produced it.
public struct RunManifest: Sendable, Hashable, Codable {
    /// The run-log format; bumped whenever a reader of the old format would misread the new one.
    public static let currentFormat = 1

    public var format: Int
    /// Unique per run log; a rescored log gets a new one and names the old in `rescoredFrom`.
    public var runID: String
    public var tool: String
    public var toolVersion: String
    public var target: RunTarget
    public var suites: [SuiteReference]
    /// `CheckRegistry.versionHash` of the scorer that judged the answers.
    public var scorerVersion: String
    /// Answers per case: each repeat is its own request and its own result line.
    public var repeats: Int
    /// The base seed when one was set; repeat `r` is sent with `seed + r`.
    public var seed: Int64?
    /// ISO 8601, UTC, when the run (its first session) started. End times are in the `end` records.
    public var startedAt: String
    /// The run this log was rescored from, when it was.
    public var rescoredFrom: String?
    /// The judges the run's judge checks asked (model, where, rubric hashes); nil when it has no judge check.
    public var judges: [JudgeReference]?
    /// The share of the cases this log holds (`run --shard I/N`); nil for a whole run. Its suites keep the whole
    /// suites' content hashes, with this shard's case counts.
    public var shard: RunShard?
    /// The run ids of the shard logs `evalgate merge` joined into this log, in shard order.
    public var mergedFrom: [String]?

    public init(
        format: Int = RunManifest.currentFormat,
        runID: String,
        tool: String = "evalgate",
        toolVersion: String,
        target: RunTarget,
        suites: [SuiteReference],
        scorerVersion: String,
        repeats: Int,
        seed: Int64? = nil,
        startedAt: String,
        rescoredFrom: String? = nil
    ) {
        self.format = format
        self.runID = runID
        self.tool = tool
        self.toolVersion = toolVersion
        self.target = target
        self.suites = suites
        self.scorerVersion = scorerVersion
        self.repeats = repeats
        self.seed = seed
        self.startedAt = startedAt
        self.rescoredFrom = rescoredFrom
    }

    enum CodingKeys: String, CodingKey {
        case format
        case runID = "run_id"
        case tool
        case toolVersion = "tool_version"
        case target, suites
        case scorerVersion = "scorer_version"
        case repeats, seed
        case startedAt = "started_at"
        case rescoredFrom = "rescored_from"
        case judges, shard
        case mergedFrom = "merged_from"
    }

    /// The suite with this name.
    public func suite(named name: String) -> SuiteReference? {
        suites.first { $0.name == name }
    }

    /// Every case the run should have answered: the number of result lines of a complete run.
    public var expectedResults: Int {
        suites.reduce(0) { $0 + $1.caseCount } * repeats
    }
}

/// A model version as a run addresses it. Never holds a credential: the base URL is stored without user info or
/// secret query items, and API keys are only ever named by their environment variable, which is not recorded.
public struct RunTarget: Sendable, Hashable, Codable {
    /// The version's name in reports: `v1.3`, `lora-support-ckpt-300`.
    public var label: String
    /// The model name sent in requests (vLLM serves each LoRA adapter under its own).
    public var model: String
    /// Without credentials.
    public var baseURL: String
    /// The target's params (`--param`, the config's `params`): they win over the suites' and cases' own params;
    /// each result line records the params its request was sent with.
    public var params: [String: JSONValue]
    /// What the weights behind the model name are (an adapter path, a checkpoint hash, a date), when given
    /// (`--revision`, `revision:`); part of the response cache's key.
    public var revision: String?
    /// True when the answers were asked for as server-sent events; absent (nil) means whole answers.
    public var stream: Bool?

    public init(
        label: String, model: String, baseURL: String, params: [String: JSONValue] = [:], revision: String? = nil,
        stream: Bool? = nil
    ) {
        self.label = label
        self.model = model
        self.baseURL = baseURL
        self.params = params
        self.revision = revision
        self.stream = stream
    }

    enum CodingKeys: String, CodingKey {
        case label, model
        case baseURL = "base_url"
        case params, revision, stream
    }
}

/// One eval set a run used, pinned by its content hash.
public struct SuiteReference: Sendable, Hashable, Codable {
    public var name: String
    public var kind: SuiteKind
    /// `Suite.contentHash`: two runs are comparable on this suite only when their hashes agree.
    public var contentHash: String
    public var caseCount: Int
    /// The suite's folder as given to the run.
    public var path: String
    /// The git commit of the repository holding the suite, when it is in one.
    public var gitCommit: String?
    /// True when the suite's folder had uncommitted changes at that commit.
    public var gitDirty: Bool?

    public init(
        name: String,
        kind: SuiteKind,
        contentHash: String,
        caseCount: Int,
        path: String,
        gitCommit: String? = nil,
        gitDirty: Bool? = nil
    ) {
        self.name = name
        self.kind = kind
        self.contentHash = contentHash
        self.caseCount = caseCount
        self.path = path
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
    }

    enum CodingKeys: String, CodingKey {
        case name, kind
        case contentHash = "content_hash"
        case caseCount = "case_count"
        case path
        case gitCommit = "git_commit"
        case gitDirty = "git_dirty"
    }
}

/// A judge a run asked: its target (without credentials) and every rubric it judged with, by hash.
public struct JudgeReference: Sendable, Hashable, Codable {
    public var label: String
    public var model: String
    public var baseURL: String
    /// `name` (a shipped rubric's id, or `inline`), `hash` (SHA-256 of the rubric and output contract) and the
    /// `settings` it was asked with, sorted.
    public var rubrics: [Rubric]

    public struct Rubric: Sendable, Hashable, Codable {
        public var name: String
        public var hash: String
        /// The judge's settings that are not defaults (`JudgeSettings`): `params`, `revision`, `samples`, `threshold`,
        /// `sees`. Nil when all are defaults, and in logs written before settings were recorded.
        public var settings: [String: JSONValue]?

        public init(name: String, hash: String, settings: [String: JSONValue]? = nil) {
            self.name = name
            self.hash = hash
            self.settings = settings.flatMap { $0.isEmpty ? nil : $0 }
        }

        /// `JudgeSettings.hash` of `settings`.
        public var settingsHash: String? { JudgeSettings.hash(settings ?? [:]) }
    }

    /// Who judged with each rubric, as `JudgeRecord.identity` names it: `model rubric:hash8[ settings:hash8]`.
    public var identities: [String] {
        rubrics.map { JudgeSettings.identity(model: model, rubricHash: $0.hash, settingsHash: $0.settingsHash) }
    }

    public init(label: String, model: String, baseURL: String, rubrics: [Rubric]) {
        self.label = label
        self.model = model
        self.baseURL = baseURL
        self.rubrics = rubrics
    }

    enum CodingKeys: String, CodingKey {
        case label, model
        case baseURL = "base_url"
        case rubrics
    }
}
