import EvalCore

/// One labelled text of an accuracy set: what a detector should find in it.
///
/// A line of a labelled JSONL file:
/// `{"id": "en-7", "lang": "en", "text": "We'll refund you within 3 days.", "labels": ["refund", {"kind": "deadline",
/// "grounded": false}], "facts": ["Refunds take 14 days."]}`. `labels` (or `kinds`) lists the kinds present, as
/// strings or as objects with `kind` and an optional `grounded` (whether the facts back that promise); an empty list
/// is a negative. `lang` defaults to `?`, `facts` (strings or key-values) to none.
public struct LabelledCase: Sendable, Hashable {
    public struct Label: Sendable, Hashable {
        public var kind: String
        /// Whether the case's facts back this finding; nil when the set does not say (read as not backed).
        public var grounded: Bool?

        public init(kind: String, grounded: Bool? = nil) {
            self.kind = kind
            self.grounded = grounded
        }
    }

    public var id: String?
    public var line: Int
    public var language: String
    public var text: String
    public var labels: [Label]
    public var facts: [String]

    public init(id: String? = nil, line: Int, language: String, text: String, labels: [Label], facts: [String] = []) {
        self.id = id
        self.line = line
        self.language = language
        self.text = text
        self.labels = labels
        self.facts = facts
    }

    /// Reads one line; nil for a blank line. The error names the column (1 unless the JSON itself is broken) and the
    /// field.
    public static func parse(_ line: Substring, lineNumber: Int, textField: String = "text") -> Result<
        LabelledCase?, LabelledSetError
    > {
        func failure(_ column: Int, _ message: String) -> Result<LabelledCase?, LabelledSetError> {
            .failure(LabelledSetError(line: lineNumber, column: column, message: message))
        }
        if line.allSatisfy(\.isWhitespace) { return .success(nil) }
        let json: JSONValue
        do {
            json = try JSONValue.parse(line.utf8)
        } catch {
            return failure(String(decoding: line.utf8.prefix(error.offset), as: UTF8.self).count + 1, error.message)
        }
        guard json.objectValue != nil else { return failure(1, "expected a JSON object, found \(json.typeName)") }
        guard let textValue = json[textField] else { return failure(1, "missing field \"\(textField)\"") }
        guard let text = textValue.stringValue else {
            return failure(1, "expected \"\(textField)\" to be a string, found \(textValue.typeName)")
        }
        let labelKey = json["labels"] != nil ? "labels" : "kinds"
        guard let labelValue = json[labelKey] else {
            return failure(1, "missing field \"labels\" (a list of kinds; [] for none)")
        }
        guard let items = labelValue.arrayValue else {
            return failure(1, "expected \"\(labelKey)\" to be a list, found \(labelValue.typeName)")
        }
        var labels: [Label] = []
        for (index, item) in items.enumerated() {
            if let kind = item.stringValue, !kind.isEmpty {
                labels.append(Label(kind: kind))
            } else if item.objectValue != nil, let kind = item["kind"]?.stringValue, !kind.isEmpty {
                let grounded = item["grounded"]
                if let grounded, !grounded.isNull, grounded.boolValue == nil {
                    return failure(
                        1, "expected \"\(labelKey)[\(index)].grounded\" to be true or false, found \(grounded.typeName)"
                    )
                }
                labels.append(Label(kind: kind, grounded: grounded?.boolValue))
            } else {
                return failure(
                    1, "expected \"\(labelKey)[\(index)]\" to be a kind or {\"kind\": ...}, found \(item.typeName)")
            }
        }
        var language = "?"
        if let value = json["lang"] ?? json["language"] {
            guard let text = value.stringValue, !text.isEmpty else {
                return failure(
                    1,
                    "expected \"lang\" to be a non-empty string, found \(value.stringValue != nil ? "an empty string" : value.typeName)"
                )
            }
            language = text
        }
        var facts: [String] = []
        if let value = json["facts"], !value.isNull {
            switch Facts.lines(from: value) {
            case .success(let lines): facts = lines
            case .failure(let error): return failure(1, error.description)
            }
        }
        var id: String?
        if let value = json["id"] { id = value.stringValue ?? value.intValue.map { String($0) } }
        return .success(
            LabelledCase(id: id, line: lineNumber, language: language, text: text, labels: labels, facts: facts))
    }
}

/// A line of a labelled set that cannot be read.
public struct LabelledSetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(line):\(column): \(message)" }
}

/// Precision and recall of checks against labelled texts, per language and kind.
///
/// A finding's kind is the second part of its rule id (`promise.refund.full` → `refund`, `pii.phone` → `phone`).
/// Detection is judged per text and kind: a kind found and labelled is a true positive, found and not labelled a
/// false positive, labelled and not found a false negative. Detection runs without the facts (a backed promise is
/// still a promise); the verdict runs with them: the checks should fail exactly when some label is not backed.
public struct AccuracyTally: Sendable {
    public struct Counts: Sendable, Hashable {
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0

        public init() {}

        public var precision: Double {
            truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
        }
        public var recall: Double {
            truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
        }
        public var support: Int { truePositives + falseNegatives }

        mutating func add(expected: Bool, found: Bool) {
            switch (expected, found) {
            case (true, true): truePositives += 1
            case (false, true): falsePositives += 1
            case (true, false): falseNegatives += 1
            case (false, false): break
            }
        }
    }

    /// A text the checks got wrong.
    public struct Miss: Sendable, Hashable {
        public var labelled: LabelledCase
        public var missed: [String]
        public var extra: [String]
        /// The findings that made the extra kinds: `promise.price.amount 'costs £9'`.
        public var evidence: [String]
    }

    /// `[language][kind]`.
    public private(set) var byKind: [String: [String: Counts]] = [:]
    /// `[language]`: every (text, kind) pair.
    public private(set) var allKinds: [String: Counts] = [:]
    /// `[language]`: whether a text has anything at all.
    public private(set) var anyKind: [String: Counts] = [:]
    /// `[language]`: whether the checks fail with the facts given, against whether some label is not backed.
    public private(set) var verdict: [String: Counts] = [:]
    public private(set) var cases: [String: Int] = [:]
    public private(set) var casesWithFacts = 0
    public private(set) var misses: [Miss] = []

    public init() {}

    /// `promise.refund.full` → `refund`; `pii.phone` → `phone`; a one-part id is its own kind.
    public static func kind(ofRule ruleID: String) -> String {
        let parts = ruleID.split(separator: ".")
        return parts.count >= 2 ? String(parts[1]) : ruleID
    }

    /// Scores one labelled text with `checks`.
    public mutating func add(_ labelled: LabelledCase, checks: [any Check]) {
        var found = Set<String>()
        var evidence: [String: String] = [:]
        let plain = CheckInput(response: labelled.text)
        for check in checks {
            for finding in check.evaluate(plain).findings {
                let kind = Self.kind(ofRule: finding.ruleID)
                found.insert(kind)
                if evidence[kind] == nil { evidence[kind] = "\(finding.ruleID) '\(finding.text ?? "")'" }
            }
        }
        let grounded = CheckInput(response: labelled.text, facts: labelled.facts)
        let failed = checks.contains { !$0.evaluate(grounded).passed }
        add(labelled, found: found, evidence: evidence, failed: failed)
    }

    mutating func add(_ labelled: LabelledCase, found: Set<String>, evidence: [String: String], failed: Bool) {
        let language = labelled.language
        let expected = Set(labelled.labels.map(\.kind))
        cases[language, default: 0] += 1
        if !labelled.facts.isEmpty { casesWithFacts += 1 }
        for kind in expected.union(found) {
            byKind[language, default: [:]][kind, default: Counts()].add(
                expected: expected.contains(kind), found: found.contains(kind))
            allKinds[language, default: Counts()].add(expected: expected.contains(kind), found: found.contains(kind))
        }
        anyKind[language, default: Counts()].add(expected: !expected.isEmpty, found: !found.isEmpty)
        verdict[language, default: Counts()].add(
            expected: labelled.labels.contains { $0.grounded != true }, found: failed)
        if expected != found {
            let extra = found.subtracting(expected).sorted()
            misses.append(
                Miss(
                    labelled: labelled, missed: expected.subtracting(found).sorted(), extra: extra,
                    evidence: extra.compactMap { evidence[$0] })
            )
        }
    }

    public var languages: [String] { cases.keys.sorted() }

    /// The table `evalgate bench-accuracy` prints and BENCHMARKS.md holds.
    public func table() -> String {
        var lines = [
            "| lang | kind | labelled | tp | fp | fn | precision | recall |", "|---|---|---|---|---|---|---|---|",
        ]
        func row(_ language: String, _ kind: String, _ counts: Counts) {
            lines.append(
                "| \(language) | \(kind) | \(counts.support) | \(counts.truePositives) | \(counts.falsePositives) | \(counts.falseNegatives) | "
                    + "\(Self.format(counts.precision)) | \(Self.format(counts.recall)) |"
            )
        }
        for language in languages {
            for (kind, counts) in (byKind[language] ?? [:]).sorted(by: { $0.key < $1.key }) {
                row(language, kind, counts)
            }
            row(language, "**all kinds**", allKinds[language] ?? Counts())
            row(language, "**any (text level)**", anyKind[language] ?? Counts())
            row(language, "**verdict with facts**", verdict[language] ?? Counts())
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        let scaled = Int((value * 1000).rounded())
        let fraction = String(scaled % 1000)
        return "\(scaled / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
