public import EvalCore
import Foundation

extension RunOutcome.Target {
    /// The target's lines of the summary `run` prints: its results, then this session's errors by class (most
    /// frequent first) when there were any.
    public var summaryLines: [String] {
        var line = "\(label): \(results)/\(expected) results — passed \(passed), failed \(failed), errors \(errors)"
        if unchecked > 0 {
            line += ", unchecked \(unchecked) (kept without checks: not counted as passed)"
        }
        line += " (\(requests) requests, \(cacheHits) from cache"
        if resumed > 0 { line += ", \(resumed) already in the log" }
        line += ") → \(logPath)"
        if outcome == .aborted { line += "  [given up]" }
        guard !errorClasses.isEmpty else { return [line] }
        let classes = errorClasses.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }
            .joined(separator: ", ")
        return [line, "  errors this session: \(classes)"]
    }
}

extension RunOutcome {
    /// What to do with the logs next, spelled out for the first runs: merge the shards, diff and gate two targets,
    /// report one. Nil without a target.
    public func nextStep(shard: RunShard?) -> String? {
        let logs = targets.map(\.logPath)
        if let shard {
            return
                "next: once all \(shard.count) shards have run, evalgate merge THEIR_LOGS… --out LOG (per target), then report, diff or gate the merged log"
        } else if logs.count >= 2 {
            return "next: evalgate diff \(logs[0]) \(logs[1])   ·   evalgate gate \(logs[0]) \(logs[1])"
        } else if let log = logs.first {
            return "next: evalgate report \(log)   ·   evalgate diff BASELINE.jsonl \(log)"
        }
        return nil
    }

    /// Why the run fails on the machine's side (exit 3): targets given up, else targets whose share of endpoint
    /// errors is above `maxErrorRate`; nil when neither.
    public func failure(maxErrorRate: Double) -> RunError? {
        let givenUp = targets.filter { $0.outcome == .aborted }
        if !givenUp.isEmpty {
            let reasons = givenUp.map { "'\($0.label)' \($0.abortReason ?? "given up")" }.joined(separator: "; ")
            return .infrastructure(
                "gave up on target \(reasons); the log keeps every result so far, run the same command again to finish")
        }
        let failed = targets.filter { $0.errorRate > maxErrorRate }
        guard !failed.isEmpty else { return nil }
        let rates = failed.map { "\($0.label) \(String(format: "%.1f%%", $0.errorRate * 100))" }
            .joined(separator: ", ")
        return .infrastructure(
            "endpoint errors above the limit of \(String(format: "%.1f%%", maxErrorRate * 100)): \(rates); the logs record each error with its class"
        )
    }
}
