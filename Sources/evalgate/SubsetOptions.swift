import ArgumentParser
import EvalCore
import Foundation

/// `run --suite/--case/--tag/--limit`: run some of the cases while editing a suite. A subset is logged apart, under
/// `<out>/subset/`, so that it never mixes with the logs of whole runs.
struct SubsetOptions: ParsableArguments {
    @Option(
        name: .customLong("suite"),
        help: ArgumentHelp("Run only the suite of this name (repeatable).", valueName: "name"))
    var suites: [String] = []

    @Option(
        name: .customLong("case"), help: ArgumentHelp("Run only the case of this id (repeatable).", valueName: "id"))
    var cases: [String] = []

    @Option(
        name: .customLong("tag"),
        help: ArgumentHelp("Run only cases with this tag (repeatable: any of them).", valueName: "tag"))
    var tags: [String] = []

    @Option(
        name: .long, parsing: .unconditional,
        help: ArgumentHelp(
            "Run a sample of N cases, the same N for the same suites and --seed (not the first N).", valueName: "N"))
    var limit: Int?

    var isActive: Bool { !suites.isEmpty || !cases.isEmpty || !tags.isEmpty || limit != nil }

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit expects 1 or more, found \(limit)") }
    }

    /// The suites narrowed to the selection (every suite whole when none is given); usage errors name what matched
    /// nothing, with a "did you mean".
    func select(_ suites: [LazySuite], seed: Int64?) throws -> [any CaseSource] {
        guard isActive else { return suites }
        let names = suites.map(\.name)
        for wanted in self.suites where !names.contains(wanted) {
            throw usage("--suite: no suite named '\(wanted)'", closestName(to: wanted, in: names))
        }
        let chosen = self.suites.isEmpty ? suites : suites.filter { self.suites.contains($0.name) }
        var picked: [(suite: Int, position: Int)] = []
        var foundIDs = Set<String>()
        var allIDs: [String] = []
        for (suiteIndex, suite) in chosen.enumerated() {
            for position in 0..<suite.caseCount {
                let id = suite.caseID(at: position)
                allIDs.append(id)
                if !cases.isEmpty {
                    guard cases.contains(id) else { continue }
                    foundIDs.insert(id)
                }
                if !tags.isEmpty {
                    let evalCase: EvalCase
                    do {
                        evalCase = try suite.evalCase(at: position)
                    } catch {
                        throw CLIError.usage(error.message).report()
                    }
                    guard evalCase.tags.contains(where: tags.contains) else { continue }
                }
                picked.append((suiteIndex, position))
            }
        }
        for wanted in cases where !foundIDs.contains(wanted) {
            throw usage(
                "--case: no case '\(wanted)' in \(self.suites.isEmpty ? "the suites" : "the suites chosen")",
                closestName(to: wanted, in: allIDs))
        }
        if let limit, limit < picked.count {
            // A seeded shuffle, then the plan's order again: the same sample for the same cases and seed.
            var generator = SplitMix64(seed: UInt64(bitPattern: seed ?? 0))
            let sample = Set(Array(0..<picked.count).shuffled(using: &generator).prefix(limit))
            picked = picked.indices.filter(sample.contains).map { picked[$0] }
        }
        guard !picked.isEmpty else {
            throw CLIError.usage("no case has the tag \(tags.map { "'\($0)'" }.joined(separator: " or "))").report()
        }
        return chosen.enumerated().compactMap { suiteIndex, suite in
            let positions = picked.filter { $0.suite == suiteIndex }.map(\.position)
            return positions.isEmpty ? nil : CaseSubset(suite, positions: positions, defaults: suite.defaults)
        }
    }

    private func usage(_ message: String, _ suggestion: String?) -> ExitCode {
        CLIError.usage(message + didYouMean(suggestion)).report()
    }
}
