import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// The output flags shared by `report`, `diff`, `compare` and `gate`.
struct ReportOutputOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Output format: text (a plain summary: the default of report and diff on a terminal), markdown or md (GitHub job summary / PR comment: the default otherwise), json, junit, or html (one self-contained page with the answers).",
            valueName: "format"))
    var format: ReportFormat?

    @Option(
        name: .long, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Flag(name: .long, help: "Show personal data found in answers unmasked (secrets stay masked).")
    var showPII = false

    /// The format asked for; without `--format`, the plain-text summary when `terminalSummary` and standard output is
    /// a terminal (and no `--out`), Markdown otherwise (piped, redirected, written to a file).
    func resolvedFormat(terminalSummary: Bool) -> ReportFormat {
        if let format { return format }
        return terminalSummary && out == nil && isatty(STDOUT_FILENO) == 1 ? .text : .markdown
    }

    /// The plain-text summary: coloured when it goes to standard output (`toStandardOutput`; by default, without
    /// `--out`) and that is a terminal, never with `NO_COLOR` or into a file.
    func textRenderer(toStandardOutput: Bool? = nil) -> TextRenderer {
        let color =
            (toStandardOutput ?? (out == nil))
            && TextRenderer.wantsColor(fileDescriptor: STDOUT_FILENO, environment: ProcessInfo.processInfo.environment)
        return TextRenderer(color: color)
    }

    /// Writes the report to `--out` or standard output.
    func write(_ text: String) throws {
        try Self.write(text, to: out)
    }

    /// Writes `text` to `path`, or to standard output when nil; a file that cannot be written is a usage error naming
    /// the flag that gave it.
    static func write(_ text: String, to path: String?, flag: String = "--out") throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        if let problem = writeFile(text, to: path) {
            throw CLIError.usage("\(flag): cannot write '\(path)': \(problem)").report()
        }
    }

    /// Writes `text` to `path`, creating its folder when missing (as `evalgate run --out` does); nil on success,
    /// else the reason in the system's words (`Permission denied`, `Is a directory`).
    static func writeFile(_ text: String, to path: String) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    return "cannot create its folder '\(folder)': \(Self.reason(error))"
                }
            } else if !isDirectory.boolValue {
                return "'\(folder)' is not a folder"
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            written += count
        }
        return nil
    }

    /// The POSIX reason behind a Foundation file error when there is one.
    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, markdown, json, junit, html

    /// `md` is `markdown`.
    init?(argument: String) {
        self.init(rawValue: argument == "md" ? "markdown" : argument)
    }
}

/// The statistics flags of `diff`, `compare` and `gate`.
struct DiffFlags: ParsableArguments {
    @Flag(
        name: .long,
        help:
            "Compare runs whose eval sets differ: only the unchanged cases are compared (the same as --allow-differences suites)."
    )
    var allowChangedSets = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Settings that may differ between the runs, comma-separated: \(DifferenceKind.names). Any other difference is refused (exit 2).",
            valueName: "list"))
    var allowDifferences: [String] = []

    @Option(name: .long, help: "Seed of the paired bootstrap.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Bootstrap resamples.")
    var resamples: Int = 2000

    @Option(
        name: .long,
        help: "Level of the paired test that marks a change significant (default 0.05; for gate: the policy's).")
    var alpha: Double?

    func validate() throws {
        guard resamples >= 100, resamples <= 1_000_000 else {
            throw ValidationError("--resamples expects 100 to 1000000, found \(resamples)")
        }
        if let alpha, !(alpha > 0 && alpha < 1) {
            throw ValidationError("--alpha expects a number between 0 and 1, found \(alpha)")
        }
        _ = try allowedDifferences()
    }

    /// The kinds `--allow-differences` names (it may be given more than once); an unknown name is a usage error.
    func allowedDifferences() throws -> Set<DifferenceKind> {
        var kinds: Set<DifferenceKind> = allowChangedSets ? [.suites] : []
        let names = DifferenceKind.allCases.map(\.rawValue)
        for name in allowDifferences.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let kind = DifferenceKind(rawValue: trimmed) else {
                var message = "--allow-differences: unknown setting '\(trimmed)'"
                message += didYouMean(closestName(to: trimmed, in: names))
                throw ValidationError(message + " (expected a comma-separated list of \(DifferenceKind.names))")
            }
            kinds.insert(kind)
        }
        return kinds
    }

    /// - Parameter defaultAlpha: the level when `--alpha` is not given (the gate policy's, for `gate`).
    func options(showPII: Bool, defaultAlpha: Double = 0.05) -> DiffOptions {
        DiffOptions(
            allowedDifferences: (try? allowedDifferences()) ?? [], showPII: showPII, alpha: alpha ?? defaultAlpha,
            resamples: resamples,
            seed: seed)
    }
}

enum RunLogInput {
    /// Reads a run log; a bad one is reported as `evalgate: error: PATH:LINE: message` (exit 2), its warnings
    /// (an incomplete last line) as `evalgate: warning: ...`.
    static func load(_ path: String) throws -> RunIndex {
        try load([path])[0]
    }

    /// Reads the logs in parallel. Two arguments naming the same file (by device and inode, so a link or another
    /// spelling of the path is caught too) are refused: a log compared with itself proves nothing.
    static func load(_ paths: [String]) throws -> [RunIndex] {
        if paths.count > 1 {
            // A shard holds a share of the cases: compared as it is, a third of a run could pass a gate.
            for path in paths {
                guard let shard = try? RunLogReader(path: path).manifest.shard else { continue }
                throw CLIError.usage(
                    "\(path) is shard \(shard) of a run, not a whole run: join its \(shard.count) shard logs first (evalgate merge SHARD_LOGS… --out LOG) and compare the merged log"
                ).report()
            }
            var seen: [FileIdentity: String] = [:]
            for path in paths {
                guard let identity = FileIdentity(path: path) else { continue }
                if let first = seen[identity] {
                    let same = first == path ? "'\(path)' is given twice" : "'\(first)' and '\(path)' are the same file"
                    throw CLIError.usage(
                        "\(same): a log compared with itself proves nothing; give the baseline's log and the candidate's"
                    ).report()
                }
                seen[identity] = path
            }
        }
        let indexes: [RunIndex]
        do {
            indexes = try RunIndex.load(paths: paths)
        } catch {
            throw CLIError.usage(located(error.diagnostic)).report()
        }
        for warning in indexes.flatMap(\.warnings) {
            FileHandle.standardError.write(Data("evalgate: warning: \(located(warning))\n".utf8))
        }
        return indexes
    }

    /// The answers of `keys` read back from a log for an HTML report; a log that cannot be read exits 2.
    static func transcripts(_ index: RunIndex, keys: Set<CaseKey>) throws -> Transcripts {
        do {
            return try Transcripts.load(path: index.path, keys: keys)
        } catch {
            throw CLIError.usage(located(error.diagnostic)).report()
        }
    }

    /// The JUnit XML of a diff (and of the gate's verdict), with the prompts of the candidate's failed cases.
    static func junit(_ diff: RunDiff, candidate: RunIndex, gate: GateResult? = nil, showPII: Bool) -> String {
        let renderer = JUnitRenderer(showPII: showPII)
        return renderer.render(
            diff, gate: gate, prompts: prompts(candidate, keys: renderer.failedKeys(diff.candidateCases)))
    }

    /// The HTML page of a diff (and of the gate's verdict on it) with the answers of the cases it lists.
    static func html(_ diff: RunDiff, base: RunIndex, candidate: RunIndex, gate: GateResult? = nil, showPII: Bool)
        throws -> String
    {
        let renderer = HTMLRenderer(showPII: showPII)
        let keys = renderer.listedKeys(diff)
        return renderer.render(
            diff, base: try transcripts(base, keys: keys), candidate: try transcripts(candidate, keys: keys),
            prompts: prompts(candidate, keys: keys), gate: gate)
    }

    /// The prompts of `keys` from the suites `index` ran, where they still hold what the run asked.
    static func prompts(_ index: RunIndex, keys: Set<CaseKey>) -> Prompts {
        var hashes: [CaseKey: String] = [:]
        for key in keys { hashes[key] = index[key]?.caseHash }
        return Prompts.load(manifest: index.manifest, cases: hashes)
    }

    static func located(_ diagnostic: Diagnostic) -> String {
        diagnostic.locatedMessage
    }

    /// Compares two runs; the same run twice, or settings that differ without `--allow-differences`, exit 2. The
    /// differences allowed are said on stderr.
    static func diff(base: RunIndex, candidate: RunIndex, options: DiffOptions) throws -> RunDiff {
        let diff: RunDiff
        do {
            diff = try RunDiff.make(base: base, candidate: candidate, options: options)
        } catch {
            throw CLIError.usage(error.description).report()
        }
        for difference in diff.differences {
            FileHandle.standardError.write(Data("evalgate: warning: the runs differ (allowed): \(difference)\n".utf8))
        }
        return diff
    }
}

/// A file's device and inode.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
