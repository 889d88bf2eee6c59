import EvalCore
import Scoring
import Testing

/// A text with keycap markers (1️⃣ … 9️⃣) where matches must start, the way swift-format's rule tests mark findings.
struct MarkedText {
    /// The text without its markers.
    let text: String
    /// Each marker's UTF-8 offset in `text`.
    let markers: [String: Int]

    init(_ source: String) {
        var text = String.UnicodeScalarView()
        var markers: [String: Int] = [:]
        var offset = 0
        let scalars = Array(source.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if ("1"..."9").contains(scalar), index + 2 < scalars.count, scalars[index + 1] == "\u{FE0F}",
                scalars[index + 2] == "\u{20E3}"
            {
                markers[String(String.UnicodeScalarView([scalar, scalars[index + 1], scalars[index + 2]]))] = offset
                index += 3
                continue
            }
            text.append(scalar)
            offset += String(scalar).utf8.count
            index += 1
        }
        self.text = String(text)
        self.markers = markers
    }
}

/// What a test expects of one match.
struct ExpectedMatch: Equatable, CustomStringConvertible {
    var rule: String
    var span: TextSpan
    var text: String

    var description: String { "\(rule) \(span) '\(text)'" }
}

/// Detects in `source` (markers removed) and expects exactly `expected`, in order: each a marker where the match
/// starts, its rule id, and its text (which fixes where it ends).
func expectPII(
    _ source: String,
    entities: Set<PIIEntity> = Set(PIIEntity.allCases),
    _ expected: [(marker: String, rule: String, text: String)],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let marked = MarkedText(source)
    let found = PIIDetector(entities: entities).detect(in: marked.text).map {
        ExpectedMatch(rule: $0.ruleID, span: $0.span, text: $0.text)
    }
    var wanted: [ExpectedMatch] = []
    for item in expected {
        guard let start = marked.markers[item.marker] else {
            Issue.record("marker \(item.marker) is not in the text", sourceLocation: sourceLocation)
            return
        }
        wanted.append(
            ExpectedMatch(
                rule: item.rule, span: TextSpan(start: start, end: start + item.text.utf8.count), text: item.text))
    }
    #expect(found == wanted, sourceLocation: sourceLocation)
    for match in found {
        #expect(
            match.span.text(in: marked.text) == match.text, "span cuts out the text", sourceLocation: sourceLocation)
    }
}

/// Expects no match of `entities` in `text`.
func expectNoPII(
    _ text: String, entities: Set<PIIEntity> = Set(PIIEntity.allCases),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let found = PIIDetector(entities: entities).detect(in: text).map { "\($0.ruleID) '\($0.text)'" }
    #expect(found == [], "in \(text)", sourceLocation: sourceLocation)
}
