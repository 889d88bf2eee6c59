public import Foundation

/// Where one target of a run stands.
public struct TargetProgress: Sendable, Hashable {
    public var label: String
    /// Results in the log, those of earlier sessions included.
    public var done: Int
    public var total: Int
    public var passed: Int
    public var failed: Int
    public var errors: Int
    /// Results of this session, and how many of them came from the cache.
    public var finishedThisSession: Int
    public var cachedThisSession: Int
    /// The target's current concurrency limit (it drops after 429s).
    public var concurrency: Int

    /// Pass rate among answered cases (errors excluded); nil before the first answer.
    public var passRate: Double? {
        passed + failed == 0 ? nil : Double(passed) / Double(passed + failed)
    }
}

/// How a run shows its progress.
public enum ProgressStyle: Sendable, Hashable {
    /// A live line per target, redrawn in place (a terminal); `color` unless `NO_COLOR` is set.
    case live(color: Bool)
    /// A plain line per target at most every `interval` (CI logs, pipes).
    case plain(interval: Duration)
    /// Nothing (`--quiet`).
    case off

    /// The style for standard error as it is: live on a terminal, plain when `CI` is set or output is redirected.
    public static func automatic(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        isTerminal: Bool = isatty(STDERR_FILENO) == 1
    ) -> ProgressStyle {
        let ci = environment["CI"].map { !$0.isEmpty && $0 != "0" && $0.lowercased() != "false" } ?? false
        if isTerminal && !ci && environment["TERM"] != "dumb" {
            return .live(color: environment["NO_COLOR"].map(\.isEmpty) ?? true)
        }
        return .plain(interval: .seconds(10))
    }

    /// How often the run loop wakes up to redraw.
    var tick: Duration? {
        switch self {
        case .live: return .milliseconds(250)
        case .plain(let interval): return interval
        case .off: return nil
        }
    }
}

/// Draws progress lines; owned by the run loop.
struct ProgressPrinter {
    let style: ProgressStyle
    let write: @Sendable (String) -> Void
    private var linesDrawn = 0
    private var lastDraw: ContinuousClock.Instant?

    init(style: ProgressStyle, write: @escaping @Sendable (String) -> Void) {
        self.style = style
        self.write = write
    }

    mutating func update(
        _ targets: [TargetProgress], elapsed: Duration, now: ContinuousClock.Instant, force: Bool = false
    ) {
        guard let tick = style.tick else { return }
        if !force, let lastDraw, now - lastDraw < tick { return }
        lastDraw = now
        let lines = targets.map { Self.line($0, elapsed: elapsed, color: style == .live(color: true)) }
        switch style {
        case .live:
            var text = linesDrawn > 0 ? "\u{1B}[\(linesDrawn)A" : ""
            for line in lines { text += "\r\u{1B}[2K" + line + "\n" }
            linesDrawn = lines.count
            write(text)
        case .plain:
            write(lines.map { "progress: " + $0 + "\n" }.joined())
        case .off:
            break
        }
    }

    static func line(_ target: TargetProgress, elapsed: Duration, color: Bool) -> String {
        let seconds = max(0.001, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        let rate = Double(target.finishedThisSession - target.cachedThisSession) / seconds
        let remaining = target.total - target.done
        let perSecond = Double(target.finishedThisSession) / seconds
        var parts = ["\(target.label): \(target.done)/\(target.total)"]
        if let passRate = target.passRate {
            parts.append(String(format: "pass %.1f%%", passRate * 100))
        }
        var errors = "errors \(target.errors)"
        if color && target.errors > 0 { errors = "\u{1B}[31m\(errors)\u{1B}[0m" }
        parts.append(errors)
        parts.append(String(format: "%.1f req/s", rate))
        if target.cachedThisSession > 0 { parts.append("cached \(target.cachedThisSession)") }
        if remaining == 0 {
            parts.append("done")
        } else if perSecond > 0 {
            parts.append("ETA \(formatDuration(Double(remaining) / perSecond))")
        }
        parts.append("c=\(target.concurrency)")
        return parts.joined(separator: "  ")
    }

    static func formatDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h\(String(format: "%02d", (total % 3600) / 60))m"
    }
}
