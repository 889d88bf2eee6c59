import ArgumentParser
import EvalCore
import Foundation
import Scoring

/// `evalgate bench-accuracy`: precision and recall of the detectors on labelled text, per language and kind, so a team
/// can measure the promise packs (or the PII detectors) on its own transcripts.
struct BenchAccuracyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-accuracy",
        abstract: "Print precision and recall per language and kind of checks on labelled JSONL texts.",
        discussion: """
            Input: JSONL, one labelled text per line: {"id": "en-7", "lang": "en", "text": "...", \
            "labels": ["refund", {"kind": "deadline", "grounded": true}], "facts": ["Refunds take 14 days."]}. \
            "labels" (or "kinds") lists the kinds the text holds ([] for none); a kind is the second part of a \
            finding's rule id (promise.refund.full -> refund, pii.phone -> phone). "grounded" says whether the \
            facts back that promise; "facts" (strings or key-values) and "lang" are optional.
            Detection is scored per text and kind without the facts; the verdict row scores whether the checks fail \
            with the facts given, against whether some label is not grounded.
            Default check: {"type": "promises"}. Exit codes: 0 measured (and every --min-* floor held), 1 a floor \
            was not held, 2 bad input or options.
            """
    )

    @Argument(help: "Labelled JSONL files (\"-\" for standard input).")
    var files: [String]

    @Option(name: .long, help: "JSONL field that holds the text.")
    var field = "text"

    @Option(
        name: .customLong("check"),
        help: ArgumentHelp(
            "A check to measure, as JSON (repeatable), e.g. '{\"type\":\"pii\"}'. Replaces the default.",
            valueName: "json"))
    var checkSpecs: [String] = []

    @Flag(
        name: .long, help: "Also print every text the checks got wrong, with the kinds missed and the extra findings.")
    var misses = false

    @Option(name: .long, help: "Exit 1 unless every language's precision (all kinds) is at least this.")
    var minPrecision: Double?

    @Option(name: .long, help: "Exit 1 unless every language's recall (all kinds) is at least this.")
    var minRecall: Double?

    func validate() throws {
        for (name, value) in [("--min-precision", minPrecision), ("--min-recall", minRecall)] {
            if let value, !(0...1).contains(value) {
                throw ValidationError("\(name) expects a number from 0 to 1, found \(value)")
            }
        }
    }

    func run() async throws {
        let checks: [any Check]
        do {
            checks = try ScanCommand.checks(checkSpecs, default: [CheckSpec(type: "promises")])
        } catch let error as CLIError {
            throw error.report()
        }
        var tally = AccuracyTally()
        var problems = 0
        for file in files {
            do {
                try LineReader.forEachLine(in: file) { lineNumber, line in
                    guard let line else {
                        problems += 1
                        FileHandle.standardError.write(
                            Data("evalgate: error: \(file):\(lineNumber):1: invalid UTF-8 in this line\n".utf8))
                        return
                    }
                    switch LabelledCase.parse(line, lineNumber: lineNumber, textField: field) {
                    case .success(let labelled?): tally.add(labelled, checks: checks)
                    case .success(nil): break
                    case .failure(let error):
                        problems += 1
                        FileHandle.standardError.write(Data("evalgate: error: \(file):\(error)\n".utf8))
                    }
                }
            } catch {
                problems += 1
                FileHandle.standardError.write(Data("evalgate: error: \(file): \(LineReader.describe(error))\n".utf8))
            }
        }
        if problems > 0 { throw ExitCode(2) }
        let counts = tally.languages.map { "\($0) \(tally.cases[$0] ?? 0)" }.joined(separator: ", ")
        let names = (checkSpecs.isEmpty ? ["promises"] : checks.map { type(of: $0).type }).joined(separator: " + ")
        print(
            "evalgate bench-accuracy — \(files.joined(separator: ", ")): \(counts) texts (\(tally.casesWithFacts) with facts), checks \(names)"
        )
        print("")
        print(tally.table())
        if misses && !tally.misses.isEmpty {
            print("")
            print("wrong:")
            for miss in tally.misses {
                var parts: [String] = []
                if !miss.missed.isEmpty { parts.append("missed \(miss.missed.joined(separator: ","))") }
                if !miss.extra.isEmpty { parts.append("extra \(miss.evidence.joined(separator: "; "))") }
                let name = miss.labelled.id ?? "line \(miss.labelled.line)"
                print("  \(name): \(parts.joined(separator: "; ")) — \(miss.labelled.text)")
            }
        }
        var failedFloors: [String] = []
        for language in tally.languages {
            let all = tally.allKinds[language] ?? AccuracyTally.Counts()
            if let minPrecision, all.precision < minPrecision {
                failedFloors.append("\(language) precision \(String(format: "%.3f", all.precision)) < \(minPrecision)")
            }
            if let minRecall, all.recall < minRecall {
                failedFloors.append("\(language) recall \(String(format: "%.3f", all.recall)) < \(minRecall)")
            }
        }
        if !failedFloors.isEmpty {
            FileHandle.standardError.write(
                Data("evalgate: floor not held: \(failedFloors.joined(separator: "; "))\n".utf8))
            throw ExitCode(1)
        }
    }
}
