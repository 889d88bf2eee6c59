import EvalCore
import Scoring
import Testing

/// Test inputs mark each expected promise with `⟦` and `⟧`; the markers are removed and their UTF-8 offsets become
/// the expected spans, so a test states exactly which bytes must be reported.
struct PromiseMarkedText {
    let text: String
    let spans: [TextSpan]

    init(_ marked: String) {
        var text = ""
        var spans: [TextSpan] = []
        var open: Int?
        for character in marked {
            switch character {
            case "⟦": open = text.utf8.count
            case "⟧":
                if let start = open { spans.append(TextSpan(start: start, end: text.utf8.count)) }
                open = nil
            default: text.append(character)
            }
        }
        self.text = text
        self.spans = spans
    }
}

enum PromiseFixtures {
    /// The default detector (packs ru and en, every category), built once for all tests.
    static let standard = Result { () throws(PromisePackError) -> PromiseDetector in try PromiseDetector() }

    static func detector() throws -> PromiseDetector { try standard.get() }
}

/// Detects promises in `marked` (markers removed) and expects exactly the marked spans, with these rule ids, in order.
func expectPromises(
    _ marked: String, _ ruleIDs: [String], detector: PromiseDetector? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let input = PromiseMarkedText(marked)
    let detector = try detector ?? PromiseFixtures.detector()
    let found = detector.detect(in: input.text)
    let expected = zip(input.spans, ruleIDs).map { span, rule in "\(rule) '\(span.text(in: input.text) ?? "?")' \(span)"
    }
    let actual = found.map { "\($0.ruleID) '\($0.text)' \($0.span)" }
    #expect(input.spans.count == ruleIDs.count, "markers and rule ids differ in number", sourceLocation: sourceLocation)
    #expect(actual == expected, "in: \(input.text)", sourceLocation: sourceLocation)
    for match in found {
        #expect(match.span.text(in: input.text) == match.text, sourceLocation: sourceLocation)
    }
}

/// Expects no promise at all in `text`.
func expectNoPromise(
    _ text: String, detector: PromiseDetector? = nil, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let detector = try detector ?? PromiseFixtures.detector()
    let found = detector.detect(in: text).map { "\($0.ruleID) '\($0.text)'" }
    #expect(found.isEmpty, "in: \(text)", sourceLocation: sourceLocation)
}
