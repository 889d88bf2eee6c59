import Foundation
import ScriptedEndpoint
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `evalgate label` as a user runs it: a sample drawn from a real run, labelled from a file of keys and in a
/// pseudo-terminal, then `evalgate agreement` on the result.
@Suite struct LabelCommandTests {
    /// A run of 8 cases against the echo endpoint: the check wants "ok"; the even cases' prompts contain it.
    static func run() async throws -> (root: String, log: String) {
        let endpoint = try await ScriptedEndpoint.start(.echo())
        defer { Task { try? await endpoint.shutdown() } }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-labelcli-\(UUID().uuidString)"
        ).path
        let suite = root + "/EvalSets/support"
        try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
        try "name: support\nkind: eval\ndescription: test\n".write(
            toFile: suite + "/suite.yaml", atomically: true, encoding: .utf8)
        let lines = (0..<8).map { index in
            let prompt = index % 2 == 0 ? "ok, order \(index)" : "sorry \(index)"
            return #"{"id":"c\#(index)","prompt":"\#(prompt)","checks":[{"type":"contains","value":"ok"}]}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: suite + "/cases.jsonl", atomically: true, encoding: .utf8)
        let outcome = try CLITests.run([
            "run", root + "/EvalSets", "--base-url", endpoint.baseURL, "--model", "m", "--label", "v1", "--out",
            root + "/runs",
            "--no-cache", "--quiet",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return (root, root + "/runs/v1.jsonl")
    }

    static func records(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func drawLabelFromAFileOfKeysThenAgreement() async throws {
        let (root, log) = try await Self.run()
        let labels = root + "/labels.jsonl"
        let draw = try CLITests.run([
            "label", log, "--labels", labels, "--count", "6", "--seed", "3", "--csv", root + "/labels.csv",
        ])
        #expect(draw.status == 0, "\(draw.stderr)")
        #expect(draw.stderr == "evalgate: drew 6 verdicts into \(labels) (6 in the file)\n")
        let drawn = try Self.records(labels)
        #expect(drawn.count == 6)
        #expect(
            drawn.allSatisfy {
                $0["human"] is NSNull && $0["rule"] as? String == "contains" && $0["log"] as? String == log
            })
        // Both strata, alternately: the check failed the odd cases and passed the even ones.
        #expect(drawn.map { $0["check"] as? String } == ["fail", "pass", "fail", "pass", "fail", "pass"])
        // The prompt comes from the suite the run used.
        let first = try #require(drawn.first)
        let id = try #require(first["case"] as? String)
        #expect(first["prompt"] as? String == "sorry \(id.dropFirst())")
        #expect(first["answer"] as? String == "echo: sorry \(id.dropFirst())")
        #expect(
            try String(contentsOfFile: root + "/labels.csv", encoding: .utf8).hasPrefix(
                "log,target,suite,case,repeat,rule,judge,check,human,note,prompt,answer,evidence\r\n"))

        // The same seed draws the same sample; an existing file is never overwritten.
        let again = try CLITests.run(["label", log, "--labels", root + "/again.jsonl", "--count", "6", "--seed", "3"])
        #expect(again.status == 0)
        #expect(
            try String(contentsOfFile: root + "/again.jsonl", encoding: .utf8)
                == String(contentsOfFile: labels, encoding: .utf8))
        let refused = try CLITests.run(["label", log, "--labels", labels])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("the labelling file exists (0 of 6 labelled) and is never overwritten"))

        // Keys from standard input: agree, a note then disagree, skip, junk (ignored), agree, then quit with one to go.
        let keys = "a\nn the echo is fine\nd\ns\nwhat\na\nq\n"
        let first5 = try CLITests.run(["label", "--labels", labels, "--interactive"], input: keys)
        #expect(first5.status == 0, "\(first5.stderr)")
        #expect(first5.stdout.contains("evalgate label · item 1 of 6"))
        #expect(!first5.stdout.contains("\u{1B}["), "no colours when the output is not a terminal")
        #expect(first5.stdout.contains("stopped with 2 to go (3 labelled, 1 skipped)"))
        var labelled = try Self.records(labels)
        // The checks were fail, pass, fail, pass: agree → fail, disagree → fail, skip, agree → pass.
        #expect(labelled.map { $0["human"] as? String } == ["fail", "fail", "skip", "pass", nil, nil])
        #expect(labelled[1]["note"] as? String == "the echo is fine")

        // The same command continues where it stopped.
        let rest = try CLITests.run(["label", "--labels", labels, "--interactive"], input: "d\na\n")
        #expect(rest.status == 0)
        #expect(rest.stdout.contains("evalgate label · item 5 of 6"))
        #expect(rest.stdout.contains("all 6 items done"))
        labelled = try Self.records(labels)
        #expect(labelled.map { $0["human"] as? String } == ["fail", "fail", "skip", "pass", "pass", "pass"])

        // --add draws more, never the same verdicts again.
        let more = try CLITests.run(["label", log, "--labels", labels, "--add", "--count", "50"])
        #expect(more.status == 0)
        #expect(more.stderr.contains("drew 2 verdicts into \(labels) (8 in the file)"))
        let keys8 = Set(try Self.records(labels).map { $0["case"] as? String ?? "" })
        #expect(keys8.count == 8)

        // Agreement on the result: 5 labelled (1 skipped); check/person fail/fail 1, fail/pass 1, pass/fail 1, pass/pass 2.
        let agreement = try CLITests.run(["agreement", labels, "--format", "json"])
        #expect(agreement.status == 0, "\(agreement.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(agreement.stdout.utf8)) as? [String: Any])
        #expect(object["labelled"] as? Int == 5 && object["skipped"] as? Int == 1 && object["unlabelled"] as? Int == 2)
        let rule = try #require((object["rules"] as? [[String: Any]])?.first)
        let confusion = try #require(rule["confusion"] as? [String: Int])
        #expect(
            confusion == [
                "check_fail_human_fail": 1, "check_fail_human_pass": 1, "check_pass_human_fail": 1,
                "check_pass_human_pass": 2,
            ])
        // p_o = 3/5, both fail 2/5: p_e = 0.4·0.4 + 0.6·0.6 = 0.52, κ = 0.08/0.48 = 0.166667.
        #expect(rule["kappa"] as? Double == 0.166667)

        // The same labels through a spreadsheet: written as CSV, read back by agreement.
        let csv = root + "/labelled.csv"
        #expect(try CLITests.run(["label", "--labels", labels, "--csv", csv]).status == 0)
        let fromCSV = try CLITests.run(["agreement", csv, "--format", "summary"])
        #expect(fromCSV.status == 0, "\(fromCSV.stderr)")
        #expect(fromCSV.stdout == "agreement: contains n=5 kappa=0.167 AC1=0.231\n")
    }

    @Test func badUseExitsTwo() async throws {
        let (root, log) = try await Self.run()
        let none = try CLITests.run(["label", "--labels", root + "/none.jsonl", "--interactive"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no such labelling file"))
        let noLogs = try CLITests.run(["label", "--labels", root + "/x.jsonl"])
        #expect(noLogs.status == 2)
        let badLog = root + "/bad.jsonl"
        try "{\"record\":\"manifest\"}\n".write(toFile: badLog, atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["label", badLog, "--labels", root + "/y.jsonl"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("evalgate: error: \(badLog):1"))
        #expect(!FileManager.default.fileExists(atPath: root + "/y.jsonl"), "nothing written from a bad log")
        let zero = try CLITests.run(["label", log, "--labels", root + "/z.jsonl", "--count", "0"])
        #expect(zero.status == 2)
    }

    /// The interactive mode in a real (pseudo-)terminal: one key acts without Enter, the evidence is highlighted, an
    /// arrow key's escape sequence is ignored, Ctrl-C stops and saves.
    @Test func interactiveInAPseudoTerminal() async throws {
        let (root, log) = try await Self.run()
        let labels = root + "/labels.jsonl"
        #expect(try CLITests.run(["label", log, "--labels", labels, "--count", "3", "--seed", "5"]).status == 0)

        // util-linux `script` gives the command a pseudo-terminal of its own and relays our pipe to it.
        let quoted = [CLITests.executable.path, "label", "--labels", labels, "--interactive"].map { "'\($0)'" }.joined(
            separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", quoted, "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = nil
        environment["TERM"] = "xterm"
        process.environment = environment
        let keys = Pipe()
        let screen = Pipe()
        process.standardInput = keys
        process.standardOutput = screen
        process.standardError = screen
        try process.run()
        let terminal = screen.fileHandleForReading.fileDescriptor

        var output = ""
        /// Reads the terminal until `text` has appeared `count` times (or the program ended).
        func read(until text: String, count: Int) -> Bool {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while output.components(separatedBy: text).count - 1 < count {
                var descriptor = pollfd(fd: terminal, events: Int16(POLLIN), revents: 0)
                // A bound for a broken program, not a synchronisation: the loop waits for the text itself.
                guard poll(&descriptor, 1, 60_000) > 0 else { return false }
                let got = Glibc.read(terminal, &buffer, buffer.count)
                if got <= 0 { return false }
                output += String(decoding: buffer[0..<got], as: UTF8.self)
            }
            return true
        }
        func send(_ bytes: [UInt8]) {
            keys.fileHandleForWriting.write(Data(bytes))
        }
        #expect(read(until: "Do you agree?", count: 1))
        #expect(output.contains("\u{1B}[1mevalgate label · item 1 of 3"), "bold header: colours are on in a terminal")
        #expect(output.contains("\u{1B}[1;31mFAIL\u{1B}[0m") || output.contains("\u{1B}[1;32mPASS\u{1B}[0m"))
        // An arrow key first: its escape sequence must not count as a key ('A' would agree).
        send([0x1B, UInt8(ascii: "["), UInt8(ascii: "A")])
        send([UInt8(ascii: "d")])
        #expect(read(until: "Do you agree?", count: 2))
        #expect(output.contains("item 2 of 3"))
        send([0x03])  // Ctrl-C
        #expect(read(until: "run the same command to continue", count: 1))
        try keys.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        let records = try Self.records(labels)
        #expect(records.compactMap { $0["human"] as? String }.count == 1, "one answer saved before Ctrl-C")
        #expect(records[0]["human"] as? String == ((records[0]["check"] as? String) == "fail" ? "pass" : "fail"))
    }
}
