import EvalCore
import Foundation
import Testing

@Suite("Labelling files: plain JSONL that names the verdict and the person's answer")
struct LabelFileTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-labels-\(UUID().uuidString).jsonl"
        ).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a record written is read back the same, with its evidence and a null human verdict until labelled")
    func roundTrip() throws {
        let records = [
            LabelRecord(
                log: "runs/v1.jsonl", target: "v1", suite: "support", caseID: "refund-1", repeatIndex: 2,
                rule: "promises",
                check: .fail, prompt: "Когда вернут деньги?", answer: "Мы гарантируем возврат за 3 дня.",
                evidence: [
                    Finding(
                        ruleID: "promise.deadline", message: "promises a deadline 'за 3 дня'",
                        span: TextSpan(start: 47, end: 61), text: "за 3 дня")
                ]),
            LabelRecord(
                log: "runs/v1.jsonl", suite: "support", caseID: "tone-2", repeatIndex: 0, rule: "judge",
                judge: "gpt-4o rubric:1a2b",
                check: .pass, human: .skip, note: "не уверен"),
        ]
        let path = try Self.file(LabelFile.text(records))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            text.hasPrefix(
                #"{"log":"runs/v1.jsonl","target":"v1","suite":"support","case":"refund-1","repeat":2,"rule":"promises","check":"fail","human":null,"#
            ))
        let (read, warnings) = try LabelFile.read(path: path)
        #expect(read == records)
        #expect(warnings.isEmpty)
        // Written atomically: the file is replaced whole.
        var labelled = records
        labelled[0].human = .fail
        try LabelFile.write(labelled, to: path)
        #expect(try LabelFile.read(path: path).records == labelled)
    }

    @Test(
        "bad lines are errors at their line and column; unknown fields are warnings",
        arguments: [
            (
                #"{"log":"l","suite":"s","case":"c","rule":"r","check":"fail","human":"ok"}"#,
                #":1:69: error: expected "human" to be 'pass', 'fail', 'skip' or null, found 'ok'"#
            ),
            (
                #"{"log":"l","suite":"s","case":"c","rule":"r","check":"failed"}"#,
                #":1:54: error: expected "check" to be 'pass' or 'fail', found 'failed'; did you mean 'fail'?"#
            ),
            (
                #"{"log":"l","suite":"s","case":"c","rule":"r"}"#,
                #":1:1: error: missing "check"; a label holds the check's verdict, 'pass' or 'fail'"#
            ),
            (
                #"{"log":"l","suite":"s","case":"c","repeat":-1,"rule":"r","check":"pass"}"#,
                #":1:44: error: expected "repeat" to be an integer of 0 or more, found -1"#
            ),
            (
                #"{"log":"l","suite":"s","case":"c","rule":"r","check":"pass",}"#,
                #":1:61: error: invalid JSON"#
            ),
            (#"["log"]"#, #":1:1: error: expected a label object, found array"#),
        ]
    )
    func badLines(line: String, expected: String) throws {
        let path = try Self.file(#"{"log":"l","suite":"s","case":"ok","rule":"r","check":"pass"}"# + "\n" + line + "\n")
        do {
            _ = try LabelFile.read(path: path)
            Issue.record("expected an error")
        } catch {
            let message = error.diagnostics.map(\.description).joined(separator: "\n")
            #expect(message.contains(path + expected.replacingOccurrences(of: ":1:", with: ":2:")), "\(message)")
        }
    }

    @Test("an unknown field is a warning with a did-you-mean; a missing file is one clear error")
    func warningsAndMissingFile() throws {
        let path = try Self.file(#"{"log":"l","suite":"s","case":"c","rule":"r","check":"pass","huma":"fail"}"# + "\n")
        let (records, warnings) = try LabelFile.read(path: path)
        #expect(records.count == 1 && records[0].human == nil)
        #expect(
            warnings.map(\.description) == [
                path + #":1:61: warning: unknown field "huma" in a label; did you mean 'human'?"#
            ])
        do {
            _ = try LabelFile.read(path: "/nonexistent/labels.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "/nonexistent/labels.jsonl: error: cannot open the labelling file: No such file or directory")
        }
    }
}
