/// One check as an eval set writes it: `{"type": "contains", "value": "Коротко"}`. Everything but `type` is the
/// check's options, which the check validates when it is built.
public struct CheckSpec: Sendable, Hashable, Codable {
    public var type: String
    public var options: [String: JSONValue]

    public init(type: String, options: [String: JSONValue] = [:]) {
        self.type = type
        self.options = options
    }

    /// Reads `{"type": ..., options...}`; nil when the value is not an object with a string `type`.
    public init?(json: JSONValue) {
        guard var fields = json.objectValue, let type = fields["type"]?.stringValue else { return nil }
        fields["type"] = nil
        self.type = type
        self.options = fields
    }

    public var json: JSONValue {
        var fields = options
        fields["type"] = .string(type)
        return .object(fields)
    }

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        guard let spec = CheckSpec(json: value) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected an object with a string \"type\"")
            )
        }
        self = spec
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
