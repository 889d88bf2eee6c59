public import EvalCore

/// What a check looks at: the model's answer and the case that produced it.
public struct CheckInput: Sendable {
    /// The model's answer.
    public var response: String
    /// The prompt as sent: system, user and assistant messages.
    public var messages: [ChatMessage]
    /// Every acceptable ideal answer of the case (OpenAI-evals lists several); empty when it has none.
    public var ideals: [String]
    /// The data the model was given to answer from (the case's and its suite's `facts`, one line each): what backs a
    /// promise. The system prompt is data too; see `contextText`.
    public var facts: [String]
    /// Whether the outcome should carry `notes` (the matches let pass and why): `evalgate scan --explain`. Off by
    /// default, so that scoring builds none.
    public var wantsNotes = false

    /// The case's first ideal answer, when it has one.
    public var ideal: String? { ideals.first }

    public init(response: String, messages: [ChatMessage] = [], ideals: [String] = [], facts: [String] = []) {
        self.response = response
        self.messages = messages
        self.ideals = ideals
        self.facts = facts
    }

    public init(response: String, messages: [ChatMessage] = [], ideal: String?, facts: [String] = []) {
        self.init(response: response, messages: messages, ideals: ideal.map { [$0] } ?? [], facts: facts)
    }

    /// What else the model was given as data: the system, developer and tool messages and earlier assistant turns.
    /// User messages are not data: a customer asking for "3 days" does not back an answer that promises 3 days.
    public var contextText: [String] {
        messages.filter { $0.role != "user" }.compactMap(\.text)
    }

    /// The text of every user message, joined with newlines: what the user said themselves.
    public var userText: String {
        messages.filter { $0.role == "user" }.compactMap(\.text).joined(separator: "\n")
    }
}

/// A check's verdict on one answer. A failed check carries at least one finding that says why.
public struct CheckOutcome: Sendable, Hashable, Codable {
    public var passed: Bool
    public var findings: [Finding]
    /// Matches the check looked at and let pass, each with why (`not a promise (reported speech): '…'`), so a reviewer
    /// sees why a match did not fire. Evidence for people (`evalgate scan --explain`); not part of the verdict's
    /// encoding.
    public var notes: [Finding] = []

    public init(passed: Bool, findings: [Finding] = [], notes: [Finding] = []) {
        self.passed = passed
        self.findings = findings
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case passed, findings
    }

    public static let pass = CheckOutcome(passed: true)

    /// Fails when there are findings, passes when there are none: the shape of detector checks (PII, promises).
    public static func failing(on findings: [Finding]) -> CheckOutcome {
        CheckOutcome(passed: findings.isEmpty, findings: findings)
    }

    /// Fails with one finding.
    public static func fail(_ finding: Finding) -> CheckOutcome {
        CheckOutcome(passed: false, findings: [finding])
    }
}

/// A rule that decides whether an answer passes, with evidence.
///
/// One check = one file + one test file; adding a check touches nothing else but `CheckRegistry.standard`.
/// A check is built once from its options (`init(options:)`, which validates them) and then evaluates many answers,
/// concurrently: it must be a value that holds no mutable state.
public protocol Check: Sendable {
    /// The stable name eval sets use in `{"type": ...}`.
    static var type: String { get }
    /// Bumped whenever the check's verdicts can change for the same input; part of the scorer version hash.
    static var version: Int { get }
    /// One line for `--help` and the README.
    static var summary: String { get }

    /// Builds the check from its options; reads them through `options`, which reports unknown keys afterwards.
    init(options: inout CheckOptions) throws(CheckConfigurationError)

    func evaluate(_ input: CheckInput) -> CheckOutcome
}
