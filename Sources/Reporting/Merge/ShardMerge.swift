public import EvalCore
import Foundation

/// Joins the logs of a run split with `run --shard I/N` into the one log a single run of every case would have
/// written, so that `report`, `diff`, `compare` and `gate` read it exactly like one.
///
/// The shards must be of one run: the same target (label, model, base URL, revision), the settings two runs must
/// share to be compared (`ManifestDifference`: params, suites by content hash, scorer, repeats, seed, stream,
/// judges), the same tool version and the same N, with each shard given exactly once. Every result must belong to the
/// shard whose log holds it. The merged log's manifest is the shards' with the whole suites' case counts, a new run
/// id, the earliest start, no `shard`, and `merged_from` naming the shard runs; its results are every shard's (the
/// last line of a key, as in any log) in the order they finished; one `end` line sums the sessions.
public enum ShardMerge {
    public struct Summary: Sendable, Hashable {
        public var label: String
        public var shards: Int
        public var results: Int
        public var expected: Int
        public var passed: Int
        public var failed: Int
        public var errors: Int
        public var unchecked: Int
        public var outcome: RunEnd.Outcome
        /// A shard that did not finish (its log says so): the merged log is incomplete too, and the gate says so.
        public var warnings: [String]
    }

    /// Why the logs cannot be merged (bad input, exit 2) or the merged log cannot be written (exit 3).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var isInfrastructure: Bool

        static func input(_ message: String) -> Failure { Failure(message: message, isInfrastructure: false) }
        public var description: String { message }
    }

    /// - Parameters:
    ///   - runID: the merged log's run id (`Runner.runID(label:)`).
    ///   - replacing: an existing `output` may be replaced (`--force`).
    public static func merge(logs paths: [String], output: String, runID: String, replacing: Bool = false)
        throws(Failure) -> Summary
    {
        guard !paths.isEmpty else { throw .input("no shard logs to merge") }
        var shards: [(path: String, reader: RunLogReader, shard: RunShard)] = []
        for path in paths {
            let reader: RunLogReader
            do {
                reader = try RunLogReader(path: path)
            } catch {
                throw .input(error.locatedMessage)
            }
            guard let shard = reader.manifest.shard else {
                throw .input(
                    "\(path): not a shard log (its manifest has no \"shard\"); merge joins the logs written by run --shard I/N"
                )
            }
            shards.append((path, reader, shard))
        }
        let count = shards[0].shard.count
        if let other = shards.first(where: { $0.shard.count != count }) {
            throw .input(
                "\(other.path) is shard \(other.shard) but \(shards[0].path) is shard \(shards[0].shard): the shards of one run are split into the same N"
            )
        }
        var byIndex: [Int: String] = [:]
        for entry in shards {
            if let first = byIndex[entry.shard.index] {
                throw .input("shard \(entry.shard) is given twice: \(first) and \(entry.path)")
            }
            byIndex[entry.shard.index] = entry.path
        }
        let missing = (1...count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            let given = shards.sorted { $0.shard.index < $1.shard.index }.map { "\($0.shard) \($0.path)" }.joined(
                separator: ", ")
            let names =
                missing.count > 10
                ? missing.prefix(10).map { "\($0)/\(count)" }.joined(separator: ", ") + ", … (\(missing.count) missing)"
                : missing.map { "\($0)/\(count)" }.joined(separator: ", ")
            throw .input(
                "shard\(missing.count == 1 ? "" : "s") \(names) missing: each of the \(count) shards must be given once (given: \(given))"
            )
        }
        shards.sort { $0.shard.index < $1.shard.index }
        let first = shards[0]
        for entry in shards.dropFirst() {
            let differences = differences(
                first.reader.manifest, entry.reader.manifest, firstName: first.path, otherName: entry.path)
            if !differences.isEmpty {
                throw .input(
                    "\(entry.path) (shard \(entry.shard)) is not of the same run as \(first.path) (shard \(first.shard)): "
                        + differences.joined(separator: "; "))
            }
        }
        if shards.contains(where: { standardized($0.path) == standardized(output) }) {
            throw .input("\(output): the merged log must be a new file, not one of the shard logs")
        }
        if !replacing, FileManager.default.fileExists(atPath: output) {
            throw .input("\(output) already exists; choose another --out, or --force to replace it")
        }

        // Every shard's results: the last line of a key is its result; each must belong to its shard.
        var results: [(result: CaseResult, shard: Int, position: Int)] = []
        var requests = 0
        var ended: String?
        var warnings: [String] = []
        var worst: RunEnd.Outcome = .complete
        let suiteNames = Set(first.reader.manifest.suites.map(\.name))
        for (shardPosition, entry) in shards.enumerated() {
            var latest: [ResultKey: Int] = [:]
            var own: [CaseResult] = []
            var ends: [RunEnd] = []
            var failure: Failure?
            do {
                try entry.reader.forEachLine { bytes, number, complete in
                    switch RunLog.decode(bytes) {
                    case .success(.result(let result)):
                        if !suiteNames.contains(result.suite) {
                            failure = .input(
                                "\(entry.path):\(number): a result of suite '\(result.suite)', which the manifest does not name"
                            )
                            return false
                        }
                        let belongs = RunShard.index(suite: result.suite, caseID: result.caseID, count: count)
                        if belongs != entry.shard.index {
                            failure = .input(
                                "\(entry.path):\(number): case '\(result.caseID)' of suite '\(result.suite)' belongs to shard \(belongs)/\(count), not \(entry.shard): this log was not written by run --shard \(entry.shard)"
                            )
                            return false
                        }
                        latest[result.key] = own.count
                        own.append(result)
                    case .success(.end(let end)):
                        ends.append(end)
                    case .success(.manifest):
                        failure = .input("\(entry.path):\(number): a second manifest record: a run log holds one run")
                        return false
                    case .failure(let error):
                        // A last line cut by a kill is not damage: that case is missing, as in any log.
                        if complete {
                            failure = .input(
                                "\(entry.path):\(number)\(error.column.map { ":\($0)" } ?? ""): \(error.message)")
                        } else {
                            warnings.append(
                                "\(entry.path):\(number): incomplete last line ignored (the run was stopped while writing it)"
                            )
                        }
                        return false
                    }
                    return true
                }
            } catch {
                throw .input(error.locatedMessage)
            }
            if let failure { throw failure }
            for position in latest.values.sorted() { results.append((own[position], shardPosition, position)) }
            requests += ends.reduce(0) { $0 + $1.requests }
            if let last = ends.last?.endedAt, last > (ended ?? "") { ended = last }
            let expected = entry.reader.manifest.expectedResults
            let outcome = ends.last?.outcome
            if latest.count < expected || outcome != .complete {
                warnings.append(
                    "\(entry.path) (shard \(entry.shard)) has \(latest.count) of \(expected) results (\(outcome?.rawValue ?? "unfinished")): the merged log is incomplete too; finish that shard (run the same command again) and merge again"
                )
                if outcome == .aborted { worst = .aborted } else if worst == .complete { worst = .interrupted }
            }
        }
        // The order they finished in, across machines; ties keep shard and file order.
        results.sort { ($0.result.finishedAt, $0.shard, $0.position) < ($1.result.finishedAt, $1.shard, $1.position) }

        var manifest = first.reader.manifest
        manifest.runID = runID
        manifest.startedAt = shards.map(\.reader.manifest.startedAt).min() ?? manifest.startedAt
        manifest.shard = nil
        manifest.mergedFrom = shards.map(\.reader.manifest.runID)
        for (position, suite) in manifest.suites.enumerated() {
            manifest.suites[position].caseCount = shards.reduce(0) { total, entry in
                total + (entry.reader.manifest.suite(named: suite.name)?.caseCount ?? 0)
            }
        }
        var counts = (passed: 0, failed: 0, errors: 0, unchecked: 0)
        for entry in results {
            switch entry.result.status {
            case .passed: counts.passed += 1
            case .failed: counts.failed += 1
            case .error: counts.errors += 1
            case .unchecked: counts.unchecked += 1
            }
        }
        let outcome: RunEnd.Outcome =
            results.count >= manifest.expectedResults && worst == .complete
            ? .complete
            : (worst == .complete ? .interrupted : worst)
        let end = RunEnd(
            endedAt: ended ?? manifest.startedAt, outcome: outcome, results: results.count, passed: counts.passed,
            failed: counts.failed, errors: counts.errors, requests: requests)

        let temporary = output + ".partial"
        unlink(temporary)
        do {
            let writer = try RunLogWriter(path: temporary)
            defer { writer.close() }
            try writer.append(.manifest(manifest))
            for entry in results { try writer.append(.result(entry.result)) }
            try writer.append(.end(end))
            writer.sync()
        } catch {
            unlink(temporary)
            throw Failure(message: error.locatedMessage, isInfrastructure: true)
        }
        // Without `replacing`, link() refuses to replace a file that appeared meanwhile; rename() would not.
        let placed = replacing ? rename(temporary, output) : link(temporary, output)
        let failure = errno
        if !replacing { unlink(temporary) }
        guard placed == 0 else {
            unlink(temporary)
            throw failure == EEXIST
                ? .input("\(output) already exists; choose another --out, or --force to replace it")
                : Failure(
                    message: "\(output): cannot write the merged log: \(String(cString: strerror(failure)))",
                    isInfrastructure: true)
        }
        return Summary(
            label: manifest.target.label, shards: count, results: results.count, expected: manifest.expectedResults,
            passed: counts.passed, failed: counts.failed, errors: counts.errors, unchecked: counts.unchecked,
            outcome: outcome,
            warnings: warnings)
    }

    /// Each way in which two shards' manifests are not of one run, named with both values.
    static func differences(_ first: RunManifest, _ other: RunManifest, firstName: String, otherName: String)
        -> [String]
    {
        func line(_ field: String, _ a: String?, _ b: String?) -> String {
            "\(field): \(a ?? "not set") in \(firstName), \(b ?? "not set") in \(otherName)"
        }
        var lines: [String] = []
        let identity: [(String, String?, String?)] = [
            ("target.label", first.target.label, other.target.label),
            ("target.model", first.target.model, other.target.model),
            ("target.base_url", first.target.baseURL, other.target.baseURL),
            ("target.revision", first.target.revision, other.target.revision),
            ("tool_version", first.toolVersion, other.toolVersion),
            ("format", "\(first.format)", "\(other.format)"),
        ]
        for (field, a, b) in identity where a != b { lines.append(line(field, a, b)) }
        lines += ManifestDifference.between(first, other).map { line($0.field, $0.base, $0.candidate) }
        let firstOrder = first.suites.map(\.name)
        let otherOrder = other.suites.map(\.name)
        if Set(firstOrder) == Set(otherOrder), firstOrder != otherOrder {
            lines.append(line("suites (order)", firstOrder.joined(separator: ","), otherOrder.joined(separator: ",")))
        }
        return lines
    }

    private static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
