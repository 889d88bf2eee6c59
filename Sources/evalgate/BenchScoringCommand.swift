import ArgumentParser
import EvalCore
import Foundation
import Scoring

/// `evalgate bench-scoring`: how fast the checks read answers, in MB/s of response text and µs of CPU per answer,
/// on one core. Every standard check type has a row (the judge excepted: it asks a model), then the checks of the
/// shipped support suites together; `--suites` adds one row per check type found in those suites and one per suite.
struct BenchScoringCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-scoring",
        abstract: "Measure scoring throughput (MB/s and CPU µs per answer, one core) of every check type."
    )

    @Option(name: .long, help: "Megabytes of mixed Russian and English answer text to score.")
    var megabytes: Int = 4

    @Option(name: .long, help: "Use the lines of this UTF-8 file as the answers instead of the built-in mix.")
    var corpus: String?

    @Option(name: .long, help: "Rounds over the text; the best round (least CPU) is reported.")
    var rounds: Int = 3

    @Option(
        name: .long, parsing: .upToNextOption,
        help: "Suite folders whose checks get rows of their own (one per check type, one per suite).")
    var suites: [String] = []

    @Option(name: .long, help: "Only the rows whose label contains this text.")
    var only: String?

    func validate() throws {
        guard megabytes >= 1, megabytes <= 1024 else {
            throw ValidationError("--megabytes expects 1 to 1024, found \(megabytes)")
        }
        guard rounds >= 1 else { throw ValidationError("--rounds expects at least 1, found \(rounds)") }
    }

    func run() async throws {
        let answers: [String]
        if let corpus {
            guard let text = try? String(contentsOfFile: corpus, encoding: .utf8) else {
                throw CLIError.usage("--corpus: cannot read '\(corpus)' as UTF-8 text").report()
            }
            answers = Self.answers(fromLines: text.split(separator: "\n").map(String.init), megabytes: megabytes)
        } else {
            answers = Self.answers(fromLines: Self.builtInSentences, megabytes: megabytes)
        }
        var setups = Self.standardRows
        if !suites.isEmpty { setups += try Self.suiteRows(suites) }
        if let only { setups = setups.filter { $0.label.contains(only) } }
        let inputs = answers.map { CheckInput(response: $0, ideals: [Self.builtInSentences[0]]) }
        let bytes = answers.reduce(0) { $0 + $1.utf8.count }
        print(
            "evalgate bench-scoring — \(answers.count) answers, \(String(format: "%.2f", Double(bytes) / 1_048_576)) MiB, one core, best of \(rounds) by CPU time (user + sys)"
        )
        print("load average \(Self.loadAverage())")
        print("")
        print("checks                                        MB/s  µs/answer   findings")
        for (label, specs) in setups {
            let checks: [any Check]
            do {
                checks = try specs.map { try CheckRegistry.standard.make($0) }
            } catch {
                throw CLIError.infrastructure("cannot build \(label): \(error)").report()
            }
            var best = Double.infinity
            var findings = 0
            for _ in 0..<rounds {
                findings = 0
                let start = BenchCommand.processCPUSeconds()
                for input in inputs {
                    for check in checks { findings += check.evaluate(input).findings.count }
                }
                best = min(best, BenchCommand.processCPUSeconds() - start)
            }
            best = max(best, 1e-6)
            let rate = Double(bytes) / 1_000_000 / best
            let perAnswer = best / Double(max(1, inputs.count)) * 1e6
            print(
                label.padding(toLength: 42, withPad: " ", startingAt: 0)
                    + String(format: " %8.1f %10.1f %10d", rate, perAnswer, findings))
        }
    }

    /// Every standard check type but the judge, configured as the shipped suites configure it.
    static let standardRows: [(label: String, specs: [CheckSpec])] = {
        let support: [CheckSpec] = [
            CheckSpec(type: "sections", options: ["names": ["Коротко", "Подробно", "Следующий шаг"]]),
            CheckSpec(type: "promises"),
            CheckSpec(type: "pii", options: ["allow": ["support@technomarket.example", "+7 800 555-35-35"]]),
            CheckSpec(type: "language", options: ["expected": "ru"]),
        ]
        let single: [CheckSpec] =
            support + [
                CheckSpec(type: "length", options: ["unit": "words", "max": 250]),
                CheckSpec(type: "no-markdown"),
                CheckSpec(type: "json"),
                CheckSpec(type: "equals", options: ["value": "Коротко"]),
                CheckSpec(type: "contains", options: ["value": "личном кабинете"]),
                CheckSpec(type: "icontains", options: ["value": "ЛИЧНОМ КАБИНЕТЕ"]),
                CheckSpec(type: "contains-any", options: ["values": ["трек-номер", "tracking number"]]),
                CheckSpec(type: "contains-all", options: ["values": ["Коротко", "Подробно"]]),
                CheckSpec(type: "not-contains", options: ["value": "гарантируем"]),
                CheckSpec(type: "starts-with", options: ["value": "**Коротко"]),
                CheckSpec(type: "ends-with", options: ["value": "проверим."]),
                CheckSpec(type: "regex", options: ["pattern": "\\d{1,2} (дня|дней)"]),
                CheckSpec(type: "not-regex", options: ["pattern": "(?i)гарантир\\w+"]),
                CheckSpec(type: "ideal", options: ["match": "contains"]),
            ]
        var rows = single.map { spec in
            (
                label: spec.type == "promises"
                    ? "promises (ru + en)" : spec.type == "pii" ? "pii (all detectors)" : spec.type, specs: [spec]
            )
        }
        rows.append((label: "pii + promises", specs: [support[1], support[2]]))
        rows.append((label: "support-ru-eval defaults (all four)", specs: support))
        return rows
    }()

    /// One row per check type of the suites under `paths` (its first spec), then one per suite with every check its
    /// defaults and cases name (the IFEval suite's instructions included).
    static func suiteRows(_ paths: [String]) throws -> [(label: String, specs: [CheckSpec])] {
        let loaded = SuitePaths.load(paths)
        guard loaded.errorCount == 0 else {
            throw CLIError.usage(
                "--suites: \(loaded.diagnostics.first(where: \.isError).map { "\($0)" } ?? "invalid suites")"
            ).report()
        }
        var byType: [String: CheckSpec] = [:]
        var order: [String] = []
        var rows: [(label: String, specs: [CheckSpec])] = []
        for suite in loaded.suites {
            var specs: [CheckSpec] = []
            var seen: Set<CheckSpec> = []
            for spec in suite.defaults.checks + suite.cases.flatMap(\.checks) where spec.type != JudgeCheck.type {
                if byType[spec.type] == nil {
                    byType[spec.type] = spec
                    order.append(spec.type)
                }
                if seen.insert(spec).inserted { specs.append(spec) }
            }
            rows.append((label: "suite \(suite.name) (\(specs.count) specs)", specs: specs))
        }
        return order.map { (label: $0, specs: [byType[$0]!]) } + rows
    }

    /// The 1, 5 and 15 minute load averages, from /proc/loadavg ("?" where it is absent).
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// Answers of about 1.5 KB (a typical assistant reply) cut from the lines, repeated up to the size asked for.
    static func answers(fromLines lines: [String], megabytes: Int) -> [String] {
        let usable = lines.filter { !$0.isEmpty }
        guard !usable.isEmpty else { return [] }
        var answers: [String] = []
        var current = ""
        var total = 0
        var index = 0
        while total < megabytes * 1_000_000 {
            current += usable[index % usable.count] + (index % 3 == 2 ? "\n\n" : " ")
            index += 1
            if current.utf8.count >= 1500 {
                total += current.utf8.count
                answers.append(current)
                current = ""
            }
        }
        return answers
    }

    /// Support-assistant prose in both languages; a few sentences carry PII or promises, as real answers do.
    static let builtInSentences: [String] = [
        "**Коротко:** ваш заказ передан в службу доставки и находится в пути.",
        "**Подробно:** посылка покинула склад в Подольске, трек-номер придёт в SMS, статус можно смотреть в личном кабинете.",
        "**Следующий шаг:** если курьер не позвонит в течение дня, напишите нам в чат, и мы уточним детали.",
        "Обычно доставка по Москве занимает от одного до трёх рабочих дней, но точный срок зависит от загрузки склада.",
        "К сожалению, гарантировать доставку к конкретной дате мы не можем, однако постараемся ускорить отправку.",
        "Возврат средств оформляется после проверки товара, как правило, это занимает до десяти рабочих дней.",
        "Для уточнения статуса укажите номер заказа в формате ТМ-123456, пожалуйста, без персональных данных.",
        "Гарантийный срок на ноутбуки составляет двенадцать месяцев с даты покупки, подробности в условиях гарантии.",
        "Мы доставим заказ до пятницы и гарантируем, что всё будет в целости.",
        "Свяжитесь с нами по адресу support@technomarket.example или по телефону +7 800 555-35-35.",
        "Клиент указал карту 4111 1111 1111 1111 и просил вернуть деньги на неё.",
        "Стоимость доставки составляет 500 рублей, при заказе от 5000 рублей доставка бесплатная.",
        "**Summary:** your order has shipped and is on its way to the pickup point.",
        "**Details:** the parcel left our warehouse this morning; the tracking number will arrive by email shortly.",
        "**Next step:** if the courier has not called by tomorrow evening, reply in this chat and we will check.",
        "Delivery usually takes two to four business days, depending on the region and the carrier's schedule.",
        "We cannot promise a specific delivery date, but we will do our best to speed things up for you.",
        "Refunds are typically processed within ten business days after the returned item has been inspected.",
        "Please do not share your full card number or passwords in this chat; we will never ask for them.",
        "We guarantee your refund will be processed by Friday, 100% sure.",
        "You can reach the account manager at anna.smith@example.com or call (212) 555-0199 during business hours.",
        "The exchange rate applied to your transfer was the one published at the moment the payment was confirmed.",
        "Version 2.4.1 of the app fixed the login issue reported on 12.03.2024 at 14:35, build 20240312.",
        "Order 1234567890123 was split into two parcels; the second one ships from another warehouse.",
    ]
}
