import EvalCore
import Foundation

/// JUnit XML for CI test tabs: one `<testsuite>` per (version, suite), golden suites first, one `<testcase>` per eval
/// case, a failure carrying the broken rules and their evidence (each placed as line:column) and, in `<system-out>`,
/// the prompt's last user message and the answer around each finding; an error carrying the endpoint's error class
/// and message; an unchecked case (answered, judged by no check) as skipped, never as passed. Nothing is cut but the
/// prompt (`maximumPrompt` characters) and the answer (an excerpt per finding).
public struct JUnitRenderer: Sendable {
    /// Show PII in evidence unmasked (secrets stay masked).
    public var showPII: Bool
    /// The longest prompt message shown in `<system-out>`, in characters.
    public static let maximumPrompt = 500

    public init(showPII: Bool = false) {
        self.showPII = showPII
    }

    /// - Parameter prompts: the prompts of the failed cases (`failedKeys`), shown beside their answers.
    public func render(_ summary: RunSummary, prompts: Prompts = Prompts()) -> String {
        document(
            name: "evalgate report: \(summary.run.label)",
            suites: suites(label: summary.run.label, summary.cases, prompts: prompts, note: { _ in nil }))
    }

    /// The failed cases, whose prompts `<system-out>` shows.
    public func failedKeys(_ cases: [CaseOutcome]) -> Set<CaseKey> {
        Set(cases.lazy.filter { $0.verdict == .failed }.map(\.key))
    }

    /// The candidate's cases, each failure saying whether it regressed since the baseline.
    public func render(_ diff: RunDiff, gate: GateResult? = nil, prompts: Prompts = Prompts()) -> String {
        let regressed = Set(diff.regressed.map(\.key))
        let still = Set(diff.stillFailing.map(\.key))
        var all = suites(label: diff.candidate.label, diff.candidateCases, prompts: prompts) { outcome in
            if regressed.contains(outcome.key) { return "regressed: passed in \(diff.base.label)" }
            if still.contains(outcome.key) { return "also failed in \(diff.base.label)" }
            return nil
        }
        if let gate { all.append(gateSuite(gate)) }
        return document(name: "evalgate diff: \(diff.base.label) → \(diff.candidate.label)", suites: all)
    }

    /// Every version's cases, one group of suites per version.
    public func render(_ comparison: Comparison) -> String {
        document(
            name: "evalgate compare: " + comparison.versions.map(\.label).joined(separator: ", "),
            suites: comparison.versionCases.enumerated().flatMap { index, cases in
                suites(label: comparison.versions[index].label, cases, prompts: Prompts(), note: { _ in nil })
            })
    }

    struct Suite {
        var name: String
        var tests: Int
        var failures: Int
        var errors: Int
        var skipped = 0
        var body: String
    }

    func suites(label: String, _ all: [CaseOutcome], prompts: Prompts, note: (CaseOutcome) -> String?) -> [Suite] {
        var result: [Suite] = []
        // Golden suites first; the cases stay grouped by suite.
        let cases = all.filter { $0.kind == .golden } + all.filter { $0.kind != .golden }
        var index = 0
        while index < cases.count {
            let suite = cases[index].suite
            var entry = Suite(name: "\(label) / \(suite)", tests: 0, failures: 0, errors: 0, body: "")
            while index < cases.count, cases[index].suite == suite {
                let outcome = cases[index]
                entry.tests += 1
                entry.body +=
                    "    <testcase classname=\"\(XML.escape("\(label).\(suite)"))\" name=\"\(XML.escape(outcome.caseID))\">\n"
                switch outcome.verdict {
                case .passed:
                    if outcome.isFlaky {
                        entry.body +=
                            "      <system-out>flaky: \(outcome.passedRepeats) of \(outcome.answeredRepeats) answered repeats passed</system-out>\n"
                    }
                case .failed:
                    entry.failures += 1
                    let rules = outcome.failingRules.joined(separator: ", ")
                    let shown = outcome.evidence.map { PIIMask.apply($0, showPII: showPII) }
                    var lines = shown.map { evidence -> String in
                        var line = evidence.rule
                        if let location = evidence.location { line += " at \(location)" }
                        if let text = evidence.text { line += ": \"\(text)\"" }
                        return line + " — " + evidence.message
                    }
                    if let note = note(outcome) { lines.append(note) }
                    if outcome.isFlaky {
                        lines.append(
                            "flaky: \(outcome.passedRepeats) of \(outcome.answeredRepeats) answered repeats passed")
                    }
                    let first = shown.first?.message ?? "failed"
                    entry.body +=
                        "      <failure type=\"\(XML.escape(rules))\" message=\"\(XML.escape(first))\">"
                        + XML.escape(lines.joined(separator: "\n")) + "</failure>\n"
                    let out = systemOut(prompt: prompts.messages[outcome.key], evidence: shown)
                    if !out.isEmpty { entry.body += "      <system-out>\(XML.cdata(out))</system-out>\n" }
                case .unchecked:
                    entry.skipped += 1
                    entry.body += "      <skipped message=\"unchecked: answered, judged by no check\"/>\n"
                case .error:
                    entry.errors += 1
                    let classes = outcome.errorClasses.joined(separator: ", ")
                    entry.body +=
                        "      <error type=\"\(XML.escape(classes))\" message=\"no answer from the endpoint: \(XML.escape(classes))\""
                        + (outcome.errorMessage.map { ">\(XML.escape($0))</error>\n" } ?? "/>\n")
                }
                entry.body += "    </testcase>\n"
                index += 1
            }
            result.append(entry)
        }
        return result
    }

    /// What a reader of a failed case needs beside the rules: the prompt's last user message (cut to
    /// `maximumPrompt`), then the answer around each finding, the match between `⟦` and `⟧` (the answer's start, once,
    /// for findings without a span).
    func systemOut(prompt: [ChatMessage]?, evidence: [Evidence]) -> String {
        var lines: [String] = []
        if let message = prompt?.last(where: { $0.role == "user" }), let content = message.content {
            // Personal data the answer's `pii` findings found is masked in the prompt too (it is often the customer's
            // own, quoted back); masked whole before the cut.
            let text = PIIMask.apply(content, sensitive: evidence.flatMap(\.sensitive), showPII: showPII)
            lines.append(
                "prompt (last user message): "
                    + (text.count > Self.maximumPrompt ? String(text.prefix(Self.maximumPrompt)) + "…" : text))
        }
        var startShown = false
        for item in evidence {
            guard let excerpt = item.excerpt else { continue }
            if item.position == nil, excerpt.match.isEmpty {
                if startShown { continue }
                startShown = true
                lines.append("answer begins: " + excerpt.line())
            } else {
                lines.append("answer at \(item.location ?? "?") (\(item.rule)): " + excerpt.line())
            }
        }
        return lines.joined(separator: "\n")
    }

    func gateSuite(_ gate: GateResult) -> Suite {
        var suite = Suite(name: "evalgate gate", tests: 0, failures: 0, errors: 0, body: "")
        for check in gate.checks {
            suite.tests += 1
            suite.body += "    <testcase classname=\"evalgate.gate\" name=\"\(XML.escape(check.code))\">\n"
            if !check.passed, check.level == .warn {
                suite.body +=
                    "      <system-out>\(XML.escape("warning: " + ([check.message] + check.cases).joined(separator: "\n")))</system-out>\n"
            } else if !check.passed {
                if check.infrastructure {
                    suite.errors += 1
                    suite.body +=
                        "      <error type=\"\(XML.escape(check.code))\" message=\"\(XML.escape(check.message))\"/>\n"
                } else {
                    suite.failures += 1
                    suite.body +=
                        "      <failure type=\"\(XML.escape(check.code))\" message=\"\(XML.escape(check.message))\">"
                        + XML.escape(check.cases.joined(separator: "\n")) + "</failure>\n"
                }
            }
            suite.body += "    </testcase>\n"
        }
        return suite
    }

    func document(name: String, suites: [Suite]) -> String {
        let tests = suites.reduce(0) { $0 + $1.tests }
        let failures = suites.reduce(0) { $0 + $1.failures }
        let errors = suites.reduce(0) { $0 + $1.errors }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<testsuites name=\"\(XML.escape(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for suite in suites {
            out +=
                "  <testsuite name=\"\(XML.escape(suite.name))\" tests=\"\(suite.tests)\" failures=\"\(suite.failures)\" errors=\"\(suite.errors)\" skipped=\"\(suite.skipped)\">\n"
            out += suite.body
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }
}

enum XML {
    /// Text as a CDATA section: characters XML 1.0 cannot hold dropped, and every `]]>` split across two sections,
    /// so that no text can end the section early.
    static func cdata(_ text: String) -> String {
        var kept = ""
        kept.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars where allowed(scalar) { kept.unicodeScalars.append(scalar) }
        return "<![CDATA[" + kept.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }

    /// Whether XML 1.0 can hold the scalar: tab, line feed, carriage return, and nothing else below U+0020, nor
    /// U+FFFE or U+FFFF.
    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value >= 0x20 ? value != 0xFFFE && value != 0xFFFF : scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// Text for an attribute or element: markup characters as entities, characters XML 1.0 cannot hold dropped.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default:
                if allowed(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}
