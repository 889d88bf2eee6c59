import Foundation
import ScriptedEndpoint
import Synchronization
import Testing

/// `evalgate export pairs|sft` through the binary, on run logs the test records with `evalgate run` against a
/// loopback scripted endpoint: as many pairs as `diff` counts regressed and fixed cases (plus one per case whose
/// repeats disagree), in TRL's and OpenAI's shapes, the failing rules as metadata, personal data masked unless asked.
@Suite struct ExportCommandTests {
    static let phone = "+7 916 123-45-67"
    static let email = "anna.petrova@example.com"
    /// Per case: its prompt and ideal, and whether v1 and v2 answer it right.
    static let cases: [(id: String, prompt: String, ideal: String, v1: Bool, v2: Bool)] = [
        ("c1", "Where is my order?", "Your order ships today.", true, true),
        ("c2", "Can I return shoes?", "Yes, within 30 days.", true, false),
        ("c3", "How do I reach support?", "Use the chat in the app.", true, false),
        ("c4", "Do you ship abroad?", "Yes, to 40 countries.", false, true),
        ("c5", "Who handles refunds?", "Write to \(email), we answer in a day.", false, false),
    ]

    static func answer(_ prompt: String?, right: Bool) -> String {
        guard let item = cases.first(where: { $0.prompt == prompt }) else { return "?" }
        // A wrong answer leaks a phone number: the export must not pass it on.
        return right ? item.ideal : "I don't know, call \(phone)."
    }

    static func folder() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-export-\(UUID().uuidString)")
            .path
        let suite = root + "/EvalSets/support"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        try
            "name: support\nkind: eval\ndefaults:\n  system: You are a support agent.\n  checks: [{\"type\": \"ideal\", \"match\": \"normalized\"}]\n"
            .write(toFile: suite + "/suite.yaml", atomically: true, encoding: .utf8)
        let lines = try cases.map { item in
            String(
                decoding: try JSONSerialization.data(
                    withJSONObject: ["id": item.id, "prompt": item.prompt, "ideal": item.ideal], options: [.sortedKeys]),
                as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        return root
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// Records v1 and v2 (one repeat) and v3 (two repeats: the first answer to each prompt right, the second wrong).
    static func record(in root: String) async throws {
        let calls = Mutex<[String: Int]>([:])
        let endpoint = try await ScriptedEndpoint.start(
            .perModel([
                "v1": { request in
                    .text(
                        answer(
                            request.lastUserText, right: cases.first { $0.prompt == request.lastUserText }?.v1 ?? false)
                    )
                },
                "v2": { request in
                    .text(
                        answer(
                            request.lastUserText, right: cases.first { $0.prompt == request.lastUserText }?.v2 ?? false)
                    )
                },
                "v3": { request in
                    let call = calls.withLock { counts in
                        counts[request.lastUserText ?? "", default: 0] += 1
                        return counts[request.lastUserText ?? ""]!
                    }
                    return .text(answer(request.lastUserText, right: call == 1))
                },
            ]))
        defer { Task { try? await endpoint.shutdown() } }
        for (model, repeats) in [("v1", 1), ("v2", 1), ("v3", 2)] {
            let run = try CLITests.run(
                [
                    "run", "EvalSets", "--base-url", endpoint.baseURL, "--model", model, "--label", model, "--repeats",
                    "\(repeats)", "--no-cache",
                    "--out", "runs", "--quiet",
                ], in: root)
            #expect(run.status == 0, "\(run.stderr)")
        }
    }

    @Test func pairsAreTheRegressedAndFixedCasesInTRLAndOpenAIShapes() async throws {
        let root = try Self.folder()
        try await Self.record(in: root)
        let diff = try CLITests.run(["diff", "runs/v1.jsonl", "runs/v2.jsonl", "--format", "json"], in: root)
        let diffReport = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        let regressed = try #require(diffReport["regressed"] as? [[String: Any]])
        let fixed = try #require(diffReport["fixed"] as? [[String: Any]])
        #expect(regressed.count == 2 && fixed.count == 1, "c2 and c3 regressed, c4 fixed: \(diff.stdout.prefix(400))")

        let trl = try CLITests.run(
            ["export", "pairs", "runs/v1.jsonl", "runs/v2.jsonl", "--out", "pairs.jsonl"], in: root)
        #expect(trl.status == 0, "\(trl.stderr)")
        #expect(trl.stderr == "evalgate export: 3 pairs written to pairs.jsonl\n", "\(trl.stderr)")
        let pairs = try Self.jsonLines(try String(contentsOfFile: root + "/pairs.jsonl", encoding: .utf8))
        #expect(pairs.count == regressed.count + fixed.count)
        let byCase = Dictionary(
            uniqueKeysWithValues: pairs.map { (($0["metadata"] as? [String: Any])?["case_id"] as? String ?? "", $0) })
        #expect(byCase.keys.sorted() == ["c2", "c3", "c4"])
        let c2 = try #require(byCase["c2"])
        #expect(
            c2["prompt"] as? [[String: String]] == [
                ["role": "system", "content": "You are a support agent."],
                ["role": "user", "content": "Can I return shoes?"],
            ])
        #expect(c2["chosen"] as? [[String: String]] == [["role": "assistant", "content": "Yes, within 30 days."]])
        let rejected = try #require((c2["rejected"] as? [[String: String]])?.first?["content"])
        #expect(!rejected.contains(Self.phone), "masked by default: \(rejected)")
        #expect(rejected.hasPrefix("I don't know, call +7") && rejected.contains("••"), "\(rejected)")
        let metadata = try #require(c2["metadata"] as? [String: Any])
        #expect(metadata["origin"] as? String == "regressed")
        #expect((metadata["chosen"] as? [String: Any])?["label"] as? String == "v1")
        #expect((metadata["rejected"] as? [String: Any])?["label"] as? String == "v2")
        #expect((metadata["rejected"] as? [String: Any])?["failing_rules"] as? [String] == ["content.ideal"])
        let c4 = try #require(byCase["c4"])
        #expect((c4["metadata"] as? [String: Any])?["origin"] as? String == "fixed")
        #expect(
            (c4["chosen"] as? [[String: String]])?.first?["content"] == "Yes, to 40 countries.",
            "the candidate's fixed answer is chosen")

        // --no-mask-pii keeps the phone number.
        let unmasked = try CLITests.run(
            ["export", "pairs", "runs/v1.jsonl", "runs/v2.jsonl", "--no-mask-pii"], in: root)
        #expect(unmasked.stdout.contains(Self.phone))

        // OpenAI's preference format: only its own fields; the metadata beside it, in the same order.
        let openai = try CLITests.run(
            ["export", "pairs", "runs/v1.jsonl", "runs/v2.jsonl", "--format", "openai", "--metadata", "meta.jsonl"],
            in: root)
        #expect(openai.status == 0, "\(openai.stderr)")
        let openaiLines = try Self.jsonLines(openai.stdout)
        #expect(openaiLines.count == 3)
        for line in openaiLines {
            #expect(Set(line.keys) == ["input", "preferred_output", "non_preferred_output"])
            #expect(((line["input"] as? [String: Any])?["messages"] as? [[String: String]])?.last?["role"] == "user")
            #expect((line["preferred_output"] as? [[String: String]])?.count == 1)
        }
        let meta = try Self.jsonLines(try String(contentsOfFile: root + "/meta.jsonl", encoding: .utf8))
        #expect(
            meta.map { $0["case_id"] as? String }
                == pairs.map { ($0["metadata"] as? [String: Any])?["case_id"] as? String })

        // TRL's plain-text form: the conversation as one text.
        let text = try Self.jsonLines(
            try CLITests.run(["export", "pairs", "runs/v1.jsonl", "runs/v2.jsonl", "--format", "trl-text"], in: root)
                .stdout)
        let c2Text = try #require(text.first { ($0["metadata"] as? [String: Any])?["case_id"] as? String == "c2" })
        #expect(c2Text["prompt"] as? String == "You are a support agent.\n\nCan I return shoes?")
        #expect(c2Text["chosen"] as? String == "Yes, within 30 days.")
    }

    @Test func repeatsThatDisagreeArePairsTooAndSFTWritesTheIdealsOfFailedCases() async throws {
        let root = try Self.folder()
        try await Self.record(in: root)
        // The runs differ in repeats: diff needs to be told; export pairs pairs them anyway.
        let diff = try CLITests.run(
            ["diff", "runs/v1.jsonl", "runs/v3.jsonl", "--format", "json", "--allow-differences", "repeats"], in: root)
        let diffReport = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        let changed =
            ((diffReport["regressed"] as? [Any])?.count ?? -1) + ((diffReport["fixed"] as? [Any])?.count ?? -1)
        let outcome = try CLITests.run(["export", "pairs", "runs/v1.jsonl", "runs/v3.jsonl"], in: root)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let pairs = try Self.jsonLines(outcome.stdout)
        let origins = pairs.map { ($0["metadata"] as? [String: Any])?["origin"] as? String ?? "" }
        // Every case of v3 has one right and one wrong answer: five pairs of repeats, besides the diff's cases.
        #expect(origins.count { $0 == "repeats" } == Self.cases.count)
        #expect(pairs.count == changed + Self.cases.count, "\(origins)")
        for pair in pairs where (pair["metadata"] as? [String: Any])?["origin"] as? String == "repeats" {
            let metadata = try #require(pair["metadata"] as? [String: Any])
            let chosen = try #require(metadata["chosen"] as? [String: Any])
            let rejected = try #require(metadata["rejected"] as? [String: Any])
            #expect(chosen["label"] as? String == "v3" && rejected["label"] as? String == "v3")
            #expect(chosen["repeat"] as? Int != rejected["repeat"] as? Int)
        }

        // sft: the ideals of v2's failed cases (c2, c3, c5), the e-mail in c5's ideal masked.
        let sft = try CLITests.run(["export", "sft", "runs/v2.jsonl"], in: root)
        #expect(sft.status == 0, "\(sft.stderr)")
        #expect(sft.stderr == "evalgate export: 3 corrections\n", "\(sft.stderr)")
        let corrections = try Self.jsonLines(sft.stdout)
        let messages = corrections.compactMap { $0["messages"] as? [[String: String]] }
        #expect(
            messages.map { $0.map { $0["role"] ?? "" } } == Array(repeating: ["system", "user", "assistant"], count: 3))
        #expect(
            messages.map { $0[1]["content"] ?? "" } == [
                "Can I return shoes?", "How do I reach support?", "Who handles refunds?",
            ])
        #expect(messages[0][2]["content"] == "Yes, within 30 days.")
        let refund = try #require(messages[2][2]["content"])
        #expect(!refund.contains(Self.email) && refund.hasPrefix("Write to an"), "\(refund)")
        let kept = try CLITests.run(["export", "sft", "runs/v2.jsonl", "--no-mask-pii"], in: root)
        #expect(kept.stdout.contains(Self.email))
    }

    @Test func badInputIsAUsageError() async throws {
        let root = try Self.folder()
        let missing = try CLITests.run(["export", "pairs", "runs/v1.jsonl", "runs/none.jsonl"], in: root)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("evalgate: error: runs/v1.jsonl"), "\(missing.stderr)")
        let alone = try CLITests.run(["export", "pairs", "runs/v1.jsonl"], in: root)
        #expect(alone.status == 2)
        #expect(alone.stderr.contains("Missing expected argument '<candidate> ...'"), "\(alone.stderr)")
        let format = try CLITests.run(["export", "pairs", "a.jsonl", "b.jsonl", "--format", "dpo"], in: root)
        #expect(format.status == 2)
        #expect(format.stderr.contains("trl"), "\(format.stderr)")
        try "not a log\n".write(toFile: root + "/bad.jsonl", atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["export", "sft", "bad.jsonl"], in: root)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("evalgate: error: bad.jsonl:1"), "\(bad.stderr)")
    }
}
