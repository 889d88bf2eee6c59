public import EvalCore

/// One promise found in a text, with its evidence.
public struct PromiseMatch: Sendable, Hashable {
    /// `promise.deadline.within_period`.
    public var ruleID: String
    public var category: PromiseCategory
    /// The pack whose rule matched.
    public var pack: String
    /// UTF-8 byte offsets of the matched phrase.
    public var span: TextSpan
    /// The phrase as the text writes it.
    public var text: String

    public init(ruleID: String, category: PromiseCategory, pack: String, span: TextSpan, text: String) {
        self.ruleID = ruleID
        self.category = category
        self.pack = pack
        self.span = span
        self.text = text
    }

    /// `promises a deadline 'за 3 дня'`.
    public var message: String { "promises \(category.noun) '\(text)'" }

    public var finding: Finding { Finding(ruleID: ruleID, message: message, span: span, text: text) }
}

/// Finds promises in text with rule packs: the engine behind the `promises` check and `evalgate scan`.
///
/// Built once (it compiles every pack into one lexicon and a table of rules by their first word), then used from any
/// number of threads. `detect(in:)` reads the text once: it tokenizes it while walking the lexicon's trie, tries only
/// the rules whose first element the token matched, and then checks the few matches against the allowlist, the rule's
/// exceptions, and the negators and hedges around them.
public struct PromiseDetector: Sendable {
    public let packs: [PromisePack]
    public let categories: Set<PromiseCategory>
    public let allow: [String]
    private let engine: PromiseEngine

    /// A detector over the given packs, for the given categories; a match inside an `allow` phrase is not reported.
    ///
    /// An allowed phrase is compared word by word, ignoring case, `ё`/`е` and punctuation; a word written with a final
    /// `*` matches any ending (`бесплатн* доставк*`).
    public init(
        packs: [PromisePack], categories: Set<PromiseCategory> = Set(PromiseCategory.allCases), allow: [String] = []
    ) throws(PromisePackError) {
        guard !packs.isEmpty else { throw PromisePackError("no promise packs to detect with") }
        guard !categories.isEmpty else { throw PromisePackError("no promise categories to detect") }
        self.packs = packs
        self.categories = categories
        self.allow = allow
        engine = try PromiseEngine(packs: packs, categories: categories, allow: allow)
    }

    /// A detector from pack names or paths (`ru`, `en`, `./acme.json`) and category names.
    public init(
        packs names: [String] = ["ru", "en"],
        categories categoryNames: [String] = PromiseCategory.allCases.map(\.rawValue),
        allow: [String] = []
    ) throws(PromisePackError) {
        var packs: [PromisePack] = []
        for name in names { packs.append(try PromisePack.resolve(name)) }
        var categories = Set<PromiseCategory>()
        for name in categoryNames { categories.insert(try Self.category(name)) }
        try self.init(packs: packs, categories: categories, allow: allow)
    }

    /// A pack that ships with evalgate: `ru`, `en`.
    public static func builtinPack(_ name: String) throws(PromisePackError) -> PromisePack {
        try PromisePack.builtin(name)
    }

    /// A category by name, with a message that lists the known ones.
    public static func category(_ name: String) throws(PromisePackError) -> PromiseCategory {
        guard let category = PromiseCategory(rawValue: name) else {
            let known = PromiseCategory.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw PromisePackError("unknown promise category '\(name)'; categories are \(known)")
        }
        return category
    }

    /// Every promise in `text`, in the order they appear.
    public func detect(in text: String) -> [PromiseMatch] {
        var text = text
        return text.withUTF8 { engine.detect($0, keepSuppressed: false) }.promises
    }

    /// The promises in `text`, and the matches that context made not promises, each with its reason.
    public func analyze(_ text: String) -> PromiseAnalysis {
        var text = text
        let (promises, suppressed) = text.withUTF8 { engine.detect($0, keepSuppressed: true) }
        return PromiseAnalysis(
            promises: promises, suppressed: suppressed.map { SuppressedPromise(match: $0.0, reason: $0.1) })
    }
}

/// A match that is not a promise, and why: `negated`, `hedged`, `question`, `quoted`, `reported speech`, `attributed
/// source`, `past or existing order`, `conditional`, `allowed`, `exception`, or (in the check) `grounded in facts`.
public struct SuppressedPromise: Sendable, Hashable {
    public var match: PromiseMatch
    public var reason: String

    public init(match: PromiseMatch, reason: String) {
        self.match = match
        self.reason = reason
    }

    /// `not a promise (reported speech): 'обещал доставку'`.
    public var message: String { "not a promise (\(reason)): '\(match.text)'" }
}

/// What the detector saw in one text.
public struct PromiseAnalysis: Sendable, Hashable {
    public var promises: [PromiseMatch]
    public var suppressed: [SuppressedPromise]

    public init(promises: [PromiseMatch], suppressed: [SuppressedPromise]) {
        self.promises = promises
        self.suppressed = suppressed
    }
}
