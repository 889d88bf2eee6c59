import Foundation

/// A training-data file read line by line, whatever its format: the texts it holds, each with the line it is on.
///
/// The format is told from the file: `.csv` is CSV with a header row (every cell of every row is a text); anything
/// else is JSONL, and its first object says which kind — `messages` (OpenAI chat fine-tuning), `conversations`
/// (ShareGPT), `instruction` (Alpaca), or any other object (plain JSONL: every top-level string field is a text).
/// Every later line must be of the same kind; the first line that is not is the error, with its file and line.
public enum TrainingData {
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        case openAIChat = "openai-chat"
        case shareGPT = "sharegpt"
        case alpaca
        case plain = "jsonl"
        case csv
    }

    /// What was read of one file.
    public struct FileSummary: Sendable, Hashable, Codable {
        public var path: String
        /// Nil for a file with no line to tell it by.
        public var format: Format?
        public var lines: Int
        public var texts: Int
        public var bytes: Int
    }

    /// Reads the texts of the file at `path`, calling `body(text, line)` for each; a bad line stops the reading
    /// with a located error (`path:line: expected …, found …`).
    public static func read(path: String, _ body: (String, Int) -> Void) throws(Diagnostic) -> FileSummary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .error("no such file", path: path)
        }
        guard !isDirectory.boolValue else { throw .error("is a folder, not a training-data file", path: path) }
        if path.lowercased().hasSuffix(".csv") { return try readCSV(path: path, body) }
        return try readJSONL(path: path, body)
    }

    private static func readJSONL(path: String, _ body: (String, Int) -> Void) throws(Diagnostic) -> FileSummary {
        var summary = FileSummary(path: path, format: nil, lines: 0, texts: 0, bytes: 0)
        var problem: Diagnostic?
        var texts: [String] = []
        let failure = LineScanner.scan(path: path) { line, number, _, _ in
            summary.lines = number
            summary.bytes += line.count + 1
            var line = line
            if line.last == 0x0D { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return true }
            let value: JSONValue
            do throws(JSONParseError) {
                value = try JSONValue.parse(line)
            } catch {
                if number == 1 || summary.format == nil,
                    line.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "[")
                {
                    problem = .error(
                        "expected one JSON object per line (JSONL), found a JSON array; convert it with: jq -c '.[]' \(path)",
                        path: path, line: number)
                } else {
                    problem = .error(
                        "expected a JSON object (JSONL), found invalid JSON: \(error.message) at byte \(error.offset + 1)",
                        path: path, line: number)
                }
                return false
            }
            guard case .object(let object) = value else {
                problem = .error("expected a JSON object (JSONL), found \(value.typeName)", path: path, line: number)
                return false
            }
            let format = summary.format ?? detect(object)
            summary.format = format
            texts.removeAll(keepingCapacity: true)
            if let message = extract(object, format: format, into: &texts) {
                problem = .error(message, path: path, line: number)
                return false
            }
            // Empty fields (Alpaca's "input": "") are no texts.
            for text in texts where !text.isEmpty {
                body(text, number)
                summary.texts += 1
            }
            return true
        }
        if let failure { throw .error("cannot be read: \(String(cString: strerror(failure)))", path: path) }
        if let problem { throw problem }
        return summary
    }

    /// The format an object's keys say.
    static func detect(_ object: [String: JSONValue]) -> Format {
        if object["messages"] != nil { return .openAIChat }
        if object["conversations"] != nil { return .shareGPT }
        if object["instruction"] != nil { return .alpaca }
        return .plain
    }

    /// Appends the texts of one line of `format`; the problem when the line is not of that format.
    static func extract(_ object: [String: JSONValue], format: Format, into texts: inout [String]) -> String? {
        switch format {
        case .openAIChat:
            guard let value = object["messages"] else {
                return
                    "expected \"messages\" (an OpenAI chat fine-tuning line, as the file's first line), found fields \(keys(object))"
            }
            guard case .array(let messages) = value else {
                return "expected \"messages\" to be a list of messages, found \(value.typeName)"
            }
            for (index, message) in messages.enumerated() {
                guard case .object(let fields) = message else {
                    return "expected \"messages[\(index)]\" to be an object, found \(message.typeName)"
                }
                guard fields["role"]?.stringValue != nil else {
                    return
                        "expected \"messages[\(index)].role\" to be a string, found \(fields["role"]?.typeName ?? "nothing")"
                }
                switch fields["content"] {
                case .string(let text)?: texts.append(text)
                case .array(let parts)?:
                    for part in parts { if let text = part["text"]?.stringValue { texts.append(text) } }
                case .null?, nil:
                    // An assistant message that only calls tools has no content.
                    guard fields["tool_calls"] != nil || fields["function_call"] != nil else {
                        return
                            "expected \"messages[\(index)].content\" to be a string or a list of parts, found \(fields["content"]?.typeName ?? "nothing")"
                    }
                case let other?:
                    return
                        "expected \"messages[\(index)].content\" to be a string or a list of parts, found \(other.typeName)"
                }
            }
        case .shareGPT:
            guard let value = object["conversations"] else {
                return
                    "expected \"conversations\" (a ShareGPT line, as the file's first line), found fields \(keys(object))"
            }
            guard case .array(let turns) = value else {
                return "expected \"conversations\" to be a list of turns, found \(value.typeName)"
            }
            for (index, turn) in turns.enumerated() {
                guard turn["from"]?.stringValue != nil else {
                    return
                        "expected \"conversations[\(index)].from\" to be a string, found \(turn["from"]?.typeName ?? "nothing")"
                }
                guard let text = turn["value"]?.stringValue else {
                    return
                        "expected \"conversations[\(index)].value\" to be a string, found \(turn["value"]?.typeName ?? "nothing")"
                }
                texts.append(text)
            }
            if let system = object["system"]?.stringValue { texts.append(system) }
        case .alpaca:
            for (name, required) in [("instruction", true), ("input", false), ("output", true)] {
                switch object[name] {
                case .string(let text)?: texts.append(text)
                case .null?: if required { return "expected \"\(name)\" to be a string, found null" }
                case nil:
                    if !required { break }
                    return
                        "expected \"\(name)\" (an Alpaca line, as the file's first line), found fields \(keys(object))"
                case let other?: return "expected \"\(name)\" to be a string, found \(other.typeName)"
                }
            }
        case .plain:
            for key in object.keys.sorted() { if let text = object[key]?.stringValue { texts.append(text) } }
            guard !texts.isEmpty else {
                return "expected at least one text field (a string value), found fields \(keys(object))"
            }
        case .csv:
            break
        }
        return nil
    }

    static func keys(_ object: [String: JSONValue]) -> String {
        object.isEmpty ? "none" : object.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
    }

    /// CSV: physical lines are gathered until their quotes balance, so a quoted cell may hold newlines; each record is
    /// parsed by `CSVTable` and must have as many cells as the header.
    private static func readCSV(path: String, _ body: (String, Int) -> Void) throws(Diagnostic) -> FileSummary {
        var summary = FileSummary(path: path, format: .csv, lines: 0, texts: 0, bytes: 0)
        var problem: Diagnostic?
        var record: [UInt8] = []
        var recordLine = 0
        var quotes = 0
        var columns: Int?
        func parse() -> Bool {
            defer { record.removeAll(keepingCapacity: true) }
            guard let text = String(validating: record, as: UTF8.self) else {
                problem = .error("expected UTF-8 text, found invalid bytes", path: path, line: recordLine)
                return false
            }
            if text.allSatisfy(\.isWhitespace) { return true }
            guard case .success(let rows) = CSVTable.cells(text), let row = rows.first else {
                problem = .error("a quoted field is not closed", path: path, line: recordLine)
                return false
            }
            guard let expected = columns else {
                columns = row.count
                return true
            }
            guard row.count == expected else {
                problem = .error(
                    "expected \(expected) fields as in the header, found \(row.count)", path: path, line: recordLine)
                return false
            }
            for cell in row where !cell.text.isEmpty {
                body(cell.text, recordLine)
                summary.texts += 1
            }
            return true
        }
        let failure = LineScanner.scan(path: path) { line, number, _, _ in
            summary.lines = number
            summary.bytes += line.count + 1
            if record.isEmpty { recordLine = number } else { record.append(0x0A) }
            record.append(contentsOf: line)
            quotes += line.count { $0 == UInt8(ascii: "\"") }
            guard quotes % 2 == 0 else { return true }
            quotes = 0
            return parse()
        }
        if let failure { throw .error("cannot be read: \(String(cString: strerror(failure)))", path: path) }
        if problem == nil, !record.isEmpty {
            if quotes % 2 != 0 {
                problem = .error("a quoted field is not closed", path: path, line: recordLine)
            } else {
                _ = parse()
            }
        }
        if let problem { throw problem }
        return summary
    }
}
