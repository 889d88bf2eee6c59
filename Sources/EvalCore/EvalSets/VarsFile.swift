import Foundation

/// A case's `vars_file`: a CSV (header row, then one row per case) or JSONL (one object of strings, numbers or
/// booleans per line) file beside cases.jsonl, whose rows each make one case from the line's template. The case's
/// own `vars` are the defaults under each row's; row N's case has the id `<id>-<N>`.
extension CaseReader {
    /// Whether the line has the bytes `"vars_file"`, by a plain byte loop: Foundation's generic `firstRange(of:)`
    /// cost more than the rest of re-reading a case.
    static func mentionsVarsFile(_ line: ArraySlice<UInt8>) -> Bool {
        line.withUnsafeBufferPointer { ByteSearch.firstOffset(of: Self.varsFileKey, in: $0, from: 0) != nil }
    }

    private static let varsFileKey = Array(#""vars_file""#.utf8)

    /// The cases of one line: one, or one per row of its `vars_file`.
    func readExpanding(line number: Int, bytes lineBytes: ArraySlice<UInt8>, validateCheck: (CheckSpec) -> String?)
        -> [Outcome]
    {
        guard lineBytes.count <= maxLineBytes, Self.mentionsVarsFile(lineBytes),
            let value = try? JSONValue.parse(Array(lineBytes)), var fields = value.objectValue,
            let fileValue = fields["vars_file"]
        else { return [read(line: number, bytes: lineBytes, validateCheck: validateCheck)] }
        let bytes = Array(lineBytes)
        let column = SourceText.column(
            ofByte: JSONLocator.offset(of: FieldPath.root.appending("vars_file"), in: bytes), in: bytes)
        func fail(_ message: String) -> [Outcome] {
            var outcome = Outcome()
            outcome.id = fields["id"]?.stringValue
            outcome.diagnostics = [.error("vars_file: " + message, path: file, line: number, column: column)]
            return [outcome]
        }
        guard let name = fileValue.stringValue, !name.isEmpty else {
            return fail("expected a file name (CSV or JSONL beside cases.jsonl)")
        }
        guard let id = fields["id"]?.stringValue, !id.isEmpty else {
            return fail("the line needs an \"id\": its cases are named <id>-1, <id>-2, …")
        }
        let path = name.hasPrefix("/") ? name : (file as NSString).deletingLastPathComponent + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else { return fail("cannot read '\(path)'") }
        let rows: [[String: JSONValue]]
        do {
            rows = try Self.rows(String(decoding: data, as: UTF8.self), csv: !name.lowercased().hasSuffix(".jsonl"))
        } catch {
            return fail("\(path):\(error.line): \(error.message)")
        }
        guard !rows.isEmpty else { return fail("'\(path)' has no rows") }
        let base = fields["vars"]?.objectValue ?? [:]
        fields["vars_file"] = nil
        return rows.enumerated().map { index, row in
            var expanded = fields
            expanded["id"] = .string("\(id)-\(index + 1)")
            expanded["vars"] = .object(base.merging(row) { _, own in own })
            var outcome = read(
                line: number, bytes: CanonicalJSON.bytes(.object(expanded))[...], validateCheck: validateCheck)
            // Located at the vars_file of the line as written, naming the row.
            outcome.diagnostics = outcome.diagnostics.map { diagnostic in
                var diagnostic = diagnostic
                diagnostic.column = column
                diagnostic.message = "row \(index + 1) of \(name): " + diagnostic.message
                return diagnostic
            }
            return outcome
        }
    }

    struct RowError: Error {
        var line: Int
        var message: String
    }

    static func rows(_ text: String, csv: Bool) throws(RowError) -> [[String: JSONValue]] {
        if csv {
            let table: [[String]]
            do {
                table = try CSVTable.parse(text)
            } catch {
                throw RowError(line: error.line, message: error.message)
            }
            guard let header = table.first else { return [] }
            return try table.dropFirst().enumerated().map { (index, row) throws(RowError) in
                guard row.count == header.count else {
                    throw RowError(line: index + 2, message: "\(row.count) fields, the header has \(header.count)")
                }
                return Dictionary(zip(header, row.map(JSONValue.string)), uniquingKeysWith: { first, _ in first })
            }
        }
        var rows: [[String: JSONValue]] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.contains(where: { !$0.isWhitespace }) {
            guard let object = (try? JSONValue.parse(String(line)))?.objectValue else {
                throw RowError(line: index + 1, message: "expected a JSON object of variables")
            }
            rows.append(object)
        }
        return rows
    }
}

/// RFC 4180 CSV: fields separated by commas, quoted with "" (a doubled quote inside), rows by LF, CRLF or CR. One
/// reader for vars files, `evalgate import` and labelling files saved from a spreadsheet.
public enum CSVTable {
    public struct ParseError: Error, Sendable {
        public var line: Int
        public var message: String
    }

    /// A cell's text with the line and column (in characters) where it starts. An Error only to travel in `Result`:
    /// the cell of a quote that never closes.
    public struct Cell: Error, Sendable, Hashable {
        public var text: String
        public var line: Int
        public var column: Int
    }

    /// The rows as text; an error at the line of a quote that never closes.
    public static func parse(_ text: String) throws(ParseError) -> [[String]] {
        guard !text.isEmpty else { return [] }
        switch cells(text) {
        case .success(let rows): return rows.map { $0.map(\.text) }
        case .failure(let open): throw ParseError(line: open.line, message: "a quoted field is not closed")
        }
    }

    /// The rows of `text`, each cell with the line and column (in characters) where it starts; the opening cell of
    /// a quote that never closes on failure.
    public static func cells(_ text: String) -> Result<[[Cell]], Cell> {
        var rows: [[Cell]] = []
        var row: [Cell] = []
        var cell = ""
        var cellLine = 1
        var cellColumn = 1
        var line = 1
        var column = 1
        var quoted = false
        var atCellStart = true
        var characters = Array(text)
        if characters.last != "\n" && characters.last != "\r\n" { characters.append("\n") }
        var index = 0
        func endCell() {
            row.append(Cell(text: cell, line: cellLine, column: cellColumn))
            cell = ""
        }
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quoted {
                if character == "\"" {
                    if index < characters.count, characters[index] == "\"" {
                        cell.append("\"")
                        index += 1
                        column += 2
                        continue
                    }
                    quoted = false
                } else {
                    cell.append(character)
                }
                if character == "\n" || character == "\r\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                continue
            }
            switch character {
            case "\"" where atCellStart:
                quoted = true
                atCellStart = false
                column += 1
            case ",":
                endCell()
                column += 1
                atCellStart = true
                cellLine = line
                cellColumn = column
            case "\n", "\r\n", "\r":
                endCell()
                rows.append(row)
                row = []
                line += 1
                column = 1
                atCellStart = true
                cellLine = line
                cellColumn = column
            default:
                cell.append(character)
                atCellStart = false
                column += 1
            }
        }
        if quoted { return .failure(Cell(text: cell, line: cellLine, column: cellColumn)) }
        return .success(rows)
    }
}
