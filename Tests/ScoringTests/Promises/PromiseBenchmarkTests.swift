import EvalCore
import Foundation
import Scoring
import Testing

/// Throughput of the promise detector on a few MB of mixed Russian and English support answers. Not part of a normal
/// run: `EVALGATE_BENCHMARK=1 swift test -c release --filter PromiseBenchmark` (a debug build is ~10x slower).
/// The English answers are built from banking77's test queries (Casanueva et al. 2020, CC BY 4.0) when the shared
/// datasets are on the machine; otherwise from the sentences below.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["EVALGATE_BENCHMARK"] != nil))
struct PromiseBenchmarkTests {
    static let russian = [
        "Здравствуйте! Спасибо, что обратились в поддержку.",
        "Мы проверили ваш заказ: он уже передан в службу доставки.",
        "Обычно доставка занимает 3 рабочих дня, но сроки зависят от региона.",
        "Курьер привезёт заказ завтра до 18:00.",
        "Мы гарантируем возврат денег в течение 10 дней.",
        "К сожалению, мы не можем гарантировать доставку до пятницы.",
        "Подписка стоит 299 ₽ в месяц, первый месяц бесплатно.",
        "Для вас действует скидка 15% на следующий заказ.",
        "Пожалуйста, уточните номер заказа и адрес доставки.",
        "Если карта заблокирована, позвоните по номеру на обороте карты.",
        "Перевод между своими счетами проходит без комиссии.",
        "Обязательно укажите в заявке номер договора.",
        "Ваш баланс составляет 12 450 ₽.",
        "Гарантировать сроки рассмотрения, к сожалению, не можем.",
        "Новую карту выпустим за 2 рабочих дня и отправим курьером.",
    ]

    static let english = [
        "Thanks for reaching out! I'm sorry about the trouble with your card.",
        "Transfers usually take 1-3 business days to arrive.",
        "We'll ship your replacement card tomorrow.",
        "Top-ups by bank transfer are free of charge.",
        "We cannot guarantee the exchange rate at the time of payment.",
        "Please check the Fees section of the app for details.",
        "Your refund will be processed within 5 business days.",
    ]

    static func corpus(bytes target: Int) -> [String] {
        var english = english
        if let csv = try? String(contentsOfFile: "/work/shared/datasets/banking77/test.csv", encoding: .utf8) {
            english += csv.split(whereSeparator: \.isNewline).dropFirst().map { line in
                String(line.split(separator: ",").dropLast().joined(separator: ",")).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        var generator = SplitMix(seed: 77)
        var answers: [String] = []
        var total = 0
        while total < target {
            let useRussian = generator.next() % 2 == 0
            let pool = useRussian ? russian : english
            let count = Int(3 + generator.next() % 5)
            let answer = (0..<count).map { _ in pool[Int(generator.next() % UInt64(pool.count))] }.joined(separator: " ")
            answers.append(answer)
            total += answer.utf8.count
        }
        return answers
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The best of three runs, in MB/s.
    static func throughput(_ bytes: Int, _ body: () -> Int) -> (Double, Int) {
        var best = Duration.seconds(1_000)
        var found = 0
        for _ in 0..<3 {
            let start = ContinuousClock.now
            found = body()
            best = min(best, ContinuousClock.now - start)
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        return (Double(bytes) / 1_000_000 / seconds, found)
    }

    @Test func detectorThroughput() throws {
        let answers = Self.corpus(bytes: 4_000_000)
        let bytes = answers.reduce(0) { $0 + $1.utf8.count }
        let detector = try PromiseDetector()
        let (perAnswer, findings) = Self.throughput(bytes) { answers.reduce(0) { $0 + detector.detect(in: $1).count } }
        let blob = answers.joined(separator: "\n")
        let (oneText, _) = Self.throughput(bytes) { detector.detect(in: blob).count }
        print("promises: \(bytes) bytes in \(answers.count) answers, \(findings) findings")
        print("promises: \(String(format: "%.1f", perAnswer)) MB/s answer by answer, \(String(format: "%.1f", oneText)) MB/s as one text")

        let promises = try CheckRegistry.standard.make(CheckSpec(type: "promises"))
        var checks: [any Check] = [promises]
        if CheckRegistry.standard.types["pii"] != nil, let pii = try? CheckRegistry.standard.make(CheckSpec(type: "pii")) {
            checks.append(pii)
        }
        let (combined, _) = Self.throughput(bytes) {
            answers.reduce(0) { total, answer in
                checks.reduce(total) { $0 + $1.evaluate(CheckInput(response: answer)).findings.count }
            }
        }
        print("checks \(checks.map { type(of: $0).type }): \(String(format: "%.1f", combined)) MB/s answer by answer")
        #expect(findings > 0)
    }
}
