import ArgumentParser
import EvalCore
import Foundation
import Reporting

/// `evalgate label LOG… --labels FILE`: draws a stratified sample of verdicts for people to check, and lets them
/// check it in the terminal (`--interactive`).
struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Draw a sample of check verdicts from run logs for people to check, and label it in the terminal.",
        discussion: """
            With run logs: draws --count verdicts (one per answer and check) into the labelling file --labels \
            (JSONL; --csv also writes it as CSV for a spreadsheet). Answers on which a judge and a deterministic \
            check disagree come first; the rest are taken round-robin over (rule, verdict), so a rare verdict is \
            sampled as often as a common one; --seed makes the sample reproducible. An existing labelling file is \
            never overwritten: --add draws more verdicts into it, leaving out those it holds. \
            With --interactive: shows each unlabelled item (prompt, answer with the evidence highlighted, the \
            check's verdict) and reads a key: a agree, d disagree, s skip, n note, b back, q quit. The file is saved \
            after every answer; run the same command again to continue. Keys may also come from a file or pipe, one \
            per line (a, d, s, b, q, n TEXT). Then: evalgate agreement FILE. Exit codes: 0 done, 2 bad input.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Run logs to draw verdicts from (none with --interactive on an existing file).", valueName: "log"))
    var logs: [String] = []

    @Option(name: .long, help: ArgumentHelp("The labelling file (JSONL) to write or to label.", valueName: "file"))
    var labels: String

    @Option(name: .long, help: "How many verdicts to draw.")
    var count: Int = 50

    @Option(name: .long, help: "Seed of the sample: the same logs and seed draw the same verdicts.")
    var seed: UInt64 = 1

    @Option(
        name: .long, help: ArgumentHelp("Draw only verdicts of this rule (check type); repeatable.", valueName: "rule"))
    var rule: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("Leave out verdicts already in these labelling files; repeatable.", valueName: "file"))
    var exclude: [String] = []

    @Flag(name: .long, help: "Add a new draw to an existing labelling file instead of refusing to touch it.")
    var add = false

    @Option(
        name: .long, help: ArgumentHelp("Also write the labelling file as CSV for a spreadsheet.", valueName: "file"))
    var csv: String?

    @Flag(name: .long, help: "Label the file's unlabelled items in the terminal (or from keys on standard input).")
    var interactive = false

    func validate() throws {
        guard count >= 1, count <= 100_000 else { throw ValidationError("--count expects 1 to 100000, found \(count)") }
        if logs.isEmpty && !interactive && csv == nil {
            throw ValidationError(
                "give run logs to draw a sample from, or --interactive (or --csv) to use the existing file '\(labels)'")
        }
        if add && logs.isEmpty {
            throw ValidationError("--add draws more verdicts: give the run logs to draw them from")
        }
    }

    func run() throws {
        var records: [LabelRecord] = []
        let exists = FileManager.default.fileExists(atPath: labels)
        if exists { records = try LabelInput.read([labels]) }
        if !logs.isEmpty {
            if exists && !add {
                let labelled = records.count { $0.human != nil }
                throw CLIError.usage(
                    "\(labels): the labelling file exists (\(labelled) of \(records.count) labelled) and is never overwritten: label it with --interactive, draw more into it with --add, or choose another --labels"
                ).report()
            }
            let drawn = try draw(excluding: Set(records.map(\.key)))
            records += drawn
            try save(records)
            FileHandle.standardError.write(
                Data(
                    "evalgate: drew \(drawn.count) verdict\(drawn.count == 1 ? "" : "s") into \(labels) (\(records.count) in the file)\n"
                        .utf8))
        } else if !exists {
            throw CLIError.usage(
                "\(labels): no such labelling file; draw one first: evalgate label LOG… --labels \(labels)"
            ).report()
        }
        if let csv, let problem = ReportOutputOptions.writeFile(LabelCSV.text(records), to: csv) {
            throw CLIError.usage("--csv: cannot write '\(csv)': \(problem)").report()
        }
        if interactive {
            try TerminalLabeler(path: labels).run(records: records)
        }
    }

    /// The sample from `logs`, leaving out `known` and the verdicts of the `--exclude` files.
    private func draw(excluding known: Set<LabelKey>) throws -> [LabelRecord] {
        var excluded = known
        for record in try LabelInput.read(exclude) { excluded.insert(record.key) }
        var sources: [LabelSampler.Source] = []
        for log in logs {
            do {
                sources.append(try LabelSampler.Source.read(path: log))
            } catch {
                throw CLIError.usage(error.diagnostic.locatedMessage).report()
            }
        }
        let sampler = LabelSampler(options: .init(count: count, seed: seed, rules: Set(rule), exclude: excluded))
        var prompts = PromptLookup()
        return sampler.sample(sources) { reference, caseID, caseHash in
            prompts.prompt(reference: reference, caseID: caseID, caseHash: caseHash)
        }
    }

    private func save(_ records: [LabelRecord]) throws {
        do {
            try LabelFile.write(records, to: labels)
        } catch {
            throw CLIError.usage(error.diagnostics.first?.locatedMessage ?? "\(labels): cannot write").report()
        }
    }
}

/// The prompts of the cases a run log names, read from the suites its manifest points at; a case whose content
/// changed since the run (another case hash) has no prompt rather than a wrong one.
private struct PromptLookup {
    private var suites: [String: Suite?] = [:]

    mutating func prompt(reference: SuiteReference?, caseID: String, caseHash: String) -> String? {
        guard let reference else { return nil }
        if suites[reference.path] == nil {
            let loaded = SuiteLoader.load(directory: reference.path, validateCheck: SuitePaths.checkProblem)
            suites[reference.path] = .some(loaded.suite)
        }
        guard let suite = suites[reference.path] ?? nil, let evalCase = suite.evalCase(id: caseID),
            evalCase.contentHash == caseHash
        else { return nil }
        return evalCase.messages.conversationText
    }
}

/// The interactive loop: keys from a terminal in raw mode (one key, no Enter), or lines from a file or pipe.
struct TerminalLabeler {
    let path: String

    func run(records: [LabelRecord]) throws {
        var session = LabelSession(records: records)
        let terminal = isatty(STDIN_FILENO) == 1
        let color = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let screen = LabelScreen(color: color)
        var raw = terminal ? RawMode() : nil
        defer { raw?.restore() }
        var input = LineInput()
        while !session.isFinished {
            write(screen.render(session, file: path))
            let action: LabelSession.Action?
            if terminal {
                guard let key = Self.readKey() else { break }
                if key == UInt8(ascii: "n") || key == UInt8(ascii: "N") {
                    raw?.restore()
                    write("Note: ")
                    let note = input.next() ?? ""
                    raw = RawMode()
                    action = .note(note)
                } else {
                    action = LabelSession.Action(key: key)
                }
            } else {
                guard let line = input.next() else { break }
                action = LabelSession.Action(line: line)
            }
            guard let action else { continue }
            if action == .quit { break }
            if session.apply(action) {
                do {
                    try LabelFile.write(session.records, to: path)
                } catch {
                    raw?.restore()
                    throw CLIError.infrastructure(error.diagnostics.first?.locatedMessage ?? "\(path): cannot save")
                        .report()
                }
            }
        }
        raw?.restore()
        raw = nil
        if session.isFinished {
            write(screen.render(session, file: path))
        } else {
            write(
                "\nevalgate label: stopped with \(session.remaining) to go (\(session.labelled) labelled, \(session.skipped) skipped); saved in \(path); run the same command to continue\n"
            )
        }
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// One key; an escape sequence (an arrow key) is read whole and ignored, so that its letters are not taken for
    /// keys. Nil at the end of input.
    static func readKey() -> UInt8? {
        while true {
            guard let byte = readByte() else { return nil }
            guard byte == 0x1B else { return byte }
            guard let next = readByte() else { return nil }
            if next == UInt8(ascii: "[") || next == UInt8(ascii: "O") {
                while let final = readByte(), !(0x40...0x7E).contains(final) {}
            }
        }
    }

    private static func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 { return byte }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }
}

/// Lines of standard input, read byte by byte so that nothing past the line is taken from a terminal.
private struct LineInput {
    mutating func next() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == 0x0A {
                return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .init(charactersIn: "\r"))
            }
            bytes.append(byte)
        }
    }
}

/// The terminal without line editing and echo, so that one key acts at once; output processing stays on (a line
/// break still returns the carriage). Control-C arrives as a key (quit) instead of a signal, so the terminal is always
/// restored.
private struct RawMode {
    private var saved = termios()
    private var active = false

    init() {
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        active = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0
    }

    mutating func restore() {
        guard active else { return }
        var original = saved
        tcsetattr(STDIN_FILENO, TCSANOW, &original)
        active = false
    }
}
