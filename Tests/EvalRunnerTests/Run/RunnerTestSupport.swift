import EvalCore
import Foundation
import ScriptedEndpoint
import Synchronization
import Transport

@testable import EvalRunner

/// Suites, targets and folders for runner tests.
enum RunnerFixture {
    static let transport = try! CurlClient()
    static let quickRetry = RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2))

    /// A suite of `count` cases `c0`, `c1`... asking `question i`, each checked to contain "ok".
    static func suite(
        _ name: String = "golden", kind: SuiteKind = .golden, count: Int, params: [String: JSONValue] = [:]
    ) -> Suite {
        let cases = (0..<count).map { index in
            EvalCase(
                id: "c\(index)", messages: [.user("\(name) question \(index)")], tags: ["t\(index % 3)"],
                checks: [CheckSpec(type: "contains", options: ["value": "ok"])], params: params, line: index + 1
            )
        }
        return Suite(name: name, kind: kind, cases: cases, directory: "/nonexistent/\(name)")
    }

    /// One run of `suites` against one target.
    static func run(
        _ suites: [any CaseSource], _ target: RunTargetSpec, settings: RunSettings, retry: RetryPolicy = quickRetry
    ) async throws -> RunOutcome {
        try await Runner(suites: suites, targets: [target], settings: settings, transport: transport, retry: retry)
            .run()
    }

    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-run-\(UUID().uuidString)").path
    }

    static func target(
        _ label: String, model: String? = nil, endpoint: ScriptedEndpoint, stream: Bool = false,
        timeouts: HTTPTimeouts = HTTPTimeouts()
    ) -> RunTargetSpec {
        RunTargetSpec(
            label: label, model: model ?? label,
            endpoint: ChatEndpoint(baseURL: endpoint.baseURL, timeouts: timeouts), stream: stream
        )
    }

    static func settings(
        out: String, concurrency: Int = 8, repeats: Int = 1, seed: Int64? = nil,
        cache: ResponseCache? = nil, existing: RunSettings.ExistingLog = .resumeOrCreate
    ) -> RunSettings {
        RunSettings(
            outDirectory: out, repeats: repeats, seed: seed, concurrency: concurrency, cache: cache,
            rateLimitPause: .milliseconds(1), existingLog: existing, toolVersion: "test"
        )
    }

    /// Results of a log by key, with the fields that must not depend on how the run went (no times, no latency).
    static func outcomes(_ path: String) throws -> [ResultKey: String] {
        let (results, _, _) = try RunLogReader(path: path).results()
        var table: [ResultKey: String] = [:]
        for result in results {
            let checks = result.checks.map { "\($0.type)=\($0.passed)" }.joined(separator: ",")
            table[result.key] =
                "\(result.status.rawValue)|\(result.response?.content ?? result.error?.errorClass ?? "")|\(checks)"
        }
        return table
    }

    static func resultLines(_ path: String) throws -> [CaseResult] {
        try RunLogReader(path: path).results().results
    }
}

/// A list shared with a script's handler.
final class Recorder<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])
    func append(_ item: Element) { items.withLock { $0.append(item) } }
    var all: [Element] { items.withLock { $0 } }
}
