import ArgumentParser
import EvalCore
import EvalRunner
import Foundation
import Scoring
import Transport

/// `evalgate bench-run`: the whole run loop — plan, requests through libcurl, scoring, log appends — on N generated
/// cases against the scripted endpoint with no latency (in a child process, so the CPU measured is the runner's).
struct BenchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-run",
        abstract: "Measure the runner end to end: wall time, CPU per case and peak memory for N generated cases.",
        shouldDisplay: false
    )

    @Option(name: .long, help: "Cases in the generated suite.")
    var cases: Int = 10_000

    @Option(name: .long, help: "Requests in flight.")
    var concurrency: Int = 64

    @Option(name: .long, help: "Answers per case.")
    var repeats: Int = 1

    @Option(name: .long, help: "Targets run side by side (each gets every case).")
    var targets: Int = 1

    @Option(
        name: .long,
        help: ArgumentHelp("Keep the generated suite and logs here instead of a temporary folder.", valueName: "folder")
    )
    var keep: String?

    @Flag(
        name: .long,
        help: "Use a response cache and run twice: the first run fills it, the second is a fully cached rerun.")
    var cached = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The suite's checks: 'bench' (pii, promises, length), 'support-ru' (support-ru-eval's: sections, promises, pii, language; the prompts are then answers in the house format, which the endpoint echoes), or 'none'.",
            valueName: "set"))
    var checks: CheckSet = .bench

    enum CheckSet: String, ExpressibleByArgument, CaseIterable {
        case bench
        case supportRU = "support-ru"
        case none
    }

    func validate() throws {
        guard cases >= 1, concurrency >= 1, targets >= 1, repeats >= 1 else {
            throw ValidationError("--cases, --concurrency, --targets and --repeats expect at least 1")
        }
    }

    func run() async throws {
        let folder =
            keep
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-bench-run-\(UUID().uuidString)")
            .path
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let suiteFolder = folder + "/EvalSets/bench"
        try Self.writeSuite(cases: cases, checks: checks, to: suiteFolder)

        let memoryBefore = BenchCommand.peakResidentMegabytes()
        let loadStart = ContinuousClock.now
        let loadCPUBefore = BenchCommand.processCPUSeconds()
        let suites = try SuitePaths.loadValidLazily([suiteFolder])
        let loadCPU = BenchCommand.processCPUSeconds() - loadCPUBefore
        let loadSeconds = seconds(ContinuousClock.now - loadStart)
        let memoryAfterLoad = BenchCommand.peakResidentMegabytes()
        let residentAfterLoad = Self.residentMegabytes()

        let server = try BenchServer(latencyMs: 0)
        defer { server.stop() }
        let transport = try CurlClient()
        let specs = (0..<targets).map { index in
            RunTargetSpec(
                label: "v\(index + 1)", model: "bench-\(index + 1)", endpoint: ChatEndpoint(baseURL: server.baseURL))
        }
        let cache = cached ? ResponseCache(directory: folder + "/cache", mode: .use) : nil
        func makeRunner(_ out: String) throws -> Runner {
            try Runner(
                suites: suites, targets: specs,
                settings: RunSettings(
                    outDirectory: out, repeats: repeats, concurrency: concurrency, cache: cache,
                    toolVersion: EvalgateVersion.current),
                transport: transport
            )
        }
        let cpuBefore = BenchCommand.processCPUSeconds()
        let start = ContinuousClock.now
        let summary = try await makeRunner(folder + "/runs").run()
        let wall = seconds(ContinuousClock.now - start)
        let cpu = BenchCommand.processCPUSeconds() - cpuBefore
        let results = summary.targets.reduce(0) { $0 + $1.results }
        let errors = summary.targets.reduce(0) { $0 + $1.errors }
        let logBytes = summary.targets.reduce(0) { total, target in
            total + ((try? FileManager.default.attributesOfItem(atPath: target.logPath)[.size] as? Int) ?? 0)
        }
        let scoringCPU = try Self.scoringCPU(cases: min(cases, 2_000), checks: checks)
        var rerun: (wall: Double, cpu: Double, hits: Int)?
        if cached {
            let cpuBefore = BenchCommand.processCPUSeconds()
            let start = ContinuousClock.now
            let again = try await makeRunner(folder + "/rerun").run()
            rerun = (
                seconds(ContinuousClock.now - start), BenchCommand.processCPUSeconds() - cpuBefore,
                again.targets.reduce(0) { $0 + $1.cacheHits }
            )
        }

        print(
            "evalgate bench-run: \(cases) cases × \(repeats) repeat(s) × \(targets) target(s), concurrency \(concurrency), checks '\(checks.rawValue)', scripted endpoint without latency"
        )
        print(
            "load average      \(BenchScoringCommand.loadAverage())   (CPU is user + sys of this process from getrusage; the endpoint is a child process)"
        )
        print(
            String(
                format:
                    "suite load        %8.3f s   %.1f µs CPU per case (peak RSS %.1f → %.1f MB; resident after load %.1f MB)",
                loadSeconds, loadCPU / Double(cases) * 1e6, memoryBefore, memoryAfterLoad, residentAfterLoad))
        print(String(format: "run wall          %8.3f s   %.0f results/s", wall, Double(results) / wall))
        print(
            String(
                format: "runner CPU        %8.1f µs per result (send, receive, score, append%@)",
                cpu / Double(results) * 1e6, cached ? ", cache fill" : ""))
        print(
            String(
                format: "  of which score  %8.1f µs per result (the same answers scored alone, one core)",
                scoringCPU * 1e6))
        print(
            String(
                format: "  the rest        %8.1f µs per result (encode, libcurl, decode, log append, scheduling%@)",
                cpu / Double(results) * 1e6 - scoringCPU * 1e6, cached ? ", cache fill" : ""))
        print(
            String(
                format: "peak RSS          %8.1f MB   (resident at the end %.1f MB)",
                BenchCommand.peakResidentMegabytes(), Self.residentMegabytes()))
        print(
            String(
                format: "logs              %8.1f MB, %d results, %d errors", Double(logBytes) / 1_048_576, results,
                errors))
        if let rerun {
            print(
                String(
                    format:
                        "cached rerun      %8.3f s   %d cache hits, %.1f µs CPU per result (%.1f µs without scoring)",
                    rerun.wall, rerun.hits, rerun.cpu / Double(results) * 1e6,
                    (rerun.cpu / Double(results) - scoringCPU) * 1e6))
        }
        if errors > 0 { throw CLIError.infrastructure("\(errors) requests failed during the benchmark").report() }
    }

    /// The resident set size now, from /proc/self/statm (pages), in MiB; 0 where /proc is absent.
    static func residentMegabytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// CPU seconds per answer to score what the endpoint echoes for the first `cases` cases with the suite's checks.
    static func scoringCPU(cases: Int, checks set: CheckSet) throws -> Double {
        let specs = checkSpecs(set)
        let checks = try specs.map { try CheckRegistry.standard.make($0) }
        let answers = (0..<cases).map { "echo: " + prompt(index: $0, checks: set) }
        let start = BenchCommand.processCPUSeconds()
        var findings = 0
        for answer in answers {
            let input = CheckInput(response: answer)
            for check in checks { findings += check.evaluate(input).findings.count }
        }
        precondition(findings >= 0)
        return (BenchCommand.processCPUSeconds() - start) / Double(max(1, cases))
    }

    static func checkSpecs(_ set: CheckSet) -> [CheckSpec] {
        switch set {
        case .bench:
            return [
                CheckSpec(type: "pii"), CheckSpec(type: "promises"),
                CheckSpec(type: "length", options: ["unit": "words", "max": 600]),
            ]
        case .supportRU:
            return BenchScoringCommand.standardRows.first { $0.label.hasPrefix("support-ru-eval") }?.specs ?? []
        case .none:
            return []
        }
    }

    static let topics = [
        "доставка заказа", "возврат товара", "смена тарифа", "оплата картой", "восстановление пароля",
        "refund for a double charge", "card delivery",
    ]

    /// Case `index`'s prompt: a support question, or (support-ru) an answer in the house format of about 1 KB.
    static func prompt(index: Int, checks: CheckSet) -> String {
        let topic = topics[index % topics.count]
        guard checks == .supportRU else {
            return
                "Здравствуйте! У меня вопрос про \(topic), номер обращения \(100_000 + index). Я уже писал вчера, но ответа не получил. Подскажите, пожалуйста, что делать дальше и сколько это займёт времени? Спасибо."
        }
        let sentences = BenchScoringCommand.builtInSentences
        let pick = { (offset: Int) in sentences[(index + offset) % sentences.count] }
        return
            "Здравствуйте! Спасибо за обращение \(100_000 + index) про \(topic).\n\n**Коротко:** \(pick(3))\n\n**Подробно:** \(pick(4)) \(pick(5)) \(pick(7))\n\n**Следующий шаг:** \(pick(6))"
    }

    /// A suite whose cases look like support questions and carry the checks a real support suite has.
    static func writeSuite(cases: Int, checks set: CheckSet, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let specs = checkSpecs(set).map { "    - " + CanonicalJSON.string($0.json) }.joined(separator: "\n")
        let yaml = """
            name: bench
            kind: eval
            description: generated by evalgate bench-run
            defaults:
              checks:\(specs.isEmpty ? " []" : "\n" + specs)
            """
        try yaml.write(toFile: folder + "/suite.yaml", atomically: true, encoding: .utf8)
        // Written in blocks, so that generating a big suite does not itself raise the peak memory being measured.
        guard FileManager.default.createFile(atPath: folder + "/cases.jsonl", contents: nil),
            let file = FileHandle(forWritingAtPath: folder + "/cases.jsonl")
        else {
            throw CLIError.infrastructure("cannot write \(folder)/cases.jsonl")
        }
        defer { try? file.close() }
        var text = ""
        for index in 0..<cases {
            let line: JSONValue = [
                "id": .string("case-\(index)"),
                "prompt": .string(prompt(index: index, checks: set)),
                "tags": [.string("topic-\(index % topics.count)")],
                "checks": [["type": "icontains", "value": "обращени"]],
            ]
            text += CanonicalJSON.string(line) + "\n"
            if text.utf8.count > 1 << 20 {
                file.write(Data(text.utf8))
                text = ""
            }
        }
        file.write(Data(text.utf8))
    }
}
