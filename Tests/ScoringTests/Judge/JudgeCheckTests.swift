import EvalCore
import Foundation
import Scoring
import Testing

@Suite("judge: the request a judge is sent and how its answers are read")
struct JudgeCheckTests {
    static func check(_ options: [String: JSONValue]) throws -> JudgeCheck {
        var all: [String: JSONValue] = ["judge": "strict", "rubric": "answers_question"]
        all.merge(options) { _, new in new }
        var reading = CheckOptions(type: "judge", values: all)
        return try JudgeCheck(options: &reading)
    }

    static let input = CheckInput(
        response: "Мы вернём деньги за 3 дня.",
        messages: [.system("Заказ 42 доставлен."), .user("Когда вернут деньги?")], ideal: "Через 5 дней.")

    @Test("options: shipped rubrics by name (with a did-you-mean), inline text, samples and threshold ranges")
    func options() throws {
        #expect(try Self.check([:]).rubricName == "answers_question")
        #expect(try Self.check(["rubric": "Pass when the answer is short."]).rubricName == "inline")
        for (options, message) in [
            (
                ["rubric": "answer_question"] as [String: JSONValue],
                "unknown rubric 'answer_question'; did you mean 'answers_question'?"
            ),
            (["samples": 10], "\"samples\" expects 1 to 9, found 10"),
            (["threshold": 7], "\"threshold\" expects a score from 1 to 5, found 7.0"),
            (["sees": ["prompt"]], "\"sees\" must include 'answer': the judge judges the answer"),
        ] {
            #expect(throws: CheckConfigurationError(message)) { try Self.check(options) }
        }
        #expect(throws: CheckConfigurationError.self) {
            try CheckRegistry.standard.make(CheckSpec(type: "judge", options: ["rubric": "answers_question"]))
        }
    }

    @Test("the judge sees what the rubric needs, in the rubric's language; the hash follows the rubric and contract")
    func messages() throws {
        let ideal = try Self.check(["rubric": "agrees_with_ideal", "language": "ru"])
        let messages = ideal.messages(for: Self.input)
        #expect(messages.count == 2 && messages[0].role == "system" && messages[1].role == "user")
        #expect(messages[0].text?.contains("по смыслу он совпадает с эталонным") == true)
        #expect(
            messages[1].text
                == "## Conversation\nКогда вернут деньги?\n\n## Answer to judge\nМы вернём деньги за 3 дня.\n\n## Ideal answer\nЧерез 5 дней."
        )
        let promise = try Self.check(["rubric": "promise_without_data"]).messages(for: Self.input)
        #expect(promise[1].text?.contains("## Facts the assistant was given\nЗаказ 42 доставлен.") == true)
        let english = try Self.check(["rubric": "agrees_with_ideal"])
        #expect(english.rubricHash != ideal.rubricHash)
        #expect(
            try Self.check(["threshold": 4]).rubricHash != (try Self.check([:]).rubricHash),
            "the output contract is part of the hash")
        #expect(try Self.check([:]).rubricHash == (try Self.check(["samples": 3]).rubricHash), "samples are not")
    }

    @Test("answers: a verdict with a verbatim quote counts; anything else is an error, never a pass or a fail")
    func votes() throws {
        let check = try Self.check([:])
        let answer = Self.input.response
        #expect(
            check.vote(#"{"verdict":"pass","reason":"r"}"#, answer: answer)
                == .pass(reason: "r", quote: nil, score: nil))
        #expect(
            check.vote(
                "Sure:\n```json\n{\"verdict\":\"FAIL\",\"reason\":\"r\",\"quote\":\"за 3 дня\"}\n```", answer: answer)
                == .fail(reason: "r", quote: "за 3 дня", score: nil))
        #expect(check.vote("looks fine", answer: answer) == .error("the judge's answer is not a JSON object"))
        #expect(
            check.vote(#"{"verdict":"fail","reason":"r","quote":"за 5 дней"}"#, answer: answer)
                == .error("the judge's quote 'за 5 дней' is not in the answer"))
        #expect(
            check.vote(#"{"verdict":"fail","reason":"r"}"#, answer: answer)
                == .error("the judge failed the answer without quoting it"))
        #expect(
            check.vote(#"{"verdict":"maybe"}"#, answer: answer)
                == .error(#"the judge's "verdict" is not 'pass' or 'fail'"#))
        let scored = try Self.check(["threshold": 4])
        #expect(scored.vote(#"{"score":4,"reason":"ok"}"#, answer: answer) == .pass(reason: "ok", quote: nil, score: 4))
        #expect(
            scored.vote(#"{"score":2,"reason":"no","quote":"вернём"}"#, answer: answer)
                == .fail(reason: "no", quote: "вернём", score: 2))
        #expect(scored.vote(#"{"score":9}"#, answer: answer) == .error("the judge gave no \"score\" from 1 to 5"))
    }

    @Test("the strict majority decides; a fail carries the quote at its UTF-8 span; no majority is an error")
    func decide() throws {
        let check = try Self.check([:])
        let fail = #"{"verdict":"fail","reason":"обещает срок","quote":"за 3 дня"}"#
        let pass = #"{"verdict":"pass","reason":"ok"}"#
        guard case .verdict(let outcome, let votes, _, _) = check.decide(Self.input, answers: [fail, pass, fail]) else {
            Issue.record("expected a verdict")
            return
        }
        #expect(!outcome.passed && votes.map(\.name) == ["fail", "pass", "fail"])
        // "Мы вернём деньги " is 4 + 12 + 12 bytes of letters and 3 spaces: 31; "за 3 дня" is 13.
        #expect(
            outcome.findings == [
                Finding(
                    ruleID: "judge.answers_question", message: "judge: обещает срок",
                    span: TextSpan(start: 31, end: 44), text: "за 3 дня")
            ])
        guard case .error(let message, _) = check.decide(Self.input, answers: [fail, pass, "garbage"]) else {
            Issue.record("expected an error")
            return
        }
        #expect(
            message
                == "no majority of 3 judge answers: 1 pass, 1 fail, 1 error (the judge's answer is not a JSON object)")
        #expect(
            check.evaluate(Self.input).findings.first?.ruleID == "judge.not-run", "outside the runner it never passes")
    }

    @Test("a rubric file is read (its text is hashed); a missing or empty one is a configuration error")
    func rubricFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evalgate-rubric-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "Pass when the answer names the delivery date.\n".write(
            toFile: folder + "/date.md", atomically: true, encoding: .utf8)
        let check = try Self.check(["rubric": .string(folder + "/date.md")])
        #expect(check.rubricName == folder + "/date.md")
        #expect(check.rubric == "Pass when the answer names the delivery date.")
        #expect(
            check.rubricHash
                == (try Self.check(["rubric": "Pass when the answer names the delivery date."]).rubricHash),
            "the hash is of the text")
        #expect(throws: CheckConfigurationError("cannot read rubric file '\(folder)/none.md': no such file")) {
            try Self.check(["rubric": .string(folder + "/none.md")])
        }
        try "  \n".write(toFile: folder + "/empty.md", atomically: true, encoding: .utf8)
        #expect(throws: CheckConfigurationError("rubric file '\(folder)/empty.md' is empty")) {
            try Self.check(["rubric": .string(folder + "/empty.md")])
        }
    }
}
