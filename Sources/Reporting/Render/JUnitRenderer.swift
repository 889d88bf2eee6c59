import EvalCore

/// JUnit XML for CI test tabs: one `<testsuite>` per (version, suite), golden suites first, one `<testcase>` per eval
/// case, a failure carrying the broken rules and their evidence, an error carrying the endpoint's error class, an
/// unchecked case (answered, judged by no check) as skipped, never as passed. Nothing is cut.
public struct JUnitRenderer: Sendable {
    /// Show PII in evidence unmasked (secrets stay masked).
    public var showPII: Bool

    public init(showPII: Bool = false) {
        self.showPII = showPII
    }

    public func render(_ summary: RunSummary) -> String {
        document(name: "evalgate report: \(summary.run.label)", suites: suites(label: summary.run.label, summary.cases, note: { _ in nil }))
    }

    /// The candidate's cases, each failure saying whether it regressed since the baseline.
    public func render(_ diff: RunDiff, gate: GateResult? = nil) -> String {
        let regressed = Set(diff.regressed.map(\.key))
        let still = Set(diff.stillFailing.map(\.key))
        var all = suites(label: diff.candidate.label, diff.candidateCases) { outcome in
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
                suites(label: comparison.versions[index].label, cases, note: { _ in nil })
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

    func suites(label: String, _ all: [CaseOutcome], note: (CaseOutcome) -> String?) -> [Suite] {
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
                entry.body += "    <testcase classname=\"\(XML.escape("\(label).\(suite)"))\" name=\"\(XML.escape(outcome.caseID))\">\n"
                switch outcome.verdict {
                case .passed:
                    if outcome.isFlaky {
                        entry.body += "      <system-out>flaky: \(outcome.passedRepeats) of \(outcome.answeredRepeats) answered repeats passed</system-out>\n"
                    }
                case .failed:
                    entry.failures += 1
                    let rules = outcome.failingRules.joined(separator: ", ")
                    var lines = outcome.evidence.map { evidence -> String in
                        let shown = PIIMask.apply(evidence, showPII: showPII)
                        var line = shown.rule
                        if let span = shown.span { line += " at \(span)" }
                        if let text = shown.text { line += ": \"\(text)\"" }
                        return line + " — " + shown.message
                    }
                    if let note = note(outcome) { lines.append(note) }
                    if outcome.isFlaky { lines.append("flaky: \(outcome.passedRepeats) of \(outcome.answeredRepeats) answered repeats passed") }
                    let first = outcome.evidence.first.map { PIIMask.apply($0, showPII: showPII).message } ?? "failed"
                    entry.body += "      <failure type=\"\(XML.escape(rules))\" message=\"\(XML.escape(first))\">"
                        + XML.escape(lines.joined(separator: "\n")) + "</failure>\n"
                case .unchecked:
                    entry.skipped += 1
                    entry.body += "      <skipped message=\"unchecked: answered, judged by no check\"/>\n"
                case .error:
                    entry.errors += 1
                    let classes = outcome.errorClasses.joined(separator: ", ")
                    entry.body += "      <error type=\"\(XML.escape(classes))\" message=\"no answer from the endpoint: \(XML.escape(classes))\"/>\n"
                }
                entry.body += "    </testcase>\n"
                index += 1
            }
            result.append(entry)
        }
        return result
    }

    func gateSuite(_ gate: GateResult) -> Suite {
        var suite = Suite(name: "evalgate gate", tests: 0, failures: 0, errors: 0, body: "")
        for check in gate.checks {
            suite.tests += 1
            suite.body += "    <testcase classname=\"evalgate.gate\" name=\"\(XML.escape(check.code))\">\n"
            if !check.passed, check.level == .warn {
                suite.body += "      <system-out>\(XML.escape("warning: " + ([check.message] + check.cases).joined(separator: "\n")))</system-out>\n"
            } else if !check.passed {
                if check.infrastructure {
                    suite.errors += 1
                    suite.body += "      <error type=\"\(XML.escape(check.code))\" message=\"\(XML.escape(check.message))\"/>\n"
                } else {
                    suite.failures += 1
                    suite.body += "      <failure type=\"\(XML.escape(check.code))\" message=\"\(XML.escape(check.message))\">"
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
        out += "<testsuites name=\"\(XML.escape(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for suite in suites {
            out += "  <testsuite name=\"\(XML.escape(suite.name))\" tests=\"\(suite.tests)\" failures=\"\(suite.failures)\" errors=\"\(suite.errors)\" skipped=\"\(suite.skipped)\">\n"
            out += suite.body
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }
}

enum XML {
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
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
