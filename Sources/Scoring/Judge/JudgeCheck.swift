public import EvalCore
import Foundation

/// `{"type": "judge", "judge": "gpt-judge", "rubric": "answers_question", "language": "ru", "samples": 3}`: a model
/// (the judge target named in `evalgate.yaml` under `judges:`) decides with a rubric whether the answer passes.
///
/// The check builds the judge's request (`messages(for:)`) and decides from the judge's answers (`decide`); the runner
/// sends the request through the same transport, limits, retries and cache as the model's own (nothing in Scoring
/// opens a connection). The judge must answer one JSON object, `{"verdict": "pass"|"fail", "reason": …, "quote": …}`
/// (or `"score": N` with `threshold`); the quote must be the answer's own words, verbatim: a quote that is not in the
/// answer, malformed JSON, or no strict majority over `samples` answers is an *error*, never a pass or a fail.
public struct JudgeCheck: Check {
    public static let type = "judge"
    public static let version = 1
    public static let summary =
        "a judge model decides with a rubric (shipped: \(JudgeRubrics.names.joined(separator: ", ")); inline text; or a file), quoting the answer as evidence"

    /// What the judge is shown besides the rubric.
    public enum Input: String, Sendable, Hashable, CaseIterable {
        case prompt, answer, ideal, facts
    }

    /// The judge target's label (`judges:` in evalgate.yaml).
    public let judge: String
    /// The shipped rubric's id, `inline`, or the rubric file's path.
    public let rubricName: String
    /// The rubric text.
    public let rubric: String
    public let sees: [Input]
    /// What the rubric shows the judge when the check does not say (`sees`).
    private let defaultSees: [Input]
    /// With a threshold the judge gives a score from 1 to `scale` and the answer passes at `threshold` or above.
    public let threshold: Double?
    public let scale: Int
    /// Answers asked of the judge; the verdict is their strict majority.
    public let samples: Int

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        judge = try options.nonEmptyString("judge")
        let language = try options.choice("language", of: ["en", "ru"], default: "en")
        let given = try options.nonEmptyString("rubric")
        var sees: [Input]
        if let shipped = JudgeRubrics.all[given] {
            rubricName = given
            rubric = language == "ru" ? shipped.ru : shipped.en
            sees = shipped.sees
        } else if given.contains(" ") || given.contains("\n") {
            rubricName = "inline"
            rubric = given
            sees = [.prompt, .answer]
        } else if given.contains("/") || given.hasSuffix(".md") || given.hasSuffix(".txt") {
            // A rubric file, relative to the directory evalgate runs in (as promise pack paths are).
            rubricName = given
            rubric = try Self.readRubric(path: given)
            sees = [.prompt, .answer]
        } else {
            var message =
                "unknown rubric '\(given)'; shipped rubrics: \(JudgeRubrics.names.joined(separator: ", ")), or write the rubric's text inline"
            if let close = closestName(to: given, in: JudgeRubrics.names) {
                message = "unknown rubric '\(given)'; did you mean '\(close)'?"
            }
            throw CheckConfigurationError(message)
        }
        defaultSees = sees
        if let chosen = try options.optionalChoices("sees", of: Input.allCases.map(\.rawValue)) {
            sees = chosen.compactMap(Input.init(rawValue:))
            if !sees.contains(.answer) {
                throw CheckConfigurationError("\"sees\" must include 'answer': the judge judges the answer")
            }
        }
        self.sees = sees
        threshold = try options.optionalDouble("threshold")
        scale = try options.optionalInt("scale") ?? 5
        guard (2...100).contains(scale) else {
            throw CheckConfigurationError("\"scale\" expects 2 to 100, found \(scale)")
        }
        if let threshold, !(threshold >= 1 && threshold <= Double(scale)) {
            throw CheckConfigurationError("\"threshold\" expects a score from 1 to \(scale), found \(threshold)")
        }
        samples = try options.optionalInt("samples") ?? 1
        guard (1...9).contains(samples) else {
            throw CheckConfigurationError("\"samples\" expects 1 to 9, found \(samples)")
        }
    }

    static func readRubric(path: String) throws(CheckConfigurationError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CheckConfigurationError("cannot read rubric file '\(path)': no such file")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw CheckConfigurationError("cannot read rubric file '\(path)': unreadable or not UTF-8")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CheckConfigurationError("rubric file '\(path)' is empty") }
        return trimmed
    }

    /// The output contract the judge is given, the same for every rubric.
    var instructions: String {
        let verdict =
            threshold == nil
            ? #""verdict": "pass" or "fail""#
            : #""score": a number from 1 (worst) to \#(scale) (best)"#
        return """
            You are a strict evaluator of a customer-support assistant's answer. Judge only by this rubric:

            \(rubric)

            Reply with one JSON object and nothing else: {\(verdict), "reason": one sentence, "quote": words copied \
            exactly from the answer that support your verdict}. The quote must be verbatim from the answer.
            """
    }

    /// SHA-256 of everything that decides how the judge is asked: the rubric and the output contract. Recorded in the
    /// run log and the manifest; labels and agreement name a judge by its model and this hash.
    public var rubricHash: String { SHA256.hex(Array(instructions.utf8)) }

    /// The check's part of the judge's settings (`JudgeSettings`): `samples`, `threshold` and `sees`, each only when
    /// it is not the default. The judge target adds its params and revision.
    public var settings: [String: JSONValue] {
        var settings: [String: JSONValue] = [:]
        if samples != 1 { settings["samples"] = .int(Int64(samples)) }
        if let threshold { settings["threshold"] = .double(threshold) }
        if sees != defaultSees { settings["sees"] = .array(sees.map { .string($0.rawValue) }) }
        return settings
    }

    /// The judge's request for one answer: the rubric as the system message, what it sees as the user message.
    public func messages(for input: CheckInput) -> [ChatMessage] {
        var parts: [String] = []
        for item in sees {
            switch item {
            case .prompt:
                parts.append("## Conversation\n\(input.messages.conversationText)")
            case .facts:
                // The case's facts, and the system prompt, which counts as facts too.
                let facts =
                    input.facts
                    + input.messages.filter { $0.role == "system" || $0.role == "developer" }.compactMap(\.text)
                parts.append(
                    "## Facts the assistant was given\n" + (facts.isEmpty ? "(none)" : facts.joined(separator: "\n")))
            case .ideal:
                parts.append("## Ideal answer\n" + (input.ideal ?? "(none)"))
            case .answer:
                parts.append("## Answer to judge\n\(input.response)")
            }
        }
        return [.system(instructions), .user(parts.joined(separator: "\n\n"))]
    }

    /// One judge answer read.
    public enum Vote: Sendable, Hashable {
        case pass(reason: String, quote: String?, score: Double?)
        case fail(reason: String, quote: String?, score: Double?)
        case error(String)

        public var name: String {
            switch self {
            case .pass: "pass"
            case .fail: "fail"
            case .error: "error"
            }
        }

        /// The answer's words the judge quoted; nil for an error or a vote without a quote.
        public var quote: String? {
            switch self {
            case .pass(_, let quote, _), .fail(_, let quote, _): quote
            case .error: nil
            }
        }
    }

    /// The decision over the judge's answers: a verdict with its votes, or an error naming why none could be made.
    public enum Decision: Sendable, Hashable {
        case verdict(CheckOutcome, votes: [Vote], reason: String?, score: Double?)
        case error(String, votes: [Vote])
    }

    /// Reads one judge answer against the model's `answer`.
    public func vote(_ raw: String, answer: String) -> Vote {
        guard let start = raw.firstIndex(of: "{"), let end = raw.lastIndex(of: "}"), start < end,
            let object = (try? JSONValue.parse(String(raw[start...end])))?.objectValue
        else { return .error("the judge's answer is not a JSON object") }
        let reason = object["reason"]?.stringValue ?? ""
        let quote = object["quote"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if let quote, answer.range(of: quote) == nil {
            return .error("the judge's quote '\(quote.prefix(80))' is not in the answer")
        }
        let passed: Bool
        var score: Double?
        if let threshold {
            guard let value = object["score"]?.doubleValue, value >= 1, value <= Double(scale) else {
                return .error("the judge gave no \"score\" from 1 to \(scale)")
            }
            score = value
            passed = value >= threshold
        } else {
            switch object["verdict"]?.stringValue?.lowercased() {
            case "pass": passed = true
            case "fail": passed = false
            default: return .error(#"the judge's "verdict" is not 'pass' or 'fail'"#)
            }
        }
        if !passed, quote == nil { return .error("the judge failed the answer without quoting it") }
        return passed
            ? .pass(reason: reason, quote: quote, score: score) : .fail(reason: reason, quote: quote, score: score)
    }

    /// The verdict of the strict majority of `answers` (one per sample).
    public func decide(_ input: CheckInput, answers: [String]) -> Decision {
        let votes = answers.map { vote($0, answer: input.response) }
        let passes = votes.filter { if case .pass = $0 { true } else { false } }
        let fails = votes.filter { if case .fail = $0 { true } else { false } }
        let majority = answers.count / 2 + 1
        if passes.count >= majority, case .pass(let reason, _, let score) = passes[0] {
            return .verdict(.pass, votes: votes, reason: reason, score: score)
        }
        if fails.count >= majority, case .fail(let reason, let quote, let score) = fails[0] {
            let quoted = quote ?? ""
            let span = input.response.range(of: quoted).map { TextSpan($0, in: input.response) }
            let finding = Finding(
                ruleID: "judge.\(rubricName)", message: "judge: \(reason.isEmpty ? "fails the rubric" : reason)",
                span: span, text: quoted)
            return .verdict(.fail(finding), votes: votes, reason: reason, score: score)
        }
        let errors = votes.compactMap { if case .error(let why) = $0 { why } else { nil } }
        var message =
            "no majority of \(answers.count) judge answer\(answers.count == 1 ? "" : "s"): \(passes.count) pass, \(fails.count) fail, \(errors.count) error"
        if let first = errors.first { message += " (\(first))" }
        return .error(message, votes: votes)
    }

    /// Without the judge's answers there is no verdict: a check run outside the runner (`score`) fails loudly with
    /// `judge.not-run`; the runner never calls this.
    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        .fail(
            Finding(
                ruleID: "judge.not-run",
                message: "the judge '\(judge)' was not asked: judge checks run only in 'evalgate run'"))
    }
}
