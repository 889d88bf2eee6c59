import Foundation

/// Reads and writes labelling files: JSONL, one `LabelRecord` per line.
///
/// Reading is strict where a mistake would change a number (a verdict spelt `passed`, a repeat that is not an
/// integer) and says where: `labels.jsonl:7:40: expected "human" to be 'pass', 'fail', 'skip' or null, found 'ok'`.
/// Unknown fields are warnings (a team may add its own columns), with a "did you mean" when one is close.
public enum LabelFile {
    /// The longest line read; a labelling line holds one answer, so this is generous.
    public static let maxLineBytes = 16 << 20

    /// Every record of the file at `path` with the warnings; throws the errors (all of them, one per line at most).
    public static func read(path: String) throws(LabelFileError) -> (records: [LabelRecord], warnings: [Diagnostic]) {
        if path.lowercased().hasSuffix(".csv") { return try LabelCSVReader.read(path: path) }
        var records: [LabelRecord] = []
        var diagnostics: [Diagnostic] = []
        let readable = SourceText.forEachLine(path: path) { number, line, _ in
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            switch parse(line: line, number: number, path: path) {
            case .success(let record, let warnings):
                records.append(record)
                diagnostics += warnings
            case .failure(let problems):
                diagnostics += problems
            }
        }
        guard readable else {
            let verb = FileManager.default.fileExists(atPath: path) ? "read" : "open"
            throw LabelFileError([
                .error("cannot \(verb) the labelling file: \(String(cString: strerror(errno)))", path: path)
            ])
        }
        let errors = diagnostics.filter(\.isError)
        if !errors.isEmpty { throw LabelFileError(errors) }
        return (records, diagnostics)
    }

    enum LineOutcome {
        case success(LabelRecord, [Diagnostic])
        case failure([Diagnostic])
    }

    /// Reads one non-empty line.
    static func parse(line lineBytes: ArraySlice<UInt8>, number: Int, path: String) -> LineOutcome {
        let value: JSONValue
        let bytes: [UInt8]
        switch SourceText.parseJSONLine(
            lineBytes, number: number, path: path, maxLineBytes: maxLineBytes, rejectingDuplicateKeys: true)
        {
        case .success(let parsed): (value, bytes) = parsed
        case .failure(let diagnostic): return .failure([diagnostic])
        }
        var reader = FieldReader(file: path, dialect: .json) { fieldPath, key in
            (number, SourceText.column(ofByte: JSONLocator.offset(of: fieldPath, key: key, in: bytes), in: bytes))
        }
        return record(value, reader: &reader)
    }

    /// The record in one parsed line or row; `reader` locates its diagnostics.
    static func record(_ value: JSONValue, reader: inout FieldReader) -> LineOutcome {
        let root = FieldPath.root
        guard let fields = value.objectValue else {
            reader.error(
                EvalSetMessages.mistypedDocument(expected: "a label object", found: reader.typeName(value)), at: root)
            return .failure(reader.diagnostics)
        }
        func required(_ key: String, _ why: String) -> String? {
            guard let value = fields[key], !value.isNull else {
                reader.error(EvalSetMessages.missing(root.appending(key), why), at: root)
                return nil
            }
            guard let text = reader.string(value, at: root.appending(key)) else { return nil }
            if text.isEmpty { reader.error(EvalSetMessages.empty(root.appending(key)), at: root.appending(key)) }
            return text
        }
        let log = required("log", "a label names the run log its verdict is from")
        let suite = required("suite", "a label names the suite of its case")
        let caseID = required("case", "a label names its case")
        let rule = required("rule", "a label names the check whose verdict it is")
        var repeatIndex: Int?
        if let value = fields["repeat"], !value.isNull {
            repeatIndex = reader.int(
                value, at: root.appending("repeat"), expected: "an integer of 0 or more", in: 0...Int(Int32.max))
        } else {
            repeatIndex = 0
        }
        var check: Verdict?
        if let value = fields["check"], !value.isNull {
            check = verdict(value, at: root.appending("check"), allowed: Verdict.allCases, reader: &reader)
        } else {
            reader.error(
                EvalSetMessages.missing(root.appending("check"), "a label holds the check's verdict, 'pass' or 'fail'"),
                at: root)
        }
        var human: HumanVerdict?
        if let value = fields["human"], !value.isNull {
            human = verdict(
                value, at: root.appending("human"), allowed: HumanVerdict.allCases, reader: &reader, orNull: true)
        }
        let evidence = findings(fields["evidence"], at: root.appending("evidence"), reader: &reader)
        let record = LabelRecord(
            log: log ?? "", target: reader.optionalString("target", of: fields, at: root), suite: suite ?? "",
            caseID: caseID ?? "", repeatIndex: repeatIndex ?? 0, rule: rule ?? "",
            judge: reader.optionalString("judge", of: fields, at: root), check: check ?? .pass, human: human,
            note: reader.optionalString("note", of: fields, at: root),
            prompt: reader.optionalString("prompt", of: fields, at: root),
            answer: reader.optionalString("answer", of: fields, at: root), evidence: evidence)
        reader.unknownKeys(fields, known: LabelRecord.fieldNames, at: root, in: "a label", severity: .warning)
        if reader.hasErrors { return .failure(reader.diagnostics) }
        return .success(record, reader.diagnostics)
    }

    private static func verdict<V: RawRepresentable & CaseIterable>(
        _ value: JSONValue, at path: FieldPath, allowed: V.AllCases, reader: inout FieldReader, orNull: Bool = false
    ) -> V? where V.RawValue == String {
        let names = allowed.map { "'\($0.rawValue)'" }
        var expected =
            names.count == 2
            ? names.joined(separator: " or ") : names.dropLast().joined(separator: ", ") + " or " + names.last!
        if orNull { expected = names.joined(separator: ", ") + " or null" }
        let rawValues = allowed.map(\.rawValue)
        guard
            let text = reader.choice(
                value, at: path, of: rawValues, expected: expected, suggest: { synonym($0, in: rawValues) }),
            let verdict = V(rawValue: text)
        else { return nil }
        return verdict
    }

    /// `passed`, `PASS`, `failed`, `skipped`: the allowed word the text means.
    private static func synonym(_ text: String, in allowed: [String]) -> String? {
        let lowered = text.lowercased()
        return allowed.first { lowered.hasPrefix($0) }
    }

    private static func findings(_ value: JSONValue?, at path: FieldPath, reader: inout FieldReader) -> [Finding] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else {
            reader.mistyped(path, expected: "an array of findings", found: value)
            return []
        }
        var findings: [Finding] = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let fields = reader.object(item, at: itemPath) else { continue }
            let rule = reader.optionalString("rule", of: fields, at: itemPath) ?? ""
            let message = reader.optionalString("message", of: fields, at: itemPath) ?? ""
            var span: TextSpan?
            if let spanValue = fields["span"], !spanValue.isNull {
                if let start = spanValue["start"]?.intValue, let end = spanValue["end"]?.intValue, start >= 0,
                    end >= start,
                    end <= Int64(Int32.max)
                {
                    span = TextSpan(start: Int(start), end: Int(end))
                } else {
                    reader.mistyped(
                        itemPath.appending("span"), expected: "{\"start\": N, \"end\": M} with 0 ≤ N ≤ M",
                        found: spanValue)
                }
            }
            findings.append(
                Finding(
                    ruleID: rule, message: message, span: span,
                    text: reader.optionalString("text", of: fields, at: itemPath)))
        }
        return findings
    }

    /// The file's text: one line per record.
    public static func text(_ records: [LabelRecord]) -> String {
        records.map { $0.jsonLine + "\n" }.joined()
    }

    /// Writes `records` to `path` atomically (a temporary file beside it, then a rename): a labelling session killed
    /// at any moment leaves either the old file or the new one, never half of one.
    public static func write(_ records: [LabelRecord], to path: String) throws(LabelFileError) {
        let temporary = path + ".tmp-\(getpid())"
        let bytes = Array(text(records).utf8)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LabelFileError([
                .error("cannot write the labelling file: \(String(cString: strerror(errno)))", path: path)
            ])
        }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw LabelFileError([.error("cannot write the labelling file: \(reason)", path: path)])
            }
            written += count
        }
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw LabelFileError([.error("cannot write the labelling file: \(reason)", path: path)])
        }
    }
}

/// The errors of a labelling file, each located.
public struct LabelFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
