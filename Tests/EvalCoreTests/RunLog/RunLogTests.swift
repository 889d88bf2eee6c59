import EvalCore
import Foundation
import Testing

@Suite("Run log: append-only JSONL with a manifest, results and session ends")
struct RunLogTests {
    static func manifest(label: String = "v1.3") -> RunManifest {
        RunManifest(
            runID: "run-1", toolVersion: "0.0.0-test",
            target: RunTarget(
                label: label, model: "support-bot", baseURL: "http://127.0.0.1:8080/v1", params: ["temperature": 0]),
            suites: [
                SuiteReference(
                    name: "golden", kind: .golden, contentHash: String(repeating: "a", count: 64), caseCount: 2,
                    path: "EvalSets/golden")
            ],
            scorerVersion: "abc", repeats: 1, seed: 7, startedAt: "2026-11-26T12:00:00Z"
        )
    }

    static func result(_ id: String, status: CaseResult.Status = .passed) -> CaseResult {
        CaseResult(
            suite: "golden", kind: .golden, caseID: id, caseHash: "h-\(id)", repeatIndex: 0, tags: ["refunds"],
            status: status,
            checks: status == .error
                ? []
                : [
                    CheckRecord(
                        type: "pii", passed: status == .passed,
                        findings: status == .passed
                            ? []
                            : [
                                Finding(
                                    ruleID: "pii.phone", message: "phone", span: TextSpan(start: 3, end: 15),
                                    text: "+79161234567")
                            ]
                    )
                ],
            response: status == .error
                ? nil
                : ResponseRecord(
                    content: "Ок. Коротко: да", finishReason: "stop", promptTokens: 10, completionTokens: 4,
                    latencyMs: 12.5, attempts: 1),
            error: status == .error
                ? ErrorRecord(errorClass: "http_500", message: "HTTP 500", status: 500, attempts: 3) : nil,
            finishedAt: "2026-11-26T12:00:01Z"
        )
    }

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-runlog-\(UUID().uuidString)/run.jsonl")
            .path
    }

    @Test("lines round-trip through the writer and reader, in order")
    func roundTrip() throws {
        let path = temporaryPath()
        let writer = try RunLogWriter(path: path)
        #expect(writer.isEmpty)
        try writer.append(.manifest(Self.manifest()))
        try writer.append(.result(Self.result("a")))
        try writer.append(.result(Self.result("b", status: .failed)))
        try writer.append(.result(Self.result("c", status: .error)))
        try writer.append(
            .end(
                RunEnd(
                    endedAt: "2026-11-26T12:00:02Z", outcome: .complete, results: 3, passed: 1, failed: 1, errors: 1,
                    requests: 3)))
        writer.close()

        let reader = try RunLogReader(path: path)
        #expect(reader.manifest == Self.manifest())
        let (results, ends, warnings) = try reader.results()
        #expect(results == [Self.result("a"), Self.result("b", status: .failed), Self.result("c", status: .error)])
        #expect(ends.map(\.outcome) == [.complete])
        #expect(warnings.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 5)
        #expect(text.contains(#""record":"manifest""#))
        #expect(text.contains(#""case":"a""#))
        #expect(!text.contains("findings\":[]"), "passing checks carry no empty findings array")
    }

    @Test("a line cut by a kill is ignored with a warning, and the writer cuts it off before appending")
    func killedMidLine() throws {
        let path = temporaryPath()
        let writer = try RunLogWriter(path: path)
        try writer.append(.manifest(Self.manifest()))
        try writer.append(.result(Self.result("a")))
        writer.close()
        let whole = RunLog.encode(.result(Self.result("b")))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(whole.prefix(whole.count / 2)))
        try handle.close()

        let (results, _, warnings) = try RunLogReader(path: path).results()
        #expect(results.map(\.caseID) == ["a"])
        #expect(warnings.count == 1)
        #expect(warnings.first?.line == 3)

        let reopened = try RunLogWriter(path: path)
        #expect(reopened.repairedBytes == whole.count / 2)
        try reopened.append(.result(Self.result("b")))
        reopened.close()
        let again = try RunLogReader(path: path).results()
        #expect(again.results.map(\.caseID) == ["a", "b"])
        #expect(again.warnings.isEmpty)
    }

    @Test("a bad line in the middle is an error naming the line and the field")
    func badLine() throws {
        let path = temporaryPath()
        let writer = try RunLogWriter(path: path)
        try writer.append(.manifest(Self.manifest()))
        writer.close()
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text +=
            #"{"record":"result","suite":"golden","kind":"golden","case":"x","case_hash":"h","repeat":"zero","tags":[],"status":"passed","checks":[],"finished_at":"t"}"#
            + "\n"
        text += String(decoding: RunLog.encode(.result(Self.result("a"))), as: UTF8.self)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: RunLogError.self) { try RunLogReader(path: path).results() }
        #expect(error.diagnostic.line == 2)
        #expect(error.description.contains("\"repeat\""), "\(error)")
        #expect(error.description.contains("expected an integer"), "\(error)")
        // The column of the value at fault: `"repeat":` ends at column 88 of that line.
        #expect(error.diagnostic.column == 89, "\(error)")
    }

    /// Every kind of bad line is located at its column, with the field named.
    @Test(
        "a bad line names its column and field",
        arguments: [
            (#"{"record":"result","suite":"golden"#, 35, "not valid JSON"),
            (
                #"{"record":"result","suite":"golden","kind":"golden","case":"x","case_hash":"h","repeat":0,"tags":[],"status":"passd","checks":[],"finished_at":"t"}"#,
                110, "field \"status\": expected one of 'passed', 'failed', 'error', 'unchecked', found 'passd'"
            ),
            (
                #"{"record":"result","suite":"golden","kind":"golden","case":"x","case_hash":"h","repeat":0,"tags":[],"status":"passed","checks":[{"type":3,"passed":true}],"finished_at":"t"}"#,
                137, "field \"checks[0].type\" expected a string"
            ),
            (
                #"{"record":"result","suite":"golden","kind":"golden","case_hash":"h","repeat":0,"tags":[],"status":"passed","checks":[],"finished_at":"t"}"#,
                1, "missing field \"case\""
            ),
            (
                #"{"record":"result","suite":"golden","kind":"golden","case":"ё\#u{FFFF}","case_hash":"h","repeat":"x","tags":[],"status":"passed","checks":[],"finished_at":"t"}"#,
                90, "field \"repeat\""
            ),
        ]
    )
    func badLineColumn(line: String, column: Int, message: String) throws {
        let path = temporaryPath()
        let writer = try RunLogWriter(path: path)
        try writer.append(.manifest(Self.manifest()))
        writer.close()
        try (String(contentsOfFile: path, encoding: .utf8) + line + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: RunLogError.self) { try RunLogReader(path: path).results() }
        #expect(error.diagnostic.line == 2)
        #expect(error.diagnostic.column == column, "\(error)")
        #expect(error.description.contains(message), "\(error)")
    }

    @Test(
        "a file that does not start with a manifest is refused",
        arguments: [
            ("", "empty run log"),
            ("not json\n", "expected the manifest record"),
            (
                #"{"record":"end","ended_at":"t","outcome":"complete","results":0,"passed":0,"failed":0,"errors":0,"requests":0}"#
                    + "\n", "expected the manifest record first"
            ),
            (#"{"record":"manifest","format":99}"# + "\n", "missing field"),
            (#"{"record":"banana"}"# + "\n", "unknown record 'banana'"),
        ]
    )
    func noManifest(contents: String, expected: String) throws {
        let path = temporaryPath()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: RunLogError.self) { try RunLogReader(path: path) }
        #expect(error.description.contains(expected), "\(error)")
        #expect(error.description.hasPrefix(path))
    }

    @Test("a manifest from a newer format is refused with an upgrade hint")
    func newerFormat() throws {
        let path = temporaryPath()
        var manifest = Self.manifest()
        manifest.format = RunManifest.currentFormat + 1
        let writer = try RunLogWriter(path: path)
        try writer.append(.manifest(manifest))
        writer.close()
        let error = try #require(throws: RunLogError.self) { try RunLogReader(path: path) }
        #expect(error.description.contains("upgrade evalgate"))
    }

    @Test("a log has one writer at a time; the lock goes with the writer")
    func oneWriter() throws {
        let path = temporaryPath()
        let first = try RunLogWriter(path: path)
        try first.append(.manifest(Self.manifest()))
        let error = #expect(throws: RunLogError.self) { try RunLogWriter(path: path) }
        #expect(error?.description.contains("another evalgate process is writing this log") == true)
        first.close()
        let second = try RunLogWriter(path: path)
        try second.append(.result(Self.result("a")))
        second.close()
        #expect(try RunLogReader(path: path).results().results.count == 1)
    }

    @Test("a missing file is a located error, not a crash")
    func missingFile() {
        let error = #expect(throws: RunLogError.self) { try RunLogReader(path: "/nonexistent/evalgate/run.jsonl") }
        #expect(error?.description.contains("cannot open run log") == true)
    }

    @Test("file names are made from labels safely")
    func fileNames() {
        #expect(RunLog.fileName(forLabel: "v1.3") == "v1.3.jsonl")
        #expect(RunLog.fileName(forLabel: "lora/support ckpt:300") == "lora_support_ckpt_300.jsonl")
        #expect(RunLog.fileName(forLabel: "..") == "run.jsonl")
        #expect(RunLog.fileName(forLabel: "версия-2") == "версия-2.jsonl")
    }

    @Test("the expected result count is cases times repeats")
    func expectedResults() {
        var manifest = Self.manifest()
        manifest.repeats = 3
        #expect(manifest.expectedResults == 6)
    }
}

@Suite("LocatedYAML: configuration files with located errors")
struct LocatedYAMLTests {
    @Test("values are read and errors point at the field")
    func locates() throws {
        let text = "out: Reports/runs\ntargets:\n  - label: v1\n    model: m\n  - label: v2\n    modle: m\n"
        let (yaml, diagnostics) = LocatedYAML.parse(text, path: "evalgate.yaml")
        #expect(diagnostics.isEmpty)
        let document = try #require(yaml)
        #expect(document.root["targets"]?[1]?["label"] == "v2")
        let error = document.error("unknown key 'modle'", at: ["targets", 1, "modle"], atKey: true)
        #expect(error.description == "evalgate.yaml:6:5: error: unknown key 'modle'")
        let missing = document.error("missing", at: ["targets", 0, "base_url"])
        #expect(missing.line == 3, "an absent field is reported at its enclosing value")
    }

    @Test("invalid YAML is a located error")
    func invalid() {
        let (yaml, diagnostics) = LocatedYAML.parse("targets: [a, b\n", path: "gate.yaml")
        #expect(yaml == nil)
        #expect(diagnostics.first?.path == "gate.yaml")
        #expect(diagnostics.first?.line != nil)
    }
}
