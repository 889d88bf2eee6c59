import EvalCore
public import Foundation
import Scoring
public import Transport

/// The judges of a run and how they are asked: each judge target's client, its pacer (`concurrency`, `rps`, `tpm`)
/// and the response cache. `evalgate run` asks them about each new answer; `evalgate rescore --rejudge` about the
/// answers already in a log.
public struct JudgePanel: Sendable {
    /// The judge targets (`judges:` in evalgate.yaml, or `--judge-model`), in the order given.
    public let judges: [RunTargetSpec]
    let contexts: [String: TargetContext]
    let pacers: [String: JudgePacer]
    let cache: ResponseCache?

    /// - Parameter concurrency: the most requests in flight to one judge when it sets no `concurrency` of its own,
    ///   and the ceiling of one it sets.
    public init(
        judges: [RunTargetSpec], transport: any HTTPTransport, retry: RetryPolicy = RetryPolicy(), concurrency: Int,
        cache: ResponseCache?, pauseBase: Duration = .seconds(1),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: any PacingClock = SystemPacingClock()
    ) throws(RunError) {
        var contexts: [String: TargetContext] = [:]
        var pacers: [String: JudgePacer] = [:]
        for judge in judges {
            guard contexts[judge.label] == nil else { throw .badInput("two judges are labelled '\(judge.label)'") }
            do {
                let client = try ChatClient(
                    endpoint: judge.endpoint, transport: transport, retry: retry, environment: environment)
                contexts[judge.label] = TargetContext(
                    target: judge, client: client, baseParameters: try ChatParameters(params: judge.params))
            } catch {
                throw .badInput("judge '\(judge.label)': \(error.message)")
            }
            pacers[judge.label] = JudgePacer(
                concurrency: min(judge.maxConcurrency ?? concurrency, concurrency),
                requestsPerSecond: judge.requestsPerSecond,
                tokensPerMinute: judge.tokensPerMinute, pauseBase: pauseBase, clock: clock)
        }
        self.judges = judges
        self.contexts = contexts
        self.pacers = pacers
        self.cache = cache
    }

    /// Refuses a scorer whose judge checks name a judge that is not on the panel.
    func check(_ scorer: CaseScorer) throws(RunError) {
        for check in scorer.allJudgeChecks where contexts[check.judge] == nil {
            var message = "a judge check names the judge '\(check.judge)', which is not among the judges"
            if let close = closestName(to: check.judge, in: Array(contexts.keys)) {
                message += "; did you mean '\(close)'?"
            } else {
                message += " (list it under judges: in evalgate.yaml)"
            }
            throw .badInput(message)
        }
    }

    /// The judges the scorer's judge checks name, with their rubrics and settings: what the manifest records; nil
    /// when there is no judge check.
    func references(for scorer: CaseScorer) -> [JudgeReference]? {
        let checks = scorer.allJudgeChecks
        guard !checks.isEmpty else { return nil }
        return judges.compactMap { judge in
            guard let context = contexts[judge.label] else { return nil }
            let rubrics = Set(
                checks.filter { $0.judge == judge.label }.map { check in
                    JudgeReference.Rubric(
                        name: check.rubricName, hash: check.rubricHash, settings: Self.settings(check, context: context)
                    )
                })
            guard !rubrics.isEmpty else { return nil }
            return JudgeReference(
                label: judge.label, model: judge.model, baseURL: judge.recorded.baseURL,
                rubrics: rubrics.sorted {
                    ($0.name, $0.hash, $0.settingsHash ?? "") < ($1.name, $1.hash, $1.settingsHash ?? "")
                })
        }
    }

    /// How `check` asks its judge beyond the model and the rubric (`JudgeSettings`): the check's own non-default
    /// options, the judge's request params as they are sent, and its revision.
    static func settings(_ check: JudgeCheck, context: TargetContext) -> [String: JSONValue] {
        check.settings.merging(settings(of: context)) { _, target in target }
    }

    /// The judge target's part of its settings: its request params as they are sent, and its revision.
    static func settings(of context: TargetContext) -> [String: JSONValue] {
        var settings: [String: JSONValue] = [:]
        let params = context.baseParameters.recorded
        if !params.isEmpty { settings["params"] = .object(params) }
        if let revision = context.target.revision { settings["revision"] = .string(revision) }
        return settings
    }

    /// Why a case's judges could not decide: the error, and the judge records made so far (kept in the log).
    struct Failure: Error {
        var error: ErrorRecord
        var checks: [CheckRecord]
    }

    /// Asks each judge check of `evalCase` about `response` (through the judge target's client, pacer and the
    /// response cache, `samples` times) and decides its verdict. Its records by position, or why one could not decide.
    func judge(_ evalCase: EvalCase, response: String, scorer: CaseScorer) async -> Result<[Int: CheckRecord], Failure>
    {
        let judges = scorer.judgeChecks(of: evalCase)
        guard !judges.isEmpty else { return .success([:]) }
        let input = CheckInput(
            response: response, messages: evalCase.messages, ideals: evalCase.ideals, facts: evalCase.facts)
        var records: [Int: CheckRecord] = [:]
        func failure(_ error: ErrorRecord, adding last: CheckRecord? = nil) -> Result<[Int: CheckRecord], Failure> {
            .failure(
                Failure(
                    error: error, checks: records.sorted { $0.key < $1.key }.map(\.value) + (last.map { [$0] } ?? [])))
        }
        for (position, check) in judges {
            guard let context = contexts[check.judge] else {
                // Checked when the panel was made; here only for a suite read lazily that changed since.
                return failure(
                    ErrorRecord(
                        errorClass: "judge_unknown", message: "no judge target labelled '\(check.judge)'", attempts: 0))
            }
            var raw: [String] = []
            var promptTokens = 0
            var completionTokens = 0
            var latency = 0.0
            var allCached = true
            for sample in 0..<check.samples {
                switch await ask(context, messages: check.messages(for: input), sample: sample, samples: check.samples)
                {
                case .success(let answer):
                    raw.append(answer.content)
                    guard !answer.cached else { continue }
                    allCached = false
                    promptTokens += answer.promptTokens ?? 0
                    completionTokens += answer.completionTokens ?? 0
                    latency += answer.latencyMs
                case .failure(let error):
                    return failure(error.record)
                }
            }
            var judgeRecord = JudgeRecord(
                target: context.target.label, model: context.target.model, rubric: check.rubricName,
                rubricHash: check.rubricHash,
                settingsHash: JudgeSettings.hash(Self.settings(check, context: context)), raw: raw,
                promptTokens: allCached ? nil : promptTokens, completionTokens: allCached ? nil : completionTokens,
                latencyMs: latency, cached: allCached)
            switch check.decide(input, answers: raw) {
            case .verdict(let outcome, let votes, let reason, let score):
                judgeRecord.votes = votes.map(\.name)
                judgeRecord.reason = reason
                judgeRecord.quote = votes.first { $0.name == (outcome.passed ? "pass" : "fail") }?.quote
                judgeRecord.score = score
                records[position] = CheckRecord(
                    type: JudgeCheck.type, passed: outcome.passed, findings: outcome.findings, judge: judgeRecord)
            case .error(let message, let votes):
                judgeRecord.votes = votes.map(\.name)
                return failure(
                    ErrorRecord(
                        errorClass: "judge_invalid", message: "judge '\(check.judge)': \(message)", attempts: raw.count),
                    adding: CheckRecord(type: JudgeCheck.type, passed: false, judge: judgeRecord))
            }
        }
        return .success(records)
    }
}

extension JudgePanel {
    /// The judge labelled `label`, when the panel has it.
    func context(_ label: String) -> TargetContext? { contexts[label] }

    /// One request to a judge (sample `sample` of `samples`: several samples differ by seed unless the judge sets
    /// one): from the response cache when it has the answer (`cached` set), else through the judge's pacer and
    /// client, and stored in the cache. A failure is the error the result records (`judge_<class>`).
    func ask(_ context: TargetContext, messages: [ChatMessage], sample: Int, samples: Int) async -> Result<
        ResponseRecord, AskFailure
    > {
        let label = context.target.label
        var parameters = context.baseParameters
        if samples > 1, parameters.seed == nil { parameters.seed = Int64(sample) }
        let request = ChatRequest(model: context.target.model, messages: messages, parameters: parameters)
        let key = cache.map { _ in ResponseCache.key(target: context.target, request: request, repeatIndex: sample) }
        if let cache, let key, let cached = cache.load(key: key) { return .success(cached) }
        let pacer = pacers[label]
        let sentAt = await pacer?.acquire()
        if pacer != nil, sentAt == nil {
            return .failure(
                AskFailure(
                    record: ErrorRecord(
                        errorClass: "cancelled", message: "judge '\(label)': the run was stopped", attempts: 0)))
        }
        let sent: Result<ChatResponse, ChatError>
        do {
            sent = .success(try await context.client.complete(request, stream: false))
        } catch {
            sent = .failure(error)
        }
        if let pacer, let sentAt {
            switch sent {
            case .success(let answer):
                let tokens = (answer.usage?.promptTokens ?? 0) + (answer.usage?.completionTokens ?? 0)
                await pacer.finished(tokens: tokens, rateLimitedRetries: answer.rateLimitedAttempts, sentAt: sentAt)
            case .failure(let error) where error.kind == .http && error.status == 429:
                await pacer.rateLimited(sentAt: sentAt, retryAfter: Runner.serverPause(error))
            case .failure:
                await pacer.endedWithoutAnswer()
            }
        }
        switch sent {
        case .success(let answer):
            // The client has redacted every secret it knows from the judge's answer, as from the model's.
            let record = ResponseRecord(
                content: answer.content, model: answer.model, promptTokens: answer.usage?.promptTokens,
                completionTokens: answer.usage?.completionTokens, latencyMs: Runner.milliseconds(answer.latency),
                attempts: answer.attempts)
            if let cache, let key { cache.store(record, key: key) }
            return .success(record)
        case .failure(let error):
            return .failure(
                AskFailure(
                    record: ErrorRecord(
                        errorClass: "judge_\(error.errorClass)", message: "judge '\(label)': \(error.description)",
                        status: error.status,
                        attempts: error.attempts)))
        }
    }
}

/// Why a judge gave no answer: the error its result records.
struct AskFailure: Error {
    var record: ErrorRecord
}

/// What a request to one target needs: the target, its client and its params.
struct TargetContext: Sendable {
    let target: RunTargetSpec
    let client: ChatClient
    let baseParameters: ChatParameters
    /// The parameters of each distinct params of the suites' cases (the target's on top), made once.
    var caseParameters: [[String: JSONValue]: ChatParameters] = [:]
}
