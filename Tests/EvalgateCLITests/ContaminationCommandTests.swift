import Foundation
import ScriptedEndpoint
import Testing

/// `evalgate contamination`, `validate --train` and `gate --contamination` through the binary, on eval sets and
/// training files (one per format) the tests write: the planted leaks are found — an exact duplicate, a normalised
/// one (case, punctuation, whitespace, Unicode form, ё), a 13-word run inside a longer text — and nothing else: a
/// near miss of 12 shared words is not flagged.
@Suite struct ContaminationCommandTests {
    /// Twenty words of an ideal answer; the training data quotes words 4 to 16 (13 of them) inside a longer text.
    static let ideal =
        "To change the delivery address open the order page press edit and type the new street house and flat number"
    static let idealWords = ideal.split(separator: " ")
    /// Shares exactly 12 words in a row with the CSV file's text.
    static let nearMiss =
        "Could you tell me whether the loyalty programme gives double points on weekends for every customer please"

    static func folder() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-contam-\(UUID().uuidString)")
            .path
        let suite = root + "/EvalSets/support"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        try "name: support\nkind: eval\ndefaults:\n  checks: [{\"type\": \"contains\", \"value\": \"ok\"}]\n"
            .write(toFile: suite + "/suite.yaml", atomically: true, encoding: .utf8)
        let cases: [[String: Any]] = [
            ["id": "exact", "prompt": "Where is my order number 12345, it was due yesterday?"],
            ["id": "normalised", "prompt": "Ёлка и Café: как вернуть товар, если коробка ПОВРЕЖДЕНА при доставке?"],
            ["id": "ngram", "prompt": "How do I change where my parcel goes?", "ideal": ideal],
            ["id": "near", "prompt": nearMiss],
            ["id": "clean", "prompt": "What colour is the sky on Mars at noon, seen from the surface?"],
            ["id": "short", "prompt": "Hello there"],
        ]
        let lines = try cases.map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: suite + "/cases.jsonl", atomically: true, encoding: .utf8)

        // OpenAI chat fine-tuning: the exact duplicate on line 2; "Hello there" too, shorter than --min-words.
        try """
        {"messages":[{"role":"system","content":"You are a support agent."},{"role":"user","content":"Hello there"},{"role":"assistant","content":"Hi!"}]}
        {"messages":[{"role":"user","content":"Where is my order number 12345, it was due yesterday?"},{"role":"assistant","content":"Let me check."}]}

        """.write(toFile: root + "/chat.jsonl", atomically: true, encoding: .utf8)
        // ShareGPT: the normalised duplicate (decomposed é, ё as е, other case, punctuation and spacing) on line 2.
        try """
        {"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello!"}]}
        {"conversations":[{"from":"human","value":"елка  и cafe\\u0301 — как вернуть товар; если коробка повреждена при доставке"},{"from":"gpt","value":"Sure."}]}

        """.write(toFile: root + "/sharegpt.jsonl", atomically: true, encoding: .utf8)
        // Alpaca: 13 words of the ideal inside a longer answer, on line 3.
        let quoted = idealWords[3..<16].joined(separator: " ").uppercased()
        try """
        {"instruction":"Say hi","input":"","output":"Hi"}
        {"instruction":"Summarise","input":"A long text","output":"Short"}
        {"instruction":"Explain addresses","input":"","output":"Well, first of all: \(quoted), and then wait for the courier to call you back."}

        """.write(toFile: root + "/alpaca.jsonl", atomically: true, encoding: .utf8)
        // CSV: 12 words of the near miss (one short of a 13-gram) in a quoted cell spanning two lines.
        try """
        prompt,completion
        "I asked whether the loyalty programme gives double points on weekends for every
        customer, not only members",No.

        """.write(toFile: root + "/train.csv", atomically: true, encoding: .utf8)
        // Plain JSONL: text fields of any name.
        try #"{"text":"Nothing to see here, just a plain training text about weather on Earth.","source":"web"}"#
            .appending("\n").write(toFile: root + "/plain.jsonl", atomically: true, encoding: .utf8)
        return root
    }

    static let files = ["chat.jsonl", "sharegpt.jsonl", "alpaca.jsonl", "train.csv", "plain.jsonl"]
    static var trainArguments: [String] { files.flatMap { ["--train", $0] } }

    @Test func plantedLeaksAreFoundAndNothingElse() throws {
        let root = try Self.folder()
        let outcome = try CLITests.run(
            ["contamination"] + Self.trainArguments + ["EvalSets", "--format", "json"], in: root)
        #expect(outcome.status == 1, "cases found: exit 1; \(outcome.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(report["cases_checked"] as? Int == 6)
        #expect(report["cases_contaminated"] as? Int == 3)
        let cases = try #require(report["cases"] as? [[String: Any]])
        #expect(
            cases.map { $0["case_id"] as? String } == ["exact", "normalised", "ngram"], "not 'near', 'clean' or 'short'"
        )
        func match(_ index: Int) throws -> [String: Any] {
            let matches = try #require(cases[index]["matches"] as? [[String: Any]])
            #expect(matches.count == 1, "\(matches)")
            return try #require(matches.first)
        }
        func found(_ match: [String: Any]) -> [String] {
            (match["found"] as? [[String: Any]] ?? []).map {
                "\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0)"
            }
        }
        let exact = try match(0)
        #expect(exact["kind"] as? String == "exact")
        #expect(exact["field"] as? String == "prompt")
        #expect(found(exact) == ["chat.jsonl:2"])
        let normalised = try match(1)
        #expect(normalised["kind"] as? String == "normalised")
        #expect(found(normalised) == ["sharegpt.jsonl:2"])
        let ngram = try match(2)
        #expect(ngram["kind"] as? String == "ngram")
        #expect(ngram["field"] as? String == "ideal")
        #expect(found(ngram) == ["alpaca.jsonl:3"])
        #expect(ngram["overlap_words"] as? Int == 13)
        #expect(
            ngram["overlap"] as? String == Self.idealWords[3..<16].joined(separator: " "), "shown as the case writes it"
        )
        #expect(cases[0]["path"] as? String == "EvalSets/support/cases.jsonl")
        #expect(cases[2]["line"] as? Int == 3)
        let training = try #require(report["training"] as? [[String: Any]])
        #expect(training.map { $0["format"] as? String } == ["openai-chat", "sharegpt", "alpaca", "csv", "jsonl"])
        #expect(training.map { $0["texts"] as? Int } == [5, 4, 7, 2, 2])

        // The Markdown report lists the same, with the shared words.
        let markdown = try CLITests.run(["contamination"] + Self.trainArguments, in: root)
        #expect(markdown.status == 1)
        #expect(
            markdown.stdout.hasPrefix("## evalgate contamination: ❌ 3 eval cases found in the training data\n"),
            "\(markdown.stdout)")
        #expect(
            markdown.stdout.contains(
                "| `support/ngram` | ideal | ngram | `alpaca.jsonl:3` | 1 | 13: \(Self.idealWords[3..<16].joined(separator: " ")) |"
            ), "\(markdown.stdout)")
        #expect(!markdown.stdout.contains("support/near"))

        // One word shorter runs find the near miss too: the 12 shared words are really there.
        let twelve = try CLITests.run(
            ["contamination"] + Self.trainArguments + ["--ngram", "12", "--format", "json"], in: root)
        #expect(twelve.stdout.contains(#""case_id" : "near""#), "\(twelve.stdout)")
        #expect(twelve.stdout.contains(#""overlap_words" : 12"#))

        // Without the leaking files: exit 0, nothing found.
        let clean = try CLITests.run(["contamination", "--train", "train.csv", "--train", "plain.jsonl"], in: root)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.hasPrefix("## evalgate contamination: ✅ no eval case found in the training data\n"))
    }

    @Test(arguments: [
        (
            "chat.jsonl",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n{\"messages\":[{\"role\":\"user\",\"content\":\"ok\"}]}\n{\"prompt\":\"x\"}\n",
            "chat.jsonl:3: expected \"messages\" (an OpenAI chat fine-tuning line, as the file's first line), found fields \"prompt\""
        ),
        (
            "chat.jsonl",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n{\"messages\":[{\"content\":\"ok\"}]}\n",
            "chat.jsonl:2: expected \"messages[0].role\" to be a string, found nothing"
        ),
        (
            "share.jsonl", "{\"conversations\":[{\"from\":\"human\",\"value\":7}]}\n",
            "share.jsonl:1: expected \"conversations[0].value\" to be a string, found integer"
        ),
        (
            "alpaca.jsonl", "{\"instruction\":\"a\",\"output\":\"b\"}\n{\"instruction\":\"a\"}\n",
            "alpaca.jsonl:2: expected \"output\" (an Alpaca line, as the file's first line), found fields \"instruction\""
        ),
        (
            "plain.jsonl", "{\"text\":\"a\"}\n{\"text\":\"a\",\n",
            "plain.jsonl:2: expected a JSON object (JSONL), found invalid JSON: "
        ),
        ("plain.jsonl", "{\"text\":\"a\"}\n[1,2]\n", "plain.jsonl:2: expected a JSON object (JSONL), found array"),
        (
            "plain.jsonl", "{\"n\":1}\n",
            "plain.jsonl:1: expected at least one text field (a string value), found fields \"n\""
        ),
        (
            "data.json", "[{\"text\":\"a\"},\n{\"text\":\"b\"}]\n",
            "data.json:1: expected one JSON object per line (JSONL), found a JSON array; convert it with: jq -c '.[]' data.json"
        ),
        ("t.csv", "a,b\n1,2\n3\n", "t.csv:3: expected 2 fields as in the header, found 1"),
        ("t.csv", "a,b\n1,2\n\"open,3\n4,5\n", "t.csv:3: a quoted field is not closed"),
    ])
    func aBadTrainingLineIsOneErrorNamingFileAndLine(file: String, content: String, expected: String) throws {
        let root = try Self.folder()
        try content.write(toFile: root + "/" + file, atomically: true, encoding: .utf8)
        let outcome = try CLITests.run(["contamination", "--train", file], in: root)
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.hasPrefix("evalgate: error: " + expected), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "one line: \(outcome.stderr)")
    }

    @Test func missingFilesAndBadFlagsAreUsageErrors() throws {
        let root = try Self.folder()
        let missing = try CLITests.run(["contamination", "--train", "nope.jsonl"], in: root)
        #expect(missing.status == 2)
        #expect(missing.stderr == "evalgate: error: nope.jsonl: no such file\n", "\(missing.stderr)")
        let noTrain = try CLITests.run(["contamination", "EvalSets"], in: root)
        #expect(noTrain.status == 2)
        #expect(noTrain.stderr.contains("--train"), "\(noTrain.stderr)")
        let zero = try CLITests.run(["contamination", "--train", "chat.jsonl", "--ngram", "0"], in: root)
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("--ngram expects 1 to 1000 words, found 0"), "\(zero.stderr)")
    }

    @Test func validateWithTrainReportsEachLeakedCaseAtItsLine() throws {
        let root = try Self.folder()
        let outcome = try CLITests.run(["validate", "EvalSets"] + Self.trainArguments, in: root)
        #expect(outcome.status == 2)
        #expect(outcome.stdout == "1 suite, 6 cases: 3 errors, 0 warnings\n")
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(outcome.stderr)")
        #expect(
            lines.first
                == "EvalSets/support/cases.jsonl:1:1: error: case 'exact' is in the training data: prompt is an exact duplicate of a training text at chat.jsonl:2"
        )
        #expect(
            lines.last?.hasPrefix(
                "EvalSets/support/cases.jsonl:3:1: error: case 'ngram' is in the training data: ideal shares 13 words in a row with a training text at alpaca.jsonl:3: '"
            ) == true, "\(lines)")
        // Without --train, the same eval set is valid.
        #expect(try CLITests.run(["validate", "EvalSets"], in: root).status == 0)
    }

    @Test func gateChecksTheContaminationReportAgainstThePolicy() async throws {
        let endpoint = try await ScriptedEndpoint.start(.perModel(["m": { _ in .text("ok") }]))
        defer { Task { try? await endpoint.shutdown() } }
        let root = try Self.folder()
        for label in ["v1", "v2"] {
            let run = try CLITests.run(
                [
                    "run", "EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", label, "--no-cache",
                    "--out", "runs", "--quiet",
                ], in: root)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let scan = try CLITests.run(
            ["contamination"] + Self.trainArguments + ["--format", "json", "--out", "contamination.json"], in: root)
        #expect(scan.status == 1)
        #expect(scan.stdout.isEmpty)
        #expect(
            scan.stderr
                == "evalgate contamination: 3 of 6 cases found in the training data; report in contamination.json\n",
            "\(scan.stderr)")

        let logs = ["runs/v1.jsonl", "runs/v2.jsonl"]
        // No report, no policy key: the rule is not checked.
        let plain = try CLITests.run(["gate"] + logs, in: root)
        #expect(plain.status == 0, "\(plain.stdout)")
        #expect(!plain.stdout.contains("contamination"))
        // A report without a policy key: none allowed.
        let blocked = try CLITests.run(["gate"] + logs + ["--contamination", "contamination.json"], in: root)
        #expect(blocked.status == 1, "\(blocked.stdout)")
        #expect(
            blocked.stdout.contains(
                "[contamination.cases] 3 eval cases found in the training data (chat.jsonl, sharegpt.jsonl, alpaca.jsonl, train.csv, plain.jsonl), at most 0 allowed"
            ), "\(blocked.stdout)")
        #expect(
            blocked.stdout.contains("- support/exact: prompt is an exact duplicate of a training text at chat.jsonl:2"),
            "\(blocked.stdout)")
        // The policy allows three.
        try "contamination:\n  max_cases: 3\n".write(toFile: root + "/gate.yaml", atomically: true, encoding: .utf8)
        let allowed = try CLITests.run(
            ["gate"] + logs + ["--contamination", "contamination.json", "--policy", "gate.yaml"], in: root)
        #expect(allowed.status == 0, "\(allowed.stdout)")
        // At level warn the cases are listed and the gate passes.
        try "levels:\n  contamination.cases: warn\n".write(
            toFile: root + "/warn.yaml", atomically: true, encoding: .utf8)
        let warned = try CLITests.run(
            ["gate"] + logs + ["--contamination", "contamination.json", "--policy", "warn.yaml"], in: root)
        #expect(warned.status == 0, "\(warned.stdout)")
        #expect(warned.stdout.contains("[warn contamination.cases] 3 eval cases found"), "\(warned.stdout)")
        // The policy asks for the check and no report is given: a usage error.
        let missing = try CLITests.run(["gate"] + logs + ["--policy", "gate.yaml"], in: root)
        #expect(missing.status == 2)
        #expect(
            missing.stderr.contains("the gate policy sets contamination.max_cases: 3; give the report"),
            "\(missing.stderr)")
        // A bad policy value and a file that is not a report are refused.
        try "contamination:\n  max_cases: -1\n".write(toFile: root + "/bad.yaml", atomically: true, encoding: .utf8)
        let badPolicy = try CLITests.run(["gate"] + logs + ["--policy", "bad.yaml"], in: root)
        #expect(badPolicy.status == 2)
        #expect(
            badPolicy.stderr.contains("\"contamination.max_cases\" expected a whole number of at least 0, found -1"),
            "\(badPolicy.stderr)")
        let notReport = try CLITests.run(["gate"] + logs + ["--contamination", "runs/v1.jsonl"], in: root)
        #expect(notReport.status == 2)
        #expect(
            notReport.stderr.hasPrefix(
                "evalgate: error: runs/v1.jsonl: not a report of `evalgate contamination --format json`"),
            "\(notReport.stderr)")
        // A report of an eval set edited since: missing evidence, exit 3.
        try FileHandle(forWritingAtPath: root + "/EvalSets/support/cases.jsonl").map { handle in
            handle.seekToEndOfFile()
            handle.write(Data(#"{"id":"new","prompt":"A new case"}"#.utf8 + [10]))
            try handle.close()
        }
        let stale = try CLITests.run(
            ["contamination"] + Self.trainArguments + ["--format", "json", "--out", "stale.json"], in: root)
        #expect(stale.status == 1)
        let outdated = try CLITests.run(["gate"] + logs + ["--contamination", "stale.json"], in: root)
        #expect(outdated.status == 3, "\(outdated.stdout)")
        #expect(
            outdated.stdout.contains("suite 'support' is not the one the contamination report checked"),
            "\(outdated.stdout)")
    }
}
