/// The messages of eval-set diagnostics, one small factory each: lowercase, no final period, field names in double
/// quotes, values in single quotes. Tests compare rendered diagnostics against these words, so change them on
/// purpose only.
enum EvalSetMessages {
    // MARK: Files

    static func missingFile(_ name: String) -> String {
        "missing \(name); a suite folder holds suite.yaml and cases.jsonl"
    }

    static func unreadableFile(_ reason: String) -> String { "cannot read the file: \(reason)" }

    static let byteOrderMark = "byte-order mark (U+FEFF) at the start of the line; save the file as UTF-8 without a BOM"

    static func invalidUTF8(_ byte: UInt8) -> String {
        "invalid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true))); the file must be UTF-8"
    }

    static func lineTooLong(_ bytes: Int, limit: Int) -> String {
        "line is \(bytes) bytes, over the limit of \(limit) bytes"
    }

    static let noCases =
        "no cases; each line of cases.jsonl is one case, and a suite without any would pass having checked nothing"

    // MARK: Syntax

    static func invalidJSON(_ parserMessage: String) -> String {
        parserMessage == "invalid JSON" ? "invalid JSON" : "invalid JSON: \(parserMessage)"
    }

    static func invalidYAML(_ problem: String, context: String?) -> String {
        guard let context, !context.isEmpty else { return "invalid YAML: \(problem)" }
        return "invalid YAML: \(problem) (\(context))"
    }

    static func duplicateYAMLKeys(_ keys: [String]) -> String {
        "duplicate key\(keys.count == 1 ? "" : "s") \(keys.map { "'\($0)'" }.joined(separator: ", ")) in a mapping"
    }

    static let nonStringYAMLKey = "expected a string key, found a list or a mapping"

    static func nonFiniteNumber(_ path: FieldPath) -> String {
        "expected \"\(path)\" to be a finite number"
    }

    // MARK: Fields

    static func mistyped(_ path: some CustomStringConvertible, expected: String, found: String) -> String {
        "expected \"\(path)\" to be \(expected), found \(found)"
    }

    static func mistypedDocument(expected: String, found: String) -> String {
        "expected \(expected), found \(found)"
    }

    static func missing(_ path: FieldPath, _ why: String) -> String {
        "missing \"\(path)\"; \(why)"
    }

    static func empty(_ path: FieldPath) -> String { "\"\(path)\" is empty" }

    /// The longest case id, in characters: ids are shown in every report line and table.
    static let maxCaseIDLength = 256

    /// Why a case id cannot be used, or nil: ids are one line of printable text of at most `maxCaseIDLength`
    /// characters, since reports, JUnit names and the run log's keys show them as they are.
    static func badCaseID(_ id: String) -> String? {
        if id.count > maxCaseIDLength {
            return "expected \"id\" to be at most \(maxCaseIDLength) characters, found \(id.count)"
        }
        if let control = id.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            let hex = String(control.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return "expected \"id\" to be one line of printable text, found a control character (\(code))"
        }
        return nil
    }

    // MARK: Checks of a case

    /// A case whose answer nothing would check: it would pass whatever the model says.
    static func noChecks(idealCheck: Bool) -> String {
        if idealCheck {
            return "the case has an \"ideal\" answer but no check uses it, so any answer would pass; add the check "
                + "{\"type\": \"ideal\", \"match\": \"normalized\"} to \"checks\" (or to defaults.checks in suite.yaml)"
        }
        return "the case has no checks, so any answer would pass; add \"checks\" (or defaults.checks in suite.yaml), "
            + "or write \"checks\": [] with \"unchecked\": true to keep it on purpose (it is then never counted as passed)"
    }

    static let uncheckedNeedsEmptyChecks =
        "\"unchecked\" is true but the case has no \"checks\" field; write \"checks\": [] beside it, so that no checks is said on purpose"

    static func uncheckedWithChecks(_ count: Int) -> String {
        "\"unchecked\" is true but the case has \(count) check\(count == 1 ? "" : "s") (with the suite's defaults); "
            + "remove \"unchecked\", or add \"inherit_checks\": false and \"checks\": []"
    }

    static func reservedParam(_ path: FieldPath) -> String {
        "\"\(path)\" is set by evalgate (the target's model, the case's messages, the run's streaming); remove it"
    }

    // MARK: Cases

    static let caseNeedsID = "every case needs a stable string id"

    static func duplicateID(_ id: String, firstLine: Int) -> String {
        "duplicate id '\(id)'; first used on line \(firstLine)"
    }

    static func promptFields(_ given: [String]) -> String {
        "give one of \"messages\", \"prompt\" or \"input\", not \(given.map { "\"\($0)\"" }.joined(separator: " and "))"
    }

    static let noPrompt = "missing \"messages\" or \"prompt\"; a case needs the prompt to send"

    static func toolMessageNeedsCallID(_ path: FieldPath) -> String {
        "missing \"\(path)\"; a tool message answers a tool call by its id"
    }

    static func missingContent(_ path: FieldPath) -> String {
        "missing \"\(path)\"; only an assistant message with \"tool_calls\" may leave it out"
    }

    // MARK: Suites

    static let suiteKinds = SuiteKind.allCases.map(\.rawValue)

    static func unknownKind(_ kind: String, suggestion: String?) -> String {
        var message =
            "unknown suite kind '\(kind)'; expected one of \(suiteKinds.map { "'\($0)'" }.joined(separator: ", "))"
        message += didYouMean(suggestion)
        return message
    }

    static let suiteNeedsKind =
        "a suite says what it is for: one of " + suiteKinds.map { "'\($0)'" }.joined(separator: ", ")

    static func invalidSuiteName(_ name: String) -> String {
        "invalid suite name '\(name)'; use letters, digits, '.', '_' and '-' only"
    }

    static func duplicateSuiteName(_ name: String, firstPath: String) -> String {
        "duplicate suite name '\(name)'; also the name of \(firstPath)"
    }
}
