/// A judge's comparison of two versions' answers to the same prompt (`evalgate judge-pairs`), asked twice with the
/// answers' order swapped, so that a judge that prefers whichever answer it reads first cannot decide the result.
///
/// The verdict is the candidate's: `win` or `loss` when both orders agree on it, `tie` when both say tie — and when
/// the two orders disagree (the judge followed the position, not the answers): such a pair is a tie and is counted
/// as inconsistent. A reply that cannot be read makes the pair an `error`, never a win, loss or tie.
public struct PairJudgement: Sendable, Hashable, Codable {
    /// Which answer one order's reply preferred, named by version (not by position).
    public enum Preference: String, Sendable, Hashable, Codable, CaseIterable {
        case base, candidate, tie, error
    }

    public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
        case win, loss, tie, error
    }

    public var suite: String
    public var caseID: String
    public var repeatIndex: Int
    /// The judge's preference with the baseline's answer shown first, and with the candidate's shown first.
    public var baseFirst: Preference
    public var candidateFirst: Preference
    /// The judge's reasons, one per order (base first, then candidate first).
    public var reasons: [String]
    /// Why the pair has no verdict (a request failed, or a reply was not a verdict).
    public var error: String?

    public init(
        suite: String, caseID: String, repeatIndex: Int, baseFirst: Preference, candidateFirst: Preference,
        reasons: [String] = [], error: String? = nil
    ) {
        self.suite = suite
        self.caseID = caseID
        self.repeatIndex = repeatIndex
        self.baseFirst = baseFirst
        self.candidateFirst = candidateFirst
        self.reasons = reasons
        self.error = error
    }

    /// Both orders gave the same preference.
    public var consistent: Bool { error == nil && baseFirst != .error && baseFirst == candidateFirst }

    public var verdict: Verdict {
        guard error == nil, baseFirst != .error, candidateFirst != .error else { return .error }
        guard baseFirst == candidateFirst else { return .tie }
        switch baseFirst {
        case .candidate: return .win
        case .base: return .loss
        case .tie, .error: return .tie
        }
    }

    enum CodingKeys: String, CodingKey {
        case suite
        case caseID = "case"
        case repeatIndex = "repeat"
        case baseFirst = "base_first"
        case candidateFirst = "candidate_first"
        case reasons, error
    }
}
