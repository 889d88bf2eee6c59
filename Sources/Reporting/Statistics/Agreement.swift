public import EvalCore

/// How a check's verdicts agree with a person's on the same answers: the 2×2 confusion matrix and what is read off
/// it. "Positive" is **fail**: a check exists to flag answers, so its precision is the share of the answers it failed
/// that the person failed too, and its recall the share of the answers the person failed that it caught.
public struct ConfusionMatrix: Sendable, Hashable, Codable {
    /// The check failed the answer and so did the person.
    public var bothFail: Int
    /// The check failed the answer; the person passed it (a false alarm).
    public var checkFailHumanPass: Int
    /// The check passed the answer; the person failed it (a miss).
    public var checkPassHumanFail: Int
    /// Both passed it.
    public var bothPass: Int

    public init(bothFail: Int = 0, checkFailHumanPass: Int = 0, checkPassHumanFail: Int = 0, bothPass: Int = 0) {
        self.bothFail = bothFail
        self.checkFailHumanPass = checkFailHumanPass
        self.checkPassHumanFail = checkPassHumanFail
        self.bothPass = bothPass
    }

    public mutating func add(check: Verdict, human: Verdict) {
        switch (check, human) {
        case (.fail, .fail): bothFail += 1
        case (.fail, .pass): checkFailHumanPass += 1
        case (.pass, .fail): checkPassHumanFail += 1
        case (.pass, .pass): bothPass += 1
        }
    }

    public var total: Int { bothFail + checkFailHumanPass + checkPassHumanFail + bothPass }
    public var agreed: Int { bothFail + bothPass }
    public var disagreed: Int { checkFailHumanPass + checkPassHumanFail }

    /// Observed agreement p_o: the share of answers both gave the same verdict; nil without answers.
    public var observedAgreement: Double? {
        total == 0 ? nil : Double(agreed) / Double(total)
    }

    /// Cohen's kappa: (p_o − p_e) / (1 − p_e), where p_e = P(check fails)·P(person fails) + P(check passes)·P(person
    /// passes) is the agreement two raters with these marginals would reach by chance. Nil without answers and when
    /// p_e = 1 (both gave one and the same verdict to every answer: agreement beyond chance is undefined).
    public var cohensKappa: Double? {
        guard total > 0 else { return nil }
        let n = Double(total)
        let checkFail = Double(bothFail + checkFailHumanPass) / n
        let humanFail = Double(bothFail + checkPassHumanFail) / n
        let expected = checkFail * humanFail + (1 - checkFail) * (1 - humanFail)
        guard expected < 1 else { return nil }
        return (Double(agreed) / n - expected) / (1 - expected)
    }

    /// Gwet's AC1: (p_o − p_e) / (1 − p_e) with p_e = 2π(1 − π), π the mean of the two raters' shares of "fail".
    /// Unlike kappa it stays meaningful when one verdict is rare (a check that fails 3 answers in 100 and agrees on
    /// 97 gets a kappa near 0 — the "kappa paradox" — and an AC1 near 1). p_e ≤ ½, so AC1 is defined whenever there
    /// are answers.
    public var gwetsAC1: Double? {
        guard total > 0 else { return nil }
        let n = Double(total)
        let pi = (Double(bothFail + checkFailHumanPass) / n + Double(bothFail + checkPassHumanFail) / n) / 2
        let expected = 2 * pi * (1 - pi)
        return (Double(agreed) / n - expected) / (1 - expected)
    }

    /// Of the answers the check failed, the share the person failed too, with its Wilson interval; nil when the
    /// check failed none.
    public var precision: Proportion? {
        Proportion(successes: bothFail, trials: bothFail + checkFailHumanPass)
    }

    /// Of the answers the person failed, the share the check failed too; nil when the person failed none.
    public var recall: Proportion? {
        Proportion(successes: bothFail, trials: bothFail + checkPassHumanFail)
    }

    enum CodingKeys: String, CodingKey {
        case bothFail = "check_fail_human_fail"
        case checkFailHumanPass = "check_fail_human_pass"
        case checkPassHumanFail = "check_pass_human_fail"
        case bothPass = "check_pass_human_pass"
    }
}

/// A share with its 95% Wilson interval.
public struct Proportion: Sendable, Hashable, Codable {
    public var successes: Int
    public var trials: Int
    public var value: Double
    public var interval: WilsonInterval

    /// Nil when there are no trials: a share of nothing is not 0.
    public init?(successes: Int, trials: Int) {
        guard trials > 0 else { return nil }
        self.successes = successes
        self.trials = trials
        value = Double(successes) / Double(trials)
        interval = WilsonInterval(successes: successes, trials: trials)
    }
}
