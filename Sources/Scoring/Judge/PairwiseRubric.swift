public import EvalCore
import Foundation

/// A rubric that compares two answers to the same conversation (MT-Bench / AlpacaEval style pairwise judging):
/// the judge is shown answer A and answer B and says which is better, or a tie, as JSON. `evalgate judge-pairs` asks
/// it twice per pair with the order swapped (`PairJudgement`).
public struct PairwiseRubric: Sendable, Hashable {
    /// The shipped pairwise rubrics, in English and Russian.
    public static let shipped: [String: (en: String, ru: String)] = [
        "better_answer": (
            en: """
            Decide which answer serves the customer better: it answers what was asked, is correct and consistent \
            with the facts given, promises nothing the facts do not back, and is clear and polite. Length is not \
            a merit: a shorter answer that does all this is better than a longer one. If neither is better, say tie.
            """,
            ru: """
            Решите, какой ответ лучше помогает клиенту: отвечает на заданный вопрос, верен и согласуется с данными \
            фактами, не обещает того, что факты не подтверждают, ясен и вежлив. Длина не достоинство: более \
            короткий ответ, делающий всё это, лучше длинного. Если ни один не лучше, ответьте tie.
            """
        )
    ]

    public static var names: [String] { shipped.keys.sorted() }

    /// A shipped rubric's id, `inline`, or the rubric file's path.
    public let name: String
    public let text: String

    /// `given` is a shipped rubric's id, the rubric's text (it has a space), or a file (`.md`, `.txt`, or a path).
    public init(_ given: String, language: String = "en") throws(CheckConfigurationError) {
        guard language == "en" || language == "ru" else {
            throw CheckConfigurationError("the rubric's language expects 'en' or 'ru', found '\(language)'")
        }
        if let shipped = Self.shipped[given] {
            name = given
            text = language == "ru" ? shipped.ru : shipped.en
        } else if given.contains(" ") || given.contains("\n") {
            name = "inline"
            text = given
        } else if given.contains("/") || given.hasSuffix(".md") || given.hasSuffix(".txt") {
            name = given
            text = try JudgeCheck.readRubric(path: given)
        } else {
            var message =
                "unknown pairwise rubric '\(given)'; shipped: \(Self.names.joined(separator: ", ")), or write the rubric's text inline"
            if let close = closestName(to: given, in: Self.names) {
                message = "unknown pairwise rubric '\(given)'; did you mean '\(close)'?"
            }
            throw CheckConfigurationError(message)
        }
    }

    /// The output contract the judge is given.
    var instructions: String {
        """
        You are a strict, impartial evaluator comparing two answers of a customer-support assistant to the same \
        conversation. The order in which the answers are shown must not influence you. Judge only by this rubric:

        \(text)

        Reply with one JSON object and nothing else: {"winner": "A", "B" or "tie", "reason": one sentence}.
        """
    }

    /// SHA-256 of the rubric and the output contract: names the rubric in reports.
    public var hash: String { SHA256.hex(Array(instructions.utf8)) }

    /// The judge's request: the rubric as the system message; the conversation and answers A and B as the user's.
    public func messages(conversation: [ChatMessage], first: String, second: String) -> [ChatMessage] {
        [
            .system(instructions),
            .user(
                "## Conversation\n\(conversation.conversationText)\n\n## Answer A\n\(first)\n\n## Answer B\n\(second)"),
        ]
    }

    /// One reply read: which position won (`first` for A), a tie, or why it cannot be used; and the reason given.
    public enum Choice: Sendable, Hashable {
        case first, second, tie
        case error(String)
    }

    public func read(_ raw: String) -> (choice: Choice, reason: String) {
        guard let start = raw.firstIndex(of: "{"), let end = raw.lastIndex(of: "}"), start < end,
            let object = (try? JSONValue.parse(String(raw[start...end])))?.objectValue
        else { return (.error("the judge's answer is not a JSON object"), "") }
        let reason = object["reason"]?.stringValue ?? ""
        switch object["winner"]?.stringValue?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "a": return (.first, reason)
        case "b": return (.second, reason)
        case "tie": return (.tie, reason)
        default: return (.error(#"the judge's "winner" is not 'A', 'B' or 'tie'"#), reason)
        }
    }

    /// The pair's judgement from the reply with the baseline's answer first and the reply with the candidate's first.
    public func judgement(suite: String, caseID: String, repeatIndex: Int, baseFirst: String, candidateFirst: String)
        -> PairJudgement
    {
        let one = read(baseFirst)
        let two = read(candidateFirst)
        func preference(_ choice: Choice, baseShownFirst: Bool) -> PairJudgement.Preference {
            switch choice {
            case .first: baseShownFirst ? .base : .candidate
            case .second: baseShownFirst ? .candidate : .base
            case .tie: .tie
            case .error: .error
            }
        }
        var error: String?
        if case .error(let why) = one.choice { error = "base first: \(why)" }
        if case .error(let why) = two.choice, error == nil { error = "candidate first: \(why)" }
        return PairJudgement(
            suite: suite, caseID: caseID, repeatIndex: repeatIndex,
            baseFirst: preference(one.choice, baseShownFirst: true),
            candidateFirst: preference(two.choice, baseShownFirst: false),
            reasons: [one.reason, two.reason], error: error)
    }
}
