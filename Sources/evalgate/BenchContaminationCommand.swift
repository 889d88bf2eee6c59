import ArgumentParser
import EvalCore
import Foundation

/// `evalgate bench-contamination`: how fast `contamination` reads training data, and how much memory it holds,
/// on a training file it writes to a temporary folder (deleted afterwards) with leaks planted in it.
struct BenchContaminationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-contamination",
        abstract:
            "Measure contamination-check throughput (MB/s) and peak memory on a generated training file (1 GB by default)."
    )

    @Option(name: .long, help: "Size of the generated training file, in megabytes.")
    var megabytes: Int = 1000

    @Option(name: .long, help: "Eval cases to index (each with a prompt and an ideal).")
    var cases: Int = 2000

    @Option(name: .long, help: "Folder for the generated files (default: a new temporary folder, deleted afterwards).")
    var directory: String?

    func validate() throws {
        guard (1...100_000).contains(megabytes) else {
            throw ValidationError("--megabytes expects 1 to 100000, found \(megabytes)")
        }
        guard (10...1_000_000).contains(cases) else {
            throw ValidationError("--cases expects 10 to 1000000, found \(cases)")
        }
    }

    func run() throws {
        let folder =
            directory
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("evalgate-bench-contamination-\(getpid())")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }
        var random = SplitMix64(seed: 7)
        let evalCases = (0..<cases).map { _ in
            (prompt: Self.sentence(&random, words: 25), ideal: Self.sentence(&random, words: 20))
        }
        let trainPath = (folder as NSString).appendingPathComponent("train.jsonl")
        let planted = try Self.writeTraining(trainPath, megabytes: megabytes, cases: evalCases, random: &random)
        var index = ContaminationIndex()
        for (number, evalCase) in evalCases.enumerated() {
            index.add(
                evalCase.prompt, suite: "bench", caseID: "c\(number)", field: .prompt, path: "cases.jsonl",
                line: number + 1)
            index.add(
                evalCase.ideal, suite: "bench", caseID: "c\(number)", field: .ideal, path: "cases.jsonl",
                line: number + 1)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: trainPath)[.size] as? Int) ?? 0
        print(
            "evalgate bench-contamination — \(String(format: "%.1f", Double(size) / 1_000_000)) MB of OpenAI chat JSONL, \(cases) eval cases, \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
        var scanner = ContaminationScanner(index: index)
        let start = ContinuousClock.now
        let summary: TrainingData.FileSummary
        do {
            summary = try TrainingData.read(path: trainPath) { text, line in
                scanner.scan(text, at: TrainingLocation(path: trainPath, line: line))
            }
        } catch {
            throw CLIError.infrastructure(error.locatedMessage).report()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let report = ContaminationReport.make(scanner, training: [summary])
        print(
            String(
                format: "read %d lines, %d texts in %.1f s: %.1f MB/s", summary.lines, summary.texts, seconds,
                Double(size) / 1_000_000 / seconds))
        print(String(format: "peak RSS %.0f MiB", BenchCommand.peakResidentMegabytes()))
        print("cases found \(report.casesContaminated) (planted \(planted))")
        if report.casesContaminated != planted {
            throw CLIError.infrastructure("found \(report.casesContaminated) cases, planted \(planted)").report()
        }
    }

    static let words =
        ("the order refund policy customer account delivery parcel payment card support agent store warranty return "
        + "replace broken screen battery charge invoice price discount weekend member points bonus plan annual cancel "
        + "заказ возврат доставка посылка оплата карта поддержка магазин гарантия замена экран батарея счёт цена скидка "
        + "выходные бонус тариф отмена клиент менеджер курьер адрес неделя месяц день сегодня завтра вчера").split(
            separator: " "
        ).map(String.init)

    static func sentence(_ random: inout SplitMix64, words count: Int) -> String {
        (0..<count).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
    }

    /// Writes chat lines of about 1 KB up to `megabytes`; every 10,000th line quotes an eval prompt inside a longer
    /// text. Returns how many distinct cases were planted.
    static func writeTraining(
        _ path: String, megabytes: Int, cases: [(prompt: String, ideal: String)], random: inout SplitMix64
    ) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw CLIError.infrastructure("cannot write '\(path)'").report()
        }
        defer { try? handle.close() }
        var buffer = Data()
        var written = 0
        var line = 0
        var planted: Set<Int> = []
        while written < megabytes * 1_000_000 {
            line += 1
            var user = sentence(&random, words: 40)
            if line % 10_000 == 0 {
                let leaked = (line / 10_000) % cases.count
                planted.insert(leaked)
                user += ", " + cases[leaked].prompt + ". " + sentence(&random, words: 10)
            }
            let object: JSONValue = [
                "messages": [
                    ["role": "system", "content": "You are a helpful support agent."],
                    ["role": "user", "content": .string(user)],
                    ["role": "assistant", "content": .string(sentence(&random, words: 90))],
                ]
            ]
            buffer.append(object.canonicalData())
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                written += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        return planted.count
    }
}
