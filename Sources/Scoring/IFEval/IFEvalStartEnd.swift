public import EvalCore

/// `startend:end_checker` — `{"end_phrase": "Any other questions?"}`: the answer ends with the phrase (any case;
/// trailing whitespace and double quotes around the answer ignored).
public struct IFEvalEndChecker: IFEvalInstruction {
    public static let id = "startend:end_checker"
    public static let version = 1
    public static let summary = "IFEval: the answer ends with `end_phrase`"

    public let endPhrase: String

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        endPhrase = PythonText.strip(try options.requiredText("end_phrase"))
    }

    public func violation(in text: String) -> Finding? {
        var body = PythonText.stripped(text[...]).unicodeScalars[...]
        while body.first == "\"" { body = body.dropFirst() }
        while body.last == "\"" { body = body.dropLast() }
        let ending = Substring(body)
        if ending.lowercased().unicodeScalars.reversed().starts(with: endPhrase.lowercased().unicodeScalars.reversed())
        {
            return nil
        }
        let message = "does not end with '\(endPhrase)'"
        guard !ending.isEmpty else { return Self.missing(message, expected: endPhrase) }
        // Evidence: the answer's last line.
        let scalars = ending.unicodeScalars
        var start = scalars.endIndex
        while start > scalars.startIndex, scalars[scalars.index(before: start)] != "\n" {
            start = scalars.index(before: start)
        }
        return Self.finding(message, span: start..<ending.endIndex, in: text)
    }
}

/// `startend:quotation`: the whole answer is wrapped in double quotation marks (`"`).
public struct IFEvalQuotation: IFEvalInstruction {
    public static let id = "startend:quotation"
    public static let version = 1
    public static let summary = "IFEval: the entire answer is wrapped in double quotation marks"

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {}

    public func violation(in text: String) -> Finding? {
        let body = PythonText.stripped(text[...]).unicodeScalars
        if body.count > 1, body.first == "\"", body.last == "\"" { return nil }
        guard let first = body.first else { return Self.finding("is not wrapped in double quotation marks") }
        let edge = first != "\"" ? body.startIndex : body.index(before: body.endIndex)
        return Self.finding("is not wrapped in double quotation marks", span: edge..<body.index(after: edge), in: text)
    }
}

/// `punctuation:no_comma`: the answer has no comma (`,`).
public struct IFEvalNoComma: IFEvalInstruction {
    public static let id = "punctuation:no_comma"
    public static let version = 1
    public static let summary = "IFEval: the answer has no commas"

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {}

    public func violation(in text: String) -> Finding? {
        guard let comma = text.unicodeScalars.firstIndex(of: ",") else { return nil }
        let count = text.unicodeScalars.lazy.filter { $0 == "," }.count
        return Self.finding(
            "has \(count) comma\(count == 1 ? "" : "s")", span: comma..<text.unicodeScalars.index(after: comma),
            in: text)
    }
}
