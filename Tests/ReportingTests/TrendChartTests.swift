import EvalCore
import Foundation
import Reporting
import Testing

/// The compare trend as SVG: versions in natural order, a line and a band per suite kind, new findings per step,
/// the best version marked.
@Suite("Trend chart: SVG of a comparison, natural checkpoint order")
struct TrendChartTests {
    @Test("numbers in labels compare as numbers; ties keep the given order")
    func naturalOrder() {
        #expect(TrendChart.naturalOrder(["ckpt-1000", "ckpt-100", "ckpt-200"]) == [1, 2, 0])
        #expect(TrendChart.naturalOrder(["v1.10", "v1.9", "v1.2"]) == [2, 1, 0])
        #expect(TrendChart.naturalOrder(["b", "a", "a"]) == [1, 2, 0])
        #expect(TrendChart.naturalOrder(["ckpt-7", "ckpt-007", "ckpt"]) == [2, 1, 0])
        #expect(TrendChart.naturalOrder([]) == [])
    }

    @Test("a line per kind with its interval band, the versions in order, new findings per step, the best marked")
    func chart() throws {
        let comparison = try Comparison.make([Fixtures.index("v1"), Fixtures.index("v2"), Fixtures.index("v3")])
        #expect(comparison.steps.map(\.newFindings) == [1, 1])
        let svg = TrendChart().render(comparison)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" "))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline ").count - 1 == 3, "golden, eval and base")
        #expect(svg.components(separatedBy: "<polygon ").count - 1 == 3)
        let labels = ["v1", "v2", "v3"].map { svg.range(of: "text-anchor=\"middle\">\($0)</text>") }
        #expect(labels.allSatisfy { $0 != nil })
        #expect(labels[0]!.lowerBound < labels[1]!.lowerBound && labels[1]!.lowerBound < labels[2]!.lowerBound)
        #expect(svg.contains(">best</text>"))
        #expect(svg.contains(">+1<title>1 PII or promise finding new in v2 against v1</title>"))
        // Inline in HTML: no namespace URL, no style sheet, no script.
        let inline = TrendChart().render(comparison, standalone: false)
        #expect(!inline.contains("http"))
        #expect(!svg.contains("<style") && !svg.contains("<script") && !svg.contains(" style="))
        let html = HTMLRenderer().render(comparison)
        #expect(html.contains("<section class=\"trend\"><h2>Trend</h2>\n<svg viewBox="))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test("a label is escaped in the chart")
    func escaping() throws {
        let base = try Fixtures.index("v1")
        let manifest = Fixtures.manifest(label: "<b>&\"")
        let other = RunIndex.make(manifest: manifest, results: Fixtures.results("v2"))
        let svg = TrendChart().render(try Comparison.make([base, other]))
        #expect(svg.contains(">&lt;b&gt;&amp;&quot;</text>"))
        #expect(!svg.contains("<b>"))
    }
}
