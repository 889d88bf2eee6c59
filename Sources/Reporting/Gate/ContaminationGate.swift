public import EvalCore

/// The gate's `contamination.cases` rule, from the JSON report `evalgate contamination --format json` wrote.
public enum ContaminationGate {
    /// At most `maxCases` eval cases found in the training data. The report must have checked the suites as the
    /// candidate ran them (the same content hash): a report of other eval sets is missing evidence, exit 3.
    public static func check(
        _ report: ContaminationReport, maxCases: Int, candidate: RunManifest, level: RuleLevel = .fail
    ) -> GateCheck {
        let checked = Dictionary(
            report.suites.map { ($0.name, $0.contentHash) }, uniquingKeysWith: { first, _ in first })
        let unchecked = candidate.suites.filter { checked[$0.name] != $0.contentHash }.map { suite in
            checked[suite.name] == nil
                ? "suite '\(suite.name)' is not in the contamination report"
                : "suite '\(suite.name)' is not the one the contamination report checked (content hash \(suite.contentHash.prefix(12)) in the run, \(checked[suite.name]!.prefix(12)) in the report)"
        }
        let files = report.training.map(\.path).joined(separator: ", ")
        guard unchecked.isEmpty else {
            return GateCheck(
                code: "contamination.cases", passed: false, infrastructure: true, level: level,
                message:
                    "the contamination report does not cover the candidate's eval sets: rerun evalgate contamination on them",
                cases: unchecked)
        }
        let ran = report.cases.filter { entry in candidate.suite(named: entry.suite) != nil }
        // Golden cases first, as every gate listing has them.
        let found =
            ran.filter { candidate.suite(named: $0.suite)?.kind == .golden }
            + ran.filter { candidate.suite(named: $0.suite)?.kind != .golden }
        let passed = found.count <= maxCases
        return GateCheck(
            code: "contamination.cases", passed: passed, level: level,
            message: found.isEmpty
                ? "no eval case found in the training data (\(files))"
                : "\(Format.plural(found.count, "eval case")) found in the training data (\(files)), at most \(maxCases) allowed",
            cases: found.map { entry in
                "\(entry.suite)/\(entry.caseID): "
                    + entry.matches.map(ContaminationReport.describe).joined(separator: "; ")
            },
            goldenCases: found.count { entry in candidate.suite(named: entry.suite)?.kind == .golden })
    }
}
