import EvalCore
import Foundation
import Testing

@testable import Reporting

/// The fast `result`-line reader against the full decoder (`RunLog.decode`, `JSONDecoder`): a line it takes, it
/// must read exactly as the full decoder does, or reports would depend on which reader a line went through.
@Suite("ResultLineParser reads what RunLog.decode reads, or declines")
struct ResultLineParserTests {
    /// What the fast reader gives for a result the full decoder read: only the fields a report reads, and the
    /// answer's text only when a check has findings to quote.
    static func expected(_ result: CaseResult) -> CaseResult {
        var result = result
        if !result.checks.contains(where: { !$0.findings.isEmpty }) { result.response?.content = "" }
        result.response?.model = nil
        result.response?.timeToFirstTokenMs = nil
        result.response?.systemFingerprint = nil
        result.error?.status = nil
        result.params = nil
        return result
    }

    static func fullDecoder(_ line: [UInt8]) -> CaseResult? {
        guard case .success(.result(let result)) = RunLog.decode(line) else { return nil }
        return result
    }

    /// Every fixture result, its strings given quotes, backslashes, control characters, non-ASCII and an emoji, so
    /// that the encoder writes escapes into every string field.
    static let lines: [[UInt8]] = {
        var lines: [[UInt8]] = []
        for label in ["v1", "v2"] {
            for var result in Fixtures.results(label) {
                lines.append(RunLog.encode(.result(result)))
                result.caseID += " \"q\" \\ /\t\u{0}\u{1F} é 👋"
                result.tags = result.tags.map { $0 + "\n\u{7F}" } + ["日本"]
                result.checks = result.checks.map { check in
                    var check = check
                    check.findings = check.findings.map { finding in
                        var finding = finding
                        finding.message += " \"quoted\"\r\n"
                        return finding
                    }
                    return check
                }
                result.response?.content += "\n\"end\" 👋 \u{8}"
                lines.append(RunLog.encode(.result(result)))
            }
        }
        return lines
    }()

    @Test("escaped strings in every field are read by the fast reader, as the full decoder reads them")
    func escapes() throws {
        var escaped = 0
        for line in Self.lines {
            let full = try #require(Self.fullDecoder(line), "\(String(decoding: line, as: UTF8.self))")
            let fast = try #require(ResultLineParser.parse(line[...]), "\(String(decoding: line, as: UTF8.self))")
            #expect(fast == Self.expected(full), "\(String(decoding: line, as: UTF8.self))")
            if line.contains(UInt8(ascii: "\\")) { escaped += 1 }
        }
        #expect(escaped >= Self.lines.count / 2)
    }

    /// Rewritings of a line that stay JSON: escapes in keys, `\u` and surrogate-pair escapes, repeated keys at every
    /// level, numbers written otherwise, whitespace.
    static let rewritings: [(String, String)] = [
        (#""case":"#, #""c\u0061se":"#),
        (#""type":"#, #""typ\u0065":"#),
        ("👋", #"\ud83d\udc4b"#),
        ("é", #"\u00E9"#),
        (#""passed":false"#, #""passed":false,"passed":true"#),
        (#""passed":true"#, #""passed":true,"passed":false"#),
        (#""type":"pii""#, #""type":"pii","type":"language""#),
        (#""rule":"#, #""rule":"x","rule":"#),
        (#""message":"#, #""message":"x","message":"#),
        (#""start":"#, #""start":0,"start":"#),
        (#""attempts":1"#, #""attempts":1,"attempts":2"#),
        (#""cached":false"#, #""cached":false,"cached":true"#),
        (#""latency_ms":"#, #""latency_ms":1,"latency_ms":"#),
        (#""content":"#, #""content":"other","content":"#),
        (#""class":"#, #""class":"x","class":"#),
        (#""finish_reason":"#, #""finish_reason":null,"finish_reason":"#),
        (#""repeat":0"#, #""repeat":0,"repeat":1"#),
        (#""attempts":1"#, #""attempts":1.0"#),
        (#""attempts":1"#, #""attempts":1e0"#),
        (#""repeat":0"#, #""repeat":-0"#),
        (":", " : "),
        (",", " ,\t"),
    ]

    @Test("a line the fast reader takes it reads as the full decoder does; a repeated key goes to the full decoder")
    func rewritten() {
        var taken = 0
        var declined = 0
        for line in Self.lines {
            let text = String(decoding: line, as: UTF8.self)
            for (target, replacement) in Self.rewritings where text.contains(target) {
                let rewritten = Array(text.replacingOccurrences(of: target, with: replacement).utf8)
                let full = Self.fullDecoder(rewritten)
                guard let fast = ResultLineParser.parse(rewritten[...]) else {
                    declined += 1
                    continue
                }
                taken += 1
                #expect(full.map(Self.expected) == fast, "\(target) → \(replacement)")
            }
        }
        #expect(taken > 0 && declined > 0)
    }
}
