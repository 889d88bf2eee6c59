import EvalCore
import Foundation
import Reporting
import Testing

@Suite("Review fixes: the fast parser refuses what the decoder refuses; PII masked in every quote of an answer")
struct ReviewFixTests {
    /// A log of the v1 fixture whose `line`-th line (1-based, the manifest is 1) had `edit` applied to its bytes.
    static func log(editingLine line: Int, _ edit: ([UInt8]) -> [UInt8]) throws -> String {
        let path = try Fixtures.write("v1", in: Fixtures.temporaryDirectory())
        var lines = try Data(contentsOf: URL(fileURLWithPath: path)).split(
            separator: 0x0A, omittingEmptySubsequences: false
        ).map(Array.init)
        lines[line - 1] = edit(lines[line - 1])
        try Data(lines.joined(separator: [0x0A])).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func replacing(_ old: String, with new: [UInt8]) -> ([UInt8]) -> [UInt8] {
        { bytes in
            let needle = Array(old.utf8)
            guard
                let at = (0...(bytes.count - needle.count)).first(where: {
                    Array(bytes[$0..<($0 + needle.count)]) == needle
                })
            else {
                Issue.record("'\(old)' not on the line")
                return bytes
            }
            return Array(bytes[..<at]) + new + Array(bytes[(at + needle.count)...])
        }
    }

    @Test(
        "a line the full decoder refuses is refused by the report too, at the same line",
        arguments: [
            (#""content":""#, Array(#""content":"\#u{FF}"#.utf8.dropLast(2)) + [0xFF]),  // invalid UTF-8 in the answer
            (#""content":""#, Array(#""content":"\q"#.utf8)),  // an escape JSON does not have
            (#""case":""#, Array(#""case":""#.utf8) + [0xC0, 0xAF]),  // an overlong form in the case id
            (#""repeat":0"#, Array(#""repeat":00"#.utf8)),  // a leading zero
        ] as [(String, [UInt8])])
    func strictFastParser(old: String, new: [UInt8]) throws {
        let path = try Self.log(editingLine: 3, Self.replacing(old, with: new))
        let decoder = try #require(throws: RunLogError.self) { try RunLogReader(path: path).results() }
        let report = try #require(throws: RunLogError.self) { try RunIndex.load(path: path) }
        #expect(decoder.diagnostic.line == 3)
        #expect(report == decoder)
    }

    @Test("well-formed UTF-8 and escapes in answers still read, and the same as the full decoder reads them")
    func wellFormedStillReads() throws {
        let path = try Self.log(
            editingLine: 3, Self.replacing(#""content":""#, with: Array(#""content":"é𝄞\n\u00e9\/ "#.utf8)))
        let fast = try RunIndex.load(path: path)
        let slow = RunIndex.make(
            manifest: try RunLogReader(path: path).manifest, results: try RunLogReader(path: path).results().results)
        #expect(fast.cases == slow.cases)
    }

    @Test("a secret or phone number that a pii finding flagged is masked in other checks' evidence of the same answer")
    func sensitiveTextMaskedEverywhere() throws {
        let secret = "sk-proj-Xq7Lm2Rt9Vb4Nc8Kz1Hw5Jp3Df6Gs0YaQe4Tu"
        let phone = "+79161234567"
        let answer = "Your key is \(secret), call \(phone)"
        let result = CaseResult(
            suite: "support-golden", kind: .golden, caseID: "g1", caseHash: "h-g1", repeatIndex: 0, tags: ["t"],
            status: .failed,
            checks: [
                CheckRecord(
                    type: "pii", passed: false,
                    findings: [
                        Finding(
                            ruleID: "pii.secret.openai", message: "discloses a secret (OpenAI API key) 'sk-proj-Xq…'",
                            span: TextSpan(start: 12, end: 56), text: secret),
                        Finding(
                            ruleID: "pii.phone", message: "discloses a phone number '\(phone)'",
                            span: TextSpan(start: 63, end: 75), text: phone),
                    ]),
                CheckRecord(
                    type: "language", passed: false,
                    findings: [
                        Finding(
                            ruleID: "format.language", message: "answer '\(answer)' is 0% Cyrillic",
                            span: TextSpan(start: 0, end: 75), text: answer)
                    ]),
            ],
            response: ResponseRecord(content: answer, latencyMs: 1, attempts: 1), finishedAt: "2026-11-26T12:00:00Z")
        let index = RunIndex.make(manifest: Fixtures.manifest(label: "v1"), results: [result])
        for showPII in [false, true] {
            let summary = RunSummary.make(index, options: ReportOptions(showPII: showPII))
            let outputs = [
                MarkdownRenderer().render(summary), JSONRenderer().render(summary),
                JUnitRenderer(showPII: showPII).render(summary),
            ]
            for output in outputs {
                #expect(!output.contains("Xq7Lm2Rt9V"), "a secret stays masked even with --show-pii")
                #expect(output.contains(phone) == showPII, "the phone number is shown only with --show-pii")
            }
            let language = try #require(summary.failed.first?.evidence.first { $0.rule == "format.language" })
            #expect(
                language.text
                    == (showPII
                        ? "Your key is sk-p••••••••, call \(phone)" : "Your key is sk-p••••••••, call +7••••••••67"))
        }
    }

    @Test("a quote cut at the evidence limit never keeps part of a secret")
    func cutNeverSplitsASecret() throws {
        let secret = "sk-proj-Xq7Lm2Rt9Vb4Nc8Kz1Hw5Jp3Df6Gs0YaQe4Tu"
        let answer = String(repeating: "a", count: RunIndex.maximumEvidenceCharacters - 10) + " " + secret + " tail"
        let result = CaseResult(
            suite: "support-golden", kind: .golden, caseID: "g1", caseHash: "h-g1", repeatIndex: 0, tags: [],
            status: .failed,
            checks: [
                CheckRecord(
                    type: "pii", passed: false,
                    findings: [Finding(ruleID: "pii.secret.openai", message: "secret", text: secret)]),
                CheckRecord(
                    type: "language", passed: false,
                    findings: [Finding(ruleID: "format.language", message: "wrong language", text: answer)]),
            ],
            response: ResponseRecord(content: answer, latencyMs: 1, attempts: 1), finishedAt: "2026-11-26T12:00:00Z")
        let summary = RunSummary.make(
            RunIndex.make(manifest: Fixtures.manifest(label: "v1"), results: [result]),
            options: ReportOptions(showPII: true))
        let json = JSONRenderer().render(summary)
        #expect(!json.contains("sk-proj-X"), "\(json)")
    }
}
