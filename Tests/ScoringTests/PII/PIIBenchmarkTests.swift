import Foundation
import Scoring
import Testing

/// Throughput of the PII detectors on a few MB of mixed Russian and English support text (banking77 queries from
/// ../shared/datasets and Russian sentences, a few of them with personal data). Run it on purpose, in release mode:
/// `PII_BENCH=1 swift test -c release --filter PIIBenchmark`; it prints MB/s.
@Suite struct PIIBenchmarkTests {
    static let isRequested =
        ProcessInfo.processInfo.environment["PII_BENCH"] != nil && FileManager.default.fileExists(atPath: banking.path)
    static let banking = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/datasets/banking77/test.csv").standardizedFileURL

    static let russian = [
        "Перевод между своими счетами занимает до трёх рабочих дней, комиссия не взимается.",
        "Чтобы заблокировать карту, позвоните на горячую линию или воспользуйтесь приложением банка.",
        "Ваш запрос №48213 принят, специалист свяжется с вами в течение дня.",
        "Курс валют обновляется ежедневно в 10:00 по московскому времени, версия приложения 5.12.3.",
        "Лимит на снятие наличных составляет 300 000 рублей в месяц; сверх лимита — 1,5% от суммы.",
        "Для входа используйте пароль из СМС, никому его не сообщайте.",
        "Напишите нам на support@bank.example или позвоните 8 800 555-35-35.",
        "Реквизиты: ИНН 7707083893, ОГРН 1027700132195, счёт DE89 3704 0044 0532 0130 00.",
    ]

    /// Answers of about 1 KB, like a model's, built from the two sources until `megabytes` are reached.
    static func answers(megabytes: Int, russian: [String] = russian) throws -> [String] {
        let english = try String(contentsOf: banking, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
            .map {
                $0.split(separator: ",").dropLast().joined(separator: ",")
            }
        var answers: [String] = []
        var current = ""
        var total = 0
        var index = 0
        while total < megabytes * 1_000_000 {
            current += index % 3 == 0 ? russian[index % russian.count] : english[index % english.count]
            current += " "
            index += 1
            if current.utf8.count >= 1000 {
                total += current.utf8.count
                answers.append(current)
                current = ""
            }
        }
        return answers
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test(.enabled(if: PIIBenchmarkTests.isRequested, "set PII_BENCH=1 to measure"))
    func throughput() throws {
        let answers = try Self.answers(megabytes: 8)
        let bytes = answers.reduce(0) { $0 + $1.utf8.count }
        let detector = PIIDetector()
        var found = 0
        for answer in answers.prefix(200) { found += detector.detect(in: answer).count }  // warm up
        found = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for answer in answers { found += detector.detect(in: answer).count }
        }
        let rate = Double(bytes) / 1e6 / Self.seconds(elapsed)
        print(String(format: "PII detectors: %.1f MB, %.0f MB/s, %d matches", Double(bytes) / 1e6, rate, found))
        let clean = try Self.answers(megabytes: 8, russian: Array(Self.russian.prefix(6)))
        var cleanFound = 0
        let cleanElapsed = clock.measure {
            for answer in clean { cleanFound += detector.detect(in: answer).count }
        }
        let cleanBytes = clean.reduce(0) { $0 + $1.utf8.count }
        let cleanRate = Double(cleanBytes) / 1e6 / Self.seconds(cleanElapsed)
        print(String(format: "PII detectors, text without PII: %.0f MB/s, %d matches", cleanRate, cleanFound))
        let check = PIICheck()
        var failed = 0
        let checked = clock.measure {
            for answer in answers where !check.evaluate(CheckInput(response: answer)).passed { failed += 1 }
        }
        let checkRate = Double(bytes) / 1e6 / Self.seconds(checked)
        print(
            String(
                format: "pii check (findings included): %.0f MB/s, %d of %d answers fail", checkRate, failed,
                answers.count))
        #expect(found > 0)
    }
}
