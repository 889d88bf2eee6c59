import Foundation

/// What loading one suite folder gave: the suite when there is no error, and every problem found, in file order.
public struct SuiteLoadResult: Sendable {
    /// Nil when any diagnostic is an error: a suite with errors is not run.
    public var suite: Suite?
    public var diagnostics: [Diagnostic]
    /// The non-empty lines of `cases.jsonl`, valid or not.
    public var caseCount: Int

    public var errorCount: Int { diagnostics.filter(\.isError).count }
    public var warningCount: Int { diagnostics.count - errorCount }
}

/// The suite folders that a path names, and what is wrong with it (see `SuiteLoader.discover`).
public struct SuiteDiscovery: Sendable, Hashable {
    public var directories: [String]
    public var diagnostics: [Diagnostic]

    public init(directories: [String], diagnostics: [Diagnostic]) {
        self.directories = directories
        self.diagnostics = diagnostics
    }
}

/// Loads eval sets from disk: `EvalSets/<suite>/suite.yaml` and `EvalSets/<suite>/cases.jsonl`
/// (`EvalSets.docc/FORMAT.md` beside this file describes both). It reports every problem of a suite in one pass, each located at its line and
/// column, instead of stopping at the first.
public enum SuiteLoader {
    public static let suiteFileName = "suite.yaml"
    public static let casesFileName = "cases.jsonl"
    /// The longest line of `cases.jsonl` accepted: 1 MiB.
    public static let defaultMaxLineBytes = 1 << 20

    static let suiteFields = ["name", "kind", "description", "defaults"]
    static let defaultsFields = ["checks", "params", "tags", "system", "facts"]

    /// Loads the suite in `directory`.
    ///
    /// `validateCheck` says why a check spec cannot be built (an unknown type with a "did you mean", a bad option),
    /// or returns nil when it can. The CLI passes `CheckRegistry.standard`; EvalCore itself knows no checks.
    public static func load(
        directory: String,
        maxLineBytes: Int = defaultMaxLineBytes,
        validateCheck: (CheckSpec) -> String?
    ) -> SuiteLoadResult {
        withCachedVerdicts(validateCheck) { validateCheck in
            loadValidated(directory: directory, maxLineBytes: maxLineBytes, validateCheck: validateCheck, lazy: false)
                .eager
        }
    }

    /// Loads the suite in `directory` as `load` does — every line read and checked, every problem reported — but
    /// keeps only where each case is in `cases.jsonl` (and its id and hash), not the case itself: a suite of 100,000
    /// cases then costs a few megabytes instead of a hundred, and each case is read again when it is needed.
    public static func loadLazily(
        directory: String,
        maxLineBytes: Int = defaultMaxLineBytes,
        validateCheck: (CheckSpec) -> String?
    ) -> LazySuiteLoadResult {
        withCachedVerdicts(validateCheck) { validateCheck in
            loadValidated(directory: directory, maxLineBytes: maxLineBytes, validateCheck: validateCheck, lazy: true)
                .lazy
        }
    }

    /// Calls `body` with `validateCheck` remembering its verdicts: a spec used by many cases is validated once.
    private static func withCachedVerdicts<Result>(
        _ validateCheck: (CheckSpec) -> String?,
        _ body: (_ validateCheck: (CheckSpec) -> String?) -> Result
    ) -> Result {
        withoutActuallyEscaping(validateCheck) { validateCheck in
            var verdicts: [CheckSpec: String] = [:]
            var valid: Set<CheckSpec> = []
            let cached: (CheckSpec) -> String? = { spec in
                if valid.contains(spec) { return nil }
                if let known = verdicts[spec] { return known }
                if let problem = validateCheck(spec) {
                    verdicts[spec] = problem
                    return problem
                }
                valid.insert(spec)
                return nil
            }
            return body(cached)
        }
    }

    private static func loadValidated(
        directory: String,
        maxLineBytes: Int,
        validateCheck: (CheckSpec) -> String?,
        lazy: Bool
    ) -> (eager: SuiteLoadResult, lazy: LazySuiteLoadResult) {
        var diagnostics: [Diagnostic] = []
        let suitePath = join(directory, suiteFileName)
        let casesPath = join(directory, casesFileName)

        var header: SuiteHeader?
        switch readFile(suitePath) {
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
        case .success(let bytes):
            let (read, found) = SuiteHeader.read(
                bytes, file: suitePath, folderName: folderName(directory), validateCheck: validateCheck
            )
            header = read
            diagnostics += found
        }

        var cases: [EvalCase] = []
        var index = LazySuite.Index()
        var caseCount = 0
        // Read line by line, so that a large cases.jsonl is never held whole (a lazy suite then stays small even
        // while it loads).
        if let problem = unreadable(casesPath) {
            diagnostics.append(problem)
        } else {
            let reader = CaseReader(
                file: casesPath, defaults: header?.defaults ?? SuiteDefaults(), maxLineBytes: maxLineBytes,
                defaultsKnown: header != nil
            )
            var firstLines: [String: Int] = [:]
            let complete = SourceText.forEachLine(path: casesPath) { number, line, offset in
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
                // One case per line, or one per row of the line's vars_file.
                for outcome in reader.readExpanding(line: number, bytes: line, validateCheck: validateCheck) {
                    caseCount += 1
                    diagnostics += outcome.diagnostics
                    if let id = outcome.id {
                        if let first = firstLines[id] {
                            let (line, column) = outcome.idLocation()
                            diagnostics.append(
                                .error(
                                    EvalSetMessages.duplicateID(id, firstLine: first), path: casesPath, line: line,
                                    column: column)
                            )
                            continue
                        }
                        firstLines[id] = number
                    }
                    if let evalCase = outcome.evalCase {
                        if lazy {
                            index.add(evalCase, line: line, offset: offset)
                        } else {
                            cases.append(evalCase)
                        }
                    }
                }
            }
            if !complete {
                diagnostics.append(
                    .error(EvalSetMessages.unreadableFile("permission denied or I/O error"), path: casesPath))
            } else if caseCount == 0 {
                diagnostics.append(.error(EvalSetMessages.noCases, path: casesPath))
            }
        }

        guard !diagnostics.contains(where: \.isError), let header else {
            return (
                SuiteLoadResult(suite: nil, diagnostics: diagnostics, caseCount: caseCount),
                LazySuiteLoadResult(suite: nil, diagnostics: diagnostics, caseCount: caseCount)
            )
        }
        if lazy {
            let suite = LazySuite(
                name: header.name, kind: header.kind, description: header.description, defaults: header.defaults,
                directory: directory, casesPath: casesPath, maxLineBytes: maxLineBytes, index: index
            )
            return (
                SuiteLoadResult(suite: nil, diagnostics: diagnostics, caseCount: caseCount),
                LazySuiteLoadResult(suite: suite, diagnostics: diagnostics, caseCount: caseCount)
            )
        }
        let suite = Suite(
            name: header.name,
            kind: header.kind,
            description: header.description,
            defaults: header.defaults,
            cases: cases,
            directory: directory
        )
        return (
            SuiteLoadResult(suite: suite, diagnostics: diagnostics, caseCount: caseCount),
            LazySuiteLoadResult(suite: nil, diagnostics: diagnostics, caseCount: caseCount)
        )
    }

    // MARK: Finding suites

    /// The suite folders a path names: a suite folder (it holds suite.yaml or cases.jsonl) is itself; a
    /// `suite.yaml` or `cases.jsonl` file is its folder; any other folder is a folder of suites, whose suite
    /// subfolders are returned in name order.
    ///
    /// Errors: the path does not exist, is another kind of file, or is a folder without suites. A subfolder of a
    /// folder of suites that is not a suite is a warning, so that a misnamed `cases.json` is not silently skipped.
    public static func discover(_ path: String) -> SuiteDiscovery {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return SuiteDiscovery(directories: [], diagnostics: [.error("no such file or directory", path: path)])
        }
        if !isDirectory.boolValue {
            let name = (path as NSString).lastPathComponent
            guard name == suiteFileName || name == casesFileName else {
                return SuiteDiscovery(
                    directories: [],
                    diagnostics: [
                        .error("expected a suite folder, a folder of suites, or a suite.yaml file", path: path)
                    ]
                )
            }
            let parent = (path as NSString).deletingLastPathComponent
            return SuiteDiscovery(directories: [parent.isEmpty ? "." : parent], diagnostics: [])
        }
        if isSuiteDirectory(path) { return SuiteDiscovery(directories: [path], diagnostics: []) }
        var discovery = SuiteDiscovery(directories: [], diagnostics: [])
        let children = ((try? files.contentsOfDirectory(atPath: path)) ?? [])
            .filter { !$0.hasPrefix(".") }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { join(path, $0) }
        for child in children {
            var childIsDirectory: ObjCBool = false
            guard files.fileExists(atPath: child, isDirectory: &childIsDirectory), childIsDirectory.boolValue else {
                continue
            }
            if isSuiteDirectory(child) {
                discovery.directories.append(child)
            } else {
                discovery.diagnostics.append(
                    .warning("not a suite folder (no \(suiteFileName) or \(casesFileName) in it); skipped", path: child)
                )
            }
        }
        if discovery.directories.isEmpty {
            discovery.diagnostics.append(
                .error("no suites here; a suite folder holds \(suiteFileName) and \(casesFileName)", path: path)
            )
        }
        return discovery
    }

    /// An error for each suite whose name an earlier one already has (names identify suites in run logs).
    public static func duplicateNames(_ suites: [any CaseSource]) -> [Diagnostic] {
        var first: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for suite in suites {
            let path = join(suite.directory, suiteFileName)
            if let earlier = first[suite.name] {
                diagnostics.append(
                    .error(EvalSetMessages.duplicateSuiteName(suite.name, firstPath: earlier), path: path))
            } else {
                first[suite.name] = path
            }
        }
        return diagnostics
    }

    // MARK: Files

    static func isSuiteDirectory(_ path: String) -> Bool {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
        return files.fileExists(atPath: join(path, suiteFileName))
            || files.fileExists(atPath: join(path, casesFileName))
    }

    /// `directory/name`, without doubling a trailing slash.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The folder's own name, which a suite without a `name` takes.
    static func folderName(_ directory: String) -> String {
        URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
    }

    /// Why `path` cannot be read as a file (missing, a folder), or nil.
    private static func unreadable(_ path: String) -> Diagnostic? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let name = (path as NSString).lastPathComponent
            return .error(EvalSetMessages.missingFile(name), path: path)
        }
        guard !isDirectory.boolValue else {
            return .error(EvalSetMessages.unreadableFile("it is a folder"), path: path)
        }
        return nil
    }

    private static func readFile(_ path: String) -> Result<[UInt8], Diagnostic> {
        if let problem = unreadable(path) { return .failure(problem) }
        // Read straight into the array: going through Data would hold the file twice at the peak.
        guard let bytes = readBytes(path) else {
            return .failure(.error(EvalSetMessages.unreadableFile("permission denied or I/O error"), path: path))
        }
        return .success(bytes)
    }

    private static func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(info.st_size) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

/// What `suite.yaml` says.
struct SuiteHeader {
    var name: String
    var kind: SuiteKind
    var description: String?
    var defaults: SuiteDefaults

    /// Reads `suite.yaml`; the header is nil when it has errors (the diagnostics say which). The cases are then
    /// still checked, without the suite's defaults.
    static func read(
        _ bytes: [UInt8],
        file: String,
        folderName: String,
        validateCheck: (CheckSpec) -> String?
    ) -> (SuiteHeader?, [Diagnostic]) {
        if SourceText.startsWithByteOrderMark(bytes) {
            return (nil, [.error(EvalSetMessages.byteOrderMark, path: file, line: 1, column: 1)])
        }
        if let bad = SourceText.firstInvalidUTF8Offset(bytes) {
            let before = bytes[..<bad]
            let lineStart = (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
            let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = SourceText.column(ofByte: bad - lineStart, in: bytes[lineStart...])
            return (nil, [.error(EvalSetMessages.invalidUTF8(bytes[bad]), path: file, line: line, column: column)])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let (parsed, syntaxErrors) = YAMLDocument.parse(text, file: file)
        guard let document = parsed else { return (nil, syntaxErrors) }
        var reader = FieldReader(file: file, dialect: .yaml) { path, key in document.location(of: path, key: key) }
        let root = FieldPath.root
        guard let fields = document.root.objectValue else {
            reader.error(
                EvalSetMessages.mistypedDocument(
                    expected: "a mapping of suite fields", found: reader.typeName(document.root)),
                at: root
            )
            return (nil, reader.diagnostics)
        }

        var name = folderName
        if let value = fields["name"], !value.isNull, let text = reader.string(value, at: root.appending("name")) {
            if text.isEmpty || !text.unicodeScalars.allSatisfy(isNameScalar) {
                reader.error(EvalSetMessages.invalidSuiteName(text), at: root.appending("name"))
            }
            name = text
        }

        var kind: SuiteKind?
        if let value = fields["kind"], !value.isNull {
            if let text = reader.string(value, at: root.appending("kind")) {
                kind = SuiteKind(rawValue: text)
                if kind == nil {
                    let suggestion = closestName(to: text, in: EvalSetMessages.suiteKinds)
                    reader.error(EvalSetMessages.unknownKind(text, suggestion: suggestion), at: root.appending("kind"))
                }
            }
        } else {
            reader.error(EvalSetMessages.missing(root.appending("kind"), EvalSetMessages.suiteNeedsKind), at: root)
        }

        let description = reader.optionalString("description", of: fields, at: root)

        var defaults = SuiteDefaults()
        if let value = fields["defaults"], !value.isNull {
            let path = root.appending("defaults")
            if let defaultFields = reader.object(value, at: path) {
                if let checks = defaultFields["checks"], !checks.isNull {
                    for (spec, specPath) in reader.checks(checks, at: path.appending("checks")) {
                        if let problem = validateCheck(spec) {
                            reader.error(problem, at: specPath)
                        } else {
                            defaults.checks.append(spec)
                        }
                    }
                }
                if let params = defaultFields["params"], !params.isNull {
                    defaults.params = reader.params(params, at: path.appending("params"))
                }
                if let facts = defaultFields["facts"], !facts.isNull {
                    defaults.facts = reader.facts(facts, at: path.appending("facts"))
                }
                if let tags = defaultFields["tags"], !tags.isNull {
                    for tag in reader.strings(tags, at: path.appending("tags")) where !defaults.tags.contains(tag) {
                        defaults.tags.append(tag)
                    }
                }
                if let system = reader.optionalString("system", of: defaultFields, at: path) {
                    if system.isEmpty {
                        reader.error(EvalSetMessages.empty(path.appending("system")), at: path.appending("system"))
                    }
                    defaults.system = system
                }
                // An unknown key here loses what it says as surely as one at the top: an error too.
                reader.unknownKeys(defaultFields, known: SuiteLoader.defaultsFields, at: path, in: "\"defaults\"")
            }
        }
        // A key the loader does not know would be ignored: `checks:` at the top instead of under `defaults:` left
        // every case unchecked, and an unchecked case passes. So every unknown key is an error.
        reader.unknownKeys(fields, known: SuiteLoader.suiteFields, at: root, in: "suite.yaml") { key in
            SuiteLoader.defaultsFields.contains(key)
                ? "defaults.\(key)"
                : closestName(to: key, in: SuiteLoader.suiteFields.filter { fields[$0] == nil })
                    ?? closestName(to: key, in: SuiteLoader.defaultsFields).map { "defaults.\($0)" }
        }

        let diagnostics = stableSorted(reader.diagnostics)
        guard !reader.hasErrors, let kind else {
            return (nil, diagnostics)
        }
        return (SuiteHeader(name: name, kind: kind, description: description, defaults: defaults), diagnostics)
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
        default: return false
        }
    }
}

/// Diagnostics of one file in line and column order; those at the same place keep the order they were found in.
func stableSorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.enumerated().sorted { a, b in
        let left = (a.element.line ?? 0, a.element.column ?? 0, a.offset)
        let right = (b.element.line ?? 0, b.element.column ?? 0, b.offset)
        return left < right
    }.map(\.element)
}
