import EvalCore
import Foundation
import Reporting

/// Small hand-built runs: a baseline `v1`, a candidate `v2` and a later `v3`, on a golden, an eval and a base suite.
///
/// What the candidate changes (the golden files show it):
/// - golden `g2` regresses with a phone number (a new PII finding); `g3` fails in both with an OpenAI key (a secret)
/// - eval `e1`, `e2` are fixed; `e4` errors in the candidate (http_500); `e6` regresses and is flaky (1 of 2 repeats)
/// - base `b2` regresses (format.language): the candidate improves on `delivery` while losing `arithmetic`; its
///   answer was cut off by the token limit (`finish_reason: length`), and `e5`'s answer came from the cache
enum Fixtures {
    static let suites: [(name: String, kind: SuiteKind, cases: [(id: String, tags: [String])])] = [
        ("support-golden", .golden, [("g1", ["refunds"]), ("g2", ["privacy", "refunds"]), ("g3", ["privacy"])]),
        (
            "support-eval", .eval,
            [
                ("e1", ["delivery"]), ("e2", ["delivery"]), ("e3", ["refunds"]), ("e4", ["delivery"]), ("e5", ["tone"]),
                ("e6", ["tone"]),
            ]
        ),
        ("base-skills", .base, [("b1", ["arithmetic"]), ("b2", ["arithmetic"]), ("b3", ["extraction"])]),
    ]

    static func manifest(label: String, scorer: String = "scorer-1", hashes: [String: String] = [:], repeats: Int = 1)
        -> RunManifest
    {
        RunManifest(
            runID: "run-\(label)", toolVersion: "0.1.0",
            target: RunTarget(label: label, model: "support-\(label)", baseURL: "http://127.0.0.1:8000/v1"),
            suites: suites.map {
                SuiteReference(
                    name: $0.name, kind: $0.kind, contentHash: hashes[$0.name] ?? "hash-\($0.name)",
                    caseCount: $0.cases.count,
                    path: "EvalSets/\($0.name)")
            },
            scorerVersion: scorer, repeats: repeats, seed: 7, startedAt: "2026-11-26T12:00:00Z")
    }

    enum Plan {
        case pass
        case fail([Finding])
        case error(String)
    }

    static let phone = Finding(
        ruleID: "pii.phone", message: "discloses a phone number '+79161234567'", span: TextSpan(start: 31, end: 43),
        text: "+79161234567")
    static let secret = Finding(
        ruleID: "pii.secret.openai", message: "discloses a secret (OpenAI API key) 'sk-proj-ab…'",
        span: TextSpan(start: 5, end: 37),
        text: "sk-proj-abcdefghijklmnopqrstuvwx")
    static let promise = Finding(
        ruleID: "promise.deadline.within_period", message: "promises a deadline 'за 3 дня'",
        span: TextSpan(start: 10, end: 25), text: "за 3 дня")
    static let missingSection = Finding(
        ruleID: "format.sections.missing", message: "missing section 'Коротко'", text: "Коротко")
    static let language = Finding(
        ruleID: "format.language", message: "only 40% of the letters are Cyrillic, expected at least 80%")
    static let forbidden = Finding(
        ruleID: "content.not-contains", message: "contains forbidden text 'a|b `c`'", span: TextSpan(start: 0, end: 9),
        text: "a|b `c`")

    /// What each case does in each version; repeats beyond the first are extra plans.
    static func plans(_ label: String) -> [String: [Plan]] {
        switch label {
        case "v1":
            return [
                "g1": [.pass], "g2": [.pass], "g3": [.fail([secret, promise])],
                "e1": [.fail([missingSection])], "e2": [.fail([missingSection])], "e3": [.pass], "e4": [.pass],
                "e5": [.pass], "e6": [.pass],
                "b1": [.pass], "b2": [.pass], "b3": [.pass],
            ]
        case "v2":
            return [
                "g1": [.pass], "g2": [.fail([phone])], "g3": [.fail([secret, promise])],
                "e1": [.pass], "e2": [.pass], "e3": [.pass], "e4": [.error("http_500")], "e5": [.pass],
                "e6": [.pass, .fail([forbidden])],
                "b1": [.pass], "b2": [.fail([language])], "b3": [.pass],
            ]
        default:
            return [
                "g1": [.pass], "g2": [.pass], "g3": [.pass],
                "e1": [.pass], "e2": [.pass], "e3": [.fail([promise])], "e4": [.pass], "e5": [.pass], "e6": [.pass],
                "b1": [.pass], "b2": [.pass], "b3": [.pass],
            ]
        }
    }

    static func results(_ label: String) -> [CaseResult] {
        let plans = plans(label)
        var results: [CaseResult] = []
        var number = 0
        for suite in suites {
            for entry in suite.cases {
                for (repeatIndex, plan) in (plans[entry.id] ?? [.pass]).enumerated() {
                    number += 1
                    results.append(
                        result(
                            suite: suite.name, kind: suite.kind, id: entry.id, tags: entry.tags,
                            repeatIndex: repeatIndex, plan: plan, number: number, label: label))
                }
            }
        }
        return results
    }

    static func result(
        suite: String, kind: SuiteKind, id: String, tags: [String], repeatIndex: Int, plan: Plan, number: Int,
        label: String
    ) -> CaseResult {
        let latency = Double(300 + number * 10 + (label == "v2" ? 25 : 0))
        switch plan {
        case .error(let errorClass):
            return CaseResult(
                suite: suite, kind: kind, caseID: id, caseHash: "h-\(id)", repeatIndex: repeatIndex, tags: tags,
                status: .error,
                error: ErrorRecord(errorClass: errorClass, message: "HTTP 500", status: 500, attempts: 3),
                finishedAt: "2026-11-26T12:01:00Z")
        case .pass, .fail:
            var findings: [Finding] = []
            if case .fail(let found) = plan { findings = found }
            // The answer holds each finding's text where its span says (the spans above are placed anew), as a
            // checked answer does: reports quote the answer around a span and place it as line:column.
            var content = "Коротко: ваш заказ в пути.\nСпасибо за терпение."
            findings = findings.map { finding in
                guard finding.span != nil, let text = finding.text else { return finding }
                content += "\n"
                let start = content.utf8.count
                content += text
                var placed = finding
                placed.span = TextSpan(start: start, end: content.utf8.count)
                return placed
            }
            let language = findings.filter { $0.ruleID == "format.language" }
            var checks = [CheckRecord(type: "language", passed: language.isEmpty, findings: language)]
            let grouped = Dictionary(grouping: findings.filter { $0.ruleID != "format.language" }) {
                finding -> String in
                if finding.ruleID.hasPrefix("pii.") { return "pii" }
                if finding.ruleID.hasPrefix("promise.") { return "promises" }
                if finding.ruleID.hasPrefix("format.sections") { return "sections" }
                return "not-contains"
            }
            for type in grouped.keys.sorted() {
                checks.append(CheckRecord(type: type, passed: false, findings: grouped[type]!))
            }
            if grouped["pii"] == nil { checks.append(CheckRecord(type: "pii", passed: true)) }
            return CaseResult(
                suite: suite, kind: kind, caseID: id, caseHash: "h-\(id)", repeatIndex: repeatIndex, tags: tags,
                status: findings.isEmpty ? .passed : .failed, checks: checks,
                response: ResponseRecord(
                    content: content,
                    finishReason: label == "v2" && id == "b2" ? "length" : "stop", model: "support",
                    promptTokens: 100 + number, completionTokens: 40 + number % 7 + (label == "v2" ? 6 : 0),
                    latencyMs: latency,
                    attempts: label == "v2" && id == "e5" ? 0 : 1, cached: label == "v2" && id == "e5"),
                finishedAt: "2026-11-26T12:01:00Z")
        }
    }

    static func end(_ results: [CaseResult]) -> RunEnd {
        RunEnd(
            endedAt: "2026-11-26T12:05:00Z", outcome: .complete, results: results.count,
            passed: results.count { $0.status == .passed }, failed: results.count { $0.status == .failed },
            errors: results.count { $0.status == .error }, requests: results.count)
    }

    /// Writes a log with RunLogWriter and returns its path.
    @discardableResult
    static func write(
        _ label: String, manifest: RunManifest? = nil, results: [CaseResult]? = nil, end: Bool = true,
        in directory: String
    ) throws -> String {
        let path = directory + "/\(label).jsonl"
        let writer = try RunLogWriter(path: path)
        let results = results ?? Self.results(label)
        try writer.append(.manifest(manifest ?? Self.manifest(label: label)))
        for result in results { try writer.append(.result(result)) }
        if end { try writer.append(.end(Self.end(results))) }
        writer.close()
        return path
    }

    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-reporting-\(UUID().uuidString)"
        ).path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func index(_ label: String) throws -> RunIndex {
        try RunIndex.load(path: write(label, in: temporaryDirectory()))
    }

    static func diff(_ options: DiffOptions = DiffOptions()) throws -> RunDiff {
        try RunDiff.make(base: index("v1"), candidate: index("v2"), options: options)
    }
}
