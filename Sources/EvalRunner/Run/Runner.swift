public import EvalCore
public import Foundation
public import Scoring
public import Transport

/// Runs suites against model versions and records every answer in one append-only run log per target.
///
/// Targets are interleaved case by case: the loop hands out requests round-robin across targets, so a baseline and
/// a candidate see the same prompts at the same time under the same conditions. Requests in flight are bounded
/// globally and per target; each target's limit halves on 429s and grows back with successes. The loop is the only
/// writer of the logs: child tasks send, score and return a result; the loop appends it as it arrives. Nothing but
/// counters and the keys of a resumed log stays in memory.
public struct Runner: Sendable {
    public let suites: [any CaseSource]
    public let targets: [RunTargetSpec]
    public let settings: RunSettings
    public let scorer: CaseScorer
    private let contexts: [TargetContext]
    /// One line for each param of a target that overrides a different value of a suite's or case's params.
    private let overrides: [String]
    /// The judge targets (`judges:` in evalgate.yaml), for the suites' judge checks.
    public var judges: [RunTargetSpec] { panel.judges }
    private let panel: JudgePanel

    /// - Parameter suites: `Suite`s, or `LazySuite`s for suites too large to hold in memory.
    public init(
        suites: [any CaseSource],
        targets: [RunTargetSpec],
        judges: [RunTargetSpec] = [],
        settings: RunSettings,
        transport: any HTTPTransport,
        retry: RetryPolicy = RetryPolicy(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        registry: CheckRegistry = .standard,
        clock: any PacingClock = SystemPacingClock()
    ) throws(RunError) {
        guard !suites.isEmpty else { throw .badInput("no suites to run") }
        guard !targets.isEmpty else {
            throw .badInput("no targets to run: give --model and --base-url, or targets in the config file")
        }
        guard settings.repeats >= 1 else { throw .badInput("--repeats expects at least 1, found \(settings.repeats)") }
        guard settings.concurrency >= 1 else {
            throw .badInput("--concurrency expects at least 1, found \(settings.concurrency)")
        }
        // Checked before any log exists: an impossible run must not leave a log that blocks the folder.
        let cases = suites.reduce(0) { $0 + $1.caseCount }
        let (results, overflow) = cases.multipliedReportingOverflow(by: settings.repeats)
        if overflow || results > RunLimits.resultsPerLog {
            throw .badInput(
                "\(cases) cases × --repeats \(settings.repeats) is more results than one run log may hold (at most \(RunLimits.resultsPerLog)): lower --repeats or split the suites"
            )
        }
        var suiteNames = Set<String>()
        for suite in suites where !suiteNames.insert(suite.name).inserted {
            throw .badInput(
                "two suites are named '\(suite.name)' (\(suite.directory)): suite names must be unique in a run")
        }
        var fileNames: [String: String] = [:]
        for target in targets {
            guard !target.label.isEmpty else { throw .badInput("a target has an empty label") }
            guard !target.model.isEmpty else { throw .badInput("target '\(target.label)' has no model name") }
            let name = RunLog.fileName(forLabel: target.label)
            if let other = fileNames[name] {
                throw .badInput(
                    "targets '\(other)' and '\(target.label)' would share the log \(name): give them distinct labels")
            }
            fileNames[name] = target.label
        }
        do {
            scorer = try CaseScorer(specs: suites.flatMap(\.checkSpecs), registry: registry)
        } catch {
            throw .badInput(error.description)
        }
        var contexts: [TargetContext] = []
        var overrides: [String] = []
        for target in targets {
            let client: ChatClient
            do {
                client = try ChatClient(
                    endpoint: target.endpoint, transport: transport, retry: retry, environment: environment)
            } catch {
                throw .badInput("target '\(target.label)': \(error.message)")
            }
            let base: ChatParameters
            do {
                base = try ChatParameters(params: target.params)
            } catch {
                throw .badInput("target '\(target.label)': \(error.message)")
            }
            // Every case's own params must make a valid request too: find out now, not after an hour of running.
            // The parameters are kept, so that a case's request does not parse its params again.
            var caseParameters: [[String: JSONValue]: ChatParameters] = [:]
            for suite in suites {
                overrides += Self.overrideNotes(target: target, suite: suite)
                for use in suite.paramSets where caseParameters[use.params] == nil {
                    do {
                        caseParameters[use.params] = try ChatParameters(
                            params: Self.effectiveParams(case: use.params, target: target.params))
                    } catch {
                        throw .badInput(
                            "\(suite.directory)/cases.jsonl:\(use.line): case '\(use.caseID)' with target '\(target.label)': \(error.message)"
                        )
                    }
                }
            }
            contexts.append(
                TargetContext(target: target, client: client, baseParameters: base, caseParameters: caseParameters))
        }
        self.suites = suites
        self.targets = targets
        self.settings = settings
        self.contexts = contexts
        self.overrides = overrides
        panel = try JudgePanel(
            judges: judges, transport: transport, retry: retry, concurrency: settings.concurrency,
            cache: settings.cache,
            pauseBase: settings.rateLimitPause, environment: environment, clock: clock)
        try panel.check(scorer)
    }

    /// The params a case is sent with: its own (its suite's defaults under the case's) with the target's on top.
    /// The target's params (`--param`, a config target's or `defaults.params`) are what the person running chose for
    /// this run, so they win: `--param max_tokens=64` sends 64 even where a suite says 700.
    public static func effectiveParams(case caseParams: [String: JSONValue], target: [String: JSONValue]) -> [String:
        JSONValue]
    {
        caseParams.merging(target) { _, targets in targets }
    }

    /// A line for each param of the target that overrides another value in the suite's cases (once per param and
    /// suite, naming the first case), so that a suite author's setting never changes silently.
    static func overrideNotes(target: RunTargetSpec, suite: any CaseSource) -> [String] {
        guard !target.params.isEmpty else { return [] }
        var notes: [String] = []
        var seen: Set<String> = []
        for use in suite.paramSets {
            for key in use.params.keys.sorted() where !seen.contains(key) {
                guard let mine = target.params[key], let theirs = use.params[key], mine != theirs else { continue }
                seen.insert(key)
                notes.append(
                    "target '\(target.label)': its param \(key)=\(CanonicalJSON.string(mine)) overrides \(key)=\(CanonicalJSON.string(theirs)) of suite '\(suite.name)' (first in case '\(use.caseID)', \(suite.directory)/cases.jsonl:\(use.line)); the target's params win, and each result line records the params sent"
                )
            }
        }
        return notes
    }

    /// The log file of a target.
    public func logPath(for target: RunTargetSpec) -> String {
        settings.outDirectory + "/" + RunLog.fileName(forLabel: target.label)
    }

    // MARK: the run

    /// Runs everything that is not in the logs yet. Returns when all is done, when the task is cancelled (Ctrl-C:
    /// in-flight requests are dropped, not recorded, and `interrupted` is set) or when every target gave up.
    public func run() async throws(RunError) -> RunOutcome {
        var notes: [String] = []
        var logs: [OpenLog] = []
        let references = suites.map { suite -> SuiteReference in
            let git = GitInfo.describe(folder: suite.directory)
            return SuiteReference(suite, gitCommit: git?.commit, gitDirty: git?.dirty)
        }
        for target in targets {
            logs.append(try openLog(for: target, references: references, notes: &notes))
        }

        var queues = logs.map { log in
            WorkQueue<ResponseCache.Entry>(suites: suites, repeats: settings.repeats, skipping: log.done)
        }
        for index in logs.indices { logs[index].done = [] }  // only the queue needed them
        let context = SharedContext(
            suites: suites, scorer: scorer, panel: panel, cache: settings.cache, seed: settings.seed)
        if let cache = settings.cache, cache.mode == .use, !cache.isEmpty {
            // Answers already in the cache cost the endpoint nothing: they skip the target's rate and concurrency
            // limits, so that a cached rerun under `--rps 1` is not paced like real requests.
            for index in queues.indices {
                let target = contexts[index]
                queues[index].setAsideCached { item in
                    guard let evalCase = try? context.suites[Int(item.suite)].loadCase(at: Int(item.caseIndex)) else {
                        return nil
                    }
                    return cache.lookup(
                        key: ResponseCache.key(
                            target: target.target,
                            request: Self.request(
                                for: evalCase, repeatIndex: Int(item.repeatIndex), context: target, shared: context),
                            repeatIndex: Int(item.repeatIndex)))
                }
            }
        }
        let pacers = targets.map { target in
            TargetPacer(
                maxLimit: min(settings.concurrency, target.maxConcurrency ?? settings.concurrency),
                requestsPerSecond: target.requestsPerSecond,
                tokensPerMinute: target.tokensPerMinute,
                pauseBase: settings.rateLimitPause
            )
        }
        // Every decision of the loop below (what starts, when to wake, what a 429 or an error in a row means) is the
        // scheduler's; the loop does the I/O around it.
        var scheduler = RunScheduler(queues: queues, pacers: pacers, limits: .init(settings))
        var session = targets.map { _ in SessionCounters() }
        var warnings = overrides
        var printer = ProgressPrinter(style: settings.progress, write: settings.progressOutput)
        let started = ContinuousClock.now
        var interrupted = false
        var failure: RunError?

        func progress() -> [TargetProgress] {
            targets.indices.map { index in
                TargetProgress(
                    label: targets[index].label, done: logs[index].results - logs[index].retrying.count,
                    total: logs[index].expected,
                    passed: logs[index].passed, failed: logs[index].failed, errors: logs[index].errors,
                    finishedThisSession: session[index].finished, cachedThisSession: session[index].cacheHits,
                    concurrency: scheduler.pacers[index].limit
                )
            }
        }

        /// Notes why a target the scheduler has just given up was given up.
        func gaveUp(target index: Int, because reason: String) {
            session[index].abortReason = reason
            notes.append("target '\(targets[index].label)': \(reason); gave up on its remaining cases")
        }

        func record(_ result: CaseResult, target index: Int) {
            guard failure == nil else { return }
            do {
                try logs[index].writer.append(.result(result))
            } catch {
                failure = .infrastructure(error.locatedMessage)
                scheduler.stop()
                return
            }
            logs[index].count(result.status)
            // A line run again replaces its old one: the old verdict stops counting.
            if let old = logs[index].retrying.removeValue(forKey: result.key) { logs[index].uncount(old) }
            session[index].finished += 1
            if result.status == .error, let errorClass = result.error?.errorClass {
                session[index].errorClasses[errorClass, default: 0] += 1
            }
            if let errors = scheduler.recorded(target: index, isError: result.status == .error) {
                gaveUp(target: index, because: "\(errors) errors in a row (last: \(result.error?.message ?? "?"))")
            }
        }

        await withTaskGroup(of: Completion.self) { group in
            // The instants at which pending tick tasks wake the loop. A new tick is added whenever the loop must wake
            // earlier than all of them (a pause ends, an rps slot opens): a pending progress tick must not delay it.
            var tickDeadlines: [ContinuousClock.Instant] = []
            while true {
                if Task.isCancelled {
                    interrupted = true
                    scheduler.stop()
                }
                let now = ContinuousClock.now
                let (starts, wakeAt) = scheduler.starts(now: now)
                for start in starts {
                    let target = contexts[start.target]
                    group.addTask {
                        await Self.execute(
                            start.item, target: start.target, context: target, shared: context, paced: start.paced,
                            cached: start.entry)
                    }
                }
                if scheduler.isFinished { break }
                if !interrupted {
                    var wait = settings.progress.tick
                    if let wakeAt {
                        let untilWake = max(.milliseconds(1), wakeAt - now)
                        wait = min(wait ?? untilWake, untilWake)
                    }
                    if let wait {
                        let deadline = now + wait
                        // Within a millisecond of a pending tick is soon enough: no pile of ticks for rounding.
                        if tickDeadlines.allSatisfy({ deadline + .milliseconds(1) < $0 }) {
                            tickDeadlines.append(deadline)
                            group.addTask {
                                try? await Task.sleep(until: deadline, clock: .continuous)
                                return .tick(deadline)
                            }
                        }
                    }
                }
                guard let completion = await group.next() else { break }
                let finishedAt = ContinuousClock.now
                switch completion {
                case .tick(let deadline):
                    if let position = tickDeadlines.firstIndex(of: deadline) { tickDeadlines.remove(at: position) }
                case .answered(let index, let result, let fromCache, let rateLimited, let tokens, let sentAt, let paced):
                    scheduler.answered(
                        target: index, paced: paced, fromCache: fromCache, tokens: tokens,
                        rateLimitedRetries: rateLimited, sentAt: sentAt, now: finishedAt)
                    if fromCache {
                        session[index].cacheHits += 1
                    } else {
                        session[index].requests += 1
                    }
                    if let fingerprint = result.response?.systemFingerprint {
                        if fromCache {
                            session[index].cachedFingerprints[fingerprint, default: 0] += 1
                        } else {
                            session[index].liveFingerprints.insert(fingerprint)
                        }
                    }
                    record(result, target: index)
                case .failed(let index, let item, let error, let result, let sentAt, let paced):
                    guard error.kind == .http && error.status == 429 else {
                        scheduler.endedWithoutAnswer(target: index, item: item, paced: paced)
                        session[index].requests += 1
                        record(result, target: index)
                        break
                    }
                    let verdict = scheduler.rateLimited(
                        target: index, item: item, paced: paced, serverPause: Self.serverPause(error), sentAt: sentAt,
                        now: finishedAt)
                    switch verdict {
                    case .requeued, .dropped:
                        break
                    case .caseGivenUp(let note):
                        session[index].requests += 1
                        record(result.withErrorNote(note), target: index)
                    case .targetGivenUp(let reason):
                        session[index].requests += 1
                        gaveUp(target: index, because: reason)
                        record(result.withErrorNote(reason), target: index)
                    }
                case .cancelled(let index, _, let paced):
                    scheduler.endedWithoutAnswer(target: index, item: nil, paced: paced)
                case .unreadable(let index, let result, let paced):
                    scheduler.endedWithoutAnswer(target: index, item: nil, paced: paced)
                    record(result, target: index)
                }
                printer.update(progress(), elapsed: finishedAt - started, now: finishedAt)
            }
            group.cancelAll()
        }
        printer.update(progress(), elapsed: ContinuousClock.now - started, now: ContinuousClock.now, force: true)

        // Close each session with its end record.
        let endedAt = Self.timestamp()
        var summaries: [RunOutcome.Target] = []
        for index in targets.indices {
            let log = logs[index]
            let outcome: RunEnd.Outcome
            if interrupted || failure != nil {
                outcome = .interrupted
            } else if scheduler.aborted[index] {
                outcome = .aborted
            } else {
                outcome = log.results - log.retrying.count >= log.expected ? .complete : .interrupted
            }
            let end = RunEnd(
                endedAt: endedAt, outcome: outcome, results: log.results, passed: log.passed, failed: log.failed,
                errors: log.errors, requests: session[index].requests
            )
            if failure == nil {
                do {
                    try log.writer.append(.end(end))
                } catch {
                    failure = .infrastructure(error.locatedMessage)
                }
            }
            log.writer.sync()
            log.writer.close()
            summaries.append(
                RunOutcome.Target(
                    label: targets[index].label, logPath: log.path, outcome: outcome, results: log.results,
                    resumed: log.resumed, expected: log.expected, passed: log.passed, failed: log.failed,
                    errors: log.errors, unchecked: log.unchecked, requests: session[index].requests,
                    cacheHits: session[index].cacheHits, errorClasses: session[index].errorClasses,
                    abortReason: session[index].abortReason
                ))
        }
        if let failure { throw failure }
        for index in targets.indices {
            warnings += Self.cacheWarnings(
                target: targets[index], session: session[index], cacheDirectory: settings.cache?.directory)
        }
        return RunOutcome(targets: summaries, interrupted: interrupted, notes: notes, warnings: warnings)
    }

    /// What the cache may have hidden: a target answered wholly from it (the weights behind its name may have
    /// changed since), or cached answers whose server fingerprint differs from the one the server sends now.
    private static func cacheWarnings(target: RunTargetSpec, session: SessionCounters, cacheDirectory: String?)
        -> [String]
    {
        var warnings: [String] = []
        let name =
            "target '\(target.label)' (model '\(target.model)', "
            + (target.revision.map { "revision '\($0)'" } ?? "no revision") + ")"
        if session.requests == 0, session.cacheHits > 0 {
            warnings.append(
                "\(name): \(session.cacheHits == 1 ? "its one answer" : "all \(session.cacheHits) answers") came from the response cache\(cacheDirectory.map { " (\($0))" } ?? ""), none from the server; if other weights are served under this name now, these are the old weights' answers. Give the new weights their own --revision (revision: in evalgate.yaml), or run again with --refresh to ask the server"
            )
        }
        let stale = session.cachedFingerprints.filter { !session.liveFingerprints.contains($0.key) }
        if !session.liveFingerprints.isEmpty, !stale.isEmpty {
            let count = stale.values.reduce(0, +)
            warnings.append(
                "\(name): the server now answers with system_fingerprint \(session.liveFingerprints.sorted().map { "'\($0)'" }.joined(separator: ", ")), but \(count) cached answer\(count == 1 ? " was" : "s were") made under \(stale.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")): the weights or serving setup changed; run again with --refresh, or give the new weights their own --revision"
            )
        }
        return warnings
    }

    // MARK: opening logs

    private func openLog(for target: RunTargetSpec, references: [SuiteReference], notes: inout [String])
        throws(RunError) -> OpenLog
    {
        let path = logPath(for: target)
        var manifest = RunManifest(
            runID: Self.runID(label: target.label), toolVersion: settings.toolVersion, target: target.recorded,
            suites: references, scorerVersion: scorer.versionHash, repeats: settings.repeats, seed: settings.seed,
            startedAt: Self.timestamp()
        )
        manifest.judges = panel.references(for: scorer)
        manifest.shard = settings.shard
        let exists = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int).map { $0 > 0 } ?? false
        if !exists && settings.existingLog == .resumeOnly {
            throw .badInput("\(path): nothing to resume, the log does not exist (run without --resume to start it)")
        }
        // The old log's lock is held from before it is moved aside until the new log is locked: a log another
        // process is writing is refused, never renamed under it.
        var replaced: RunLogWriter?
        defer { replaced?.close() }
        if exists && settings.existingLog == .fresh {
            let aside: String
            (replaced, aside) = try Self.moveAside(path)
            notes.append("the old log of '\(target.label)' was kept as \(aside)")
        }
        if exists && settings.existingLog != .fresh {
            try carryOverIfSuitesChanged(path: path, manifest: manifest, label: target.label, notes: &notes)
        }
        // The last line for a key is its result (a retried error is superseded by its rerun).
        var latest: [ResultKey: CaseResult.Status] = [:]
        if exists && settings.existingLog != .fresh {
            do {
                let reader = try RunLogReader(path: path)
                try Self.checkResumable(existing: reader.manifest, current: manifest, path: path)
                let warnings = try reader.forEach { line in
                    guard case .result(let result) = line else { return }
                    latest[result.key] = result.status
                }
                notes += warnings.map(\.description)
            } catch {
                throw .badInput(error.locatedMessage)
            }
        }
        func runsAgain(_ status: CaseResult.Status) -> Bool {
            settings.rerunAll || (status == .error && settings.retryErrors)
        }
        let again = latest.values.count(where: runsAgain)
        if again > 0 {
            notes.append(
                settings.rerunAll
                    ? "\(target.label): asking all \(again) answers of the log again (--refresh); each new line replaces the old one"
                    : "\(target.label): running \(again) errored cases again"
            )
        }
        let writer: RunLogWriter
        do {
            writer = try RunLogWriter(path: path, shared: settings.sharedLogs)
        } catch {
            throw .infrastructure(error.locatedMessage)
        }
        var open = OpenLog(path: path, expected: manifest.expectedResults, writer: writer)
        for (key, status) in latest {
            // Until its new line is written, a result run again keeps counting as what it was.
            open.count(status)
            if runsAgain(status) {
                open.retrying[key] = status
            } else {
                open.done.insert(key)
            }
        }
        open.resumed = open.results - open.retrying.count
        if writer.repairedBytes > 0 {
            notes.append("\(path): cut \(writer.repairedBytes) bytes of an incomplete last line (its case runs again)")
        }
        if writer.isEmpty {
            do {
                try writer.append(.manifest(manifest))
            } catch {
                throw .infrastructure(error.locatedMessage)
            }
        }
        return open
    }

    /// Locks the log at `path` and renames it to `<path>.replaced-<time>`; the lock (returned) is to be held until the
    /// new log is locked, so that a log another process is writing is refused, never renamed under it.
    private static func moveAside(_ path: String) throws(RunError) -> (lock: RunLogWriter?, aside: String) {
        let lock: RunLogWriter?
        do {
            lock = try RunLogWriter.lockExisting(path: path)
        } catch {
            throw .infrastructure(error.locatedMessage)
        }
        let aside = path + ".replaced-" + timestamp().replacingOccurrences(of: ":", with: "")
        guard rename(path, aside) == 0 else {
            lock?.close()
            throw .infrastructure("\(path): cannot move the old log aside: \(String(cString: strerror(errno)))")
        }
        return (lock, aside)
    }

    /// A log of the same target whose suites were edited since: instead of refusing it, the old log is moved aside
    /// (as --fresh does) and a new one starts with the current manifest and the results of every case whose hash is
    /// unchanged, so that only the changed and new cases run. The notes name the stale cases (changed or removed).
    private func carryOverIfSuitesChanged(path: String, manifest: RunManifest, label: String, notes: inout [String])
        throws(RunError)
    {
        guard let reader = try? RunLogReader(path: path),
            (try? Self.checkResumable(existing: reader.manifest, current: manifest, path: path, suites: false)) != nil,
            (try? Self.checkResumable(existing: reader.manifest, current: manifest, path: path)) == nil
        else { return }  // the same run (resumed as usual), or another one (refused as usual)
        var current: [String: [String: String]] = [:]
        for suite in suites {
            current[suite.name, default: [:]].reserveCapacity(suite.caseCount)
            for position in 0..<suite.caseCount {
                current[suite.name]![suite.caseID(at: position)] = suite.caseHash(at: position)
            }
        }
        var latest: [ResultKey: CaseResult] = [:]
        var order: [ResultKey] = []
        do {
            _ = try reader.forEach { line in
                guard case .result(let result) = line else { return }
                if latest.updateValue(result, forKey: result.key) == nil { order.append(result.key) }
            }
        } catch {
            throw .badInput(error.locatedMessage)
        }
        let kept = order.compactMap { latest[$0] }.filter { current[$0.suite]?[$0.caseID] == $0.caseHash }
        let keptKeys = Set(kept.map(\.key))
        var stale: [String] = []
        var seen: Set<String> = []
        for key in order where !keptKeys.contains(key) {
            let id = "\(key.suite)/\(key.caseID)"
            if seen.insert(id).inserted { stale.append(id) }
        }
        let (replaced, aside) = try Self.moveAside(path)
        defer { replaced?.close() }
        do {
            let writer = try RunLogWriter(path: path, shared: settings.sharedLogs)
            defer { writer.close() }
            try writer.append(.manifest(manifest))
            for result in kept { try writer.append(.result(result)) }
        } catch {
            throw .infrastructure(error.locatedMessage)
        }
        // the old log holds answers in the order they came back: name the stale cases sorted, the same every time
        stale.sort()
        let shown =
            stale.prefix(10).joined(separator: ", ") + (stale.count > 10 ? ", … (\(stale.count - 10) more)" : "")
        notes.append(
            "\(label): the suites changed since \(path) was written: \(kept.count) answers of unchanged cases carried over, "
                + "the changed and new cases run; \(stale.count) stale (changed or removed)\(stale.isEmpty ? "" : ": " + shown); "
                + "the old log was kept as \(aside)"
        )
    }

    /// A log can be continued only by the same run: same target, suites (by content), repeats, seed and scorer
    /// (`suites: false` compares all but the suites).
    static func checkResumable(existing: RunManifest, current: RunManifest, path: String, suites: Bool = true)
        throws(RunLogError)
    {
        func mismatch(_ what: String, _ old: String, _ new: String) -> RunLogError {
            RunLogError(
                .error(
                    "holds another run (\(what): \(old) in the log, \(new) now); use --fresh to start it over (the old log is kept) or another --out folder",
                    path: path, line: 1))
        }
        if existing.target.model != current.target.model {
            throw mismatch("model", existing.target.model, current.target.model)
        }
        if existing.target.baseURL != current.target.baseURL {
            throw mismatch("base URL", existing.target.baseURL, current.target.baseURL)
        }
        if existing.target.revision != current.target.revision {
            throw mismatch("revision", existing.target.revision ?? "none", current.target.revision ?? "none")
        }
        if existing.target.params != current.target.params {
            throw mismatch(
                "params", CanonicalJSON.string(.object(existing.target.params)),
                CanonicalJSON.string(.object(current.target.params)))
        }
        if existing.judges != current.judges {
            let describe = { (judges: [JudgeReference]?) in
                (judges ?? []).flatMap(\.identities).joined(separator: ", ")
            }
            throw mismatch(
                "judges", describe(existing.judges).isEmpty ? "none" : describe(existing.judges),
                describe(current.judges).isEmpty ? "none" : describe(current.judges))
        }
        if existing.shard != current.shard {
            throw mismatch(
                "shard", existing.shard.map { "\($0)" } ?? "whole run", current.shard.map { "\($0)" } ?? "whole run")
        }
        if existing.repeats != current.repeats {
            throw mismatch("repeats", "\(existing.repeats)", "\(current.repeats)")
        }
        if existing.seed != current.seed {
            throw mismatch("seed", existing.seed.map(String.init) ?? "none", current.seed.map(String.init) ?? "none")
        }
        if !suites {
            if existing.scorerVersion != current.scorerVersion {
                throw mismatch("scorer", existing.scorerVersion, current.scorerVersion)
            }
            return
        }
        let old = Dictionary(existing.suites.map { ($0.name, $0.contentHash) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(current.suites.map { ($0.name, $0.contentHash) }, uniquingKeysWith: { first, _ in first })
        if Set(old.keys) != Set(new.keys) {
            throw mismatch("suites", old.keys.sorted().joined(separator: ","), new.keys.sorted().joined(separator: ","))
        }
        for (name, hash) in new.sorted(by: { $0.key < $1.key }) where old[name] != hash {
            throw mismatch("suite '\(name)' content", String(old[name]!.prefix(12)), String(hash.prefix(12)))
        }
        if existing.scorerVersion != current.scorerVersion {
            throw RunLogError(
                .error(
                    "was scored by another scorer version (\(existing.scorerVersion) in the log, \(current.scorerVersion) now): `evalgate rescore \(path)` first, or --fresh",
                    path: path, line: 1))
        }
    }

    // MARK: one request

    /// The request a work item sends to a target: the case's messages, the case's params (its suite's defaults
    /// under its own) with the target's on top, and the per-repeat seed.
    private static func request(for evalCase: EvalCase, repeatIndex: Int, context: TargetContext, shared: SharedContext)
        -> ChatRequest
    {
        var parameters = context.baseParameters
        if !evalCase.params.isEmpty {
            // Validated (and kept) when the runner was made.
            parameters =
                context.caseParameters[evalCase.params]
                ?? (try? ChatParameters(params: effectiveParams(case: evalCase.params, target: context.target.params)))
                ?? parameters
        }
        if let seed = shared.seed { parameters.seed = seed &+ Int64(repeatIndex) }
        return ChatRequest(model: context.target.model, messages: evalCase.messages, parameters: parameters)
    }

    /// Runs one item: from the cache when it has the answer, else from the endpoint; scored either way.
    /// `paced` says whether the item went through the target's pacer (answers expected from the cache do not);
    /// `cached` is the cache entry found for it before the run, so that its key is not computed again.
    private static func execute(
        _ item: WorkItem, target index: Int, context: TargetContext, shared: SharedContext, paced: Bool,
        cached: ResponseCache.Entry? = nil
    ) async -> Completion {
        let suite = shared.suites[Int(item.suite)]
        let repeatIndex = Int(item.repeatIndex)
        let evalCase: EvalCase
        do {
            evalCase = try suite.loadCase(at: Int(item.caseIndex))
        } catch {
            // A lazily read suite whose file changed under the run: recorded as an error, never as a failure.
            let position = Int(item.caseIndex)
            let record = ErrorRecord(errorClass: "evalset_changed", message: error.message, attempts: 0)
            let result = CaseResult(
                suite: suite.name, kind: suite.kind, caseID: suite.caseID(at: position),
                caseHash: suite.caseHash(at: position),
                repeatIndex: repeatIndex, tags: [], status: .error, error: record, finishedAt: timestamp()
            )
            return .unreadable(target: index, result: result, paced: paced)
        }
        let request = request(for: evalCase, repeatIndex: repeatIndex, context: context, shared: shared)
        let sentAt = ContinuousClock.now

        let sentParams = request.parameters.recorded
        func result(
            _ status: CaseResult.Status, checks: [CheckRecord] = [], response: ResponseRecord? = nil,
            error: ErrorRecord? = nil
        ) -> CaseResult {
            CaseResult(
                suite: suite.name, kind: suite.kind, caseID: evalCase.id, caseHash: evalCase.contentHash,
                repeatIndex: repeatIndex, tags: evalCase.tags, status: status, checks: checks, response: response,
                error: error, finishedAt: timestamp(), params: sentParams
            )
        }
        func scored(_ response: ResponseRecord) async -> CaseResult {
            let judged: [Int: CheckRecord]
            switch await shared.panel.judge(evalCase, response: response.content, scorer: shared.scorer) {
            case .success(let records): judged = records
            case .failure(let failure):
                // The model answered but a judge could not decide: an error, never a pass or a fail.
                return result(.error, checks: failure.checks, response: response, error: failure.error)
            }
            let checks = shared.scorer.score(evalCase, response: response.content, judged: judged)
            return result(CaseResult.Status(scoredBy: checks), checks: checks, response: response)
        }

        let cacheKey = { ResponseCache.key(target: context.target, request: request, repeatIndex: repeatIndex) }
        let fromCache: ResponseRecord?
        if let cache = shared.cache {
            fromCache = cached.map { cache.load($0) } ?? cache.load(key: cacheKey())
        } else {
            fromCache = nil
        }
        if let record = fromCache {
            let result = await scored(record)
            // Stopped while a judge was being asked: dropped unrecorded, like a request in flight (resume asks again).
            if Task.isCancelled, result.status == .error { return .cancelled(target: index, item: item, paced: paced) }
            return .answered(
                target: index, result: result, fromCache: true, rateLimitedRetries: 0, tokens: 0, sentAt: sentAt,
                paced: paced)
        }
        do {
            let response = try await context.client.complete(request, stream: context.target.stream)
            // The client has redacted every secret it knows from the answer (a server may echo them).
            let record = ResponseRecord(
                content: response.content, finishReason: response.finishReason, model: response.model,
                promptTokens: response.usage?.promptTokens, completionTokens: response.usage?.completionTokens,
                latencyMs: milliseconds(response.latency),
                timeToFirstTokenMs: response.timeToFirstToken.map(milliseconds),
                attempts: response.attempts, cached: false, systemFingerprint: response.completion.systemFingerprint
            )
            if let cache = shared.cache { cache.store(record, key: cacheKey()) }
            let tokens = (response.usage?.promptTokens ?? 0) + (response.usage?.completionTokens ?? 0)
            let result = await scored(record)
            if Task.isCancelled, result.status == .error { return .cancelled(target: index, item: item, paced: paced) }
            return .answered(
                target: index, result: result, fromCache: false, rateLimitedRetries: response.rateLimitedAttempts,
                tokens: tokens, sentAt: sentAt, paced: paced)
        } catch {
            // Only the run's own cancellation drops a request unrecorded (it stays missing, for a resume). A request
            // the transport gave up on by itself is an error like any other: dropping it would lose the case.
            if Task.isCancelled { return .cancelled(target: index, item: item, paced: paced) }
            let record = ErrorRecord(
                errorClass: error.errorClass, message: error.description, status: error.status, attempts: error.attempts
            )
            return .failed(
                target: index, item: item, error: error, result: result(.error, error: record), sentAt: sentAt,
                paced: paced)
        }
    }

    // MARK: helpers

    /// The pause a 429 asks for (`retry-after-ms`, `retry-after`), at most two minutes; nil when it asks for none.
    static func serverPause(_ error: ChatError, now: Date = Date()) -> Duration? {
        guard let headers = error.responseHeaders, let seconds = RetryPolicy.serverRequestedDelay(headers, now: now),
            seconds > 0
        else { return nil }
        return .milliseconds(Int64((min(seconds, 120) * 1000).rounded(.up)))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    public static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func runID(label: String) -> String {
        let stamp = Date().formatted(
            Date.ISO8601FormatStyle().year().month().day().time(includingFractionalSeconds: false)
        )
        .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(RunLog.fileName(forLabel: label).dropLast(6))-\(stamp)-\(random)"
    }
}

extension CaseResult {
    /// The same error result with `note` added to its message (why it was not tried again).
    fileprivate func withErrorNote(_ note: String) -> CaseResult {
        var copy = self
        copy.error?.message += "; \(note)"
        return copy
    }
}

extension Duration {
    /// `1.5 s`, `0.003 s`: for messages.
    var formattedSeconds: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return "\(RunLimits.text((seconds * 1000).rounded() / 1000)) s"
    }
}

// MARK: - loop state

private struct SharedContext: Sendable {
    let suites: [any CaseSource]
    let scorer: CaseScorer
    /// The judges, for the suites' judge checks.
    let panel: JudgePanel
    let cache: ResponseCache?
    let seed: Int64?
}

private enum Completion: Sendable {
    case answered(
        target: Int, result: CaseResult, fromCache: Bool, rateLimitedRetries: Int, tokens: Int,
        sentAt: ContinuousClock.Instant, paced: Bool)
    case failed(
        target: Int, item: WorkItem, error: ChatError, result: CaseResult, sentAt: ContinuousClock.Instant, paced: Bool)
    case cancelled(target: Int, item: WorkItem, paced: Bool)
    /// The case could not be read again (its file changed): an error result, and no request was sent.
    case unreadable(target: Int, result: CaseResult, paced: Bool)
    case tick(ContinuousClock.Instant)
}

private struct SessionCounters {
    var finished = 0
    var requests = 0
    var cacheHits = 0
    var abortReason: String?
    var errorClasses: [String: Int] = [:]
    /// The `system_fingerprint`s of this session's answers from the cache (with how many answers each) and from the
    /// server.
    var cachedFingerprints: [String: Int] = [:]
    var liveFingerprints: Set<String> = []
}

/// A target's log while the run writes it, with the counts of everything in it.
private struct OpenLog {
    let path: String
    let expected: Int
    /// Open from the start of the run until the run's end line is written and it is closed.
    let writer: RunLogWriter
    var done: Set<ResultKey> = []
    var resumed = 0
    /// Results of the log being run again (errored ones with `--retry-errors`, all with `--refresh`), with their
    /// old status: until their new line is written they still count as that.
    var retrying: [ResultKey: CaseResult.Status] = [:]
    var passed = 0
    var failed = 0
    var errors = 0
    /// Answers of cases kept without checks: neither passed nor failed.
    var unchecked = 0

    init(path: String, expected: Int, writer: RunLogWriter) {
        self.path = path
        self.expected = expected
        self.writer = writer
    }

    var results: Int { passed + failed + errors + unchecked }

    mutating func count(_ status: CaseResult.Status) {
        switch status {
        case .passed: passed += 1
        case .failed: failed += 1
        case .error: errors += 1
        case .unchecked: unchecked += 1
        }
    }

    mutating func uncount(_ status: CaseResult.Status) {
        switch status {
        case .passed: passed -= 1
        case .failed: failed -= 1
        case .error: errors -= 1
        case .unchecked: unchecked -= 1
        }
    }
}
