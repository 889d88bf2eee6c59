import EvalCore

/// `{"type": "json", "allow_fence": true, "schema": {...}}`: the whole answer is one valid JSON document and, with
/// `schema`, fits it (the subset `JSONSchema` documents).
///
/// With `allow_fence` (the default) an answer that is exactly one fenced block tagged `json` (or untagged) is
/// unwrapped first; any other text around the JSON makes it invalid. Findings: `format.json.invalid` at the first byte
/// that does not fit, and `format.json.schema` per violation, spanning the offending value (no span for a missing
/// required property, whose name is the finding's text).
public struct JSONCheck: Check {
    public static let type = "json"
    public static let version = 1
    public static let summary = "the answer is valid JSON (options allow_fence, schema: a JSON Schema subset)"

    public let allowFence: Bool
    public let schema: JSONSchema?

    public init(allowFence: Bool = true, schema: JSONSchema? = nil) {
        self.allowFence = allowFence
        self.schema = schema
    }

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        let allowFence = try options.bool("allow_fence", default: true)
        var schema: JSONSchema?
        if let value = options.raw("schema"), !value.isNull {
            guard value.objectValue != nil || value.boolValue != nil else {
                throw CheckConfigurationError(
                    "option 'schema' of check '\(Self.type)' expects an object (a JSON Schema), found \(value.typeName)"
                )
            }
            do {
                schema = try JSONSchema(value)
            } catch {
                throw CheckConfigurationError("option 'schema' of check '\(Self.type)' is invalid \(error)")
            }
        }
        self.init(allowFence: allowFence, schema: schema)
    }

    /// The text to parse and the UTF-8 offset of its first byte in the response.
    func document(in response: String) -> (text: Substring, base: Int) {
        guard allowFence else { return (response[...], 0) }
        let trimmed = Markdown.trimmingWhitespace(response[...])
        guard trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") else { return (response[...], 0) }
        let lines = Markdown.lines(response)
        let blocks = Markdown.fencedBlocks(in: response, lines: lines)
        guard blocks.count == 1, let block = blocks.first, block.isClosed,
            block.info.isEmpty || block.info.lowercased() == "json",
            lines.indices.allSatisfy({ block.lines.contains($0) || Markdown.isBlank(lines[$0]) })
        else { return (response[...], 0) }
        return (response[block.content], TextSpan(block.content, in: response).start)
    }

    public func evaluate(_ input: CheckInput) -> CheckOutcome {
        let response = input.response
        let (document, base) = document(in: response)
        let value: JSONValue
        do {
            value = try JSONValue.parse(document.utf8)
        } catch {
            return .fail(Self.invalid(error, at: base + error.offset, in: response))
        }
        guard let schema else { return .pass }
        let violations = schema.validate(value)
        guard !violations.isEmpty else { return .pass }
        let spans = JSONSpans(document, base: base)
        return .failing(
            on: violations.map { violation in
                if let property = violation.missingProperty { return Self.schema(violation, span: nil, text: property) }
                let span = spans[violation.path]
                return Self.schema(violation, span: span, text: span.flatMap { $0.text(in: response) })
            }
        )
    }

    /// The span of the character at `offset` (empty at the end of the response).
    static func invalid(_ error: JSONParseError, at offset: Int, in response: String) -> Finding {
        let utf8 = Array(response.utf8)
        var start = min(max(offset, 0), utf8.count)
        while start > 0, start < utf8.count, utf8[start] & 0xC0 == 0x80 { start -= 1 }
        var end = start
        if end < utf8.count {
            end += 1
            while end < utf8.count, utf8[end] & 0xC0 == 0x80 { end += 1 }
        }
        let span = TextSpan(start: start, end: end)
        return Finding(
            ruleID: "format.json.invalid",
            message: "not valid JSON: \(error.message) at byte \(start)",
            span: span,
            text: span.text(in: response)
        )
    }

    static func schema(_ violation: JSONSchema.Violation, span: TextSpan?, text: String?) -> Finding {
        Finding(
            ruleID: "format.json.schema",
            message: "at \(quoted(pointerText(violation.path))): \(violation.message)",
            span: span,
            text: text
        )
    }
}
