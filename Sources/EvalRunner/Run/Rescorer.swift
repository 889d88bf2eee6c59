public import EvalCore
import Foundation
public import Scoring

/// Applies the current checks to the answers stored in a run log, without calling any model: for when a rule pack
/// or a check changed. Writes a new log (the old one is never touched) whose manifest carries the current scorer
/// hash and suite hashes and names the run it came from.
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
    }

    public static func rescore(
        log path: String,
        suites: [Suite],
        output: String,
        replacing: Bool = false,
        toolVersion: String,
        registry: CheckRegistry = .standard
    ) throws(RunError) -> Summary {
        let reader: RunLogReader
        do {
            reader = try RunLogReader(path: path)
        } catch {
            throw .badInput(error.locatedMessage)
        }
        let old = reader.manifest
        let byName = Dictionary(suites.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for reference in old.suites where byName[reference.name] == nil {
            throw .badInput("\(path): the run used suite '\(reference.name)' (\(reference.path)), which was not given or not found")
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
            indexes[suite.name] = Dictionary(suite.cases.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
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
            try reader.forEach { line throws(RunLogError) in
                switch line {
                case .manifest:
                    return
                case .end(let end):
                    lastEnd = end
                    return
                case .result(var result):
                    defer { ordinal += 1 }
                    guard lastLine[result.key] == ordinal else { return }
                    guard let suite = byName[result.suite], let index = indexes[result.suite]?[result.caseID] else {
                        summary.dropped += 1
                        return
                    }
                    let evalCase = suite.cases[index]
                    if let response = result.response, result.status != .error {
                        if evalCase.contentHash != result.caseHash { summary.changedCases += 1 }
                        // A judge's verdict is kept as the log has it: rescoring never asks the judge again.
                        var judged: [Int: CheckRecord] = [:]
                        for (position, record) in result.checks.enumerated()
                        where record.judge != nil && position < evalCase.checks.count && evalCase.checks[position].type == record.type {
                            judged[position] = record
                        }
                        let checks = scorer.score(evalCase, response: response.content, judged: judged)
                        let status = CaseResult.Status(scoredBy: checks)
                        if status != result.status { summary.verdictsChanged += 1 }
                        result.checks = checks
                        result.status = status
                        result.caseHash = evalCase.contentHash
                        result.tags = evalCase.tags
                        result.kind = suite.kind
                        summary.rescored += 1
                        switch status {
                        case .passed: summary.passed += 1
                        case .unchecked: summary.unchecked += 1
                        case .failed, .error: summary.failed += 1
                        }
                    } else {
                        summary.errorsCopied += 1
                    }
                    try writer.append(.result(result))
                }
            }
            let results = summary.rescored + summary.errorsCopied
            try writer.append(.end(RunEnd(
                endedAt: lastEnd?.endedAt ?? Runner.timestamp(),
                outcome: results >= manifest.expectedResults ? .complete : (lastEnd?.outcome ?? .interrupted),
                results: results, passed: summary.passed, failed: summary.failed, errors: summary.errorsCopied,
                requests: 0
            )))
        } catch {
            writer.close()
            unlink(temporary)
            throw error.diagnostic.path == temporary ? .infrastructure(error.locatedMessage) : .badInput(error.locatedMessage)
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

    private static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
