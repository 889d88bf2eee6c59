import ArgumentParser
import EvalCore
import Foundation
import Yams

/// `evalgate import`: eval data from OpenAI Evals, promptfoo, Inspect / Hugging Face or a CSV file, written as an
/// evalgate suite. What cannot be mapped is listed, one line each, and kept in the case's metadata: never dropped.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import eval data from OpenAI Evals, promptfoo, Inspect or CSV as an evalgate suite.",
        discussion: """
            Formats: openai-evals (JSONL: input, ideal → an `ideal` check), inspect (JSONL: input, target, id, \
            metadata → the same), promptfoo (YAML: prompts[0] as the prompt template, tests with vars; asserts \
            equals, contains, icontains, contains-any, contains-all, not-contains, regex, not-regex, starts-with, \
            ends-with, is-json → checks; javascript, python, llm-rubric and others are listed as not importable), \
            csv (--map input=COLUMN[,ideal=COLUMN][,id=COLUMN][,tags=COLUMN][,system=COLUMN]; other columns kept \
            in metadata). A case left with no check is written "unchecked" (never counted as passed) and listed. \
            The suite is validated after it is written. Exit codes: 0 written (the list says what was not \
            imported), 2 bad input.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case openaiEvals = "openai-evals"
        case promptfoo, inspect, csv
    }

    @Argument(help: "The format: openai-evals, promptfoo, inspect or csv.")
    var format: Format

    @Argument(help: "The file to import.")
    var file: String

    @Option(name: .long, help: ArgumentHelp("The suite folder to write (created).", valueName: "folder"))
    var out: String

    @Option(name: .long, help: "The suite's kind: golden, eval or base.")
    var kind = "eval"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "CSV columns: input=COLUMN, and optionally ideal=, id=, tags=, system=.", valueName: "key=column,..."))
    var map: String?

    @Option(name: .long, help: "How an ideal answer is matched: normalized, exact or contains.")
    var match = "normalized"

    @Flag(name: .long, help: "Overwrite the suite's files when they exist.")
    var force = false

    func validate() throws {
        guard ["golden", "eval", "base", "train-sample"].contains(kind) else {
            throw ValidationError("--kind expects golden, eval, base or train-sample, found '\(kind)'")
        }
        guard ["normalized", "exact", "contains"].contains(match) else {
            throw ValidationError("--match expects normalized, exact or contains, found '\(match)'")
        }
        if format == .csv, map == nil {
            throw ValidationError("csv needs --map input=COLUMN (and optionally ideal=, id=, tags=, system=)")
        }
        if format != .csv, map != nil { throw ValidationError("--map is for csv only") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIError.usage("\(file): cannot read the file").report()
        }
        let text = String(decoding: data, as: UTF8.self)
        var importer = Importer(file: file, match: match)
        do {
            switch format {
            case .openaiEvals: try importer.jsonl(text, targetField: "ideal")
            case .inspect: try importer.jsonl(text, targetField: "target")
            case .promptfoo: try importer.promptfoo(text)
            case .csv: try importer.csv(text, map: map ?? "")
            }
        } catch {
            throw CLIError.usage((error as? ImportError)?.message ?? "\(error)").report()
        }
        guard !importer.cases.isEmpty else { throw CLIError.usage("\(file): no cases to import").report() }

        let name = (out as NSString).lastPathComponent
        let suiteYAML = """
            # Imported by `evalgate import \(format.rawValue)` from \(file).
            name: \(name)
            kind: \(kind)
            description: \(CanonicalJSON.string(.string("Imported from \(file) (\(format.rawValue)).")))

            """
        let files = [
            (out + "/suite.yaml", suiteYAML),
            (out + "/cases.jsonl", importer.cases.map { CanonicalJSON.string(.object($0)) + "\n" }.joined()),
        ]
        if !force, let existing = files.map(\.0).first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw CLIError.usage("\(existing) exists: use --force to overwrite it").report()
        }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for (path, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        } catch {
            throw CLIError.infrastructure("cannot write \(out): \(error.localizedDescription)").report()
        }
        for line in importer.notImported {
            FileHandle.standardError.write(Data("evalgate: not imported: \(line)\n".utf8))
        }
        let loaded = SuitePaths.load([out])
        if !loaded.diagnostics.isEmpty {
            FileHandle.standardError.write(Data(loaded.diagnostics.map { "\($0)\n" }.joined().utf8))
        }
        if loaded.errorCount > 0 { throw ExitCode(2) }
        let unchecked = importer.cases.filter { $0["unchecked"] == .bool(true) }.count
        print(
            "evalgate import: \(importer.cases.count) cases → \(out) (\(unchecked) unchecked, \(importer.notImported.count) parts not imported, listed above)"
        )
    }
}

struct ImportError: Error {
    var message: String
}

/// Turns records of another tool into evalgate case objects, collecting what it could not map.
struct Importer {
    let file: String
    let match: String
    var cases: [[String: JSONValue]] = []
    var notImported: [String] = []

    /// A case from its parts; without checks it is written unchecked, and that is listed.
    mutating func add(
        id: String, where place: String, prompt: JSONValue, checks: [JSONValue], ideal: JSONValue? = nil,
        vars: [String: JSONValue] = [:], tags: [String] = [], metadata: [String: JSONValue] = [:],
        skipped: [String] = []
    ) {
        var fields: [String: JSONValue] = ["id": .string(id), "checks": .array(checks)]
        fields[prompt.stringValue != nil ? "prompt" : "messages"] = prompt
        if let ideal { fields["ideal"] = ideal }
        if !vars.isEmpty { fields["vars"] = .object(vars) }
        if !tags.isEmpty { fields["tags"] = .array(tags.map(JSONValue.string)) }
        var metadata = metadata
        metadata["imported_from"] = .string(place)
        for item in skipped { notImported.append("\(place): \(item)") }
        if !skipped.isEmpty { metadata["not_imported"] = .array(skipped.map(JSONValue.string)) }
        if checks.isEmpty {
            fields["unchecked"] = .bool(true)
            notImported.append(
                "\(place): case '\(id)' has nothing to check; written as unchecked (never counted as passed)")
        }
        fields["metadata"] = .object(metadata)
        cases.append(fields)
    }

    // MARK: OpenAI Evals and Inspect / Hugging Face JSONL

    mutating func jsonl(_ text: String, targetField: String) throws {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let place = "\(file):\(index + 1)"
            guard line.contains(where: { !$0.isWhitespace }) else { continue }
            guard let value = try? JSONValue.parse(String(line)), let object = value.objectValue else {
                throw ImportError(message: "\(place): expected a JSON object per line")
            }
            guard let input = object["input"], input.stringValue != nil || input.arrayValue != nil else {
                throw ImportError(message: "\(place): expected \"input\" (a string or an array of messages)")
            }
            let target = object[targetField]
            var checks: [JSONValue] = []
            var skipped: [String] = []
            var ideal: JSONValue?
            if let target,
                target.stringValue != nil || (target.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false)
            {
                ideal = target
                checks.append(.object(["type": .string("ideal"), "match": .string(match)]))
            }
            var metadata = object["metadata"]?.objectValue ?? [:]
            if ideal == nil, let target, target != .null {
                skipped.append("\"\(targetField)\" is not a string or a list of strings (kept in metadata)")
                metadata[targetField] = target
            }
            for key in object.keys.sorted() where !["input", targetField, "id", "metadata"].contains(key) {
                skipped.append("field \"\(key)\" (kept in metadata)")
                metadata[key] = object[key]
            }
            let id = object["id"].flatMap { $0.stringValue ?? $0.intValue.map(String.init) } ?? "case-\(index + 1)"
            add(id: id, where: place, prompt: input, checks: checks, ideal: ideal, metadata: metadata, skipped: skipped)
        }
    }

    // MARK: CSV

    mutating func csv(_ text: String, map: String) throws {
        var columns: [String: String] = [:]
        for pair in map.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let keys = ["input", "ideal", "id", "tags", "system"]
            guard parts.count == 2, keys.contains(parts[0]) else {
                let suggestion = didYouMean(closestName(to: parts[0], in: keys))
                throw ImportError(
                    message:
                        "--map: expected KEY=COLUMN with KEY one of \(keys.joined(separator: ", ")), found '\(pair)'\(suggestion)"
                )
            }
            columns[parts[0]] = parts[1]
        }
        guard columns["input"] != nil else { throw ImportError(message: "--map: input=COLUMN is required") }
        let rows: [[String]]
        do {
            rows = try CSVTable.parse(text)
        } catch {
            throw ImportError(message: "\(file):\(error.line): \(error.message)")
        }
        guard let header = rows.first else { throw ImportError(message: "\(file): empty") }
        for (key, column) in columns.sorted(by: { $0.key < $1.key }) where !header.contains(column) {
            let suggestion = didYouMean(closestName(to: column, in: header))
            throw ImportError(
                message:
                    "\(file):1: --map \(key)=\(column): no such column (columns: \(header.joined(separator: ", ")))\(suggestion)"
            )
        }
        let mapped = Set(columns.values)
        for (index, row) in rows.dropFirst().enumerated() {
            let place = "\(file):\(index + 2)"
            guard row.count == header.count else {
                throw ImportError(message: "\(place): \(row.count) fields, the header has \(header.count)")
            }
            let value = Dictionary(uniqueKeysWithValues: zip(header, row))
            var prompt: JSONValue = .string(value[columns["input"]!]!)
            if let system = columns["system"].flatMap({ value[$0] }), !system.isEmpty {
                prompt = .array([
                    .object(["role": .string("system"), "content": .string(system)]),
                    .object(["role": .string("user"), "content": prompt]),
                ])
            }
            let ideal = columns["ideal"].flatMap { value[$0] }.flatMap { $0.isEmpty ? nil : JSONValue.string($0) }
            let checks: [JSONValue] =
                ideal == nil ? [] : [.object(["type": .string("ideal"), "match": .string(match)])]
            let tags =
                columns["tags"].flatMap { value[$0] }.map {
                    $0.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
                        .filter { !$0.isEmpty }
                } ?? []
            var metadata: [String: JSONValue] = [:]
            for column in header where !mapped.contains(column) { metadata[column] = .string(value[column]!) }
            let id = columns["id"].flatMap { value[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? "row-\(index + 2)"
            add(id: id, where: place, prompt: prompt, checks: checks, ideal: ideal, tags: tags, metadata: metadata)
        }
        let unmapped = header.filter { !mapped.contains($0) }
        if !unmapped.isEmpty {
            notImported.append(
                "\(file): columns \(unmapped.joined(separator: ", ")) are not mapped (kept in each case's metadata)")
        }
    }

    // MARK: promptfoo

    /// promptfoo assertion types that map to an evalgate check with `value` (or `values` for a list).
    static let promptfooChecks: [String: (type: String, ignoreCase: Bool)] = [
        "equals": ("equals", false), "contains": ("contains", false), "icontains": ("icontains", false),
        "contains-any": ("contains-any", false), "icontains-any": ("contains-any", true),
        "contains-all": ("contains-all", false), "icontains-all": ("contains-all", true),
        "not-contains": ("not-contains", false), "not-icontains": ("not-contains", true),
        "regex": ("regex", false), "not-regex": ("not-regex", false),
        "starts-with": ("starts-with", false), "ends-with": ("ends-with", false),
    ]

    mutating func promptfoo(_ text: String) throws {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw ImportError(message: "\(file): not YAML: \(error)")
        }
        guard let root = document as? [String: Any] else {
            throw ImportError(message: "\(file): expected a mapping with prompts and tests")
        }
        let prompts = (root["prompts"] as? [Any]) ?? (root["prompts"].map { [$0] } ?? [])
        guard let template = prompts.first as? String, !template.hasPrefix("file://") else {
            throw ImportError(
                message:
                    "\(file): prompts: expected the prompt template as a string (prompts in files, or as objects, are not importable)"
            )
        }
        for (index, other) in prompts.enumerated().dropFirst() {
            notImported.append(
                "\(file): prompts[\(index)] '\(String(describing: other).prefix(60))': only the first prompt is imported"
            )
        }
        guard let tests = root["tests"] as? [[String: Any]] else {
            throw ImportError(
                message: "\(file): tests: expected a list of tests (tests in other files are not importable)")
        }
        let shared = ((root["defaultTest"] as? [String: Any])?["assert"] as? [[String: Any]]) ?? []
        for key in root.keys.sorted() where !["prompts", "tests"].contains(key) {
            let why =
                key == "providers"
                ? " (targets go in evalgate.yaml)" : key == "defaultTest" ? " (only its assert is imported)" : ""
            if key != "defaultTest" || Set((root[key] as? [String: Any] ?? [:]).keys) != ["assert"] {
                notImported.append("\(file): top-level '\(key)'\(why)")
            }
        }
        for (index, test) in tests.enumerated() {
            let place = "\(file): tests[\(index)]"
            var vars: [String: JSONValue] = [:]
            var skipped: [String] = []
            for (name, value) in (test["vars"] as? [String: Any]) ?? [:] {
                if let scalar = Self.scalar(value) {
                    vars[name] = scalar
                } else {
                    skipped.append("vars.\(name) (not a string, number or boolean)")
                }
            }
            for key in test.keys.sorted() where !["vars", "assert", "description"].contains(key) {
                skipped.append("test key '\(key)'")
            }
            var checks: [JSONValue] = []
            let asserts =
                shared.enumerated().map { ("defaultTest.assert[\($0)]", $1) }
                + ((test["assert"] as? [[String: Any]]) ?? []).enumerated().map { ("assert[\($0)]", $1) }
            for (place, assertion) in asserts {
                let type = assertion["type"] as? String ?? "?"
                if let check = Self.check(assertion) {
                    checks.append(check)
                    for key in assertion.keys.sorted() where !["type", "value"].contains(key) {
                        skipped.append("\(place) key '\(key)' (the check is imported without it)")
                    }
                } else {
                    let why =
                        ["javascript", "python", "llm-rubric", "model-graded-closedqa", "similar", "webhook"].contains(
                            type)
                        ? "needs code or a model to judge"
                        : Self.promptfooChecks[type] != nil
                            ? "its value is not text or a list of text" : "no evalgate check for it"
                    skipped.append("\(place) type '\(type)' (\(why))")
                }
            }
            let id =
                (test["description"] as? String).map(Self.slug).flatMap { $0.isEmpty ? nil : $0 } ?? "test-\(index + 1)"
            let metadata = (test["description"] as? String).map { ["description": JSONValue.string($0)] } ?? [:]
            add(
                id: cases.contains { $0["id"] == .string(id) } ? "\(id)-\(index + 1)" : id, where: place,
                prompt: .string(template), checks: checks, vars: vars, metadata: metadata, skipped: skipped)
        }
    }

    static func check(_ assertion: [String: Any]) -> JSONValue? {
        guard let type = assertion["type"] as? String else { return nil }
        if type == "is-json" { return .object(["type": .string("json")]) }
        guard let mapped = promptfooChecks[type] else { return nil }
        var fields: [String: JSONValue] = ["type": .string(mapped.type)]
        if mapped.ignoreCase { fields["ignore_case"] = .bool(true) }
        let key = ["regex", "not-regex"].contains(type) ? "pattern" : "value"
        if let text = assertion["value"] as? String {
            fields[key] = .string(text)
        } else if let list = assertion["value"] as? [String], key == "value",
            ["contains-any", "contains-all", "not-contains"].contains(mapped.type)
        {
            fields["values"] = .array(list.map(JSONValue.string))
        } else {
            return nil
        }
        return .object(fields)
    }

    static func scalar(_ value: Any) -> JSONValue? {
        switch value {
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .int(Int64(number))
        case let number as Double: return .double(number)
        default: return nil
        }
    }

    static func slug(_ text: String) -> String {
        let lowered = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(lowered).split(separator: "-").joined(separator: "-").prefix(60).description
    }
}
