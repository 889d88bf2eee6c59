/// Reads the lines of `cases.jsonl` into cases, one line at a time, with the suite's defaults applied.
/// Both line formats are read here: evalgate's own and OpenAI-evals samples (see EvalSets.docc/FORMAT.md).
struct CaseReader {
    /// What a line gave: the case when it is valid, its id when it has one (for duplicate detection even when
    /// something else on the line is wrong), and every problem found on it.
    struct Outcome {
        var evalCase: EvalCase?
        var id: String?
        var diagnostics: [Diagnostic] = []
        /// Where the id is on the line (the line's start for a generated id), for a duplicate-id diagnostic;
        /// computed only when one is needed.
        var idLocation: () -> (line: Int, column: Int) = { (1, 1) }
    }

    static let nativeFields = [
        "id", "messages", "prompt", "system", "tags", "checks", "inherit_checks", "ideal", "params", "metadata",
        "unchecked", "facts", "vars", "vars_file",
    ]
    /// OpenAI-evals samples add `input`; any of evalgate's fields may stand beside it.
    static let knownFields = nativeFields + ["input"]
    static let promptFields = ["messages", "prompt", "input"]

    let file: String
    let defaults: SuiteDefaults
    let maxLineBytes: Int
    /// False when suite.yaml could not be read: its default checks are unknown, so a case without checks of its
    /// own is not reported as unchecked (the suite.yaml errors say what to fix first).
    var defaultsKnown = true

    /// Reads one non-empty line. `validateCheck` returns why a check spec is invalid, or nil. `knownHash` is the
    /// content hash of the case the line holds, when the caller knows it (the line is one it hashed before).
    func read(
        line number: Int, bytes lineBytes: ArraySlice<UInt8>, validateCheck: (CheckSpec) -> String?,
        knownHash: String? = nil
    ) -> Outcome {
        var outcome = Outcome()
        let value: JSONValue
        let bytes: [UInt8]
        switch SourceText.parseJSONLine(
            lineBytes, number: number, path: file, maxLineBytes: maxLineBytes, rejectingDuplicateKeys: true)
        {
        case .success(let parsed): (value, bytes) = parsed
        case .failure(let diagnostic):
            outcome.diagnostics.append(diagnostic)
            return outcome
        }
        let locate: FieldReader.Locator = { path, key in
            (number, SourceText.column(ofByte: JSONLocator.offset(of: path, key: key, in: bytes), in: bytes))
        }
        var reader = FieldReader(file: file, dialect: .json, locate: locate)
        guard var fields = value.objectValue else {
            reader.error(
                EvalSetMessages.mistypedDocument(expected: "a case object", found: reader.typeName(value)), at: .root)
            outcome.diagnostics = reader.diagnostics
            return outcome
        }
        let root = FieldPath.root
        let template = CaseTemplate.read(fields, reader: &reader, at: root)
        if let template { fields = template.apply(to: fields, reader: &reader, at: root) }

        // Which format, and the prompt.
        let given = Self.promptFields.filter { fields[$0] != nil && fields[$0] != .null }
        let format: EvalCase.Format = given.contains("input") ? .openAIEvals : .native
        var promptMessages: [ChatMessage]?
        if given.count > 1 {
            // Point at the one written last, most likely the one added by mistake.
            let last = given.max { locate(root.appending($0), true).column < locate(root.appending($1), true).column }!
            reader.error(EvalSetMessages.promptFields(given), at: root.appending(last), key: true)
        } else if given.isEmpty {
            reader.error(EvalSetMessages.noPrompt, at: root)
        } else {
            let key = given[0]
            let path = root.appending(key)
            let item = fields[key]!
            switch key {
            case "prompt":
                if let text = reader.string(item, at: path) { promptMessages = [.user(text)] }
            case "input":
                if let text = item.stringValue {
                    promptMessages = [.user(text)]
                } else if item.arrayValue != nil {
                    promptMessages = reader.messages(item, at: path)
                } else {
                    reader.mistyped(path, expected: "a string or an array of messages", found: item)
                }
            default:
                promptMessages = reader.messages(item, at: path)
            }
        }

        // The id: required in evalgate's format; derived from the content for OpenAI-evals samples without one.
        var id: String?
        if let idValue = fields["id"], !idValue.isNull {
            if let text = reader.string(idValue, at: root.appending("id")) {
                if text.isEmpty {
                    reader.error(EvalSetMessages.empty(root.appending("id")), at: root.appending("id"))
                } else if let problem = EvalSetMessages.badCaseID(text) {
                    // An id names the case in logs, reports and file names: one short line of printable text.
                    reader.error(problem, at: root.appending("id"))
                } else {
                    id = text
                }
            }
        } else if format == .openAIEvals {
            id = "evals-" + CanonicalJSON.sha256(value).prefix(16)
        } else {
            reader.error(EvalSetMessages.missing(root.appending("id"), EvalSetMessages.caseNeedsID), at: root)
        }
        outcome.id = id
        let idPath = fields["id"] == nil ? root : root.appending("id")
        outcome.idLocation = { locate(idPath, false) }

        var system = reader.optionalString("system", of: fields, at: root)
        if system == nil, fields["system"] == nil,
            !(promptMessages ?? []).contains(where: { $0.role == "system" || $0.role == "developer" })
        {
            system = defaults.system.map { template?.fill($0, reader: &reader, at: root.appending("system")) ?? $0 }
        }

        var tags = defaults.tags
        if let value = fields["tags"], !value.isNull {
            for tag in reader.strings(value, at: root.appending("tags")) where !tags.contains(tag) { tags.append(tag) }
        }

        let inherit = reader.optionalBool("inherit_checks", of: fields, at: root) ?? true
        var checks = inherit ? defaults.checks : []
        if let value = fields["checks"], !value.isNull {
            for (spec, path) in reader.checks(value, at: root.appending("checks")) {
                if let problem = validateCheck(spec) {
                    reader.error(problem, at: path)
                } else {
                    checks.append(spec)
                }
            }
        }

        var ideals: [String] = []
        if let value = fields["ideal"], !value.isNull {
            ideals = reader.ideals(value, at: root.appending("ideal"))
        }

        // Nothing to check means any answer passes: an error, unless the case says it is kept unchecked on purpose.
        let unchecked = reader.optionalBool("unchecked", of: fields, at: root) ?? false
        if !reader.hasErrors, defaultsKnown {
            if unchecked, !checks.isEmpty {
                reader.error(EvalSetMessages.uncheckedWithChecks(checks.count), at: root.appending("unchecked"))
            } else if unchecked, fields["checks"] == nil {
                reader.error(EvalSetMessages.uncheckedNeedsEmptyChecks, at: root.appending("unchecked"))
            } else if !unchecked, checks.isEmpty {
                reader.error(
                    EvalSetMessages.noChecks(idealCheck: !ideals.isEmpty),
                    at: fields["checks"] == nil ? root : root.appending("checks"))
            }
        }

        var params = defaults.params
        if let value = fields["params"], !value.isNull {
            params.merge(reader.params(value, at: root.appending("params"))) { _, own in own }
        }

        var facts = defaults.facts
        if let value = fields["facts"], !value.isNull {
            facts += reader.facts(value, at: root.appending("facts"))
        }

        var metadata: [String: JSONValue] = [:]
        if let value = fields["metadata"], !value.isNull {
            metadata = reader.object(value, at: root.appending("metadata")) ?? [:]
        }

        reader.unknownKeys(fields, known: Self.knownFields, at: root, in: "a case", severity: .warning)

        outcome.diagnostics = stableSorted(reader.diagnostics)
        guard !reader.hasErrors, let id, let promptMessages else { return outcome }
        outcome.evalCase = EvalCase(
            id: id,
            messages: (system.map { [ChatMessage.system($0)] } ?? []) + promptMessages,
            tags: tags,
            checks: checks,
            ideals: ideals,
            params: params,
            metadata: metadata,
            unchecked: unchecked,
            facts: facts,
            line: number,
            format: format,
            knownHash: knownHash
        )
        return outcome
    }
}
