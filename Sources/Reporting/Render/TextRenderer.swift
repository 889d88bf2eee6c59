import EvalCore
import Foundation

/// The plain-text summary a terminal or a CI log shows: the counts and pass rate, the gate's verdict when there is
/// one, then the cases that need a look — golden first and all of them, the others up to `maxCases` per list — each
/// with its rule, where the finding is (line:column), its message and the answer around it (the match between `⟦`
/// and `⟧`). Colour (`color`) only marks what the words already say; the caller turns it on for a terminal only, and
/// never with `NO_COLOR`. The models come masked (`--show-pii` aside), so the excerpts are too.
public struct TextRenderer: Sendable {
    public var color: Bool
    public var maxCases: Int
    /// Findings shown per case.
    public static let evidencePerCase = 3

    public init(color: Bool = false, maxCases: Int = 10) {
        self.color = color
        self.maxCases = maxCases
    }

    /// Whether a summary written to `fileDescriptor` should be coloured: a terminal, `NO_COLOR` unset (any value,
    /// even empty, turns colour off, as no-color.org asks), and `TERM` not `dumb`.
    public static func wantsColor(fileDescriptor: Int32, environment: [String: String]) -> Bool {
        environment["NO_COLOR"] == nil && environment["TERM"] != "dumb" && isatty(fileDescriptor) == 1
    }

    // MARK: report

    public func render(_ summary: RunSummary) -> String {
        var out: [String] = []
        let total = summary.total
        out.append(
            bold(Excerpt.flat("evalgate report: \(summary.run.label)")) + Excerpt.flat(" (model \(summary.run.model))"))
        var counts =
            "\(Format.percent(total.rate)) of \(Format.plural(total.passed + total.failed, "answered case")) passed"
            + " (95% CI \(Format.interval(total.interval))) · \(paint(total.failed > 0 ? .red : .green, "\(total.failed) failed"))"
            + " · \(total.passed) passed · \(Format.plural(total.errors, "error"))"
        if total.unchecked > 0 { counts += " · \(total.unchecked) unchecked" }
        if !summary.flaky.isEmpty { counts += " · \(summary.flaky.count) flaky" }
        out.append(counts)
        if !summary.kinds.isEmpty {
            out.append(
                "by kind: "
                    + summary.kinds.map {
                        "\($0.name) \(Format.percent($0.rate)) (\($0.passed)/\($0.passed + $0.failed))"
                    }.joined(separator: " · "))
        }
        for warning in summary.warnings { out.append(paint(.yellow, "warning: ") + Excerpt.flat(warning)) }
        list(
            &out, "Failed",
            summary.failed.map { report in
                Item(
                    golden: report.kind == .golden, head: "\(report.suite)/\(report.caseID)", kind: report.kind,
                    rules: report.rules, evidence: report.evidence)
            })
        list(
            &out, "Errors",
            summary.errored.map { report in
                Item(
                    golden: report.kind == .golden, head: "\(report.suite)/\(report.caseID)", kind: report.kind,
                    error: errorLine(report.errorClasses, report.errorMessage))
            })
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: diff and gate

    public func render(_ diff: RunDiff) -> String {
        var out: [String] = []
        out.append(bold(Excerpt.flat("evalgate diff: \(diff.base.label) → \(diff.candidate.label)")))
        diffBody(&out, diff)
        return out.joined(separator: "\n") + "\n"
    }

    /// The gate's verdict and reasons (as `GateResult.text`), then the diff's counts and cases.
    public func render(_ gate: GateResult, diff: RunDiff) -> String {
        // Control characters dropped here too: a reason quotes findings, which quote model text.
        var verdict = gate.text().split(separator: "\n", omittingEmptySubsequences: false).map {
            Excerpt.flat(String($0))
        }
        if verdict.last == "" { verdict.removeLast() }
        if let first = verdict.first {
            let shade: Shade = gate.exitCode == 0 ? .green : (gate.exitCode == 1 ? .red : .yellow)
            verdict[0] = paint(shade, first)
        }
        var out = verdict
        out.append("")
        diffBody(&out, diff)
        return out.joined(separator: "\n") + "\n"
    }

    func diffBody(_ out: inout [String], _ diff: RunDiff) {
        let total = diff.total
        var counts = [
            paint(diff.regressed.isEmpty ? .green : .red, "\(diff.regressed.count) regressed"),
            "\(diff.fixed.count) fixed",
            Format.plural(diff.newFindings.count, "new finding"), "\(diff.stillFailing.count) still failing",
        ]
        if !diff.flaky.isEmpty { counts.append("\(diff.flaky.count) flaky") }
        if !diff.errored.isEmpty { counts.append(Format.plural(diff.errored.count, "error")) }
        out.append(
            counts.joined(separator: " · ") + " on \(Format.plural(total.paired, "paired case"))")
        out.append(
            "pass rate \(Format.percent(total.base.rate)) → \(Format.percent(total.candidate.rate)) (\(Format.points(total.delta)); "
                + "95% CI \(Format.pointsInterval(total.bootstrap)); McNemar \(Format.pClause(total.pValue)))")
        for warning in diff.warnings { out.append(paint(.yellow, "warning: ") + Excerpt.flat(warning)) }
        if let forgetting = diff.forgetting, forgetting.detected {
            out.append(paint(.yellow, Excerpt.flat(forgetting.summary)))
        }
        list(
            &out, "Regressed",
            diff.regressed.map { change in
                Item(
                    golden: change.kind == .golden, head: "\(change.suite)/\(change.caseID)", kind: change.kind,
                    rules: change.candidate?.rules ?? [], evidence: change.evidence)
            })
        list(
            &out, "New PII and promise findings",
            diff.newFindings.map { finding in
                Item(
                    golden: finding.kind == .golden, head: "\(finding.suite)/\(finding.caseID)", kind: finding.kind,
                    evidence: [finding.evidence],
                    note:
                        "in \(finding.repeats) of \(finding.answeredRepeats) answers, none of the baseline's \(finding.baseAnsweredRepeats)"
                )
            })
        list(
            &out, "Still failing, golden",
            diff.stillFailing.filter { $0.kind == .golden }.map { change in
                Item(
                    golden: true, head: "\(change.suite)/\(change.caseID)", kind: change.kind,
                    rules: change.candidate?.rules ?? [], evidence: change.evidence)
            })
        list(
            &out, "Errors",
            diff.errored.map { change in
                let side = change.candidate?.verdict == .error ? change.candidate : change.base
                let which = change.candidate?.verdict == .error ? diff.candidate.label : diff.base.label
                return Item(
                    golden: change.kind == .golden, head: "\(change.suite)/\(change.caseID)", kind: change.kind,
                    error: "in \(which): " + errorLine(side?.errorClasses ?? [], side?.errorMessage))
            })
    }

    // MARK: pieces

    /// A case as the summary lists it.
    struct Item {
        var golden: Bool
        var head: String
        var kind: SuiteKind
        var rules: [String] = []
        var evidence: [Evidence] = []
        var error: String?
        var note: String?
    }

    /// A titled list: golden items all, then up to `maxCases` others, and a line saying how many it left out.
    func list(_ out: inout [String], _ title: String, _ items: [Item]) {
        guard !items.isEmpty else { return }
        let golden = items.filter(\.golden)
        let shown = golden + items.filter { !$0.golden }.prefix(max(0, maxCases))
        out.append("")
        out.append(bold("\(title) (\(items.count))"))
        for item in shown {
            var head =
                "  " + paint(item.error == nil ? .red : .yellow, Excerpt.flat(item.head)) + " (\(item.kind.rawValue))"
            if let note = item.note { head += " — " + Excerpt.flat(note) }
            if let error = item.error { head += ": " + Excerpt.flat(error) }
            if item.evidence.isEmpty, !item.rules.isEmpty {
                head += ": " + Excerpt.flat(item.rules.joined(separator: ", "))
            }
            out.append(head)
            var startShown = false
            for evidence in item.evidence.prefix(Self.evidencePerCase) {
                var line = "      " + Excerpt.flat(evidence.rule)
                if let location = evidence.location { line += " at \(location)" }
                out.append(line + ": " + Excerpt.flat(evidence.message))
                guard let excerpt = evidence.excerpt else { continue }
                if evidence.position == nil, excerpt.match.isEmpty {
                    if startShown { continue }
                    startShown = true
                    out.append("        answer begins: " + excerptLine(excerpt))
                } else {
                    out.append("        answer: " + excerptLine(excerpt))
                }
            }
        }
        let hidden = items.count - shown.count
        if hidden > 0 { out.append("  … and \(hidden) more (none golden): --format md, json or html for all") }
    }

    func excerptLine(_ excerpt: Excerpt) -> String {
        color ? excerpt.line(open: "\u{1B}[7m⟦", close: "⟧\u{1B}[0m") : excerpt.line()
    }

    func errorLine(_ classes: [String], _ message: String?) -> String {
        classes.joined(separator: ", ") + (message.map { " — " + $0 } ?? "")
    }

    enum Shade: String {
        case red = "31"
        case green = "32"
        case yellow = "33"
    }

    func paint(_ shade: Shade, _ text: String) -> String {
        color ? "\u{1B}[\(shade.rawValue)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String {
        color ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }
}
