import Foundation
import ScriptedEndpoint
import Testing

/// `run --shard I/N` and `merge`: a run split three ways and merged holds what the unsharded run holds, and every
/// report reads it the same way.
@Suite struct ShardTests {
    /// Suites `gold` (golden, 7 cases) and `evals` (eval, 23 cases), two targets (`base` echoes, `cand` drops the
    /// word the checks want from every prompt marked `flip`), two repeats, a seed; served on loopback.
    static func project() async throws -> (folder: String, endpoint: ScriptedEndpoint) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-shard-\(UUID().uuidString)"
        ).path
        for (name, kind, count) in [("gold", "golden", 7), ("evals", "eval", 23)] {
            let suite = folder + "/EvalSets/" + name
            try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
            try Data("kind: \(kind)\ndefaults:\n  checks: [{type: contains, value: ok}]\n".utf8).write(
                to: URL(fileURLWithPath: suite + "/suite.yaml"))
            let lines = (1...count).map { n in
                // Every third prompt lacks the word (fails for both), every fourth is flipped by the candidate.
                let text = "question \(n)" + (n % 3 == 0 ? "" : " ok") + (n % 4 == 0 ? " flip" : "")
                return #"{"id": "\#(name)-\#(n)", "prompt": "\#(text)", "tags": ["t\#(n % 2)"]}"#
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(
                to: URL(fileURLWithPath: suite + "/cases.jsonl"))
        }
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "base": { request in .text("echo: " + (request.lastUserText ?? "")) },
                "cand": { request in
                    let text = request.lastUserText ?? ""
                    return .text(
                        "echo: " + (text.contains("flip") ? text.replacingOccurrences(of: " ok", with: "") : text))
                },
            ]))
        let config = """
            suites: [EvalSets]
            repeats: 2
            seed: 5
            defaults: {base_url: "\(endpoint.baseURL)", params: {temperature: 0}}
            targets:
              - {label: base, model: base}
              - {label: cand, model: cand}
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: folder + "/evalgate.yaml"))
        return (folder, endpoint)
    }

    /// A log's lines as JSON objects without what differs between any two runs of the same answers: the run id,
    /// the times, the latency, and the provenance of a merge.
    static func normalized(_ path: String) throws -> (manifest: String, results: [String], ends: [String]) {
        var manifest = ""
        var results: [String] = []
        var ends: [String] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["run_id", "started_at", "merged_from", "finished_at", "ended_at"] { object[key] = nil }
            if var response = object["response"] as? [String: Any] {
                response["latency_ms"] = nil
                object["response"] = response
            }
            let text = String(
                decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            switch object["record"] as? String {
            case "manifest": manifest = text
            case "result": results.append(text)
            default: ends.append(text)
            }
        }
        return (manifest, results.sorted(), ends)
    }

    static func run(_ arguments: [String], in folder: String) throws -> CLITests.Outcome {
        try CLITests.run(arguments, in: folder)
    }

    /// The JSON of a report or diff without the runs' identity (ids, times) and latency, which no two runs share.
    static func withoutRunIdentity(_ json: String) throws -> String {
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                var copy: [String: Any] = [:]
                for (key, inner) in object
                where !["run_id", "started_at", "ended_at", "latency", "latency_ms"].contains(key) {
                    copy[key] = strip(inner)
                }
                return copy
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
        return String(
            decoding: try JSONSerialization.data(withJSONObject: strip(object), options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func threeShardsMergedEqualTheUnshardedRunAndReportDiffAndGateAlike() async throws {
        let (folder, endpoint) = try await Self.project()
        var outcome = try Self.run(["run", "--no-cache", "--quiet", "--out", "whole"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        var perShard: [Int] = []
        for index in 1...3 {
            outcome = try Self.run(["run", "--no-cache", "--quiet", "--shard", "\(index)/3"], in: folder)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let log = folder + "/Reports/runs/shard-\(index)-of-3/cand.jsonl"
            perShard.append(try Self.normalized(log).results.count)
            #expect(
                try String(contentsOfFile: log, encoding: .utf8).contains(#""shard":{"count":3,"index":\#(index)}"#))
        }
        try await endpoint.shutdown()
        #expect(perShard.reduce(0, +) == 60, "30 cases × 2 repeats, each in exactly one shard")
        #expect(perShard.allSatisfy { $0 > 0 && $0 < 60 }, "\(perShard)")

        for label in ["base", "cand"] {
            // In any order of the arguments.
            let shards = [3, 1, 2].map { "Reports/runs/shard-\($0)-of-3/\(label).jsonl" }
            outcome = try Self.run(["merge"] + shards + ["--out", "merged/\(label).jsonl"], in: folder)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.contains("\(label): 3 shards merged, 60/60 results"), "\(outcome.stdout)")
            let whole = try Self.normalized(folder + "/whole/\(label).jsonl")
            let merged = try Self.normalized(folder + "/merged/\(label).jsonl")
            #expect(merged.manifest == whole.manifest)
            #expect(merged.results.count == 60)
            #expect(merged.results == whole.results)
            #expect(merged.ends == whole.ends)
            let text = try String(contentsOfFile: folder + "/merged/\(label).jsonl", encoding: .utf8)
            #expect(text.contains(#""merged_from":["#) && !text.contains(#""shard":"#))
        }

        // report, diff and gate read the merged logs as they read the unsharded ones.
        let whole = try Self.run(["diff", "whole/base.jsonl", "whole/cand.jsonl", "--format", "json"], in: folder)
        let merged = try Self.run(["diff", "merged/base.jsonl", "merged/cand.jsonl", "--format", "json"], in: folder)
        #expect(whole.status == 0 && merged.status == 0, "\(whole.stderr)\(merged.stderr)")
        #expect(try Self.withoutRunIdentity(merged.stdout) == Self.withoutRunIdentity(whole.stdout))
        #expect(whole.stdout.contains(#""regressed""#))
        let report = try (
            Self.run(["report", "whole/cand.jsonl", "--format", "json"], in: folder),
            Self.run(["report", "merged/cand.jsonl", "--format", "json"], in: folder)
        )
        #expect(report.0.status == 0 && report.1.status == 0)
        #expect(try Self.withoutRunIdentity(report.1.stdout) == Self.withoutRunIdentity(report.0.stdout))
        let gateWhole = try Self.run(["gate", "whole/base.jsonl", "whole/cand.jsonl"], in: folder)
        let gateMerged = try Self.run(["gate", "merged/base.jsonl", "merged/cand.jsonl"], in: folder)
        #expect(gateWhole.status == 1, "the candidate regresses golden cases: \(gateWhole.stdout)")
        #expect(gateMerged.status == gateWhole.status)
        #expect(gateMerged.stdout.replacingOccurrences(of: "merged/", with: "whole/") == gateWhole.stdout)
    }

    @Test func missingDuplicateAndMismatchedShardsAreRefusedNamingWhy() async throws {
        let (folder, endpoint) = try await Self.project()
        for index in 1...3 {
            let outcome = try Self.run(
                ["run", "--no-cache", "--quiet", "--target", "base", "--shard", "\(index)/3"], in: folder)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        // A shard log continued by another shard, or by a whole run, is another run.
        var outcome = try Self.run(
            [
                "run", "--no-cache", "--quiet", "--target", "base", "--shard", "2/3", "--out",
                "Reports/runs/shard-1-of-3",
            ], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("holds another run (shard: 1/3 in the log, 2/3 now)"), "\(outcome.stderr)")
        outcome = try Self.run(
            ["run", "--no-cache", "--quiet", "--target", "base", "--out", "Reports/runs/shard-1-of-3"], in: folder)
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr.contains("holds another run (shard: 1/3 in the log, whole run now)"), "\(outcome.stderr)")
        try await endpoint.shutdown()

        let shard = { (index: Int) in "Reports/runs/shard-\(index)-of-3/base.jsonl" }
        func edited(_ index: Int, _ from: String, _ to: String, as name: String) throws -> String {
            let text = try String(contentsOfFile: folder + "/" + shard(index), encoding: .utf8)
            #expect(text.contains(from))
            try text.replacingOccurrences(of: from, with: to).write(
                toFile: folder + "/" + name, atomically: true, encoding: .utf8)
            return name
        }
        let otherSeed = try edited(2, #""seed":5"#, #""seed":6"#, as: "seed.jsonl")
        let otherN = try edited(2, #""count":3"#, #""count":4"#, as: "n4.jsonl")
        let otherModel = try edited(3, #""model":"base""#, #""model":"base-2""#, as: "model.jsonl")
        let wrongShard = try edited(1, #""index":1"#, #""index":2"#, as: "wrong.jsonl")
        let cases: [([String], String)] = [
            (
                [shard(1), shard(2)],
                "shard 3/3 missing: each of the 3 shards must be given once (given: 1/3 \(shard(1)), 2/3 \(shard(2)))"
            ),
            ([shard(1), shard(2), shard(3), shard(2)], "shard 2/3 is given twice: \(shard(2)) and \(shard(2))"),
            (
                [shard(1), otherSeed, shard(3)],
                "\(otherSeed) (shard 2/3) is not of the same run as \(shard(1)) (shard 1/3): seed: 5 in \(shard(1)), 6 in \(otherSeed)"
            ),
            ([shard(1), shard(2), otherModel], "target.model: base in \(shard(1)), base-2 in \(otherModel)"),
            (
                [shard(1), otherN, shard(3)],
                "\(otherN) is shard 2/4 but \(shard(1)) is shard 1/3: the shards of one run are split into the same N"
            ),
            (
                [shard(1), wrongShard, shard(3)],
                "belongs to shard 1/3, not 2/3: this log was not written by run --shard 2/3"
            ),
            (["nope.jsonl", shard(2), shard(3)], "nope.jsonl: cannot open run log"),
            (
                [shard(1), shard(2), shard(3), "--out", shard(1)],
                "the merged log must be a new file, not one of the shard logs"
            ),
        ]
        for (arguments, message) in cases {
            let out = arguments.contains("--out") ? [] : ["--out", "merged.jsonl"]
            let outcome = try Self.run(["merge"] + arguments + out, in: folder)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "one line: \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/merged.jsonl"), "nothing written")
        }
        // A merged or whole log is not a shard; a shard is not a whole run for diff and gate.
        #expect(try Self.run(["merge", shard(1), shard(2), shard(3), "--out", "merged.jsonl"], in: folder).status == 0)
        outcome = try Self.run(["merge", "merged.jsonl", "--out", "again.jsonl"], in: folder)
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr.contains(#"merged.jsonl: not a shard log (its manifest has no "shard")"#),
            "\(outcome.stderr)")
        outcome = try Self.run(["merge", shard(1), shard(2), shard(3), "--out", "merged.jsonl"], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("merged.jsonl already exists; choose another --out, or --force to replace it"))
        for command in ["diff", "gate"] {
            outcome = try Self.run([command, "merged.jsonl", shard(2)], in: folder)
            #expect(outcome.status == 2)
            #expect(
                outcome.stderr.contains(
                    "\(shard(2)) is shard 2/3 of a run, not a whole run: join its 3 shard logs first"),
                "\(outcome.stderr)")
        }
    }

    @Test(arguments: [
        ("0/3", "--shard I must be 1 to N (3), found '0/3'"),
        ("4/3", "--shard I must be 1 to N (3), found '4/3'"),
        ("a/b", "--shard expects I/N, two whole numbers such as 2/3 (share I of N), found 'a/b'"),
        ("1/0", "--shard N (the number of shards) must be 1 to 10000, found '1/0'"),
        ("1/3/3", "--shard expects I/N, two whole numbers such as 2/3 (share I of N), found '1/3/3'"),
        ("-1/3", "--shard expects I/N, two whole numbers such as 2/3 (share I of N), found '-1/3'"),
    ])
    func aBadShardIsAUsageErrorOnOneLine(value: String, message: String) throws {
        let folder = try SubsetTests.folder()
        let outcome = try CLITests.run(
            ["run", "EvalSets", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--shard", value], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "evalgate: error: \(message)\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/Reports"))
    }
}
