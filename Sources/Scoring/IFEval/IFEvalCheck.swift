public import EvalCore

/// One of IFEval's 25 verifiable instructions (Zhou et al. 2023, google-research `instruction_following_eval`),
/// decided the way the reference checker decides it, so that scores agree with published IFEval numbers.
///
/// An instruction only says whether one text follows it; `IFEvalCheck` adds what every instruction shares: the
/// `mode` option (strict, or loose with its eight response variants), the empty-answer rule and the check's name.
public protocol IFEvalInstruction: Sendable {
    /// The reference's instruction id, e.g. `punctuation:no_comma`; the check type is `ifeval:` + id.
    static var id: String { get }
    /// Bumped whenever verdicts can change for the same answer.
    static var version: Int { get }
    /// One line for `--help` and the README.
    static var summary: String { get }

    /// Reads the reference's kwargs for this instruction (the names of `input_data.jsonl`).
    init(options: inout CheckOptions) throws(CheckConfigurationError)

    /// Nil when `text` follows the instruction; otherwise why not, with the evidence's span in `text` when there is
    /// evidence to point at (the first comma, the forbidden word, the surplus bullet).
    func violation(in text: String) -> Finding?
}

extension IFEvalInstruction {
    /// `ifeval.punctuation.no_comma` for `punctuation:no_comma`.
    public static var ruleID: String { "ifeval." + String(id.map { $0 == ":" ? "." : $0 }) }

    /// A finding of this instruction.
    static func finding(_ message: String, span: Range<String.Index>? = nil, in text: String? = nil) -> Finding {
        if let span, let text {
            return Finding(ruleID: ruleID, message: message, span: TextSpan(span, in: text), text: String(text[span]))
        }
        return Finding(ruleID: ruleID, message: message)
    }

    /// A finding about something absent: `text` is what was expected.
    static func missing(_ message: String, expected: String) -> Finding {
        Finding(ruleID: ruleID, message: message, text: expected)
    }
}

/// How an IFEval instruction is judged (`"mode"` option).
public enum IFEvalMode: String, Sendable, Hashable, CaseIterable {
    /// The answer as it is.
    case strict
    /// The answer passes when any of eight variants passes: as is, without its first line, without its last line,
    /// without both, and each of those with every `*` removed (the three cut variants are trimmed). This forgives
    /// a "Sure, here it is:" line, a closing remark and Markdown emphasis, as the IFEval paper's loose accuracy does.
    case loose
}

/// `{"type": "ifeval:punctuation:no_comma", "mode": "loose"}`: an IFEval instruction as a check.
///
/// Options: the instruction's own kwargs exactly as in IFEval's `input_data.jsonl` (a null kwarg counts as absent)
/// and `mode` (`strict`, the default, or `loose`). An empty or blank answer follows no instruction, as in the
/// reference. A failed check carries the instruction's finding for the answer as it is; in loose mode that answer
/// is one of the variants that all failed.
public struct IFEvalCheck<Instruction: IFEvalInstruction>: Check {
    public static var type: String { "ifeval:" + Instruction.id }
    public static var version: Int { Instruction.version }
    public static var summary: String { Instruction.summary }

    public let instruction: Instruction
    public let mode: IFEvalMode

    public init(_ instruction: Instruction, mode: IFEvalMode = .strict) {
        self.instruction = instruction
        self.mode = mode
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let mode = try options.choice(
            "mode", of: IFEvalMode.allCases.map(\.rawValue), default: IFEvalMode.strict.rawValue)
        self.init(try Instruction(options: &options), mode: IFEvalMode(rawValue: mode) ?? .strict)
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let response = input.response
        guard !PythonText.strip(response).isEmpty else {
            return .fail(Finding(ruleID: Instruction.ruleID, message: "the answer is empty"))
        }
        let strictViolation = instruction.violation(in: response)
        guard let strictViolation else { return .pass }
        if mode == .loose {
            for variant in Self.looseVariants(of: response).dropFirst()
            where !PythonText.strip(variant).isEmpty && instruction.violation(in: variant) == nil {
                return .pass
            }
        }
        return .fail(strictViolation)
    }

    /// The eight texts loose mode tries, the answer as it is first: it, it without `*`, then without the first line,
    /// the last line, both (each trimmed), and those three without `*`. Lines end at `\n` only.
    public static func looseVariants(of response: String) -> [String] {
        let lines = PythonText.lines(response)
        let withoutFirst = PythonText.strip(lines.dropFirst().joined(separator: "\n"))
        let withoutLast = PythonText.strip(lines.dropLast().joined(separator: "\n"))
        let withoutBoth = PythonText.strip(lines.dropFirst().dropLast().joined(separator: "\n"))
        let cut = [withoutFirst, withoutLast, withoutBoth]
        return [response, PythonText.removingAsterisks(response)] + cut + cut.map(PythonText.removingAsterisks)
    }
}

/// `relation` options: `less than` (count < n) or `at least` (count >= n).
public enum IFEvalRelation: String, Sendable, Hashable, CaseIterable {
    case lessThan = "less than"
    case atLeast = "at least"

    static func read(_ key: String, from options: inout CheckOptions) throws(CheckConfigurationError) -> IFEvalRelation
    {
        let allowed = allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        guard let name = try options.optionalString(key) else {
            throw CheckConfigurationError("check '\(options.type)' needs option '\(key)' (one of \(allowed))")
        }
        guard let relation = IFEvalRelation(rawValue: name) else {
            throw CheckConfigurationError(
                "option '\(key)' of check '\(options.type)' expects one of \(allowed), found '\(name)'")
        }
        return relation
    }

    public func holds(_ count: Int, _ threshold: Int) -> Bool {
        switch self {
        case .lessThan: return count < threshold
        case .atLeast: return count >= threshold
        }
    }

    /// "has 3 sentences, expected less than 3".
    func message(_ count: Int, _ unit: String, _ threshold: Int) -> String {
        "has \(count) \(count == 1 ? unit : unit + "s"), expected \(rawValue) \(threshold)"
    }
}

extension CheckOptions {
    /// A required integer that must not be negative.
    mutating func count(_ key: String, minimum: Int = 0) throws(CheckConfigurationError) -> Int {
        let value = try int(key)
        guard value >= minimum else {
            throw CheckConfigurationError(
                "option '\(key)' of check '\(type)' must be at least \(minimum), found \(value)")
        }
        return value
    }

    /// A required string that is not empty or blank.
    mutating func requiredText(_ key: String) throws(CheckConfigurationError) -> String {
        let value = try string(key)
        guard !PythonText.strip(value).isEmpty else {
            throw CheckConfigurationError("option '\(key)' of check '\(type)' must not be empty")
        }
        return value
    }
}
