import EvalCore
import Foundation
import Reporting
import Testing

/// The index keeps each case in a compact form (interned strings and arrays, rare fields apart); these tests pin what
/// it gives on a varied pair of logs to the bytes the earlier, plain index gave (the files in `Golden/` whose names
/// start with `compact-` were recorded before the compact form existed): repeats written far apart and out of order, a
/// repeat written twice, cases only one log has, a changed case, judge records (the full decoder's path), errors
/// with long messages, unchecked answers, cut and cached answers, notes, PII, secrets and promises.
///
/// Re-record with `EVALGATE_UPDATE_GOLDEN=1 swift test --filter CompactIndexTests` only for an intended change.
@Suite("The compact index gives the same cases and the same diff as the plain one did")
struct CompactIndexTests {
    /// A small deterministic generator (the logs must be the same on every run).
    struct Dice {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let suites: [(name: String, kind: SuiteKind)] = [
        ("support-golden", .golden), ("support-eval-with-a-long-name", .eval), ("base-skills", .base),
    ]
    static let tags = ["refunds", "delivery", "privacy", "a-tag-longer-than-fifteen-bytes", "тон", "format"]

    static func manifest(label: String) -> RunManifest {
        RunManifest(
            runID: "compact-\(label)", toolVersion: "0.1.0",
            target: RunTarget(label: label, model: "support-\(label)", baseURL: "http://127.0.0.1:8000/v1"),
            suites: suites.map {
                SuiteReference(
                    name: $0.name, kind: $0.kind, contentHash: "hash-\($0.name)", caseCount: 40,
                    path: "EvalSets/\($0.name)")
            },
            scorerVersion: "scorer-1", repeats: 3, seed: 7, startedAt: "2026-12-05T12:00:00Z")
    }

    static let findings: [(check: String, finding: Finding)] = [
        ("pii", Fixtures.phone), ("pii", Fixtures.secret), ("promises", Fixtures.promise),
        ("sections", Fixtures.missingSection), ("language", Fixtures.language), ("not-contains", Fixtures.forbidden),
    ]

    /// One answer of a case; `roll` decides what it is.
    static func result(
        suite: (name: String, kind: SuiteKind), id: String, tags: [String], repeatIndex: Int, dice: inout Dice,
        candidate: Bool
    ) -> CaseResult {
        let roll = dice.next(100)
        let hash = candidate && id.hasSuffix("7") && suite.kind == .eval ? "changed" : "h-\(id)"
        if roll < 8 {
            let long = String(repeating: "upstream said no; ", count: roll % 2 == 0 ? 30 : 1)
            return CaseResult(
                suite: suite.name, kind: suite.kind, caseID: id, caseHash: hash, repeatIndex: repeatIndex, tags: tags,
                status: .error,
                error: ErrorRecord(
                    errorClass: ["http_500", "timeout_total", "http_429"][roll % 3], message: roll == 4 ? "" : long,
                    attempts: 2),
                finishedAt: "2026-12-05T12:01:00Z")
        }
        var content = "Коротко: ваш заказ в пути.\nСпасибо за терпение."
        var checks = [CheckRecord(type: "language", passed: true), CheckRecord(type: "length", passed: true)]
        var failed = false
        if roll >= 12, roll < 50 {
            // Failing: one to three findings, placed in the answer; sometimes a note beside them.
            for pick in 0..<(1 + dice.next(3)) {
                let (type, original) = findings[(roll + pick * 5) % findings.count]
                var finding = original
                if let text = finding.text, finding.span != nil {
                    content += "\n"
                    let start = content.utf8.count
                    content += text
                    finding.span = TextSpan(start: start, end: content.utf8.count)
                }
                let notes =
                    roll % 4 == 0
                    ? [Finding(ruleID: "promise.note", message: "not a promise (negated): 'не обещаем'")] : []
                if let at = checks.firstIndex(where: { $0.type == type }) {
                    checks[at].passed = false
                    checks[at].findings.append(finding)
                } else {
                    checks.append(CheckRecord(type: type, passed: false, findings: [finding], notes: notes))
                }
            }
            failed = true
        } else if roll >= 50, roll < 56 {
            // A finding on a passing check: a risk the diff compares without a failure.
            checks.append(CheckRecord(type: "pii", passed: true, findings: [Fixtures.phone]))
            content += "\n+79161234567"
        }
        if roll >= 56, roll < 66 {
            let passed = roll % 2 == 0
            checks.append(
                CheckRecord(
                    type: "judge", passed: passed,
                    findings: passed
                        ? []
                        : [
                            Finding(
                                ruleID: "judge.answers_question", message: "judge: evades",
                                span: TextSpan(start: 0, end: 6),
                                text: "Коротко")
                        ],
                    judge: JudgeRecord(
                        target: "strict", model: "gpt-4o", rubric: "answers_question", rubricHash: "1a2b3c4d5e6f",
                        votes: passed ? ["pass", "pass"] : ["fail", "pass"], reason: "reason \(roll)",
                        score: Double(roll % 5), quote: passed ? "ваш заказ" : nil)))
            failed = failed || !passed
        }
        if roll >= 8, roll < 12 { checks = [] }  // unchecked
        return CaseResult(
            suite: suite.name, kind: suite.kind, caseID: id, caseHash: hash, repeatIndex: repeatIndex, tags: tags,
            status: checks.isEmpty ? .passed : (failed ? .failed : .passed), checks: checks,
            response: ResponseRecord(
                content: content, finishReason: roll % 9 == 0 ? "length" : "stop", model: "support",
                promptTokens: roll % 13 == 0 ? nil : 100 + roll, completionTokens: 40 + roll % 7,
                latencyMs: Double(300 + roll * 3), attempts: roll % 11 == 0 ? 0 : 1, cached: roll % 11 == 0),
            finishedAt: "2026-12-05T12:01:00Z")
    }

    /// The log's result lines: each case with one to three repeats, all lines shuffled (so a case's repeats are far
    /// apart and out of order), some repeats written twice (the last one counts), some cases missing.
    static func results(candidate: Bool) -> [CaseResult] {
        var dice = Dice(state: candidate ? 2 : 1)
        var results: [CaseResult] = []
        for (number, suite) in suites.enumerated() {
            for index in 0..<40 {
                if candidate ? index % 13 == 5 : index % 17 == 3 { continue }
                let id = index % 5 == 0 ? "case-with-a-long-identifier-\(number)-\(index)" : "c\(index)"
                var tags = [Self.tags[index % Self.tags.count]]
                if index % 3 == 0 { tags.append(Self.tags[(index / 3) % Self.tags.count]) }
                if index % 10 == 4 { tags = [] }
                let repeats = 1 + (index + number) % 3
                for repeatIndex in 0..<repeats {
                    results.append(
                        result(
                            suite: suite, id: id, tags: tags, repeatIndex: repeatIndex, dice: &dice,
                            candidate: candidate))
                    if index % 11 == 2 {
                        results.append(
                            result(
                                suite: suite, id: id, tags: tags, repeatIndex: repeatIndex, dice: &dice,
                                candidate: candidate))
                    }
                }
            }
        }
        // Shuffle, but keep a doubled repeat's two lines in their order (the last one counts).
        var order = Array(results.indices)
        for position in order.indices.reversed() where position > 0 {
            order.swapAt(position, dice.next(position + 1))
        }
        var seen: [ResultKey: Int] = [:]
        var shuffled = order.map { results[$0] }
        for position in shuffled.indices {
            let key = shuffled[position].key
            if let earlier = seen[key] {
                shuffled.swapAt(earlier, position)
            }
            seen[key] = position
        }
        return shuffled
    }

    static func logs() throws -> (base: String, candidate: String) {
        let directory = Fixtures.temporaryDirectory()
        let base = results(candidate: false)
        let candidate = results(candidate: true)
        return (
            try Fixtures.write("v1", manifest: manifest(label: "v1"), results: base, in: directory),
            try Fixtures.write("v2", manifest: manifest(label: "v2"), results: candidate, in: directory)
        )
    }

    /// Every field of every case, one case per paragraph.
    static func dump(_ index: RunIndex) -> String {
        var lines: [String] = []
        for outcome in index.cases {
            lines.append("\(outcome.key) kind=\(outcome.kind) hash=\(outcome.caseHash) tags=\(outcome.tags)")
            lines.append(
                "  verdict=\(outcome.verdict) passed=\(outcome.passedRepeats) failed=\(outcome.failedRepeats) "
                    + "errors=\(outcome.errorRepeats) unchecked=\(outcome.uncheckedRepeats) answers=\(outcome.answers) "
                    + "truncated=\(outcome.truncatedRepeats) cached=\(outcome.cachedRepeats)")
            lines.append("  checks=\(outcome.checks.map { "\($0.type):\($0.passed)" })")
            lines.append("  rules=\(outcome.failingRules) errors=\(outcome.errorClasses)")
            lines.append("  message=\(outcome.errorMessage ?? "-")")
            for evidence in outcome.evidence { lines.append("  evidence \(evidence)") }
            for risk in outcome.risks { lines.append("  risk \(risk.category) \(risk.repeats) \(risk.evidence)") }
            for verdict in outcome.judgeVerdicts { lines.append("  judge \(verdict)") }
            #expect(index[outcome.key] == outcome)
        }
        lines.append(
            "counts \(index.resultCounts) tokens \(index.tokens) errors \(index.errorClasses.sorted { $0.key < $1.key })"
        )
        lines.append("latencies \(index.latencies)")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("the cases of a varied log, field by field, are what the plain index read")
    func cases() throws {
        let (basePath, candidatePath) = try Self.logs()
        let golden = GoldenTests()
        try golden.check(Self.dump(try RunIndex.load(path: basePath)), "compact-base-index.txt")
        try golden.check(Self.dump(try RunIndex.load(path: candidatePath)), "compact-candidate-index.txt")
    }

    @Test("the diff of two varied logs, as Markdown and JSON, is what the plain index gave")
    func diff() throws {
        let (basePath, candidatePath) = try Self.logs()
        let indexes = try RunIndex.load(paths: [basePath, candidatePath])
        let diff = try RunDiff.make(base: indexes[0], candidate: indexes[1])
        let golden = GoldenTests()
        try golden.check(MarkdownRenderer().render(diff), "compact-diff.md")
        try golden.check(JSONRenderer().render(diff), "compact-diff.json")
        let gate = Gate.evaluate(diff)
        try golden.check(JSONRenderer().render(gate), "compact-gate.json")
    }

    @Test("the same results read from a log and built in memory give the same cases")
    func memoryAndLog() throws {
        let (basePath, _) = try Self.logs()
        let loaded = try RunIndex.load(path: basePath)
        let made = RunIndex.make(manifest: Self.manifest(label: "v1"), results: Self.results(candidate: false))
        #expect(loaded.cases == made.cases)
        #expect(loaded.latencies == made.latencies)
        #expect(loaded.resultCounts == made.resultCounts)
    }
}
