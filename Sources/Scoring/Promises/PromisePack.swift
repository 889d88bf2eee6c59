public import EvalCore
import Foundation

/// What kind of promise a rule catches.
public enum PromiseCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// A time the company commits to: `за 3 дня`, `by Friday`.
    case deadline
    /// An amount, a discount or a free service: `стоит 500 ₽`, `50% off`, `free of charge`.
    case price
    /// A guarantee in words: `гарантируем`, `we guarantee`, `guaranteed`.
    case guarantee
    /// Money given back: `деньги вернём целиком`, `you'll get every cent back`.
    case refund
    /// Something given to make up for a failure: `начислим 500 баллов в качестве извинения`, `a $10 voucher for the
    /// trouble`.
    case compensation
    /// A fee, a fine or a charge not taken: `комиссию не возьмём`, `we'll waive the late fee`.
    case feeWaiver = "fee_waiver"
    /// Certainty about the outcome without the word "guarantee": `точно подойдёт`, `rest assured`, `it won't happen
    /// again`, `you have my word`.
    case certainty

    /// How a finding's message names it: `promises a deadline 'за 3 дня'`, `promises certainty 'точно подойдёт'`.
    public var noun: String {
        switch self {
        case .deadline, .price, .guarantee, .refund: return "a \(rawValue)"
        case .compensation, .certainty: return rawValue
        case .feeWaiver: return "a fee waiver"
        }
    }

    /// Lowercase ASCII letters, digits and `_`, starting with a letter.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// Why a pack could not be found, read or understood. The message names the pack (its path for a file) and what was
/// wrong, located in the file: `invalid promise pack 'acme.json': rules[0].patterns[1] 'за @cout': unknown class '@cout'`.
public struct PromisePackError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// One rule of a pack: an id, a category and the patterns that find its promises.
public struct PromiseRule: Sendable, Hashable {
    /// `<category>.<name>`, e.g. `deadline.within_period`; findings are reported as `promise.<id>`.
    public var id: String
    public var category: PromiseCategory
    public var description: String
    /// Patterns in the pack's pattern language (see `Packs/README.md`).
    public var patterns: [String]
    /// Patterns of phrases that look like this promise but are not: a match that overlaps one is dropped.
    public var exceptions: [String]
    /// Answers this rule must catch, and answers it must not: documentation that tests check.
    public var examples: [String]
    public var counterexamples: [String]

    var compiledPatterns: [[PromisePatternNode]]
    var compiledExceptions: [[PromisePatternNode]]

    /// `promise.deadline.within_period`.
    public var findingID: String { "promise.\(id)" }
}

/// Words that, near a match, make it not a promise: negation (`не`, `cannot`) or hedging (`обычно`, `usually`).
/// The window is `before` tokens before the match and `after` tokens after it, plus the words a gap of the match
/// skipped, within the same clause or sentence, and cut short by a stop word (`что`, `that`, `but`).
public struct PromiseQualifierGroup: Sendable, Hashable {
    public enum Scope: String, Sendable, Hashable {
        /// Between commas, semicolons and sentence ends.
        case clause
        /// Between sentence ends.
        case sentence
    }

    public var description: String
    /// Why a match it qualifies is not a promise, as the verdict records it: `negated`, `hedged`, `reported speech`…
    public var reason: String
    public var scope: Scope
    public var before: Int
    public var after: Int
    public var stopWords: [String]
    /// Words that, anywhere in the match's clause, keep it a promise whatever the group finds: a commitment in the
    /// first person or an action (`вернём`, `we'll`, `привезёт`) stays a promise under a condition.
    public var keepWords: [String]
    public var patterns: [String]
    /// Phrases in which a qualifier is not one: `не только`, `no later than`.
    public var exceptions: [String]

    var compiledStop: [PromiseAtom]
    var compiledKeep: [PromiseAtom]
    var compiledPatterns: [[PromisePatternNode]]
    var compiledExceptions: [[PromisePatternNode]]
}

/// Where a comma does not end a clause: a commitment (`прослежу`, `make sure`) reaches across it into the purpose
/// clause it introduces (`, чтобы деньги вернулись`, `, that the courier calls`), so that the promise in that clause is
/// read with its verb. Other clauses never join.
public struct PromiseClauseJoin: Sendable, Hashable {
    public var description: String
    /// Patterns of the commitment, matched within `before` tokens before the comma.
    public var leads: [String]
    /// Patterns the next clause must start with: `чтобы`, `that`, `so that`.
    public var into: [String]
    public var before: Int

    var compiledLeads: [[PromisePatternNode]]
    var compiledInto: [[PromisePatternNode]]
}

/// A rule pack: data that says what a promise looks like in one language. The engine (`PromiseDetector`) is generic;
/// everything language-specific is here. The format is documented in `Sources/Scoring/Promises/Packs/README.md`.
public struct PromisePack: Sendable, Hashable {
    public var name: String
    public var language: String
    public var description: String
    /// Where the pack came from: `built-in pack 'ru'` or the file's path.
    public var source: String
    /// Whether matches in a sentence that ends with `?` are ignored (an offer or a question is not a promise).
    public var skipsQuestions: Bool
    public var rules: [PromiseRule]
    public var negators: [PromiseQualifierGroup]
    public var hedges: [PromiseQualifierGroup]
    /// Context that makes a match someone else's words or a statement of fact, each group with its `reason`:
    /// reported speech (`вы пишете, что`, `you were told`), an attributed source (`по статье 26.1`, `as section 4 of our
    /// terms states`), the past or an existing order (`was charged on 2 May`).
    public var contexts: [PromiseQualifierGroup]
    /// Commitments that reach across a comma into a purpose clause (`прослежу, чтобы…`).
    public var joins: [PromiseClauseJoin]
    /// Per category, words that name its topic in a case's facts (lowercase, compared as substrings, `ё` read as `е`):
    /// facts that mention refunds (`возврат`, `refund`) back a refund promise that has no figure.
    public var topics: [PromiseCategory: [String]]

    /// The only format this engine reads.
    public static let format = 1

    // MARK: - Loading

    /// The names of the packs that ship with evalgate: `en`, `ru`.
    public static var builtinNames: [String] { builtins.keys.sorted() }

    /// A pack that ships with evalgate, parsed once per process.
    public static func builtin(_ name: String) throws(PromisePackError) -> PromisePack {
        guard let pack = builtins[name] else {
            let known = builtinNames.map { "'\($0)'" }.joined(separator: ", ")
            throw PromisePackError(
                "unknown promise pack '\(name)'; built-in packs are \(known) (a pack file is a path ending in '.json')"
            )
        }
        return try pack.get()
    }

    /// A built-in pack's name, or a path to a pack file (a name with `/` or ending in `.json`).
    public static func resolve(_ nameOrPath: String) throws(PromisePackError) -> PromisePack {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") { return try load(path: nameOrPath) }
        return try builtin(nameOrPath)
    }

    /// Reads a pack file.
    public static func load(path: String) throws(PromisePackError) -> PromisePack {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PromisePackError("cannot read promise pack '\(path)': no such file")
        }
        guard !isDirectory.boolValue else {
            throw PromisePackError("cannot read promise pack '\(path)': it is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PromisePackError("cannot read promise pack '\(path)': permission denied or unreadable")
        }
        return try PromisePack(data: [UInt8](data), source: path)
    }

    /// Parses a pack from the bytes of a JSON file; `source` names it in error messages.
    public init(data: [UInt8], source: String) throws(PromisePackError) {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            let (line, column) = JSONScanner.location(ofByte: error.offset, in: data)
            throw PromisePackError("invalid promise pack '\(source)': line \(line), column \(column): \(error.message)")
        }
        try self.init(json: json, source: source)
    }

    /// Builds a pack from parsed JSON; `source` names it in error messages.
    public init(json: JSONValue, source: String) throws(PromisePackError) {
        do throws(PromisePatternError) {
            let reader = try ObjectReader(
                json, at: "",
                keys: [
                    "format", "name", "language", "description", "skip_questions", "classes", "negators", "hedges",
                    "contexts",
                    "joins", "topics", "rules",
                ]
            )
            let format = try reader.optionalInt("format") ?? Self.format
            guard format == Self.format else {
                throw PromisePatternError("format: this evalgate reads format \(Self.format), found \(format)")
            }
            name = try reader.string("name")
            language = try reader.optionalString("language") ?? ""
            description = try reader.optionalString("description") ?? ""
            skipsQuestions = try reader.optionalBool("skip_questions") ?? true
            self.source = source

            var classDefinitions: [String: [String]] = [:]
            if let classes = reader.value("classes") {
                guard let fields = classes.objectValue else {
                    throw PromisePatternError("classes: expected an object of lists, found \(classes.typeName)")
                }
                for (className, value) in fields {
                    classDefinitions[className] = try Self.strings(value, at: "classes.\(className)", nonEmpty: true)
                }
            }
            let classes = try PromisePatternSyntax.resolveClasses(classDefinitions)

            negators = try Self.groups(reader.value("negators"), at: "negators", reason: "negated", classes: classes)
            hedges = try Self.groups(reader.value("hedges"), at: "hedges", reason: "hedged", classes: classes)
            contexts = try Self.groups(reader.value("contexts"), at: "contexts", reason: nil, classes: classes)
            joins = try Self.joins(reader.value("joins"), classes: classes)
            topics = try Self.topics(reader.value("topics"))

            guard let ruleValues = reader.value("rules")?.arrayValue, !ruleValues.isEmpty else {
                let found =
                    reader.value("rules").map { $0.arrayValue != nil ? "an empty list" : $0.typeName } ?? "nothing"
                throw PromisePatternError("rules: expected a non-empty list of rules, found \(found)")
            }
            var rules: [PromiseRule] = []
            var seen = Set<String>()
            for (index, value) in ruleValues.enumerated() {
                let rule = try Self.rule(value, at: "rules[\(index)]", classes: classes)
                guard seen.insert(rule.id).inserted else {
                    throw PromisePatternError("rules[\(index)].id: '\(rule.id)' is used by an earlier rule")
                }
                rules.append(rule)
            }
            self.rules = rules
        } catch {
            throw PromisePackError("invalid promise pack '\(source)': \(error.message)")
        }
    }

    /// The built-in packs, compiled in from Promises/Packs/*.json (see scripts/embed-resources), parsed on first use.
    private static let builtins: [String: Result<PromisePack, PromisePackError>] = {
        Dictionary(
            uniqueKeysWithValues: BuiltinPackSources.json.map { name, json in
                (
                    name,
                    Result { () throws(PromisePackError) -> PromisePack in
                        try PromisePack(data: Array(json.utf8), source: "built-in pack '\(name)'")
                    }
                )
            })
    }()

    // MARK: - Reading the JSON

    private static func rule(_ value: JSONValue, at path: String, classes: [String: [PromiseAtom]])
        throws(PromisePatternError) -> PromiseRule
    {
        let reader = try ObjectReader(
            value, at: path,
            keys: ["id", "category", "description", "patterns", "except", "examples", "counterexamples"]
        )
        let id = try reader.string("id")
        let categories = PromiseCategory.allCases.map(\.rawValue)
        guard let category = try reader.choice("category", of: categories).flatMap(PromiseCategory.init(rawValue:))
        else { throw PromisePatternError("\(path).category: expected a non-empty string") }
        let parts = id.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.allSatisfy(PromiseCategory.isIdentifier) else {
            throw PromisePatternError(
                "\(path).id: '\(id)' must be '<category>.<name>' in lowercase letters, digits and '_', e.g. '\(category.rawValue).within_period'"
            )
        }
        guard parts[0] == category.rawValue else {
            throw PromisePatternError("\(path).id: '\(id)' must start with its category '\(category.rawValue).'")
        }
        let description = try reader.optionalString("description") ?? ""
        let patterns = try strings(reader.value("patterns"), at: "\(path).patterns", nonEmpty: true)
        let exceptions = try strings(reader.value("except"), at: "\(path).except", nonEmpty: false)
        let examples = try strings(reader.value("examples"), at: "\(path).examples", nonEmpty: false)
        let counterexamples = try strings(
            reader.value("counterexamples"), at: "\(path).counterexamples", nonEmpty: false)
        return PromiseRule(
            id: id, category: category, description: description,
            patterns: patterns, exceptions: exceptions, examples: examples, counterexamples: counterexamples,
            compiledPatterns: try compile(patterns, at: "\(path).patterns", classes: classes),
            compiledExceptions: try compile(exceptions, at: "\(path).except", classes: classes)
        )
    }

    /// Reads qualifier groups; `reason` is the default reason of each group, nil when every group must give its own.
    private static func groups(
        _ value: JSONValue?, at path: String, reason defaultReason: String?, classes: [String: [PromiseAtom]]
    ) throws(PromisePatternError) -> [PromiseQualifierGroup] {
        var groups: [PromiseQualifierGroup] = []
        let keys = ["description", "reason", "scope", "before", "after", "stop", "keep", "patterns", "except"]
        for (here, reader) in try objects(value, at: path, of: "groups", keys: keys) {
            let description = try reader.optionalString("description") ?? ""
            let reason: String
            if let given = try reader.optionalString("reason"), !given.isEmpty {
                reason = given
            } else if let defaultReason {
                reason = defaultReason
            } else {
                throw PromisePatternError(
                    "\(here).reason: expected a non-empty string (why a match here is not a promise)")
            }
            let scope =
                try reader.choice("scope", of: ["clause", "sentence"], expected: "'clause' or 'sentence'")
                .flatMap(PromiseQualifierGroup.Scope.init(rawValue:)) ?? .clause
            let before = try reader.optionalInt("before") ?? 3
            let after = try reader.optionalInt("after") ?? 0
            for (key, window) in [("before", before), ("after", after)] where !(0...50).contains(window) {
                throw PromisePatternError("\(here).\(key): expected a number of words from 0 to 50, found \(window)")
            }
            let stopWords = try strings(reader.value("stop"), at: "\(here).stop", nonEmpty: false)
            let keepWords = try strings(reader.value("keep"), at: "\(here).keep", nonEmpty: false)
            func atoms(_ words: [String], _ key: String) throws(PromisePatternError) -> [PromiseAtom] {
                var atoms: [PromiseAtom] = []
                for (wordIndex, word) in words.enumerated() {
                    do throws(PromisePatternError) {
                        atoms += try PromisePatternSyntax.alternatives(word, classes: classes)
                    } catch {
                        throw PromisePatternError("\(here).\(key)[\(wordIndex)] '\(word)': \(error.message)")
                    }
                }
                return atoms
            }
            let stop = try atoms(stopWords, "stop")
            let keep = try atoms(keepWords, "keep")
            let patterns = try strings(reader.value("patterns"), at: "\(here).patterns", nonEmpty: true)
            let exceptions = try strings(reader.value("except"), at: "\(here).except", nonEmpty: false)
            groups.append(
                PromiseQualifierGroup(
                    description: description, reason: reason, scope: scope, before: before, after: after,
                    stopWords: stopWords, keepWords: keepWords, patterns: patterns, exceptions: exceptions,
                    compiledStop: stop, compiledKeep: keep,
                    compiledPatterns: try compile(patterns, at: "\(here).patterns", classes: classes),
                    compiledExceptions: try compile(exceptions, at: "\(here).except", classes: classes)
                )
            )
        }
        return groups
    }

    private static func joins(_ value: JSONValue?, classes: [String: [PromiseAtom]]) throws(PromisePatternError)
        -> [PromiseClauseJoin]
    {
        var joins: [PromiseClauseJoin] = []
        for (here, reader) in try objects(
            value, at: "joins", of: "joins", keys: ["description", "lead", "into", "before"])
        {
            let before = try reader.optionalInt("before") ?? 3
            guard (1...8).contains(before) else {
                throw PromisePatternError("\(here).before: expected a number of words from 1 to 8, found \(before)")
            }
            let leads = try strings(reader.value("lead"), at: "\(here).lead", nonEmpty: true)
            let into = try strings(reader.value("into"), at: "\(here).into", nonEmpty: true)
            joins.append(
                PromiseClauseJoin(
                    description: try reader.optionalString("description") ?? "", leads: leads, into: into,
                    before: before,
                    compiledLeads: try compile(leads, at: "\(here).lead", classes: classes),
                    compiledInto: try compile(into, at: "\(here).into", classes: classes)
                )
            )
        }
        return joins
    }

    /// The objects of the list at `path` (none when it is absent), each with its location and a reader that knows its
    /// keys.
    private static func objects(
        _ value: JSONValue?, at path: String, of noun: String, keys: [String]
    ) throws(PromisePatternError) -> [(path: String, reader: ObjectReader)] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else {
            throw PromisePatternError("\(path): expected a list of \(noun), found \(value.typeName)")
        }
        var objects: [(path: String, reader: ObjectReader)] = []
        for (index, item) in items.enumerated() {
            let here = "\(path)[\(index)]"
            objects.append((here, try ObjectReader(item, at: here, keys: keys)))
        }
        return objects
    }

    private static func topics(_ value: JSONValue?) throws(PromisePatternError) -> [PromiseCategory: [String]] {
        guard let value, !value.isNull else { return [:] }
        guard let fields = value.objectValue else {
            throw PromisePatternError("topics: expected an object of lists by category, found \(value.typeName)")
        }
        var topics: [PromiseCategory: [String]] = [:]
        for (name, words) in fields {
            guard let category = PromiseCategory(rawValue: name) else {
                let known = PromiseCategory.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw PromisePatternError("topics.\(name): expected a category, one of \(known)")
            }
            topics[category] = try strings(words, at: "topics.\(name)", nonEmpty: true).map {
                $0.lowercased().replacingOccurrences(of: "ё", with: "е")
            }
        }
        return topics
    }

    private static func compile(_ patterns: [String], at path: String, classes: [String: [PromiseAtom]])
        throws(PromisePatternError) -> [[PromisePatternNode]]
    {
        var compiled: [[PromisePatternNode]] = []
        for (index, pattern) in patterns.enumerated() {
            do throws(PromisePatternError) {
                compiled.append(try PromisePatternSyntax.parse(pattern, classes: classes))
            } catch {
                throw PromisePatternError("\(path)[\(index)] '\(pattern)': \(error.message)")
            }
        }
        return compiled
    }

    private static func strings(_ value: JSONValue?, at path: String, nonEmpty: Bool) throws(PromisePatternError)
        -> [String]
    {
        guard let value, !value.isNull else {
            if nonEmpty { throw PromisePatternError("\(path): expected a non-empty list of strings") }
            return []
        }
        let strings = try readPack { $0.strings(value, at: FieldPath(named: path), expected: "a list of strings") }
        if nonEmpty, strings.isEmpty { throw PromisePatternError("\(path): expected a non-empty list of strings") }
        return strings
    }
}

extension DocumentReader.Wording {
    /// `rules[0].id: expected a string, found integer`.
    fileprivate static var promisePack: Self {
        Self { field, expected, found in "\(field.isEmpty ? "the pack" : field): expected \(expected), found \(found)" }
    }
}

extension FieldPath {
    /// The path a pack's messages name as `path` (`rules[0]`; the pack itself when empty).
    fileprivate init(named path: String) {
        self.init(path.isEmpty ? [] : [.key(path)])
    }
}

/// Runs `read` on a `DocumentReader` worded as pack errors are, and throws its first problem: a pack with one is
/// refused whole.
private func readPack<T>(_ read: (inout DocumentReader) -> T) throws(PromisePatternError) -> T {
    let (value, error) = DocumentReader.firstError(wording: .promisePack, read)
    if let error { throw PromisePatternError(error) }
    return value
}

/// Reads the fields of one JSON object, after checking that it has no key the format does not know, so that a typo
/// (`pattern` for `patterns`) is reported as such rather than as a rule that matches nothing.
private struct ObjectReader {
    let path: FieldPath
    let fields: [String: JSONValue]

    init(_ value: JSONValue, at path: String, keys: [String]) throws(PromisePatternError) {
        let here = FieldPath(named: path)
        guard let fields = try readPack({ $0.object(value, at: here, known: keys) }) else {
            throw PromisePatternError("\(path): expected an object")  // not reached: the reader threw why
        }
        self.path = here
        self.fields = fields
    }

    func value(_ key: String) -> JSONValue? { fields[key] }

    /// The value of `key` read by `read`; nil when it is absent or null.
    private func read<T>(_ key: String, _ read: (inout DocumentReader, JSONValue, FieldPath) -> T?)
        throws(PromisePatternError) -> T?
    {
        guard let value = value(key), !value.isNull else { return nil }
        return try readPack { read(&$0, value, path.appending(key)) }
    }

    func optionalString(_ key: String) throws(PromisePatternError) -> String? {
        try read(key) { reader, value, path in reader.string(value, at: path) }
    }

    func string(_ key: String) throws(PromisePatternError) -> String {
        guard let text = try optionalString(key), !text.isEmpty else {
            throw PromisePatternError("\(path.appending(key)): expected a non-empty string")
        }
        return text
    }

    func optionalInt(_ key: String) throws(PromisePatternError) -> Int? {
        try read(key) { reader, value, path in reader.int(value, at: path) }
    }

    func optionalBool(_ key: String) throws(PromisePatternError) -> Bool? {
        try read(key) { reader, value, path in reader.bool(value, at: path) }
    }

    /// One of `allowed` (named as `expected`, by default the list), with a "did you mean"; nil when absent.
    func choice(_ key: String, of allowed: [String], expected: String? = nil) throws(PromisePatternError) -> String? {
        try read(key) { reader, value, path in reader.choice(value, at: path, of: allowed, expected: expected) }
    }
}
