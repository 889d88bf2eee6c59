import EvalCore
import Foundation
import Scoring
import Testing

/// The floor the promise packs hold on their own labelled set (`Fixtures/promises-eval.jsonl`, 420 ru/en support
/// answers with hard negatives): precision and recall per language, recall per kind. BENCHMARKS.md has the table.
@Suite("Promise accuracy on the labelled set")
struct PromiseAccuracyTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func tally(_ name: String) throws -> AccuracyTally {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        let check = try PromisesCheck(detector: PromiseDetector())
        var tally = AccuracyTally()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let labelled = try LabelledCase.parse(line, lineNumber: index + 1).get() else { continue }
            tally.add(labelled, checks: [check])
        }
        return tally
    }

    @Test func theSetIsHalfRussianHalfEnglishWithEveryKind() throws {
        let tally = try Self.tally("promises-eval.jsonl")
        #expect(tally.cases["ru"] == 210 && tally.cases["en"] == 210)
        for language in ["ru", "en"] {
            let kinds = Set((tally.byKind[language] ?? [:]).filter { $0.value.support >= 5 }.keys)
            #expect(kinds == ["deadline", "price", "refund", "compensation", "fee_waiver", "guarantee", "certainty"])
        }
    }

    @Test func precisionAndRecallHoldTheFloorPerLanguageAndKind() throws {
        let tally = try Self.tally("promises-eval.jsonl")
        for language in ["ru", "en"] {
            let all = try #require(tally.allKinds[language])
            #expect(all.precision >= 0.95, "\(language) precision \(all.precision)")
            #expect(all.recall >= 0.95, "\(language) recall \(all.recall)")
            for (kind, counts) in tally.byKind[language] ?? [:] where counts.support > 0 {
                #expect(counts.recall >= 0.9, "\(language) \(kind) recall \(counts.recall)")
            }
        }
    }

    /// The other labelled sets — the hold-outs (each scored once before it was tuned on; `promises-holdout3.jsonl` was
    /// written for the third round and `promises-holdout4.jsonl` for the fourth, their first scores are in
    /// BENCHMARKS.md) and the dev sets — hold issue 11's aim for text nobody tuned to: precision and recall ≥ 0.9 per
    /// language, all kinds.
    @Test(arguments: [
        "promises-holdout.jsonl", "promises-holdout2.jsonl", "promises-holdout3.jsonl", "promises-holdout4.jsonl",
        "promises-dev2.jsonl", "promises-dev3.jsonl",
    ])
    func theHoldOutsAndDevSetsHoldTheAim(_ name: String) throws {
        let tally = try Self.tally(name)
        for language in ["ru", "en"] {
            #expect((tally.cases[language] ?? 0) >= 15, "\(name): \(language) has \(tally.cases[language] ?? 0) texts")
            let all = try #require(tally.allKinds[language])
            #expect(all.precision >= 0.9, "\(name) \(language) precision \(all.precision)")
            #expect(all.recall >= 0.9, "\(name) \(language) recall \(all.recall)")
        }
    }

    /// `promises-holdout5.jsonl` (80 answers, 40 ru and 40 en, written with holdout4) was never tuned on: neither its
    /// texts nor its misses were read, and it was scored once after the fourth round. It is the untouched
    /// generalisation figure, so its floor is that score rounded down to 0.05, not the aim.
    @Test func theUntouchedHoldOutKeepsItsFirstScore() throws {
        let tally = try Self.tally("promises-holdout5.jsonl")
        let floors = ["en": (precision: 0.85, recall: 0.70), "ru": (precision: 0.75, recall: 0.75)]
        for (language, floor) in floors {
            #expect(tally.cases[language] == 40, "\(language) has \(tally.cases[language] ?? 0) texts")
            let all = try #require(tally.allKinds[language])
            #expect(all.precision >= floor.precision, "\(language) precision \(all.precision)")
            #expect(all.recall >= floor.recall, "\(language) recall \(all.recall)")
        }
    }
}
