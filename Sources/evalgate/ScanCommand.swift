import ArgumentParser
import EvalCore
import Foundation
import Scoring

/// `evalgate scan`: apply checks to arbitrary text — transcripts, logs, exports — and print the findings.
/// It serves users who audit transcripts, and it is how detector accuracy is measured.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan text for PII and banned promises (or any checks) and print one JSON line per input.",
        discussion: """
            Input: JSONL files (one object per line, the text in --field, an optional "id" carried to the output, \
            optional "facts": strings or key-values the answer may rely on) or plain text (one input per line). Files ending in .jsonl or .json are read as JSONL unless --format \
            says otherwise; "-" reads standard input.
            Output: one JSON line per input on stdout: {"id": ..., "file": ..., "line": N, "findings": [{"rule", \
            "message", "span": {"start", "end"} (UTF-8 byte offsets), "text"}]}.
            Default checks: {"type": "pii"} and {"type": "promises"} (all PII detectors, ru and en promise packs).
            Facts (--facts FILE, and a line's own "facts") back promises: a promise whose figures the facts hold is \
            not a finding; one they contradict says so. --explain adds "notes": the matches let pass, with why.
            Exit codes: 0 scanned (findings or not), 2 bad input or options (every bad line is reported).
            """
    )

    @Argument(help: "Files to scan (\"-\" for standard input).")
    var files: [String]

    @Option(name: .long, help: "JSONL field that holds the text.")
    var field = "text"

    @Option(name: .long, help: "Input format: auto (by extension), jsonl, or lines.")
    var format: InputFormat = .auto

    @Option(
        name: .customLong("check"),
        help: ArgumentHelp(
            "A check to apply, as JSON (repeatable), e.g. '{\"type\":\"pii\",\"entities\":[\"email\"]}'. Replaces the defaults.",
            valueName: "json"))
    var checkSpecs: [String] = []

    @Flag(name: .long, help: "Print only inputs that have findings.")
    var onlyFindings = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Facts every input may rely on: a JSON file (a list of strings or an object of key-values) or a text file (one fact a line).",
            valueName: "file"))
    var facts: String?

    @Flag(
        name: .long,
        help:
            "Add \"notes\" to each line: the matches that were let pass, with the reason (negated, reported speech, grounded in facts...)."
    )
    var explain = false

    @Flag(name: .long, help: "Print a count of findings per rule on stderr at the end.")
    var summary = false

    enum InputFormat: String, ExpressibleByArgument, CaseIterable {
        case auto, jsonl, lines
    }

    func run() async throws {
        let checks: [any Check]
        let sharedFacts: [String]
        do {
            checks = try buildChecks()
            sharedFacts = try facts.map(Self.readFacts) ?? []
        } catch let error as CLIError {
            throw error.report()
        }
        var output = OutputBuffer()
        var counts: [String: Int] = [:]
        var problems = 0
        for file in files {
            let format = resolvedFormat(for: file)
            do {
                try LineReader.forEachLine(in: file) { lineNumber, line in
                    guard let line else {
                        problems += 1
                        FileHandle.standardError.write(
                            Data("\(file):\(lineNumber):1: error: invalid UTF-8 in this line; it was skipped\n".utf8))
                        return
                    }
                    guard
                        let input = parse(line, lineNumber: lineNumber, file: file, format: format, problems: &problems)
                    else { return }
                    var findings: [JSONValue] = []
                    var notes: [JSONValue] = []
                    for check in checks {
                        var checkInput = CheckInput(response: input.text, facts: sharedFacts + input.facts)
                        checkInput.wantsNotes = explain
                        let outcome = check.evaluate(checkInput)
                        for finding in outcome.findings {
                            counts[finding.ruleID, default: 0] += 1
                            findings.append(Self.json(finding))
                        }
                        if explain { notes += outcome.notes.map(Self.json) }
                    }
                    if onlyFindings && findings.isEmpty { return }
                    var object: [String: JSONValue] = [
                        "file": .string(file), "line": .int(Int64(lineNumber)), "findings": .array(findings),
                    ]
                    if let id = input.id { object["id"] = id }
                    if explain { object["notes"] = .array(notes) }
                    output.writeLine(JSONValue.object(object).canonicalData())
                }
            } catch {
                // A file that cannot be read is reported and skipped; the other files are still scanned.
                problems += 1
                output.flush()
                FileHandle.standardError.write(Data("evalgate: error: \(file): \(LineReader.describe(error))\n".utf8))
            }
        }
        output.flush()
        if summary {
            let lines = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.value)\t\($0.key)" }
            FileHandle.standardError.write(Data((["findings by rule:"] + lines).joined(separator: "\n").utf8 + [10]))
        }
        if problems > 0 { throw ExitCode(2) }
    }

    private func buildChecks() throws -> [any Check] {
        try Self.checks(checkSpecs, default: [CheckSpec(type: "pii"), CheckSpec(type: "promises")])
    }

    /// The checks of `--check` options (JSON specs), or `defaults` when there are none; a bad spec is a usage error.
    static func checks(_ checkSpecs: [String], default defaults: [CheckSpec]) throws -> [any Check] {
        let specs: [CheckSpec]
        if checkSpecs.isEmpty {
            specs = defaults
        } else {
            specs = try checkSpecs.map { text in
                guard let json = try? JSONValue.parse(text), let spec = CheckSpec(json: json) else {
                    throw CLIError.usage("--check expects a JSON object with a string \"type\", found '\(text)'")
                }
                return spec
            }
        }
        return try specs.map { spec in
            if spec.type == JudgeCheck.type {
                throw CLIError.usage(
                    "--check 'judge': a judge check needs a judge model's answers; judge answers with evalgate run (judges: in evalgate.yaml)"
                )
            }
            do {
                return try CheckRegistry.standard.make(spec)
            } catch {
                throw CLIError.usage("--check '\(spec.type)': \(error)")
            }
        }
    }

    private func resolvedFormat(for file: String) -> InputFormat {
        guard format == .auto else { return format }
        return file.hasSuffix(".jsonl") || file.hasSuffix(".json") ? .jsonl : .lines
    }

    private struct Input {
        var id: JSONValue?
        var text: String
        var facts: [String] = []
    }

    /// `--facts FILE`: JSON (a list of strings or an object of key-values) when it parses as such, else one fact a
    /// line.
    static func readFacts(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw CLIError.usage("--facts: cannot read '\(path)' as UTF-8 text")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("[") || trimmed.hasPrefix("{") {
            let json: JSONValue
            do {
                json = try JSONValue.parse(trimmed)
            } catch {
                throw CLIError.usage("--facts: \(path): \(error.message) at byte \(error.offset)")
            }
            switch Facts.lines(from: json) {
            case .success(let lines): return lines
            case .failure(let problem): throw CLIError.usage("--facts: \(path): \(problem)")
            }
        }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    }

    private func parse(_ line: Substring, lineNumber: Int, file: String, format: InputFormat, problems: inout Int)
        -> Input?
    {
        func problem(_ column: Int, _ message: String) -> Input? {
            problems += 1
            FileHandle.standardError.write(Data("\(file):\(lineNumber):\(column): error: \(message)\n".utf8))
            return nil
        }
        if format == .lines { return Input(id: nil, text: String(line)) }
        if line.allSatisfy(\.isWhitespace) { return nil }
        let json: JSONValue
        do {
            json = try JSONValue.parse(line.utf8)
        } catch {
            let prefix = line.utf8.prefix(error.offset)
            return problem(String(decoding: prefix, as: UTF8.self).count + 1, error.message)
        }
        guard json.objectValue != nil else { return problem(1, "expected a JSON object, found \(json.typeName)") }
        guard let value = json[field] else { return problem(1, "missing field \"\(field)\"") }
        guard let text = value.stringValue else {
            return problem(1, "expected \"\(field)\" to be a string, found \(value.typeName)")
        }
        var facts: [String] = []
        if let value = json["facts"], !value.isNull {
            switch Facts.lines(from: value) {
            case .success(let lines): facts = lines
            case .failure(let error): return problem(1, error.description)
            }
        }
        return Input(id: json["id"], text: text, facts: facts)
    }

    static func json(_ finding: Finding) -> JSONValue {
        var object: [String: JSONValue] = ["rule": .string(finding.ruleID), "message": .string(finding.message)]
        if let span = finding.span {
            object["span"] = ["start": .int(Int64(span.start)), "end": .int(Int64(span.end))]
        }
        if let text = finding.text { object["text"] = .string(text) }
        return .object(object)
    }
}

/// Buffered standard output: one write per 64 KiB instead of one per line.
struct OutputBuffer {
    private var buffer = Data()

    mutating func writeLine(_ bytes: Data) {
        buffer.append(bytes)
        buffer.append(10)
        if buffer.count >= 65_536 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Reads a file (or standard input for "-") line by line without loading it whole. Lines end at LF; a CR before
/// it is dropped. A line that is not valid UTF-8 is passed as nil, so the caller can report it and go on.
enum LineReader {
    struct ReadError: Error {
        let reason: String
    }

    static func forEachLine(in path: String, _ body: (Int, Substring?) throws -> Void) throws {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReadError(reason: "no such file")
            }
            guard !isDirectory.boolValue else { throw ReadError(reason: "is a directory, not a file") }
            guard let opened = FileHandle(forReadingAtPath: path) else {
                throw ReadError(reason: "cannot be opened for reading")
            }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        var pending = Data()
        var lineNumber = 0
        func emit(_ bytes: Data) throws {
            lineNumber += 1
            var slice = bytes
            if slice.last == 13 { slice.removeLast() }
            try body(lineNumber, String(validating: slice, as: UTF8.self)?[...])
        }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw ReadError(reason: "read failed (\(error.localizedDescription))")
            }
            if chunk.isEmpty { break }
            // Only the new bytes can hold a newline: a long line is scanned once, not once per chunk.
            let searchFrom = pending.count
            pending.append(chunk)
            var start = pending.startIndex
            var cursor = pending.index(pending.startIndex, offsetBy: searchFrom)
            while let newline = pending[cursor...].firstIndex(of: 10) {
                try emit(pending[start..<newline])
                start = pending.index(after: newline)
                cursor = start
            }
            if start != pending.startIndex { pending.removeSubrange(pending.startIndex..<start) }
        }
        if !pending.isEmpty { try emit(pending) }
    }

    static func describe(_ error: any Error) -> String {
        if let read = error as? ReadError { return read.reason }
        return error.localizedDescription
    }
}
