public import EvalCore
import Foundation

/// `combination:repeat_prompt` — `{"prompt_to_repeat": "Write a story about..."}`: the answer starts by
/// repeating the request word for word (any case, surrounding whitespace ignored).
public struct IFEvalRepeatPrompt: IFEvalInstruction {
    public static let id = "combination:repeat_prompt"
    public static let version = 1
    public static let summary = "IFEval: the answer starts by repeating `prompt_to_repeat` word for word"

    public let promptToRepeat: String

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {
        promptToRepeat = try options.requiredText("prompt_to_repeat")
    }

    public func violation(in text: String) -> Finding? {
        let answer = PythonText.stripped(text[...])
        let expected = Array(PythonText.strip(promptToRepeat).lowercased().unicodeScalars)
        // Compare lowercased code points, remembering where each came from in the answer.
        var position = 0
        let scalars = answer.unicodeScalars
        var index = scalars.startIndex
        while position < expected.count, index < scalars.endIndex {
            let lowered = Array(scalars[index].properties.lowercaseMapping.unicodeScalars)
            guard position + lowered.count <= expected.count,
                Array(expected[position..<(position + lowered.count)]) == lowered
            else { break }
            position += lowered.count
            index = scalars.index(after: index)
        }
        guard position < expected.count else { return nil }
        let message = "does not start by repeating the request word for word"
        guard index < scalars.endIndex else { return Self.missing(message, expected: promptToRepeat) }
        return Self.finding(message, span: PythonText.wordAround(index, in: text), in: text)
    }
}

/// `combination:two_responses`: exactly two different answers separated by six asterisks, `******`.
public struct IFEvalTwoResponses: IFEvalInstruction {
    public static let id = "combination:two_responses"
    public static let version = 1
    public static let summary = "IFEval: two different answers separated by ******"

    public init(options: inout CheckOptions) throws(CheckConfigurationError) {}

    public func violation(in text: String) -> Finding? {
        let parts = text.components(separatedBy: "******")
        var answers: [String] = []
        for (index, part) in parts.enumerated() {
            if PythonText.strip(part).isEmpty {
                if index != 0 && index != parts.count - 1 {
                    return Self.finding("has an empty answer between two '******' separators")
                }
            } else {
                answers.append(part)
            }
        }
        guard answers.count == 2 else {
            return Self.finding(
                "has \(answers.count) answer\(answers.count == 1 ? "" : "s") separated by '******', expected 2")
        }
        guard PythonText.strip(answers[0]) != PythonText.strip(answers[1]) else {
            return Self.finding("gives the same answer twice")
        }
        return nil
    }
}
