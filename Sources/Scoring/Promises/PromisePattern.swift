/// One test a token may pass. Words and stems hold normalized UTF-8 (lowercase, `ё` as `е`), exactly as the tokenizer
/// writes it.
enum PromiseAtom: Hashable, Sendable {
    /// The token is exactly this word, number or symbol.
    case word([UInt8])
    /// The token starts with this stem.
    case stem([UInt8])
    /// `@digits`: any number written with digits.
    case digits
    /// `@time`: a number with a colon, `18:00`.
    case time
    /// `@any`: any token.
    case any
}

/// One step of a pattern: a token that passes one of the alternatives, or a gap of up to `n` tokens.
enum PromisePatternNode: Hashable, Sendable {
    case test([PromiseAtom], optional: Bool)
    case gap(Int)

    var isRequiredTest: Bool {
        if case .test(_, let optional) = self { return !optional }
        return false
    }
}

/// Why a pattern or a class could not be read.
struct PromisePatternError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The pattern language of promise packs. A pattern is elements separated by spaces; each element matches one
/// token (or, for a gap, several):
///
/// | element | matches |
/// |---|---|
/// | `за` | exactly the word (case-insensitive, `ё` = `е`) |
/// | `гарантир*` | any word that starts with the stem |
/// | `до\|к\|ко` | any one of the alternatives |
/// | `@weekday` | any alternative of the pack's class `weekday` |
/// | `@digits`, `@time`, `@any` | built in: a number in digits (`3`, `24`, `1,5`, `10 000`, `2-3`, `3-х`), a clock time (`18:00`), any token |
/// | `x?` | optional |
/// | `~3` | a gap: zero to three tokens of any kind |
///
/// A match never crosses a comma, a semicolon or the end of a sentence. A pattern cannot start with a gap or with
/// `@any`, cannot end with a gap and needs at least one element that is not optional.
enum PromisePatternSyntax {
    static let builtinClasses: [String: PromiseAtom] = ["digits": .digits, "time": .time, "any": .any]
    static let maximumGap = 8
    static let maximumLength = 64

    /// Parses one pattern, with the classes of its pack already resolved.
    static func parse(_ source: String, classes: [String: [PromiseAtom]]) throws(PromisePatternError)
        -> [PromisePatternNode]
    {
        var nodes: [PromisePatternNode] = []
        for element in source.split(whereSeparator: \.isWhitespace).map(String.init) {
            if element.hasPrefix("~") {
                guard let size = Int(element.dropFirst()), (1...maximumGap).contains(size) else {
                    throw PromisePatternError(
                        "a gap is written '~N' with N from 1 to \(maximumGap), found '\(element)'")
                }
                nodes.append(.gap(size))
                continue
            }
            var body = element
            let optional = body.hasSuffix("?")
            if optional { body.removeLast() }
            guard !body.isEmpty else { throw PromisePatternError("'\(element)' has nothing to match") }
            nodes.append(.test(try alternatives(body, classes: classes), optional: optional))
        }
        try validate(nodes)
        return nodes
    }

    /// The atoms of `a|b*|@class`.
    static func alternatives(_ text: String, classes: [String: [PromiseAtom]]) throws(PromisePatternError)
        -> [PromiseAtom]
    {
        var atoms: [PromiseAtom] = []
        for part in text.split(separator: "|", omittingEmptySubsequences: false).map(String.init) {
            guard !part.isEmpty else { throw PromisePatternError("empty alternative in '\(text)'") }
            if part.hasPrefix("@") {
                let name = String(part.dropFirst())
                if let builtin = builtinClasses[name] {
                    atoms.append(builtin)
                } else if let members = classes[name] {
                    atoms.append(contentsOf: members)
                } else {
                    throw PromisePatternError("unknown class '\(part)'")
                }
                continue
            }
            atoms.append(try atom(part))
        }
        var seen = Set<PromiseAtom>()
        return atoms.filter { seen.insert($0).inserted }
    }

    /// A word (`за`) or a stem (`гарантир*`), normalized as the tokenizer normalizes text.
    static func atom(_ text: String) throws(PromisePatternError) -> PromiseAtom {
        let isStem = text.hasSuffix("*")
        let body = isStem ? String(text.dropLast()) : text
        if body.contains("*") { throw PromisePatternError("'*' may only end a stem, found '\(text)'") }
        if body.contains("@") || body.contains("~") || body.contains("?") {
            throw PromisePatternError("'\(text)' mixes a word with pattern syntax")
        }
        let tokens = PromiseTokenCollector.tokens(of: body)
        guard tokens.count == 1, let token = tokens.first else {
            if tokens.isEmpty { throw PromisePatternError("'\(text)' has no letters, digits or currency signs") }
            throw PromisePatternError("'\(text)' is \(tokens.count) tokens; write each word as its own element")
        }
        guard isStem else { return .word(token.bytes) }
        guard String(decoding: token.bytes, as: UTF8.self).unicodeScalars.count >= 2 else {
            throw PromisePatternError("stem '\(text)' is too short; a stem needs at least 2 letters")
        }
        return .stem(token.bytes)
    }

    private static func validate(_ nodes: [PromisePatternNode]) throws(PromisePatternError) {
        guard !nodes.isEmpty else { throw PromisePatternError("empty pattern") }
        guard let firstRequired = nodes.firstIndex(where: \.isRequiredTest) else {
            throw PromisePatternError("a pattern needs at least one element that is not optional")
        }
        for (index, node) in nodes.enumerated() {
            switch node {
            case .gap:
                if index < firstRequired {
                    throw PromisePatternError("a gap cannot come before the first required element")
                }
                if index == nodes.count - 1 { throw PromisePatternError("a pattern cannot end with a gap") }
                if case .gap = nodes[index + 1] { throw PromisePatternError("two gaps in a row") }
            case .test(let atoms, _):
                if index <= firstRequired, atoms.contains(.any) {
                    throw PromisePatternError("a pattern cannot start with '@any'")
                }
            }
        }
        let length = nodes.reduce(0) { total, node in
            if case .gap(let size) = node { return total + size }
            return total + 1
        }
        guard length <= maximumLength else {
            throw PromisePatternError("a pattern can span at most \(maximumLength) tokens, this one \(length)")
        }
    }

    /// Resolves a pack's classes: each is a list of alternatives that may name other classes.
    static func resolveClasses(_ definitions: [String: [String]]) throws(PromisePatternError) -> [String: [PromiseAtom]]
    {
        var resolved: [String: [PromiseAtom]] = [:]
        var visiting: [String] = []

        func resolve(_ name: String) throws(PromisePatternError) -> [PromiseAtom] {
            if let done = resolved[name] { return done }
            guard let entries = definitions[name] else { throw PromisePatternError("unknown class '@\(name)'") }
            if let start = visiting.firstIndex(of: name) {
                let cycle = (visiting[start...] + [name]).map { "@\($0)" }.joined(separator: " -> ")
                throw PromisePatternError("classes refer to each other in a cycle: \(cycle)")
            }
            visiting.append(name)
            defer { visiting.removeLast() }
            var atoms: [PromiseAtom] = []
            for (index, entry) in entries.enumerated() {
                for part in entry.split(separator: "|", omittingEmptySubsequences: false).map(String.init) {
                    do throws(PromisePatternError) {
                        guard !part.isEmpty else { throw PromisePatternError("empty alternative in '\(entry)'") }
                        if part.hasPrefix("@") {
                            let reference = String(part.dropFirst())
                            if let builtin = builtinClasses[reference] {
                                atoms.append(builtin)
                            } else {
                                guard definitions[reference] != nil else {
                                    throw PromisePatternError("unknown class '\(part)'")
                                }
                                atoms.append(contentsOf: try resolve(reference))
                            }
                        } else {
                            atoms.append(try atom(part))
                        }
                    } catch {
                        if error.message.hasPrefix("classes.") || error.message.hasPrefix("classes refer") {
                            throw error
                        }
                        throw PromisePatternError("classes.\(name)[\(index)] '\(entry)': \(error.message)")
                    }
                }
            }
            var seen = Set<PromiseAtom>()
            let unique = atoms.filter { seen.insert($0).inserted }
            resolved[name] = unique
            return unique
        }

        for name in definitions.keys.sorted() {
            guard PromiseCategory.isIdentifier(name), builtinClasses[name] == nil else {
                throw PromisePatternError(
                    builtinClasses[name] == nil
                        ? "class name '\(name)' must be lowercase letters, digits and '_'"
                        : "class name '\(name)' is built in and cannot be redefined"
                )
            }
            _ = try resolve(name)
        }
        return resolved
    }
}
