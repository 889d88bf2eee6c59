import EvalCore
import Foundation
import Reporting
import Testing

@Suite("Labelling: the stratified sample, the session's keys, the screen and the CSV")
struct LabelingTests {
    static let judge = JudgeRecord(
        target: "judge", model: "gpt-4o", rubric: "promise_without_data", rubricHash: "1a2b3c4d5e6f", votes: ["fail"])

    static func result(_ id: String, status: CaseResult.Status = .passed, checks: [CheckRecord], answer: String = "ok")
        -> CaseResult
    {
        CaseResult(
            suite: "support", kind: .eval, caseID: id, caseHash: "h-\(id)", repeatIndex: 0, tags: [], status: status,
            checks: checks,
            response: status == .error ? nil : ResponseRecord(content: answer, latencyMs: 1, attempts: 1),
            error: status == .error ? ErrorRecord(errorClass: "http_500", message: "HTTP 500", attempts: 3) : nil,
            finishedAt: "2026-12-04T12:00:00Z")
    }

    /// 40 answers: `pii` passes all; `promises` fails 4 (c0…c3); c0 and c1 have a judge that passes them (disputed);
    /// c39 errored.
    static func source() -> LabelSampler.Source {
        var results: [CaseResult] = []
        for index in 0..<40 {
            let id = "c\(index)"
            if index == 39 {
                results.append(result(id, status: .error, checks: []))
                continue
            }
            var checks = [CheckRecord(type: "pii", passed: true)]
            let promise = Finding(
                ruleID: "promise.deadline", message: "promises a deadline 'за 3 дня'",
                span: TextSpan(start: 0, end: 14), text: "за 3 дня")
            checks.append(
                index < 4
                    ? CheckRecord(type: "promises", passed: false, findings: [promise])
                    : CheckRecord(type: "promises", passed: true))
            if index < 2 { checks.append(CheckRecord(type: "judge", passed: true, judge: judge)) }
            results.append(result(id, status: index < 4 ? .failed : .passed, checks: checks, answer: "за 3 дня вернём"))
        }
        return LabelSampler.Source(path: "runs/v1.jsonl", manifest: Fixtures.manifest(label: "v1"), results: results)
    }

    @Test("disputed answers come first, then strata round-robin, so rare verdicts are drawn as often as common ones")
    func stratified() {
        let sample = LabelSampler(options: .init(count: 10, seed: 7)).sample([Self.source()])
        #expect(sample.count == 10)
        // c0 and c1: the judge passed what the promise rule failed — all six of their verdicts first.
        let disputed = Set(sample.prefix(6).map(\.caseID))
        #expect(disputed == ["c0", "c1"])
        #expect(sample.prefix(6).contains { $0.rule == "judge" && $0.judge == "gpt-4o rubric:1a2b3c4d" })
        // Then one from each stratum in turn: (pii, pass), (promises, fail), (promises, pass), and again.
        let rest = sample.dropFirst(6).map { "\($0.rule):\($0.check.rawValue)" }
        #expect(rest == ["pii:pass", "promises:fail", "promises:pass", "pii:pass"])
        #expect(!sample.contains { $0.caseID == "c39" }, "an errored answer has no verdicts")
        #expect(
            sample.allSatisfy {
                $0.human == nil && $0.log == "runs/v1.jsonl" && $0.target == "v1" && $0.answer == "за 3 дня вернём"
            })
        let flagged = sample.first { $0.rule == "promises" && $0.check == .fail }
        #expect(flagged?.evidence.first?.span == TextSpan(start: 0, end: 14))
    }

    @Test("the same seed draws the same sample; another seed another; rules and exclusions narrow it")
    func reproducible() {
        let source = Self.source()
        let first = LabelSampler(options: .init(count: 12, seed: 1)).sample([source])
        #expect(LabelSampler(options: .init(count: 12, seed: 1)).sample([source]) == first)
        #expect(LabelSampler(options: .init(count: 12, seed: 2)).sample([source]) != first)
        let promises = LabelSampler(options: .init(count: 100, seed: 1, rules: ["promises"])).sample([source])
        #expect(promises.count == 39 && promises.allSatisfy { $0.rule == "promises" })
        let excluded = LabelSampler(
            options: .init(count: 100, seed: 1, rules: ["promises"], exclude: Set(promises.prefix(30).map(\.key)))
        )
        .sample([source])
        #expect(excluded.count == 9)
        #expect(Set(excluded.map(\.key)).isDisjoint(with: promises.prefix(30).map(\.key)))
    }

    static func records() -> [LabelRecord] {
        (0..<3).map { index in
            LabelRecord(
                log: "l", suite: "s", caseID: "c\(index)", repeatIndex: 0, rule: "promises",
                check: index == 1 ? .pass : .fail)
        }
    }

    @Test(
        "agree keeps the check's verdict, disagree flips it, skip skips; a note goes with the next verdict; back undoes"
    )
    func session() {
        var session = LabelSession(records: Self.records())
        #expect(session.current == 0)
        let changed1 = session.apply(.note("ясно из данных"))
        #expect(changed1 == false, "a note alone changes nothing yet")
        let changed2 = session.apply(.agree)
        #expect(changed2)
        #expect(session.records[0].human == .fail && session.records[0].note == "ясно из данных")
        let changed3 = session.apply(.disagree)
        #expect(changed3)
        #expect(session.records[1].human == .fail, "the check passed it; the person fails it")
        let changed4 = session.apply(.back)
        #expect(changed4)
        #expect(session.current == 1 && session.records[1].human == nil)
        let changed5 = session.apply(.skip)
        #expect(changed5)
        #expect(session.records[1].human == .skip && session.records[1].note == nil)
        let changed6 = session.apply(.disagree)
        #expect(changed6)
        #expect(session.records[2].human == .pass)
        #expect(session.isFinished && session.labelled == 2 && session.skipped == 1 && session.remaining == 0)
        let changed7 = session.apply(.agree)
        #expect(changed7 == false, "nothing left to label")
    }

    @Test("a session resumes at the first unlabelled item and wraps round to earlier ones")
    func resume() {
        var records = Self.records()
        records[1].human = .pass
        var session = LabelSession(records: records)
        #expect(session.current == 0)
        _ = session.apply(.agree)
        #expect(session.current == 2)
        records = Self.records()
        records[0].human = .fail
        records[2].human = .fail
        #expect(LabelSession(records: records).current == 1)
        let skipped = records.map { record in
            var copy = record
            copy.human = .skip
            return copy
        }
        #expect(LabelSession(records: skipped).isFinished)
    }

    @Test("keys and lines map to actions; anything else is ignored")
    func keys() {
        #expect(LabelSession.Action(key: UInt8(ascii: "a")) == .agree)
        #expect(LabelSession.Action(key: UInt8(ascii: "d")) == .disagree)
        #expect(LabelSession.Action(key: 0x03) == .quit)
        #expect(LabelSession.Action(key: UInt8(ascii: "x")) == nil)
        #expect(LabelSession.Action(key: 0x1B) == nil)
        #expect(LabelSession.Action(line: "  disagree ") == .disagree)
        #expect(LabelSession.Action(line: "n the order data backs it") == .note("the order data backs it"))
        #expect(LabelSession.Action(line: "") == nil)
        #expect(LabelSession.Action(line: "agreed") == nil)
    }

    @Test("the screen highlights the evidence by UTF-8 span and never prints the answer's control characters")
    func screen() {
        // "Мы вернём за 3 дня." — "за 3 дня" is bytes 18..<31.
        let answer = "Мы вернём за 3 дня.\u{1B}]0;pwned\u{07}"
        let finding = Finding(
            ruleID: "promise.deadline", message: "promises a deadline 'за 3 дня'", span: TextSpan(start: 18, end: 31),
            text: "за 3 дня")
        let record = LabelRecord(
            log: "l", target: "v1", suite: "support", caseID: "refund-1", repeatIndex: 0, rule: "promises",
            check: .fail,
            prompt: "Когда вернут деньги?", answer: answer, evidence: [finding])
        let session = LabelSession(records: [record])
        let plain = LabelScreen(color: false).render(session, file: "labels.jsonl")
        #expect(plain.contains("  Мы вернём [[за 3 дня]].�]0;pwned�\n"))
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.contains("evalgate label · item 1 of 1 · 0 labelled, 0 skipped, 1 to go · labels.jsonl\n"))
        #expect(plain.contains("support/refund-1 #0 · v1 · rule promises\n"))
        #expect(plain.contains("The check says: FAIL\n  promise.deadline: promises a deadline 'за 3 дня'\n"))
        #expect(plain.contains("[a] agree (fail)  [d] disagree (pass)"))
        let colored = LabelScreen(color: true).render(session, file: "labels.jsonl")
        #expect(colored.contains("Мы вернём \u{1B}[1;7mза 3 дня\u{1B}[0m."))
        #expect(!colored.contains("\u{1B}]0;"), "the answer's own escape sequence is cleaned")
        // A span that cuts a Cyrillic letter in half, or runs past the answer, is not marked.
        let cut = LabelScreen(color: false).highlighted(
            "Мы", spans: [TextSpan(start: 1, end: 4), TextSpan(start: 0, end: 99)])
        #expect(cut == "Мы")
        let merged = LabelScreen(color: false).highlighted(
            "abcdef", spans: [TextSpan(start: 3, end: 5), TextSpan(start: 1, end: 4)])
        #expect(merged == "a[[bcde]]f")
    }

    @Test("CSV quotes what needs quoting and defuses formulas")
    func csv() {
        var record = LabelRecord(
            log: "runs/v1.jsonl", suite: "support", caseID: "c1", repeatIndex: 0, rule: "promises", check: .fail,
            human: .pass,
            note: "ok, \"fine\"", answer: "=HYPERLINK(\"http://x\")\nline 2",
            evidence: [
                Finding(ruleID: "promise.deadline", message: "m", span: TextSpan(start: 0, end: 1), text: "за 3 дня")
            ])
        record.prompt = "-5 + 3?"
        let text = LabelCSV.text([record])
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "log,target,suite,case,repeat,rule,judge,check,human,note,prompt,answer,evidence")
        // The answer's line break stays inside its quoted cell.
        #expect(
            lines[1]
                == #"runs/v1.jsonl,,support,c1,0,promises,,fail,pass,"ok, ""fine""",'-5 + 3?,"'=HYPERLINK(""http://x"")"#
                + "\n" + #"line 2",promise.deadline: за 3 дня"#)
        #expect(lines.count == 3 && lines[2].isEmpty)
    }

    @Test("a CSV written for a spreadsheet reads back as the same labels (evidence aside), located errors and all")
    func csvRoundTrip() throws {
        var records = Self.records()
        records[0].human = .fail
        records[0].note = "ok, \"fine\"\nsecond line"
        records[1].answer = "=1+2"
        records[1].human = .skip
        records[2].judge = "gpt-4o rubric:1a2b3c4d"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-csv-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/labels.csv"
        try LabelCSV.text(records).write(toFile: path, atomically: true, encoding: .utf8)
        let read = try LabelFile.read(path: path)
        #expect(read.records == records)
        #expect(read.warnings.isEmpty)

        // A spreadsheet's edit: a verdict mistyped on the third row, at its cell's first character.
        let bad = folder + "/bad.csv"
        try
            "log,target,suite,case,repeat,rule,judge,check,human\r\nl,,s,c0,0,promises,,fail,fail\r\nl,,s,c1,0,promises,,pass,okay\r\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        do {
            _ = try LabelFile.read(path: bad)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description == bad
                    + #":3:26: error: expected "human" to be 'pass', 'fail', 'skip' or null, found 'okay'"#)
        }
        let header = folder + "/header.csv"
        try "log,suite,case,rule\nl,s,c,r\n".write(toFile: header, atomically: true, encoding: .utf8)
        #expect(throws: LabelFileError.self) { try LabelFile.read(path: header) }
        do {
            _ = try LabelFile.read(path: header)
        } catch {
            #expect(
                error.description == header
                    + ":1:1: error: missing column 'check'; the header names log, suite, case, rule and check at least")
        }
        let open = folder + "/open.csv"
        try "log,suite,case,rule,check,note\nl,s,c,r,pass,\"never closed\n".write(
            toFile: open, atomically: true, encoding: .utf8)
        do {
            _ = try LabelFile.read(path: open)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description == open + ":2:14: error: unterminated quoted cell: a '\"' opened here is never closed"
            )
        }
    }
}
