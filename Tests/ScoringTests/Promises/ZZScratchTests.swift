import Foundation
import Scoring
import Testing

@Suite(.enabled(if: ProcessInfo.processInfo.environment["EVALGATE_SCRATCH"] != nil))
struct ZZScratchTests {
    @Test func dump() throws {
        let detector = try PromiseDetector()
        let csv = try String(contentsOfFile: "/work/shared/datasets/banking77/test.csv", encoding: .utf8)
        var counts: [String: Int] = [:]
        for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
            let text = String(line.split(separator: ",").dropLast().joined(separator: ","))
            for match in detector.detect(in: text) {
                counts[match.ruleID, default: 0] += 1
                print("EN | \(match.ruleID) | \(match.text) | \(text)")
            }
        }
        print("COUNTS \(counts)")
        let russian = try String(contentsOfFile: "/tmp/ru_answers.txt", encoding: .utf8)
        for line in russian.split(whereSeparator: \.isNewline) {
            let found = detector.detect(in: String(line)).map { "\($0.ruleID.dropFirst(8))='\($0.text)'" }
            print("RU | \(found.joined(separator: ", ")) | \(line)")
        }
    }
}
