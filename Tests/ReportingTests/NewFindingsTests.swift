import EvalCore
import Foundation
import Reporting
import Testing

/// A finding is "new" only against a baseline answer to the same case.
@Suite("New findings need a baseline answer to compare with")
struct NewFindingsTests {
    func diff(base: [CaseResult]) throws -> RunDiff {
        let baseIndex = RunIndex.make(manifest: Fixtures.manifest(label: "v1"), results: base)
        let candidate = RunIndex.make(manifest: Fixtures.manifest(label: "v3"), results: Fixtures.results("v3"))
        return try RunDiff.make(base: baseIndex, candidate: candidate)
    }

    @Test("a promise the baseline's answer did not have is new")
    func answeredBaseline() throws {
        let result = try diff(base: Fixtures.results("v1"))
        #expect(result.newFindings.map(\.caseID) == ["e3"])
    }

    @Test("against a baseline that errored on the case, or never ran it, nothing is called new")
    func noBaselineAnswer() throws {
        var errored = Fixtures.results("v1")
        for index in errored.indices where errored[index].caseID == "e3" {
            errored[index].status = .error
            errored[index].checks = []
            errored[index].response = nil
            errored[index].error = ErrorRecord(errorClass: "http_500", message: "HTTP 500", status: 500, attempts: 3)
        }
        #expect(try diff(base: errored).newFindings.isEmpty)
        let missing = Fixtures.results("v1").filter { $0.caseID != "e3" }
        let result = try diff(base: missing)
        #expect(result.newFindings.isEmpty)
        #expect(result.missing.map(\.caseID) == ["e3"], "the case is listed as missing instead")
    }
}

@Suite("Gate policy: empty sections")
struct GatePolicyEmptySectionTests {
    @Test("a section left empty keeps its defaults")
    func emptySection() {
        let (policy, diagnostics) = GatePolicy.parse("version: 1\neval:\ngolden:\n  max_regressions: 2\n", path: "gate.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(policy?.evalMinPassRate == 0.8)
        #expect(policy?.goldenMaxRegressions == 2)
    }
}
