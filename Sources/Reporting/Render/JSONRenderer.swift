import Foundation

/// The JSON formats: pretty-printed, keys sorted, slashes unescaped, so that the same run gives the same bytes.
/// The schemas (`evalgate.report/1`, `evalgate.diff/1`, `evalgate.compare/1`, `evalgate.gate/1`) are described in
/// Reporting.docc/JSONSchema.md.
public struct JSONRenderer: Sendable {
    public init() {}

    public func render(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The report models hold strings, numbers, booleans and arrays of them: encoding cannot fail.
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
