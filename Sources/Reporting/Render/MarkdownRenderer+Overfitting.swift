extension MarkdownRenderer {
    /// One version's train-sample vs held-out gap.
    func overfitting(_ out: inout Output, _ gap: OverfittingGap?) {
        guard let gap else { return }
        out.line("**Overfitting:** " + Self.describe(gap))
        out.blank()
    }

    /// The gap per checkpoint, where it starts to widen, and the checkpoint to stop at.
    func overfitting(_ out: inout Output, _ trend: OverfittingTrend?) {
        guard let trend else { return }
        out.line("### Overfitting: train-sample vs held-out eval")
        out.blank()
        if let start = trend.startsAt, let stop = trend.recommended {
            out.line(
                "**Overfitting from \(MarkdownText.escape(start))**: the gap between train-sample and held-out eval widens by at least "
                    + "\(Format.points(trend.minWidening)) from \(MarkdownText.escape(stop)) on while the held-out pass rate does not rise. "
                    + "**Stop early at \(MarkdownText.escape(stop))**, the last checkpoint before it.")
        } else {
            out.line("The gap between train-sample and held-out eval does not widen across these versions.")
        }
        out.blank()
        out.line(
            MarkdownText.header(["version", "train-sample", "held-out eval", "gap (95% CI)"], alignRight: [1, 2, 3]))
        for gap in trend.gaps {
            out.line(
                MarkdownText.row([
                    MarkdownText.escape(gap.label) + (gap.label == trend.startsAt ? " ⚠️" : ""),
                    Format.percent(gap.train.rate),
                    Format.percent(gap.heldOut.rate), Self.gapText(gap),
                ]))
        }
        out.blank()
    }

    static func gapText(_ gap: OverfittingGap) -> String {
        guard let value = gap.gap, let interval = gap.interval else { return "—" }
        return Format.points(value) + " (" + Format.pointsRange(interval.lower, interval.upper) + ")"
    }

    static func describe(_ gap: OverfittingGap) -> String {
        "train-sample \(Format.percent(gap.train.rate)) (95% CI \(Format.interval(gap.train.interval))) vs held-out eval "
            + "\(Format.percent(gap.heldOut.rate)) (95% CI \(Format.interval(gap.heldOut.interval))): gap \(gapText(gap))"
    }
}
