import ArgumentParser
import EvalCore
import Foundation
import Scoring

/// `evalgate bench-scoring`: how fast the detectors read answers, in MB/s of response text, on one core.
struct BenchScoringCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-scoring",
        abstract: "Measure scoring throughput (MB/s, one core) of the PII detectors and the ru+en promise packs."
    )

    @Option(name: .long, help: "Megabytes of mixed Russian and English answer text to score.")
    var megabytes: Int = 4

    @Option(name: .long, help: "Use the lines of this UTF-8 file as the answers instead of the built-in mix.")
    var corpus: String?

    @Option(name: .long, help: "Rounds over the text; the best round is reported.")
    var rounds: Int = 3

    func validate() throws {
        guard megabytes >= 1, megabytes <= 1024 else { throw ValidationError("--megabytes expects 1 to 1024, found \(megabytes)") }
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
        let bytes = answers.reduce(0) { $0 + $1.utf8.count }
        print("evalgate bench-scoring — \(answers.count) answers, \(String(format: "%.2f", Double(bytes) / 1_048_576)) MiB, one core, best of \(rounds)")
        print("")
        print("checks                         MB/s   findings")
        let setups: [(String, [CheckSpec])] = [
            ("pii (all detectors)", [CheckSpec(type: "pii")]),
            ("promises (ru + en)", [CheckSpec(type: "promises")]),
            ("pii + promises", [CheckSpec(type: "pii"), CheckSpec(type: "promises")]),
        ]
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
                let start = ContinuousClock.now
                for answer in answers {
                    for check in checks { findings += check.evaluate(CheckInput(response: answer)).findings.count }
                }
                best = min(best, seconds(ContinuousClock.now - start))
            }
            let rate = Double(bytes) / 1_000_000 / best
            print(label.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %7.1f %10d", rate, findings))
        }
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
