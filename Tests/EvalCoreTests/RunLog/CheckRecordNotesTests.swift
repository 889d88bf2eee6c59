import EvalCore
import Foundation
import Testing

/// `notes` on a check record: written only when there are some, and optional when read, so logs written before it
/// still read (as no notes).
@Suite struct CheckRecordNotesTests {
    @Test func notesRoundTripAndAreLeftOutWhenEmpty() throws {
        let note = Finding(
            ruleID: "promise.refund.money_back", message: "not a promise (hedged): 'вернём деньги'",
            span: TextSpan(start: 0, end: 24), text: "вернём деньги")
        let record = CheckRecord(type: "promises", passed: true, notes: [note])
        let data = try JSONEncoder().encode(record)
        #expect(try JSONDecoder().decode(CheckRecord.self, from: data) == record)
        #expect(String(decoding: data, as: UTF8.self).contains("\"notes\""))
        let plain = try JSONEncoder().encode(CheckRecord(type: "promises", passed: true))
        #expect(!String(decoding: plain, as: UTF8.self).contains("notes"))
    }

    @Test func anOldRecordReadsWithoutNotes() throws {
        let old =
            #"{"type":"promises","passed":false,"findings":[{"rule":"promise.deadline.by_date","message":"promises a deadline 'к пятнице'"}]}"#
        let record = try JSONDecoder().decode(CheckRecord.self, from: Data(old.utf8))
        #expect(record.notes.isEmpty)
        #expect(record.findings.map(\.ruleID) == ["promise.deadline.by_date"])
    }

    @Test func badNotesAreAnError() throws {
        let bad = #"{"type":"promises","passed":true,"notes":"negated"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CheckRecord.self, from: Data(bad.utf8)) }
    }
}
