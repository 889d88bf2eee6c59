import Foundation
import ScriptedEndpoint
import Testing

/// A checkpoint series with a planted overfit: from ckpt-400 on the train-sample pass rate keeps rising while the
/// held-out eval rate falls. `compare` flags it at ckpt-400 and recommends ckpt-300; `report` shows the gap; the
/// gate's `overfitting.max_gap` fails the overfit checkpoint.
@Suite struct OverfittingEndToEndTests {
    /// Cases passed (of 20) per checkpoint: train-sample, held-out eval. Gaps +5, +5, +5, +25, +40 points.
    static let plan: [(String, Int, Int)] = [
        ("ckpt-100", 12, 11), ("ckpt-200", 14, 13), ("ckpt-300", 16, 15), ("ckpt-400", 19, 14), ("ckpt-500", 20, 12),
    ]

    static func project() async throws -> (folder: String, endpoint: ScriptedEndpoint) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-overfit-\(UUID().uuidString)"
        ).path
        for (name, kind, prefix) in [("train", "train-sample", "t"), ("held", "eval", "h")] {
            let suite = folder + "/EvalSets/" + name
            try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
            try Data("kind: \(kind)\ndefaults:\n  checks: [{type: contains, value: ok}]\n".utf8).write(
                to: URL(fileURLWithPath: suite + "/suite.yaml"))
            let lines = (1...20).map { #"{"id": "\#(prefix)\#($0)", "prompt": "\#(prefix) \#($0)"}"# }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(
                to: URL(fileURLWithPath: suite + "/cases.jsonl"))
        }
        var handlers: [String: @Sendable (ScriptedRequest) -> ScriptedReply] = [:]
        for (label, train, held) in plan {
            handlers[label] = { request in
                let parts = (request.lastUserText ?? "").split(separator: " ")
                let number = Int(parts.last ?? "") ?? 0
                let passing = parts.first == "t" ? train : held
                return .text(number <= passing ? "ok" : "no")
            }
        }
        let endpoint = try await ScriptedEndpoint.start(.perModel(handlers))
        let targets = plan.map { "  - {label: \($0.0), model: \($0.0)}" }.joined(separator: "\n")
        try Data("suites: [EvalSets]\ndefaults: {base_url: \"\(endpoint.baseURL)\"}\ntargets:\n\(targets)\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/evalgate.yaml"))
        try Data("eval: {min_pass_rate: null}\noverfitting: {max_gap: 0.10}\n".utf8).write(
            to: URL(fileURLWithPath: folder + "/gate.yaml"))
        return (folder, endpoint)
    }

    @Test func aPlantedOverfitIsFlaggedWhereItStartsAndCompareStopsBeforeIt() async throws {
        let (folder, endpoint) = try await Self.project()
        let run = try CLITests.run(["run", "--no-cache", "--quiet"], in: folder)
        try await endpoint.shutdown()
        #expect(run.status == 0, "\(run.stderr)")
        // Given in shuffled order: compare puts checkpoints in natural order.
        let logs = ["ckpt-300", "ckpt-100", "ckpt-500", "ckpt-200", "ckpt-400"].map { "Reports/runs/\($0).jsonl" }

        let json = try CLITests.run(["compare"] + logs + ["--format", "json"], in: folder)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let trend = try #require(object["overfitting"] as? [String: Any])
        #expect(trend["starts_at"] as? String == "ckpt-400")
        #expect(trend["recommended"] as? String == "ckpt-300")
        let gaps = try #require(trend["gaps"] as? [[String: Any]])
        #expect(gaps.map { $0["label"] as? String } == Self.plan.map(\.0))
        #expect(gaps.map { $0["gap"] as? Double } == [0.05, 0.05, 0.05, 0.25, 0.4])
        let last = try #require(gaps.last?["ci"] as? [String: Double])
        #expect(last["lower"]! > 0.1 && last["upper"]! < 0.65 && last["lower"]! < 0.4, "\(last)")

        let markdown = try CLITests.run(["compare"] + logs, in: folder)
        #expect(markdown.stdout.contains("**Overfitting from ckpt-400**"), "\(markdown.stdout)")
        #expect(markdown.stdout.contains("**Stop early at ckpt-300**, the last checkpoint before it."))

        // Before the overfit the gap does not widen: nothing is flagged.
        let early = try CLITests.run(
            ["compare"] + logs.filter { !$0.contains("400") && !$0.contains("500") } + ["--format", "json"], in: folder)
        let earlyTrend = try #require(
            (try JSONSerialization.jsonObject(with: Data(early.stdout.utf8)) as? [String: Any])?["overfitting"]
                as? [String: Any])
        #expect(earlyTrend["starts_at"] == nil && earlyTrend["recommended"] == nil)

        let report = try CLITests.run(["report", "Reports/runs/ckpt-500.jsonl"], in: folder)
        #expect(
            report.stdout.contains("**Overfitting:** train-sample 100.0% (95% CI 83.9–100.0%) vs held-out eval 60.0%"),
            "\(report.stdout)")
        #expect(report.stdout.contains("gap +40.0 pts"))

        let overfit = try CLITests.run(
            ["gate", "Reports/runs/ckpt-300.jsonl", "Reports/runs/ckpt-500.jsonl", "--policy", "gate.yaml"], in: folder)
        #expect(overfit.status == 1, "\(overfit.stdout)\(overfit.stderr)")
        #expect(overfit.stdout.contains("overfitting.gap"))
        #expect(overfit.stdout.contains("gap +40.0 pts"), "\(overfit.stdout)")
        let fine = try CLITests.run(
            ["gate", "Reports/runs/ckpt-200.jsonl", "Reports/runs/ckpt-300.jsonl", "--policy", "gate.yaml"], in: folder)
        #expect(fine.status == 0, "\(fine.stdout)\(fine.stderr)")

        try Data("overfitting: {max_gapp: 0.1}\n".utf8).write(to: URL(fileURLWithPath: folder + "/typo.yaml"))
        let typo = try CLITests.run(
            ["gate", "Reports/runs/ckpt-200.jsonl", "Reports/runs/ckpt-300.jsonl", "--policy", "typo.yaml"], in: folder)
        #expect(typo.status == 2)
        #expect(
            typo.stderr.contains(#"unknown field "overfitting.max_gapp""#) && typo.stderr.contains("max_gap"),
            "\(typo.stderr)")
    }
}
