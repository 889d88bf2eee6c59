import EvalCore

/// `{"type": "promises"}`: fails when the answer promises what the data does not back — a deadline or a date, a price,
/// a refund, compensation, a fee waiver, a guarantee, certainty — with one finding per promise:
/// `promise.deadline.within_period` at `за 3 дня`.
///
/// Grounding: when the case gives data (its `facts`, its system prompt, earlier non-user turns), a promise whose
/// figures (period, amount, percentage, date, time) all appear there, or whose words do when it has no figures, is
/// allowed; one whose figure differs from the data's says so (`the answer promises 3 days; the facts say 14 days`),
/// and one nothing backs says `no fact backs it`.
///
/// Options:
/// - `packs`: built-in pack names or paths to pack files (default `["ru", "en"]`);
/// - `categories`: any of `deadline`, `price`, `refund`, `compensation`, `fee_waiver`, `guarantee`, `certainty`
///   (default all);
/// - `allow`: phrases that are real policy for this company (`бесплатная доставка`): a promise inside one is fine;
/// - `grounding`: whether the case's data can back a promise (default true).
public struct PromisesCheck: Check {
    public static let type = "promises"
    /// 4: the fourth round's pack vocabulary (number words as amounts, fee-waiver and disruption classes, current-plan
    /// facts, requests that make a deadline the customer's).
    public static let version = 4
    public static let summary =
        "fails on answers that promise deadlines, prices, refunds, compensation, fee waivers, guarantees or certainty the data does not back (rule packs ru, en)"

    public let detector: PromiseDetector
    /// Whether the case's facts and system prompt can back a promise.
    public let grounding: Bool
    /// The packs' topic words by category, merged: what names a promise's topic in the facts.
    private let topics: [PromiseCategory: [String]]

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let packNames = try options.optionalStrings("packs") ?? ["ru", "en"]
        guard !packNames.isEmpty else {
            throw CheckConfigurationError("option 'packs' of check '\(Self.type)' expects at least one pack")
        }
        var packs: [PromisePack] = []
        for name in packNames {
            do throws(PromisePackError) {
                packs.append(try PromisePack.resolve(name))
            } catch {
                throw CheckConfigurationError("option 'packs' of check '\(Self.type)': \(error.message)")
            }
        }

        let categoryNames = try options.optionalStrings("categories") ?? PromiseCategory.allCases.map(\.rawValue)
        var categories = Set<PromiseCategory>()
        for name in categoryNames {
            guard let category = PromiseCategory(rawValue: name) else {
                let known = PromiseCategory.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw CheckConfigurationError(
                    "option 'categories' of check '\(Self.type)' expects one of \(known), found '\(name)'")
            }
            categories.insert(category)
        }
        guard !categories.isEmpty else {
            throw CheckConfigurationError("option 'categories' of check '\(Self.type)' expects at least one category")
        }

        grounding = try options.bool("grounding", default: true)
        let allow = try options.optionalStrings("allow") ?? []
        do throws(PromisePackError) {
            detector = try PromiseDetector(packs: packs, categories: categories, allow: allow)
        } catch {
            throw CheckConfigurationError("option 'allow' of check '\(Self.type)': \(error.message)")
        }
        topics = Self.topics(of: packs)
    }

    public init(detector: PromiseDetector, grounding: Bool = true) {
        self.detector = detector
        self.grounding = grounding
        topics = Self.topics(of: detector.packs)
    }

    private static func topics(of packs: [PromisePack]) -> [PromiseCategory: [String]] {
        var topics: [PromiseCategory: [String]] = [:]
        for pack in packs {
            for (category, words) in pack.topics { topics[category, default: []] += words }
        }
        return topics
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let analysis =
            input.wantsNotes
            ? detector.analyze(input.response)
            : PromiseAnalysis(promises: detector.detect(in: input.response), suppressed: [])
        var suppressed = analysis.suppressed
        var findings: [Finding] = []
        let context = grounding && !analysis.promises.isEmpty ? input.contextText : []
        let hasData = grounding && !analysis.promises.isEmpty && !(input.facts.isEmpty && context.isEmpty)
        let facts = hasData ? PromiseGrounding(facts: input.facts, context: context, topics: topics) : nil
        for promise in analysis.promises {
            var finding = promise.finding
            if let facts {
                switch facts.verdict(on: promise) {
                case .backed(let evidence):
                    if input.wantsNotes {
                        suppressed.append(SuppressedPromise(match: promise, reason: "grounded in facts: \(evidence)"))
                    }
                    continue
                case .contradicted(let promised, let said):
                    finding.message +=
                        ": the answer promises \(promised); the facts say \(said.joined(separator: " or "))"
                case .unbacked:
                    finding.message += "; no fact backs it"
                }
            }
            findings.append(finding)
        }
        var outcome = CheckOutcome.failing(on: findings)
        guard input.wantsNotes else { return outcome }
        outcome.notes = suppressed.sorted { $0.match.span < $1.match.span }.map { note in
            Finding(ruleID: note.match.ruleID, message: note.message, span: note.match.span, text: note.match.text)
        }
        return outcome
    }
}
