import Foundation

/// Reads a labelling file saved as CSV from a spreadsheet (the columns `evalgate label --csv` writes, in any order,
/// RFC 4180 quoting, comma-separated, CRLF or LF line ends, UTF-8): each row is checked as a JSONL line is, and
/// located at its line and the column of the cell at fault. Empty cells are absent values; the `'` that `label --csv`
/// puts before a cell starting with `=`, `+`, `-` or `@` is dropped; the `evidence` column (a summary for people) is
/// not read back.
enum LabelCSVReader {
    static let required = ["log", "suite", "case", "rule", "check"]

    typealias Cell = CSVTable.Cell

    static func read(path: String) throws(LabelFileError) -> (records: [LabelRecord], warnings: [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let verb = FileManager.default.fileExists(atPath: path) ? "read" : "open"
            throw LabelFileError([
                .error("cannot \(verb) the labelling file: \(String(cString: strerror(errno)))", path: path)
            ])
        }
        var bytes = [UInt8](data)
        if SourceText.startsWithByteOrderMark(bytes) { bytes.removeFirst(3) }  // spreadsheets write one
        if let bad = SourceText.firstInvalidUTF8Offset(bytes) {
            let line = bytes[..<bad].count { $0 == 0x0A } + 1
            throw LabelFileError([.error(EvalSetMessages.invalidUTF8(bytes[bad]), path: path, line: line)])
        }
        let rows: [[Cell]]
        switch CSVTable.cells(String(decoding: bytes, as: UTF8.self)) {
        case .success(let parsed): rows = parsed
        case .failure(let cell):
            throw LabelFileError([
                .error(
                    "unterminated quoted cell: a '\"' opened here is never closed", path: path, line: cell.line,
                    column: cell.column)
            ])
        }
        guard let header = rows.first else { return ([], []) }
        let names = header.map { $0.text.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw LabelFileError([
                .error(
                    "missing column\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")); the header names log, suite, case, rule and check at least",
                    path: path, line: 1, column: 1)
            ])
        }
        var records: [LabelRecord] = []
        var diagnostics: [Diagnostic] = []
        for row in rows.dropFirst() where !(row.count == 1 && row[0].text.isEmpty) {
            var fields: [String: JSONValue] = [:]
            var cells: [String: Cell] = [:]
            for (index, cell) in row.enumerated() where index < names.count && names[index] != "evidence" {
                cells[names[index]] = cell
                var text = cell.text
                if text.count > 1, text.first == "'", let next = text.dropFirst().first, "=+-@".contains(next) {
                    text.removeFirst()
                }
                guard !text.isEmpty else { continue }
                fields[names[index]] =
                    names[index] == "repeat" ? (Int64(text).map(JSONValue.int) ?? .string(text)) : .string(text)
            }
            let start = row.first ?? Cell(text: "", line: 1, column: 1)
            var reader = FieldReader(file: path, dialect: .json) { fieldPath, _ in
                guard case .key(let name)? = fieldPath.components.first, let cell = cells[name] else {
                    return (start.line, 1)
                }
                return (cell.line, cell.column)
            }
            switch LabelFile.record(.object(fields), reader: &reader) {
            case .success(let record, let warnings):
                records.append(record)
                diagnostics += warnings
            case .failure(let problems):
                diagnostics += problems
            }
        }
        let errors = diagnostics.filter(\.isError)
        if !errors.isEmpty { throw LabelFileError(errors) }
        return (records, diagnostics)
    }
}
