public import EvalCore

/// What `evalgate judge-pairs` says: the candidate's wins, ties and losses against the baseline as a judge saw them,
/// each pair asked in both orders; pairs whose two orders disagree are ties and are counted as inconsistent; the win
/// rate (a tie counts half) with its 95% interval; and how often the judge chose the answer shown first (0.5 when
/// the position does not sway it). Encoded as JSON with the schema `evalgate.pairwise/1` (see JSONSchema.md).
public struct PairwiseReport: Sendable, Hashable, Encodable {
    public static let schemaVersion = "evalgate.pairwise/1"

    public var schema = PairwiseReport.schemaVersion
    public var base: String
    public var candidate: String
    /// `model rubric:hash8[ settings:hash8]`, and the rubric's name.
    public var judge: String
    public var rubric: String
    public var wins = 0
    public var ties = 0
    public var losses = 0
    public var errors = 0
    /// Pairs whose two orders disagreed (counted among the ties).
    public var inconsistent = 0
    /// Answers of one run without a counterpart in the other.
    public var unpaired: Int
    /// (wins + ties / 2) / decided pairs; nil without decided pairs.
    public var winRate: Double?
    /// 95% interval of the win rate: the normal approximation of the mean per-pair score (win 1, tie ½, loss 0),
    /// clamped to [0, 1]; nil with fewer than 2 decided pairs.
    public var interval: WilsonInterval?
    /// Of the judge's replies that chose an answer (not a tie), the share that chose the one shown first.
    public var firstPositionRate: Double?
    public var pairs: [PairJudgement]

    public static func make(
        base: String, candidate: String, judge: String, rubric: String, judgements: [PairJudgement], unpaired: Int,
        confidence: Double = 0.95
    ) -> PairwiseReport {
        var report = PairwiseReport(
            base: base, candidate: candidate, judge: judge, rubric: rubric, unpaired: unpaired, pairs: judgements)
        var scores: [Double] = []
        var firsts = 0
        var choices = 0
        for judgement in judgements {
            switch judgement.verdict {
            case .win:
                report.wins += 1
                scores.append(1)
            case .loss:
                report.losses += 1
                scores.append(0)
            case .tie:
                report.ties += 1
                scores.append(0.5)
            case .error: report.errors += 1
            }
            guard judgement.verdict != .error else { continue }
            if !judgement.consistent { report.inconsistent += 1 }
            // Base first: the first answer is the baseline's; candidate first: the candidate's.
            for (preference, first) in [
                (judgement.baseFirst, PairJudgement.Preference.base), (judgement.candidateFirst, .candidate),
            ]
            where preference == .base || preference == .candidate {
                choices += 1
                if preference == first { firsts += 1 }
            }
        }
        if !scores.isEmpty {
            let mean = scores.reduce(0, +) / Double(scores.count)
            report.winRate = rounded(mean)
            if scores.count >= 2 {
                let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count - 1)
                let half = Normal.quantile(1 - (1 - confidence) / 2) * (variance / Double(scores.count)).squareRoot()
                report.interval = WilsonInterval(
                    lower: rounded(max(0, mean - half)), upper: rounded(min(1, mean + half)))
            }
        }
        if choices > 0 { report.firstPositionRate = rounded(Double(firsts) / Double(choices)) }
        return report
    }

    /// One line for a CI log: `judge-pairs: v2 vs v1: win 12 tie 5 loss 3 (inconsistent 2, errors 0) win_rate=0.725 [0.600, 0.850]`.
    public var summaryLine: String {
        var line =
            "judge-pairs: \(candidate) vs \(base): win \(wins) tie \(ties) loss \(losses) (inconsistent \(inconsistent), errors \(errors))"
        if let winRate { line += " win_rate=" + AgreementFormat.coefficient(winRate) }
        if let interval {
            line += " [\(AgreementFormat.coefficient(interval.lower)), \(AgreementFormat.coefficient(interval.upper))]"
        }
        if let firstPositionRate { line += " first_position=" + AgreementFormat.coefficient(firstPositionRate) }
        return line
    }

    enum CodingKeys: String, CodingKey {
        case schema, base, candidate, judge, rubric, wins, ties, losses, errors, inconsistent, unpaired
        case winRate = "win_rate"
        case low = "ci_low"
        case high = "ci_high"
        case firstPositionRate = "first_position_rate"
        case pairs
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(base, forKey: .base)
        try container.encode(candidate, forKey: .candidate)
        try container.encode(judge, forKey: .judge)
        try container.encode(rubric, forKey: .rubric)
        for (key, value) in [
            (CodingKeys.wins, wins), (.ties, ties), (.losses, losses), (.errors, errors), (.inconsistent, inconsistent),
            (.unpaired, unpaired),
        ] {
            try container.encode(value, forKey: key)
        }
        try container.encodeIfPresent(winRate, forKey: .winRate)
        try container.encodeIfPresent(interval?.lower, forKey: .low)
        try container.encodeIfPresent(interval?.upper, forKey: .high)
        try container.encodeIfPresent(firstPositionRate, forKey: .firstPositionRate)
        try container.encode(pairs, forKey: .pairs)
    }
}
