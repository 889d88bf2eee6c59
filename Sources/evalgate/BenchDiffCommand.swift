import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `evalgate bench-diff`: how long `diff` takes on two large run logs and how much memory it needs.
struct BenchDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-diff",
        abstract: "Measure diff + Markdown and HTML render time and peak memory on two synthetic run logs.",
        shouldDisplay: false
    )

    @Option(name: .long, help: "Cases per log.")
    var cases: Int = 100_000

    @Option(name: .long, help: "Keep the generated logs in this folder instead of a temporary one.")
    var folder: String?

    func validate() throws {
        guard cases >= 10, cases <= 5_000_000 else {
            throw ValidationError("--cases expects 10 to 5000000, found \(cases)")
        }
    }

    func run() throws {
        let directory =
            folder
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("evalgate-bench-diff-\(ProcessInfo.processInfo.processIdentifier)").path
        let basePath = directory + "/base.jsonl"
        let candidatePath = directory + "/candidate.jsonl"
        let generateStart = ContinuousClock.now
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: basePath)
            try? FileManager.default.removeItem(atPath: candidatePath)
            try SyntheticLogs.write(path: basePath, label: "v1", cases: cases, candidate: false)
            try SyntheticLogs.write(path: candidatePath, label: "v2", cases: cases, candidate: true)
        } catch {
            throw CLIError.infrastructure("cannot write the synthetic logs: \(error)").report()
        }
        let generated = seconds(ContinuousClock.now - generateStart)
        let size = (try? FileManager.default.attributesOfItem(atPath: basePath)[.size] as? Int) ?? 0
        print(
            "evalgate bench-diff — 2 logs × \(cases) cases, \(String(format: "%.1f", Double(size) / 1_048_576)) MiB each (written in \(String(format: "%.2f", generated)) s)"
        )
        let rssBefore = BenchCommand.peakResidentMegabytes()

        let start = ContinuousClock.now
        let base: RunIndex
        let candidate: RunIndex
        do {
            let indexes = try RunIndex.load(paths: [basePath, candidatePath])
            (base, candidate) = (indexes[0], indexes[1])
        } catch {
            throw CLIError.usage(error.description).report()
        }
        let loaded = ContinuousClock.now
        let diff: RunDiff
        do {
            diff = try RunDiff.make(base: base, candidate: candidate)
        } catch {
            throw CLIError.usage("\(error)").report()
        }
        let diffed = ContinuousClock.now
        let markdown = MarkdownRenderer().render(diff)
        let end = ContinuousClock.now
        // The HTML page reads both logs once more for the answers of the cases it lists.
        let renderer = HTMLRenderer()
        let keys = renderer.listedKeys(diff)
        let html: String
        do {
            html = renderer.render(
                diff, base: try Transcripts.load(path: basePath, keys: keys),
                candidate: try Transcripts.load(path: candidatePath, keys: keys))
        } catch {
            throw CLIError.usage(error.description).report()
        }
        let rendered = ContinuousClock.now
        print("read both logs (2 threads) \(String(format: "%6.3f", seconds(loaded - start))) s")
        print("diff                      \(String(format: "%6.3f", seconds(diffed - loaded))) s")
        print(
            "markdown                  \(String(format: "%6.3f", seconds(end - diffed))) s  (\(markdown.utf8.count) bytes)"
        )
        print(
            "html (answers re-read)    \(String(format: "%6.3f", seconds(rendered - end))) s  (\(html.utf8.count) bytes, \(keys.count) cases listed)"
        )
        print("total                     \(String(format: "%6.3f", seconds(rendered - start))) s")
        print(
            "peak RSS                  \(String(format: "%6.1f", BenchCommand.peakResidentMegabytes())) MiB (\(String(format: "%.1f", rssBefore)) MiB before reading)"
        )
        print("regressed \(diff.regressed.count), fixed \(diff.fixed.count), new findings \(diff.newFindings.count)")
        if folder == nil { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// Two run logs shaped like real ones: 3 suites (golden, eval, base), about 5 checks per case, 300-character
/// answers, PII and promise findings on a few percent of the failures, and a candidate that regresses about 3% of
/// the cases and fixes about 4%.
enum SyntheticLogs {
    static let suites: [(name: String, kind: SuiteKind, share: Int)] = [
        ("support-golden", .golden, 5), ("support-eval", .eval, 75), ("base-skills", .base, 20),
    ]
    static let tags = ["refunds", "delivery", "prices", "privacy", "tone", "format", "arithmetic", "extraction"]
    static let answer = String(
        repeating: "Здравствуйте! Ваш заказ передан в службу доставки. Статус можно смотреть в личном кабинете. ",
        count: 4
    ).prefix(300).description

    static func write(path: String, label: String, cases: Int, candidate: Bool) throws {
        let counts = suites.map { cases * $0.share / 100 }
        let adjusted = counts.enumerated().map {
            $0.offset == 0 ? $0.element + cases - counts.reduce(0, +) : $0.element
        }
        let manifest = RunManifest(
            runID: "bench-\(label)", toolVersion: EvalgateVersion.current,
            target: RunTarget(label: label, model: "support-\(label)", baseURL: "http://127.0.0.1:8000/v1"),
            suites: zip(suites, adjusted).map {
                SuiteReference(
                    name: $0.0.name, kind: $0.0.kind, contentHash: String(repeating: "a", count: 64), caseCount: $0.1,
                    path: "EvalSets/\($0.0.name)")
            },
            scorerVersion: "bench", repeats: 1, startedAt: "2026-11-26T12:00:00Z"
        )
        try writeLog(path: path, manifest: manifest, endedAt: "2026-11-26T13:00:00Z") { append in
            for (suite, count) in zip(suites, adjusted) {
                for number in 0..<count {
                    try append(self.result(suite: suite.name, kind: suite.kind, number: number, candidate: candidate))
                }
            }
        }
    }

    /// Writes a complete run log: `manifest`, the results `produce` appends (in 1 MiB writes), and a session end
    /// that counts them.
    static func writeLog(
        path: String, manifest: RunManifest, endedAt: String,
        _ produce: (_ append: (CaseResult) throws -> Void) throws -> Void
    ) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CLIError.infrastructure("cannot create '\(path)'")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        buffer += RunLog.encode(.manifest(manifest))
        var counter = StatusCounts()
        var results = 0
        try produce { result in
            switch result.status {
            case .passed: counter.passed += 1
            case .failed: counter.failed += 1
            case .error: counter.errors += 1
            case .unchecked: counter.unchecked += 1
            }
            results += 1
            buffer += RunLog.encode(.result(result))
            if buffer.count > 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer += RunLog.encode(
            .end(
                RunEnd(
                    endedAt: endedAt, outcome: .complete, results: results, passed: counter.passed,
                    failed: counter.failed, errors: counter.errors, requests: results)))
        try handle.write(contentsOf: buffer)
    }

    static func result(suite: String, kind: SuiteKind, number: Int, candidate: Bool) -> CaseResult {
        // A fixed hash of the case number decides its fate, the same way in both logs.
        var hash =
            UInt64(truncatingIfNeeded: number) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: suite.utf8.count)
        hash ^= hash >> 29
        let roll = Int(hash % 1000)
        var fails = roll < 150
        if candidate, roll >= 150, roll < 180 { fails = true }  // 3% regressed
        if candidate, roll < 40 { fails = false }  // 4% fixed
        let errors = candidate ? roll == 999 || roll == 998 : roll == 999
        let id = "case-\(number)"
        let tags = [tags[number % tags.count], tags[(number / 7) % tags.count]]
        if errors {
            return CaseResult(
                suite: suite, kind: kind, caseID: id, caseHash: "h\(number)", repeatIndex: 0, tags: tags,
                status: .error,
                error: ErrorRecord(errorClass: "timeout_total", message: "request timed out after 600 s", attempts: 3),
                finishedAt: "2026-11-26T12:30:00Z")
        }
        var checks = [
            CheckRecord(type: "language", passed: true), CheckRecord(type: "length", passed: true),
            CheckRecord(type: "no-markdown", passed: true),
        ]
        if fails {
            if roll % 3 == 0 {
                checks.append(
                    CheckRecord(
                        type: "pii", passed: false,
                        findings: [
                            Finding(
                                ruleID: "pii.phone", message: "discloses a phone number '+79161234567'",
                                span: TextSpan(start: 40, end: 52), text: "+79161234567")
                        ]))
            } else {
                checks.append(CheckRecord(type: "pii", passed: true))
            }
            checks.append(
                CheckRecord(
                    type: "promises", passed: false,
                    findings: [
                        Finding(
                            ruleID: "promise.deadline.within_period", message: "promises a deadline 'за 3 дня'",
                            span: TextSpan(start: 10, end: 25), text: "за 3 дня")
                    ]))
        } else {
            checks += [CheckRecord(type: "pii", passed: true), CheckRecord(type: "promises", passed: true)]
        }
        return CaseResult(
            suite: suite, kind: kind, caseID: id, caseHash: "h\(number)", repeatIndex: 0, tags: tags,
            status: fails ? .failed : .passed, checks: checks,
            response: ResponseRecord(
                content: answer, finishReason: "stop", model: "support", promptTokens: 120 + number % 50,
                completionTokens: 80 + number % 40 + (candidate ? 5 : 0),
                latencyMs: Double(400 + number % 700) + (candidate ? 20 : 0),
                attempts: 1),
            finishedAt: "2026-11-26T12:30:00Z")
    }
}
