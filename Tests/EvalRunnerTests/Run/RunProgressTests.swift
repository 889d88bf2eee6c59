import Synchronization
import Testing

@testable import EvalRunner

@Suite("Progress lines")
struct RunProgressTests {
    static let target = TargetProgress(
        label: "v1.3", done: 150, total: 300, passed: 120, failed: 27, errors: 3,
        finishedThisSession: 100, cachedThisSession: 20, concurrency: 8
    )

    @Test("a line says done/total, pass rate, errors, requests/s, cache hits, ETA and concurrency")
    func line() {
        let text = ProgressPrinter.line(Self.target, elapsed: .seconds(10), color: false)
        #expect(text == "v1.3: 150/300  pass 81.6%  errors 3  8.0 req/s  cached 20  ETA 15s  c=8")
        var done = Self.target
        done.done = 300
        #expect(ProgressPrinter.line(done, elapsed: .seconds(10), color: false).contains("done"))
        #expect(
            ProgressPrinter.line(Self.target, elapsed: .seconds(10), color: true).contains(
                "\u{1B}[31merrors 3\u{1B}[0m"))
        #expect(!ProgressPrinter.line(Self.target, elapsed: .seconds(10), color: false).contains("\u{1B}"))
    }

    @Test("durations read as a person writes them")
    func durations() {
        #expect(ProgressPrinter.formatDuration(9.2) == "10s")
        #expect(ProgressPrinter.formatDuration(75) == "1m15s")
        #expect(ProgressPrinter.formatDuration(7260) == "2h01m")
    }

    @Test("live mode redraws in place; plain mode prints lines at most once per interval; off prints nothing")
    func modes() {
        let output = Mutex<[String]>([])
        let now = ContinuousClock.now
        var live = ProgressPrinter(style: .live(color: false)) { text in output.withLock { $0.append(text) } }
        live.update([Self.target, Self.target], elapsed: .seconds(1), now: now)
        live.update([Self.target, Self.target], elapsed: .seconds(1), now: now + .seconds(1))
        let drawn = output.withLock { $0 }
        #expect(drawn.count == 2)
        #expect(!drawn[0].hasPrefix("\u{1B}[2A"))
        #expect(drawn[1].hasPrefix("\u{1B}[2A"), "the second draw moves up over the two lines")

        output.withLock { $0 = [] }
        var plain = ProgressPrinter(style: .plain(interval: .seconds(10))) { text in output.withLock { $0.append(text) }
        }
        plain.update([Self.target], elapsed: .seconds(1), now: now)
        plain.update([Self.target], elapsed: .seconds(2), now: now + .seconds(5))
        plain.update([Self.target], elapsed: .seconds(11), now: now + .seconds(10))
        plain.update([Self.target], elapsed: .seconds(11), now: now + .seconds(11), force: true)
        #expect(output.withLock { $0.count } == 3)
        #expect(output.withLock { $0[0] }.hasPrefix("progress: v1.3: 150/300"))

        output.withLock { $0 = [] }
        var off = ProgressPrinter(style: .off) { text in output.withLock { $0.append(text) } }
        off.update([Self.target], elapsed: .seconds(1), now: now, force: true)
        #expect(output.withLock { $0.isEmpty })
    }

    @Test("CI or a pipe gets plain lines; NO_COLOR turns colour off")
    func automatic() {
        #expect(ProgressStyle.automatic(environment: [:], isTerminal: false) == .plain(interval: .seconds(10)))
        #expect(
            ProgressStyle.automatic(environment: ["CI": "true"], isTerminal: true) == .plain(interval: .seconds(10)))
        #expect(ProgressStyle.automatic(environment: ["CI": "false"], isTerminal: true) == .live(color: true))
        #expect(ProgressStyle.automatic(environment: [:], isTerminal: true) == .live(color: true))
        #expect(ProgressStyle.automatic(environment: ["NO_COLOR": "1"], isTerminal: true) == .live(color: false))
        #expect(
            ProgressStyle.automatic(environment: ["TERM": "dumb"], isTerminal: true) == .plain(interval: .seconds(10)))
    }
}
