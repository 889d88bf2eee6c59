import EvalCore

/// `{"type": "promises"}`: fails when the answer promises what the company cannot back — a deadline, a price or a
/// discount, a guarantee — with one finding per promise: `promise.deadline.within_period` at `за 3 дня`.
///
/// Options:
/// - `packs`: built-in pack names or paths to pack files (default `["ru", "en"]`);
/// - `categories`: any of `deadline`, `price`, `guarantee` (default all three);
/// - `allow`: phrases that are real policy for this company (`бесплатная доставка`): a promise inside one is fine.
public struct PromisesCheck: Check {
    public static let type = "promises"
    public static let version = 1
    public static let summary = "fails on answers that promise deadlines, prices or guarantees (rule packs ru, en)"

    public let detector: PromiseDetector

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
                throw CheckConfigurationError("option 'categories' of check '\(Self.type)' expects one of \(known), found '\(name)'")
            }
            categories.insert(category)
        }
        guard !categories.isEmpty else {
            throw CheckConfigurationError("option 'categories' of check '\(Self.type)' expects at least one category")
        }

        let allow = try options.optionalStrings("allow") ?? []
        do throws(PromisePackError) {
            detector = try PromiseDetector(packs: packs, categories: categories, allow: allow)
        } catch {
            throw CheckConfigurationError("option 'allow' of check '\(Self.type)': \(error.message)")
        }
    }

    public init(detector: PromiseDetector) {
        self.detector = detector
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        .failing(on: detector.detect(in: input.response).map(\.finding))
    }
}
