/// The data a model was given to answer from: an order's status, the policy text, the price list the bot may quote.
/// A case or a suite writes them as `facts`, either a list of strings or an object of key-values; checks that ask "is
/// this backed by data?" (the `promises` check's grounding) read them as lines of text.
public enum Facts {
    /// The facts as lines: a string is one line, a list gives one line per string, an object gives `key: value` per
    /// key (sorted, so the same facts read the same way); an error naming the place when the value has another shape.
    public static func lines(from value: JSONValue) -> Result<[String], FactsShapeError> {
        switch value {
        case .string(let text):
            return .success([text])
        case .array(let items):
            var lines: [String] = []
            for (index, item) in items.enumerated() {
                guard let text = scalarText(item) else {
                    return .failure(FactsShapeError(place: .item(index), found: item))
                }
                lines.append(text)
            }
            return .success(lines)
        case .object(let fields):
            var lines: [String] = []
            for key in fields.keys.sorted() {
                guard let text = scalarText(fields[key]!) else {
                    return .failure(FactsShapeError(place: .key(key), found: fields[key]!))
                }
                lines.append("\(key): \(text)")
            }
            return .success(lines)
        default:
            return .failure(FactsShapeError(place: .value, found: value))
        }
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }
}

/// A `facts` value of the wrong shape: where inside it and what was found.
public struct FactsShapeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Place: Sendable, Hashable {
        /// The value itself is neither a string, a list nor an object.
        case value
        case item(Int)
        case key(String)
    }

    public var place: Place
    public var found: JSONValue

    /// What the place should have held.
    public var expected: String {
        place == .value ? "a string, a list of strings or an object of key-values" : "a string, a number or true/false"
    }

    public var description: String {
        let path: String
        switch place {
        case .value: path = ""
        case .item(let index): path = "[\(index)]"
        case .key(let key): path = ".\(key)"
        }
        return "expected 'facts\(path)' to be \(expected), found \(found.typeName)"
    }
}
