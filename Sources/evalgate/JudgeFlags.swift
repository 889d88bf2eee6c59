import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `--allow-different-judges` of `diff` and `gate`.
struct JudgeFlags: ParsableArguments {
    @Flag(name: .long, help: "Compare runs whose judge checks were judged by different judges (another model or rubric).")
    var allowDifferentJudges = false

    /// Refuses (exit 2) runs judged by different judges unless allowed; allowed, the difference is a warning.
    func check(base: RunIndex, candidate: RunIndex) throws {
        guard let difference = JudgeTrust.difference(base: base.manifest, candidate: candidate.manifest) else { return }
        guard allowDifferentJudges else {
            throw CLIError.usage("\(difference); --allow-different-judges compares them anyway").report()
        }
        FileHandle.standardError.write(Data("evalgate: warning: \(difference) (compared as asked)\n".utf8))
    }
}
