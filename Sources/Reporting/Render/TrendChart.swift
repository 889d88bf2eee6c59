import EvalCore
import Foundation

/// The trend of a comparison as an SVG chart: the versions on the x-axis in the comparison's order, the pass rate of
/// each suite kind as a line with its 95% Wilson interval as a band, the PII and promise findings new at each step
/// under the axis, the best version marked. Plain SVG with presentation attributes only (no style sheet, no script,
/// no external reference): it is inlined in the HTML report under its Content-Security-Policy and written as a file
/// beside the Markdown for viewers that do not render Mermaid. Text and axes use `currentColor`.
public struct TrendChart: Sendable {
    public init() {}

    static let width = 760.0
    static let height = 380.0
    static let left = 56.0
    static let right = 130.0
    static let top = 36.0
    static let bottom = 84.0
    /// Colour per suite kind (golden, eval, base), readable on light and dark backgrounds.
    static let colors: [String: String] = [
        "golden": "#d4a72c", "eval": "#2f81f7", "base": "#a371f7", "train-sample": "#db6d28",
    ]

    /// - Parameter standalone: with the SVG namespace, for a file of its own; inline in HTML it needs none.
    public func render(_ comparison: Comparison, standalone: Bool = true) -> String {
        let count = comparison.versions.count
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        func x(_ index: Int) -> Double {
            count == 1 ? Self.left + plotWidth / 2 : Self.left + plotWidth * Double(index) / Double(count - 1)
        }
        func y(_ rate: Double) -> Double { Self.top + plotHeight * (1 - rate) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }

        var svg =
            "<svg " + (standalone ? "xmlns=\"http://www.w3.org/2000/svg\" " : "")
            + "viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" "
            + "width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" role=\"img\" aria-labelledby=\"trend-title\" "
            + "font-family=\"system-ui, sans-serif\" font-size=\"12\" fill=\"currentColor\">\n"
        svg += "<title id=\"trend-title\">Pass rate per suite kind with 95% intervals, by version</title>\n"
        // Axes and grid: 0, 25, 50, 75, 100%.
        for step in 0...4 {
            let rate = Double(step) / 4
            svg +=
                "<line x1=\"\(number(Self.left))\" y1=\"\(number(y(rate)))\" x2=\"\(number(Self.left + plotWidth))\" y2=\"\(number(y(rate)))\" "
                + "stroke=\"currentColor\" stroke-opacity=\"\(step == 0 ? "0.6" : "0.15")\"/>\n"
            svg +=
                "<text x=\"\(number(Self.left - 8))\" y=\"\(number(y(rate) + 4))\" text-anchor=\"end\">\(step * 25)%</text>\n"
        }
        for (index, version) in comparison.versions.enumerated() {
            svg +=
                "<text x=\"\(number(x(index)))\" y=\"\(number(Self.top + plotHeight + 18))\" text-anchor=\"middle\">"
                + "\(XML.escape(Self.short(version.label)))</text>\n"
        }
        // The best version.
        if let best = comparison.best, let index = comparison.versions.firstIndex(where: { $0.label == best.label }) {
            svg +=
                "<line x1=\"\(number(x(index)))\" y1=\"\(number(Self.top - 6))\" x2=\"\(number(x(index)))\" y2=\"\(number(Self.top + plotHeight))\" "
                + "stroke=\"#1a7f37\" stroke-width=\"2\" stroke-dasharray=\"5 4\"/>\n"
            svg +=
                "<text x=\"\(number(x(index)))\" y=\"\(number(Self.top - 12))\" text-anchor=\"middle\" fill=\"#1a7f37\" font-weight=\"bold\">best</text>\n"
        }
        // One band and one line per suite kind.
        var legend = 0
        for row in comparison.rows where row.group == "kind" {
            let color = Self.colors[row.name] ?? "#888888"
            let points = row.cells.enumerated().compactMap { index, cell -> (Int, GroupRate)? in
                guard let cell, cell.rate != nil else { return nil }
                return (index, cell)
            }
            guard !points.isEmpty else { continue }
            let bands = points.compactMap { index, cell in cell.interval.map { (index, $0) } }
            if bands.count > 1 {
                let upper = bands.map { "\(number(x($0.0))),\(number(y($0.1.upper)))" }
                let lower = bands.reversed().map { "\(number(x($0.0))),\(number(y($0.1.lower)))" }
                svg +=
                    "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.15\" stroke=\"none\"/>\n"
            }
            for (index, interval) in bands where bands.count == 1 {
                svg +=
                    "<line x1=\"\(number(x(index)))\" y1=\"\(number(y(interval.lower)))\" x2=\"\(number(x(index)))\" y2=\"\(number(y(interval.upper)))\" "
                    + "stroke=\"\(color)\" stroke-opacity=\"0.4\" stroke-width=\"6\"/>\n"
            }
            if points.count > 1 {
                svg +=
                    "<polyline points=\""
                    + points.map { "\(number(x($0.0))),\(number(y($0.1.rate ?? 0)))" }.joined(separator: " ")
                    + "\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            }
            for (index, cell) in points {
                svg +=
                    "<circle cx=\"\(number(x(index)))\" cy=\"\(number(y(cell.rate ?? 0)))\" r=\"3.5\" fill=\"\(color)\">"
                    + "<title>\(XML.escape("\(row.name) · \(comparison.versions[index].label): \(Format.percent(cell.rate)) (95% CI \(Format.interval(cell.interval)))"))</title></circle>\n"
            }
            let legendY = Self.top + 8 + Double(legend) * 20
            svg +=
                "<rect x=\"\(number(Self.left + plotWidth + 16))\" y=\"\(number(legendY - 9))\" width=\"12\" height=\"12\" fill=\"\(color)\"/>\n"
            svg +=
                "<text x=\"\(number(Self.left + plotWidth + 34))\" y=\"\(number(legendY + 2))\">\(XML.escape(row.name))</text>\n"
            legend += 1
        }
        // New PII and promise findings at each step, under the version that brought them.
        let findingsY = Self.top + plotHeight + 44
        svg +=
            "<text x=\"\(number(Self.left - 8))\" y=\"\(number(findingsY))\" text-anchor=\"end\" font-size=\"11\">new</text>\n"
        svg +=
            "<text x=\"\(number(Self.left - 8))\" y=\"\(number(findingsY + 14))\" text-anchor=\"end\" font-size=\"11\">findings</text>\n"
        for (offset, step) in comparison.steps.enumerated() {
            let index = offset + 1
            let color = step.newFindings > 0 ? "#cf222e" : "currentColor"
            svg +=
                "<text x=\"\(number(x(index)))\" y=\"\(number(findingsY + 6))\" text-anchor=\"middle\" fill=\"\(color)\">"
                + "\(step.newFindings > 0 ? "+\(step.newFindings)" : "0")<title>\(XML.escape("\(Format.plural(step.newFindings, "PII or promise finding", "PII or promise findings")) new in \(step.to) against \(step.from)"))</title></text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// A label short enough for the axis.
    static func short(_ label: String) -> String {
        label.count > 18 ? String(label.prefix(17)) + "…" : label
    }

    /// `ckpt-100` before `ckpt-200` before `ckpt-1000`: labels compared by their runs of digits as numbers and the
    /// rest as text; equal keys keep their order.
    public static func naturalOrder(_ labels: [String]) -> [Int] {
        labels.indices.sorted { a, b in
            let order = naturalCompare(labels[a], labels[b])
            return order == .orderedSame ? a < b : order == .orderedAscending
        }
    }

    static func naturalCompare(_ lhs: String, _ rhs: String) -> ComparisonResult {
        let left = chunks(lhs)
        let right = chunks(rhs)
        for (a, b) in zip(left, right) where a != b {
            switch (a, b) {
            case (.number(let x, let xs), .number(let y, let ys)):
                if x != y { return x < y ? .orderedAscending : .orderedDescending }
                return xs < ys ? .orderedAscending : .orderedDescending
            case (.number, .text): return .orderedAscending
            case (.text, .number): return .orderedDescending
            case (.text(let x), .text(let y)): return x < y ? .orderedAscending : .orderedDescending
            }
        }
        return left.count == right.count
            ? .orderedSame : (left.count < right.count ? .orderedAscending : .orderedDescending)
    }

    enum Chunk: Equatable {
        /// The value (digits beyond 18 are compared as text) and the digits as written (`007` after `7`).
        case number(Double, String)
        case text(String)
    }

    static func chunks(_ text: String) -> [Chunk] {
        var chunks: [Chunk] = []
        var current = ""
        var digits = false
        func flush() {
            guard !current.isEmpty else { return }
            chunks.append(digits ? .number(Double(current) ?? .infinity, current) : .text(current))
            current = ""
        }
        for character in text {
            let isDigit = character.isASCII && character.isNumber
            if isDigit != digits { flush() }
            digits = isDigit
            current.append(character)
        }
        flush()
        return chunks
    }
}
