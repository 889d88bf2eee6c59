import Foundation
import Testing

/// `evalgate scan` run as a user runs it, on files it writes to a temporary folder.
@Suite struct ScanCommandTests {
    static func write(_ text: String, name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func lines(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    static func rules(_ line: [String: Any]) -> [String] {
        ((line["findings"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String }
    }

    @Test func jsonlInputCarriesIDsAndEvidence() throws {
        let text = "Пишите на ivan.petrov@mail.ru, доставим до пятницы!"
        let path = try Self.write(
            """
            {"id": "t-1", "text": "\(text)"}
            {"id": 2, "text": "Обычно доставка занимает 3 дня, но гарантировать сроки не можем."}

            """,
            name: "transcripts.jsonl"
        )
        let outcome = try CLITests.run(["scan", path])
        #expect(outcome.status == 0)
        let lines = try Self.lines(outcome.stdout)
        #expect(lines.count == 2)
        #expect(lines[0]["id"] as? String == "t-1")
        #expect(lines[0]["line"] as? Int == 1)
        #expect(Set(Self.rules(lines[0])).contains("pii.email"))
        #expect(Self.rules(lines[0]).contains { $0.hasPrefix("promise.deadline") })
        let email = try #require(
            (lines[0]["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "pii.email" })
        let span = try #require(email["span"] as? [String: Int])
        let bytes = Array(text.utf8)
        let start = try #require(span["start"])
        let end = try #require(span["end"])
        #expect(String(decoding: bytes[start..<end], as: UTF8.self) == "ivan.petrov@mail.ru")
        #expect(email["text"] as? String == "ivan.petrov@mail.ru")
        #expect(lines[1]["id"] as? Int == 2)
        #expect(Self.rules(lines[1]).isEmpty)
    }

    @Test func plainLinesAndAChosenCheck() throws {
        let path = try Self.write("first line, no data\nwrite to help@example.com\n", name: "log.txt")
        let outcome = try CLITests.run([
            "scan", path, "--check", #"{"type":"pii","entities":["email"]}"#, "--only-findings",
        ])
        #expect(outcome.status == 0)
        let lines = try Self.lines(outcome.stdout)
        #expect(lines.count == 1)
        #expect(lines[0]["line"] as? Int == 2)
        #expect(Self.rules(lines[0]) == ["pii.email"])
    }

    @Test func badLinesAreReportedWithTheirPlaceAndTheRestIsScanned() throws {
        let path = try Self.write(
            "{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2, \"text\": \"broken\"\n{\"id\": 3}\n{\"id\": 4, \"text\": 5}\n{\"id\": 5, \"text\": \"fine\"}\n",
            name: "mixed.jsonl"
        )
        let outcome = try CLITests.run(["scan", path])
        #expect(outcome.status == 2)
        #expect(try Self.lines(outcome.stdout).compactMap { $0["id"] as? Int } == [1, 5])
        let errors = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(
            errors == [
                "\(path):2:27: error: unexpected end of JSON",
                "\(path):3:1: error: missing field \"text\"",
                "\(path):4:1: error: expected \"text\" to be a string, found integer",
            ])
    }

    @Test(arguments: [
        (#"{"type":"no-such-check"}"#, "unknown check type 'no-such-check'"),
        (#"{"type":"pii","entities":["emial"]}"#, "emial"),
        ("not json", "--check expects a JSON object"),
    ])
    func badChecksExitTwo(check: String, expected: String) throws {
        let path = try Self.write("x\n", name: "a.txt")
        let outcome = try CLITests.run(["scan", path, "--check", check])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(expected))
        #expect(outcome.stdout.isEmpty)
    }

    @Test func unreadableFilesAreReportedAndTheOthersScanned() throws {
        let good = try Self.write("mail me at a@example.com\n", name: "good.txt")
        let outcome = try CLITests.run(["scan", "/nonexistent/evalgate/file.jsonl", NSTemporaryDirectory(), good])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("evalgate: error: /nonexistent/evalgate/file.jsonl: no such file\n"))
        #expect(outcome.stderr.contains("is a directory, not a file"))
        #expect(try Self.lines(outcome.stdout).map { Self.rules($0) } == [["pii.email"]])
    }

    @Test func invalidUTF8LinesAreReportedAndTheRestIsScanned() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("u.txt").path
        try Data(Array("a test@example.com\nbad ".utf8) + [0xFF] + Array("\nline3 x@y.com\n".utf8)).write(
            to: URL(fileURLWithPath: path))
        let outcome = try CLITests.run(["scan", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "\(path):2:1: error: invalid UTF-8 in this line; it was skipped\n")
        #expect(try Self.lines(outcome.stdout).map { $0["line"] as? Int } == [1, 3])
    }
}

/// `scan --facts`, a line's own "facts", and `--explain`.
@Suite struct ScanFactsTests {
    @Test func factsFromAFileAndFromTheLineBackPromisesAndExplainSaysWhy() throws {
        let input = try ScanCommandTests.write(
            """
            {"id": 1, "text": "Доставка по Москве стоит 350 рублей."}
            {"id": 2, "text": "We'll refund you within 3 days.", "facts": ["Refunds take 14 days."]}
            {"id": 3, "text": "Вы пишете, что вам обещали вернуть деньги за два дня."}

            """,
            name: "answers.jsonl"
        )
        let facts = try ScanCommandTests.write(#"{"delivery": "Доставка по Москве — 350 рублей"}"#, name: "facts.json")
        let outcome = try CLITests.run([
            "scan", input, "--check", #"{"type":"promises"}"#, "--facts", facts, "--explain",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = try ScanCommandTests.lines(outcome.stdout)
        #expect(lines.count == 3)
        #expect(ScanCommandTests.rules(lines[0]).isEmpty)
        let notes = (lines[0]["notes"] as? [[String: Any]]) ?? []
        #expect(notes.contains { ($0["message"] as? String)?.contains("grounded in facts") == true })
        let messages = ((lines[1]["findings"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
        #expect(messages == ["promises a deadline 'within 3 days': the answer promises 3 days; the facts say 14 days"])
        let reported = (lines[2]["notes"] as? [[String: Any]]) ?? []
        #expect(reported.contains { ($0["message"] as? String)?.hasPrefix("not a promise (reported speech)") == true })
    }

    @Test func plainTextFactsAreOneALineAndWithoutExplainThereAreNoNotes() throws {
        let input = try ScanCommandTests.write(
            "Вернём деньги в течение 14 дней.\nДоставим завтра.\n", name: "answers.txt")
        let facts = try ScanCommandTests.write(
            "Возврат — в течение 14 дней\n\nДоставка — 350 рублей\n", name: "facts.txt")
        let outcome = try CLITests.run(["scan", input, "--check", #"{"type":"promises"}"#, "--facts", facts])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = try ScanCommandTests.lines(outcome.stdout)
        #expect(ScanCommandTests.rules(lines[0]).isEmpty)
        #expect(lines[0]["notes"] == nil)
        let messages = ((lines[1]["findings"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
        #expect(messages == ["promises a deadline 'Доставим завтра'; no fact backs it"])
    }

    @Test func badFactsAreUsageErrors() throws {
        let input = try ScanCommandTests.write(#"{"text": "x", "facts": [[1]]}"# + "\n", name: "answers.jsonl")
        let bad = try CLITests.run(["scan", input])
        #expect(bad.status == 2)
        #expect(
            bad.stderr.contains(":1:1: error: expected 'facts[0]' to be a string, a number or true/false, found array"))
        let facts = try ScanCommandTests.write(#"{"price": {"a": 1}}"#, name: "facts.json")
        let wrong = try CLITests.run(["scan", input, "--facts", facts])
        #expect(wrong.status == 2)
        #expect(
            wrong.stderr.contains(
                "evalgate: error: --facts: \(facts): expected 'facts.price' to be a string, a number or true/false, found object"
            ))
        let missing = try CLITests.run(["scan", input, "--facts", "/nonexistent/facts.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--facts: cannot read '/nonexistent/facts.json'"))
    }
}

/// `evalgate bench-accuracy` on a small labelled file.
@Suite struct BenchAccuracyCommandTests {
    @Test func printsTheTableAndHoldsFloors() throws {
        let input = try ScanCommandTests.write(
            """
            {"id": "a", "lang": "en", "text": "We guarantee it.", "labels": ["guarantee"]}
            {"id": "b", "lang": "en", "text": "You were told we guarantee it.", "labels": []}
            {"id": "c", "lang": "ru", "text": "Доставим завтра.", "labels": ["refund"]}

            """,
            name: "labelled.jsonl"
        )
        let outcome = try CLITests.run(["bench-accuracy", input, "--misses"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("| en | guarantee | 1 | 1 | 0 | 0 | 1.000 | 1.000 |"))
        #expect(outcome.stdout.contains("| ru | refund | 1 | 0 | 0 | 1 | 1.000 | 0.000 |"))
        #expect(outcome.stdout.contains("c: missed refund; extra promise.deadline.on_day"))
        let floor = try CLITests.run(["bench-accuracy", input, "--min-recall", "0.9"])
        #expect(floor.status == 1)
        #expect(floor.stderr.contains("floor not held: ru recall 0.000 < 0.9"))
    }

    @Test func badLinesAreReportedWithTheirPlace() throws {
        let input = try ScanCommandTests.write(#"{"text": "x"}"# + "\n", name: "labelled.jsonl")
        let outcome = try CLITests.run(["bench-accuracy", input])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("evalgate: error: \(input):1:1: missing field \"labels\""))
    }
}
