public import EvalCore
import Foundation
public import Scoring

/// Applies the current checks to the answers stored in a run log, without calling the model under test: for when a
/// rule pack or a check changed. Judge checks keep the log's verdicts, unless asked to `rejudge`: then the judges
/// (given now, with their settings) are asked again about the stored answers. Writes a new log (the old one is never
/// touched) whose manifest carries the current scorer hash, suite hashes and judges, and names the run it came from.
public enum Rescorer {
    public struct Summary: Sendable, Hashable {
        public var output: String
        public var rescored: Int
        /// Endpoint errors are copied as they are: there is no answer to score.
        public var errorsCopied: Int
        /// Results whose case is no longer in the suites: left out of the new log.
        public var dropped: Int
        /// Results whose case changed since the run (its checks or its prompt): rescored, but if the prompt changed
        /// the stored answer is to another question and only a new run tells the truth.
        public var changedCases: Int
        /// Results whose verdict changed.
        public var verdictsChanged: Int
        public var passed: Int
        public var failed: Int
        /// Answers of cases kept without checks (`unchecked`): neither passed nor failed.
        public var unchecked: Int = 0
        public var scorerBefore: String
        public var scorerAfter: String
        /// With `rejudge`: answers whose judge checks were asked again, and of them those whose judge could not
        /// decide (now errors).
        public var rejudged: Int = 0
        public var judgeErrors: Int = 0
    }

    /// - Parameter rejudge: the judges to ask again about each answer with a judge check (`rescore --rejudge`);
    ///   without it a judge's verdict is kept as the log has it. Answers whose judge could not decide in the run
    ///   (a `judge_*` error with the answer kept) are judged again too.
    /// - Parameter batch: answers judged at once (each judge's own limits bound its requests in flight); the log is
    ///   read in passes of this many, so memory does not grow with the log.
    public static func rescore(
        log path: String,
        suites: [Suite],
        output: String,
        replacing: Bool = false,
        toolVersion: String,
        registry: CheckRegistry = .standard,
        rejudge panel: JudgePanel? = nil,
        batch: Int = 256
    ) async throws(RunError) -> Summary {
        let reader: RunLogReader
        do {
            reader = try RunLogReader(path: path)
        } catch {
            throw .badInput(error.locatedMessage)
        }
        let old = reader.manifest
        let byName = Dictionary(suites.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for reference in old.suites where byName[reference.name] == nil {
            throw .badInput(
                "\(path): the run used suite '\(reference.name)' (\(reference.path)), which was not given or not found")
        }
        let used = old.suites.compactMap { byName[$0.name] }
        let scorer: CaseScorer
        do {
            scorer = try CaseScorer(suites: used, registry: registry)
        } catch {
            throw .badInput(error.description)
        }
        if standardized(output) == standardized(path) {
            throw .badInput("\(output): the rescored log must be a new file, not the log it is made from")
        }
        if !replacing, FileManager.default.fileExists(atPath: output) {
            throw .badInput("\(output) already exists; choose another --out, or --force to replace it")
        }
        var indexes: [String: [String: Int]] = [:]
        for suite in used {
            indexes[suite.name] = Dictionary(
                suite.cases.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        }

        var manifest = old
        manifest.runID = Runner.runID(label: old.target.label)
        manifest.toolVersion = toolVersion
        manifest.scorerVersion = scorer.versionHash
        manifest.suites = used.map { suite in
            var reference = SuiteReference(suite)
            if let before = old.suite(named: suite.name), before.contentHash == suite.contentHash {
                reference.gitCommit = before.gitCommit
                reference.gitDirty = before.gitDirty
            }
            return reference
        }
        manifest.rescoredFrom = old.runID
        if let panel {
            try panel.check(scorer)
            manifest.judges = panel.references(for: scorer)
        }

        let temporary = output + ".partial"
        unlink(temporary)
        let writer: RunLogWriter
        do {
            writer = try RunLogWriter(path: temporary)
            try writer.append(.manifest(manifest))
        } catch {
            throw .infrastructure(error.locatedMessage)
        }
        var summary = Summary(
            output: output, rescored: 0, errorsCopied: 0, dropped: 0, changedCases: 0, verdictsChanged: 0, passed: 0,
            failed: 0, scorerBefore: old.scorerVersion, scorerAfter: scorer.versionHash
        )
        var lastEnd: RunEnd?
        var stopped = false
        do {
            // The last line for a key is its result (`--retry-errors` appends a rerun after the error it supersedes):
            // only that one is carried over, so the new log and its counts hold each (case, repeat) once.
            var lastLine: [ResultKey: Int] = [:]
            var ordinal = 0
            _ = try reader.forEach { line throws(RunLogError) in
                guard case .result(let result) = line else { return }
                lastLine[result.key] = ordinal
                ordinal += 1
            }
            ordinal = 0
            // Results wait here, in file order, while the first of them waits for its judges; without judges to ask
            // the queue stays empty and each result is written as it is read.
            var queue: [(result: CaseResult, evalCase: EvalCase?, kind: SuiteKind)] = []
            var toJudge = 0
            var position: RunLogReader.Position? = reader.start
            while let from = position {
                position = try reader.forEach(from: from) { line throws(RunLogError) in
                    switch line {
                    case .manifest:
                        return true
                    case .end(let end):
                        lastEnd = end
                        return true
                    case .result(let result):
                        defer { ordinal += 1 }
                        guard lastLine[result.key] == ordinal else { return true }
                        guard let suite = byName[result.suite], let index = indexes[result.suite]?[result.caseID] else {
                            summary.dropped += 1
                            return true
                        }
                        let evalCase = suite.cases[index]
                        let judging =
                            panel != nil && result.response != nil && !scorer.judgeChecks(of: evalCase).isEmpty
                            && (result.status != .error || result.error?.errorClass.hasPrefix("judge_") == true)
                        if queue.isEmpty, !judging {
                            try writer.append(
                                .result(
                                    rescored(
                                        result, evalCase, kind: suite.kind, judged: nil, scorer: scorer,
                                        summary: &summary)))
                            return true
                        }
                        queue.append((result, judging ? evalCase : nil, suite.kind))
                        if judging { toJudge += 1 }
                        // Enough answers to judge at once: stop the pass here and judge them.
                        return toJudge < max(1, batch)
                    }
                }.next
                guard let panel, !queue.isEmpty else { continue }
                let verdicts = await withTaskGroup(of: (Int, Result<[Int: CheckRecord], JudgePanel.Failure>).self) {
                    group in
                    for (offset, item) in queue.enumerated() {
                        guard let evalCase = item.evalCase, let answer = item.result.response?.content else { continue }
                        group.addTask { (offset, await panel.judge(evalCase, response: answer, scorer: scorer)) }
                    }
                    var verdicts: [Int: Result<[Int: CheckRecord], JudgePanel.Failure>] = [:]
                    for await (offset, verdict) in group { verdicts[offset] = verdict }
                    return verdicts
                }
                for (offset, item) in queue.enumerated() {
                    guard
                        let evalCase = item.evalCase
                            ?? byName[item.result.suite].flatMap({ suite in
                                indexes[item.result.suite]?[item.result.caseID].map { suite.cases[$0] }
                            })
                    else { continue }
                    try writer.append(
                        .result(
                            rescored(
                                item.result, evalCase, kind: item.kind, judged: verdicts[offset], scorer: scorer,
                                summary: &summary)))
                }
                queue.removeAll()
                toJudge = 0
                // Stopped while judging: the judges' "cancelled" errors are not verdicts; nothing is placed.
                if Task.isCancelled {
                    stopped = true
                    break
                }
            }
            if !stopped {
                let results = summary.rescored + summary.errorsCopied + summary.judgeErrors
                try writer.append(
                    .end(
                        RunEnd(
                            endedAt: lastEnd?.endedAt ?? Runner.timestamp(),
                            outcome: results >= manifest.expectedResults
                                ? .complete : (lastEnd?.outcome ?? .interrupted),
                            results: results, passed: summary.passed, failed: summary.failed,
                            errors: summary.errorsCopied + summary.judgeErrors,
                            requests: 0
                        )))
            }
        } catch {
            writer.close()
            unlink(temporary)
            throw error.diagnostic.path == temporary
                ? .infrastructure(error.locatedMessage) : .badInput(error.locatedMessage)
        }
        if stopped {
            writer.close()
            unlink(temporary)
            throw .infrastructure("\(output): rescoring was stopped before the end; nothing was written")
        }
        writer.sync()
        writer.close()
        // Without `replacing`, link() refuses to replace a file that appeared meanwhile; rename() would not.
        let placed = replacing ? rename(temporary, output) : link(temporary, output)
        let failure = errno
        if !replacing { unlink(temporary) }
        guard placed == 0 else {
            unlink(temporary)
            throw failure == EEXIST
                ? .badInput("\(output) already exists; choose another --out, or --force to replace it")
                : .infrastructure("\(output): cannot write the rescored log: \(String(cString: strerror(failure)))")
        }
        return summary
    }

    /// `result` scored by the current checks. A judge's verdict is kept as the log has it unless `judged` brings
    /// the judges' new verdicts (`rejudge`); a judge that could not decide makes the result an error, with the
    /// answer kept. An endpoint error has no answer to score and is copied as it is.
    private static func rescored(
        _ result: CaseResult, _ evalCase: EvalCase, kind: SuiteKind,
        judged: Result<[Int: CheckRecord], JudgePanel.Failure>?,
        scorer: CaseScorer, summary: inout Summary
    ) -> CaseResult {
        guard let response = result.response, result.status != .error || judged != nil else {
            summary.errorsCopied += 1
            return result
        }
        var result = result
        if evalCase.contentHash != result.caseHash { summary.changedCases += 1 }
        result.caseHash = evalCase.contentHash
        result.tags = evalCase.tags
        result.kind = kind
        var kept: [Int: CheckRecord] = [:]
        switch judged {
        case .failure(let failure)?:
            summary.rejudged += 1
            summary.judgeErrors += 1
            if result.status != .error { summary.verdictsChanged += 1 }
            result.status = .error
            result.checks = failure.checks
            result.error = failure.error
            return result
        case .success(let records)?:
            summary.rejudged += 1
            kept = records
            result.error = nil
        case nil:
            for (position, record) in result.checks.enumerated()
            where record.judge != nil && position < evalCase.checks.count
                && evalCase.checks[position].type == record.type
            {
                kept[position] = record
            }
        }
        let checks = scorer.score(evalCase, response: response.content, judged: kept)
        let status = CaseResult.Status(scoredBy: checks)
        if status != result.status { summary.verdictsChanged += 1 }
        result.checks = checks
        result.status = status
        summary.rescored += 1
        switch status {
        case .passed: summary.passed += 1
        case .unchecked: summary.unchecked += 1
        case .failed, .error: summary.failed += 1
        }
        return result
    }

    private static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
