import EvalCore
import Foundation
import Reporting
import Testing

/// Two runs are compared only when they ran with the same settings, or the differences are allowed.
@Suite("Comparable or refused")
struct ComparabilityTests {
    func index(_ manifest: RunManifest, label: String) -> RunIndex {
        RunIndex.make(manifest: manifest, results: Fixtures.results(label))
    }

    @Test("every setting that differs is named, and only the allowed kinds pass")
    func everyDifferenceNamed() throws {
        let base = Fixtures.manifest(label: "v1", repeats: 1)
        var other = Fixtures.manifest(label: "v2", scorer: "scorer-2", hashes: ["support-eval": "changed"], repeats: 3)
        other.seed = nil
        other.target.params = ["temperature": .double(0.7), "stop": .array([.string("\n")])]
        other.target.stream = true
        other.target.model = "another-model"
        other.target.baseURL = "http://elsewhere:9000/v1"
        let differences = ManifestDifference.between(base, other)
        #expect(
            differences.map(\.description) == [
                "params.stop: not set in the baseline, [\"\\n\"] in the candidate",
                "params.temperature: not set in the baseline, 0.7 in the candidate",
                "suites.support-eval: content hash hash-support in the baseline, content hash changed in the candidate",
                "scorer_version: scorer-1 in the baseline, scorer-2 in the candidate",
                "repeats: 1 in the baseline, 3 in the candidate",
                "seed: 7 in the baseline, not set in the candidate",
                "stream: false in the baseline, true in the candidate",
            ], "the label, model name and base URL are the version's identity, never a difference")
        let baseIndex = index(base, label: "v1")
        let candidate = index(other, label: "v2")
        let error = try #require(throws: DiffError.self) {
            try RunDiff.make(
                base: baseIndex, candidate: candidate, options: DiffOptions(allowedDifferences: [.params, .suites]))
        }
        #expect(error.description.contains("differ in 4 settings: scorer_version:"), "\(error)")
        #expect(
            error.description.hasSuffix("pass --allow-differences scorer,repeats,seed,stream to compare them anyway"))
        let all = try RunDiff.make(
            base: baseIndex, candidate: candidate,
            options: DiffOptions(allowedDifferences: Set(DifferenceKind.allCases)))
        #expect(all.differences.count == 7)
    }

    @Test("numbers are compared by value and an absent stream is a whole answer")
    func sameSettings() {
        var base = Fixtures.manifest(label: "v1")
        base.target.params = ["temperature": .int(0), "max_tokens": .int(700)]
        var other = Fixtures.manifest(label: "v2")
        other.target.params = ["max_tokens": .double(700), "temperature": .double(0)]
        other.target.stream = false
        #expect(ManifestDifference.between(base, other).isEmpty)
    }

    @Test("compare refuses versions run differently unless allowed, then says which")
    func compareNamesAllowedDifferences() throws {
        var manifest = Fixtures.manifest(label: "v2")
        manifest.target.params = ["temperature": .double(0.2)]
        let runs = [try Fixtures.index("v1"), RunIndex.make(manifest: manifest, results: Fixtures.results("v2"))]
        #expect(throws: DiffError.self) { try Comparison.make(runs) }
        let comparison = try Comparison.make(runs, options: DiffOptions(allowedDifferences: [.params]))
        #expect(
            comparison.warnings.first
                == "'v1' → 'v2' differ (allowed by --allow-differences): params.temperature: not set in the baseline, 0.2 in the candidate"
        )
    }
}
