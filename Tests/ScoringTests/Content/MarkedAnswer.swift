import EvalCore
import Scoring
import Testing

/// An answer written with keycap markers (1️⃣ … 9️⃣) where findings must start, in the style of swift-format's rule
/// tests: `MarkedAnswer("Мы 1️⃣гарантируем возврат")` is the text without markers plus the UTF-8 offset of each.
struct MarkedAnswer {
    let text: String
    private let offsets: [Int: Int]

    init(_ marked: String) {
        var text = ""
        var offsets: [Int: Int] = [:]
        for character in marked {
            let scalars = character.unicodeScalars
            if scalars.count == 3, scalars.last == "\u{20E3}", let digit = scalars.first?.properties.numericType,
                digit == .decimal, let number = Int(String(scalars.first!))
            {
                offsets[number] = text.utf8.count
            } else {
                text.append(character)
            }
        }
        self.text = text
        self.offsets = offsets
    }

    /// The span of `text` starting at `marker`.
    func span(_ marker: Int, _ text: String) -> TextSpan {
        let start = offsets[marker] ?? -1
        return TextSpan(start: start, end: start + text.utf8.count)
    }

    /// A finding whose evidence is `text` at `marker`; the test also checks the span really holds `text`.
    func finding(_ rule: String, _ message: String, at marker: Int, _ text: String) -> Finding {
        let span = span(marker, text)
        #expect(span.text(in: self.text) == text, "marker \(marker) is not followed by '\(text)'")
        return Finding(ruleID: rule, message: message, span: span, text: text)
    }

    var input: CheckInput { CheckInput(response: text) }
}

/// Builds a standard check from a spec, as an eval set would.
enum ContentFormatFixtures {
    static func check(_ type: String, _ options: [String: JSONValue] = [:]) throws -> any Check {
        try CheckRegistry.standard.make(CheckSpec(type: type, options: options))
    }

    static func evaluate(_ type: String, _ options: [String: JSONValue] = [:], _ response: String, ideal: String? = nil)
        throws
        -> CheckOutcome
    {
        try check(type, options).evaluate(CheckInput(response: response, ideal: ideal))
    }

    /// The message of the configuration error building the check throws, or nil when it builds.
    static func configurationError(_ type: String, _ options: [String: JSONValue]) -> String? {
        do {
            _ = try check(type, options)
            return nil
        } catch let error as CheckConfigurationError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}
