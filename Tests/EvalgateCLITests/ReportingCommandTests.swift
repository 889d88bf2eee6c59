import Foundation
import Testing

/// `evalgate report`, `diff`, `compare` and `gate` as a user runs them: outputs, files and exit codes.
@Suite struct ReportingCommandTests {
    /// A run log of one golden and one eval suite, written as `evalgate run` writes it; `failing` case ids fail
    /// (with a phone number), `errors` ids errored, `truncated` ids were cut off by the token limit, `unchecked` ids
    /// were judged by no check. `params` is the target's params as JSON.
    static func log(
        _ label: String, in folder: String, failing: Set<String> = [], errors: Set<String> = [],
        goldenHash: String = "gh", drop: Int = 0,
        params: String = "{}", truncated: Set<String> = [], unchecked: Set<String> = []
    ) throws -> String {
        let cases =
            [("golden", "golden", "g1"), ("golden", "golden", "g2")] + (1...20).map { ("eval", "eval", "e\($0)") }
        var lines = [
            #"{"record":"manifest","format":1,"run_id":"r-\#(label)","tool":"evalgate","tool_version":"0.1.0","#
                + #""target":{"label":"\#(label)","model":"m","base_url":"http://127.0.0.1:1/v1","params":\#(params)},"#
                + #""suites":[{"name":"golden","kind":"golden","content_hash":"\#(goldenHash)","case_count":2,"path":"EvalSets/golden"},"#
                + #"{"name":"eval","kind":"eval","content_hash":"eh","case_count":20,"path":"EvalSets/eval"}],"#
                + #""scorer_version":"s1","repeats":1,"started_at":"2026-11-26T12:00:00Z"}"#
        ]
        for (suite, kind, id) in cases.dropLast(drop) {
            let head =
                #"{"record":"result","suite":"\#(suite)","kind":"\#(kind)","case":"\#(id)","case_hash":"h-\#(id)","repeat":0,"tags":["t"],"finished_at":"2026-11-26T12:00:01Z","#
            if errors.contains(id) {
                lines.append(
                    head
                        + #""status":"error","checks":[],"error":{"class":"http_500","message":"HTTP 500","attempts":3}}"#
                )
            } else if failing.contains(id) {
                lines.append(
                    head
                        + #""status":"failed","checks":[{"type":"pii","passed":false,"findings":[{"rule":"pii.phone","message":"discloses a phone number '+79161234567'","span":{"start":0,"end":12},"text":"+79161234567"}]}],"response":{"content":"+79161234567","latency_ms":12.5,"attempts":1,"cached":false}}"#
                )
            } else {
                let checks = unchecked.contains(id) ? "[]" : #"[{"type":"pii","passed":true}]"#
                let finish = truncated.contains(id) ? "length" : "stop"
                lines.append(
                    head
                        + #""status":"passed","checks":\#(checks),"response":{"content":"ok","finish_reason":"\#(finish)","latency_ms":10,"attempts":1,"cached":false,"prompt_tokens":5,"completion_tokens":2}}"#
                )
            }
        }
        let path = folder + "/\(label).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-reportcli-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func reportPrintsMarkdownAndWritesJSON() throws {
        let folder = try Self.folder()
        let log = try Self.log("v1", in: folder, failing: ["e3"])
        let markdown = try CLITests.run(["report", log])
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("## evalgate report: v1\n"))
        #expect(markdown.stdout.contains("`+7••••••••67`"), "PII masked by default")
        let shown = try CLITests.run(["report", log, "--show-pii"])
        #expect(shown.stdout.contains("`+79161234567`"))
        let out = folder + "/report.json"
        let json = try CLITests.run(["report", log, "--format", "json", "--out", out])
        #expect(json.status == 0 && json.stdout.isEmpty)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(object["schema"] as? String == "evalgate.report/1")
        let junit = try CLITests.run(["report", log, "--format", "junit"])
        #expect(junit.stdout.contains(#"<testsuites name="evalgate report: v1" tests="22" failures="1" errors="0">"#))
    }

    /// Piped, `report` and `diff` print Markdown (`--format md` is the same); `--format text` is the summary a
    /// terminal shows: counts, the failing cases with the answer around each finding, errors with their message.
    @Test func textSummaryAndMarkdownWhenPiped() throws {
        let folder = try Self.folder()
        let base = try Self.log("v1", in: folder, failing: ["e3"], errors: ["e9"])
        let candidate = try Self.log("v2", in: folder, failing: ["g2"])
        let markdown = try CLITests.run(["report", base])
        #expect(try CLITests.run(["report", base, "--format", "md"]).stdout == markdown.stdout)
        #expect(
            markdown.stdout.contains("| `e9` | eval | `http_500` | HTTP 500 |"),
            "errors with their message: \(markdown.stdout)")
        #expect(
            markdown.stdout.contains(
                "`+7••••••••67` at 1:1 — discloses a phone number '+7••••••••67'<br>answer: <b>+7••••••••67</b>"))
        let text = try CLITests.run(["report", base, "--format", "text"])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("evalgate report: v1 (model m)\n"), "\(text.stdout)")
        #expect(
            text.stdout.contains(
                "  eval/e3 (eval)\n      pii.phone at 1:1: discloses a phone number '+7••••••••67'\n        answer: ⟦+7••••••••67⟧\n"
            ))
        #expect(text.stdout.contains("  eval/e9 (eval): http_500 — HTTP 500"))
        #expect(!text.stdout.contains("\u{1B}"), "no colour into a pipe")
        let diff = try CLITests.run(["diff", base, candidate, "--format", "text"])
        #expect(diff.stdout.contains("Regressed (1)\n  golden/g2 (golden)\n"), "\(diff.stdout)")
        let compare = try CLITests.run(["compare", base, candidate, "--format", "text"])
        #expect(compare.status == 2)
        #expect(compare.stderr.contains("compare has no plain-text summary"), "\(compare.stderr)")
    }

    @Test func diffAndCompare() throws {
        let folder = try Self.folder()
        let base = try Self.log("v1", in: folder, failing: ["e3"])
        let candidate = try Self.log("v2", in: folder, failing: ["g2"])
        let diff = try CLITests.run(["diff", base, candidate])
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("**1 regressed · 1 fixed · 1 new finding**"), "\(diff.stdout)")
        let compare = try CLITests.run(["compare", base, candidate, "--format", "json"])
        #expect(compare.status == 0)
        #expect(compare.stdout.contains(#""schema" : "evalgate.compare/1""#))
    }

    @Test func htmlReportsAndTheTrendChart() throws {
        let folder = try Self.folder()
        let base = try Self.log("ckpt-1000", in: folder, failing: ["e3"])
        let middle = try Self.log("ckpt-100", in: folder, failing: ["e4"])
        let candidate = try Self.log("ckpt-200", in: folder, failing: ["g2"])
        let out = folder + "/diff.html"
        let diff = try CLITests.run(["diff", middle, candidate, "--format", "html", "--out", out])
        #expect(diff.status == 0 && diff.stdout.isEmpty, "\(diff.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<mark title=\"pii.phone\"><span class=\"masked\">+7••••••••67</span></mark>"))
        #expect(!html.contains("+79161234567"))
        let shown = try CLITests.run(["diff", middle, candidate, "--format", "html", "--show-pii"])
        #expect(shown.stdout.contains("<mark title=\"pii.phone\">+79161234567</mark>"))
        let gate = try CLITests.run(["gate", middle, candidate, "--format", "html"])
        #expect(gate.status == 1)
        #expect(gate.stdout.contains("<h2>Gate: FAIL</h2>"), "stdout is the HTML report")
        #expect(gate.stderr.contains("evalgate gate: FAIL"), "the verdict goes to stderr")
        let report = try CLITests.run(["report", candidate, "--format", "html"])
        #expect(report.status == 0 && report.stdout.contains("<h1>evalgate report: ckpt-200</h1>"))

        // compare: natural order by default, the trend as SVG beside the Markdown, linked from it.
        let markdown = folder + "/trend.md"
        let compare = try CLITests.run(["compare", base, middle, candidate, "--out", markdown])
        #expect(compare.status == 0, "\(compare.stderr)")
        let text = try String(contentsOfFile: markdown, encoding: .utf8)
        #expect(text.hasPrefix("## evalgate compare: ckpt-100, ckpt-200, ckpt-1000\n"))
        #expect(text.contains("](trend.svg)"))
        let svg = try String(contentsOfFile: folder + "/trend.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let given = try CLITests.run(["compare", base, middle, candidate, "--order", "given"])
        #expect(given.stdout.hasPrefix("## evalgate compare: ckpt-1000, ckpt-100, ckpt-200\n"))
        let html2 = try CLITests.run(["compare", base, middle, candidate, "--format", "html"])
        #expect(html2.stdout.contains("<svg viewBox="))
        let bad = try CLITests.run(["compare", base, middle, "--order", "sideways"])
        #expect(bad.status == 2)
    }

    @Test func gateExitCodes() throws {
        let folder = try Self.folder()
        let base = try Self.log("v1", in: folder)
        let same = try CLITests.run(["gate", base, try CLITests.rerun(base)])
        #expect(same.status == 0)
        #expect(same.stdout.hasPrefix("evalgate gate: PASS"))

        let regressed = try Self.log("v2", in: folder, failing: ["g2"])
        let fail = try CLITests.run(["gate", base, regressed, "--out", folder + "/gate.md"])
        #expect(fail.status == 1)
        #expect(
            fail.stdout.hasPrefix(
                "evalgate gate: FAIL — 'v2' against 'v1': golden.regression, golden.pass_rate, findings.new_pii\n"),
            "\(fail.stdout)")
        #expect(try String(contentsOfFile: folder + "/gate.md", encoding: .utf8).hasPrefix("## evalgate gate: ❌ FAIL"))

        let errored = try Self.log("v3", in: folder, errors: ["e1", "e2"])
        let infra = try CLITests.run(["gate", base, errored])
        #expect(infra.status == 3)
        #expect(infra.stdout.contains("[errors.rate]"))

        let unfinished = try Self.log("v4", in: folder, drop: 3)
        #expect(try CLITests.run(["gate", base, unfinished]).status == 3)

        let policy = folder + "/gate.yaml"
        try "golden:\n  max_regressions: 1\n  min_pass_rate: null\nfindings:\n  new_pii: allow\n".write(
            toFile: policy, atomically: true, encoding: .utf8)
        #expect(try CLITests.run(["gate", base, regressed, "--policy", policy]).status == 0)
    }

    @Test func badInputExitsTwoWithALocatedLine() throws {
        let folder = try Self.folder()
        let base = try Self.log("v1", in: folder)

        let missing = try CLITests.run(["report", folder + "/none.jsonl"])
        #expect(missing.status == 2)
        #expect(
            missing.stderr.hasPrefix("evalgate: error: \(folder)/none.jsonl: cannot open run log"), "\(missing.stderr)")

        let broken = folder + "/broken.jsonl"
        var text = try String(contentsOfFile: base, encoding: .utf8).split(separator: "\n").map(String.init)
        text[2] = text[2].replacingOccurrences(of: #""repeat":0"#, with: #""repeat":"zero""#)
        try (text.joined(separator: "\n") + "\n").write(toFile: broken, atomically: true, encoding: .utf8)
        let bad = try CLITests.run(["diff", base, broken])
        #expect(bad.status == 2)
        // path:line:column of the value at fault, and the field.
        let column = text[2].utf8.count - text[2].split(separator: #""repeat":"#, maxSplits: 1)[1].utf8.count + 1
        #expect(
            bad.stderr.hasPrefix("evalgate: error: \(broken):3:\(column): field \"repeat\" expected an integer"),
            "\(bad.stderr)")

        let changed = try Self.log("v2", in: folder, goldenHash: "other")
        let refused = try CLITests.run(["diff", base, changed])
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains(
                "'v1' and 'v2' are not comparable, their runs differ in 1 setting: suites.golden: "),
            "\(refused.stderr)")
        #expect(try CLITests.run(["diff", base, changed, "--allow-changed-sets"]).status == 0)
        #expect(try CLITests.run(["diff", base, changed, "--allow-differences", "suites"]).status == 0)

        let policy = folder + "/gate.yaml"
        try "golden:\n  max_regresions: 1\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let typo = try CLITests.run(["gate", base, try CLITests.rerun(base), "--policy", policy])
        #expect(typo.status == 2)
        #expect(
            typo.stderr.hasPrefix(
                "evalgate: error: \(policy):2:3: unknown field \"golden.max_regresions\"; did you mean 'max_regressions'?"
            ),
            "\(typo.stderr)")

        let format = try CLITests.run(["report", base, "--format", "pdf"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("html"), "the formats are listed: \(format.stderr)")
    }
    @Test func negativeTopRulesIsAUsageErrorNotACrash() throws {
        let folder = try Self.folder()
        let log = try Self.log("v1", in: folder, failing: ["e3"])
        let negative = try CLITests.run(["report", log, "--top-rules=-1"])
        #expect(negative.status == 2, "\(negative.stderr)")
        #expect(negative.stderr.contains("--top-rules expects 0 or more, found -1"), "\(negative.stderr)")
        let none = try CLITests.run(["report", log, "--top-rules", "0"])
        #expect(none.status == 0)
        #expect(!none.stdout.contains("Top failing rules"))
    }

    @Test func outCreatesItsFolderAndNamesTheSystemReason() throws {
        let folder = try Self.folder()
        let log = try Self.log("v1", in: folder, failing: ["e3"])
        let nested = folder + "/reports/ci/report.md"
        let written = try CLITests.run(["report", log, "--out", nested])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try String(contentsOfFile: nested, encoding: .utf8).hasPrefix("## evalgate report: v1\n"))

        let intoFolder = try CLITests.run(["report", log, "--out", folder])
        #expect(intoFolder.status == 2)
        #expect(
            intoFolder.stderr == "evalgate: error: --out: cannot write '\(folder)': Is a directory\n",
            "\(intoFolder.stderr)")

        let underFile = try CLITests.run(["report", log, "--out", log + "/report.md"])
        #expect(underFile.status == 2)
        #expect(underFile.stderr.contains("'\(log)' is not a folder"), "\(underFile.stderr)")
    }
}
