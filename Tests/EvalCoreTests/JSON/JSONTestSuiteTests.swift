import EvalCore
import Foundation
import Testing

/// The 318 parsing vectors of nst/JSONTestSuite (MIT; Fixtures/JSONTestSuite/vectors.json, written from its
/// test_parsing/ folder by scripts/json-test-suite.py, licence beside it): `y_` must be accepted, `n_` refused, and
/// on every vector our readers and `JSONDecoder` agree (see `JSONReference.disagreement`).
///
/// `i_` vectors are the implementation's choice. What the scanner does, asserted below: it accepts numbers that
/// overflow `Int64` (as `Double`, as `JSONDecoder` does), numbers that underflow to 0 and 500 nested arrays (its
/// limit is 512); it refuses numbers that overflow `Double`, lone, inverted or broken surrogate escapes, bytes that
/// are not UTF-8 (overlong forms, encoded surrogates, Latin-1, truncated sequences), UTF-16 documents (which
/// `JSONDecoder` transcodes) and a byte-order mark.
@Suite("JSONTestSuite: y_ accepted, n_ refused, i_ as documented, JSONDecoder agrees")
struct JSONTestSuiteTests {
    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var expected: String
        var base64: String

        var bytes: [UInt8] { Array(Data(base64Encoded: base64) ?? Data()) }
        var testDescription: String { name }
    }

    struct Fixture: Decodable {
        var commit: String
        var vectors: [Vector]
    }

    static let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/JSONTestSuite/vectors.json")

    static let vectors: [Vector] = {
        guard let data = try? Data(contentsOf: fixtureURL),
            let fixture = try? JSONDecoder().decode(Fixture.self, from: data)
        else { return [] }
        return fixture.vectors
    }()

    /// The `i_` vectors the scanner accepts; every other `i_` vector it refuses.
    static let acceptedImplementationDefined: Set<String> = [
        "i_number_double_huge_neg_exp.json", "i_number_real_underflow.json", "i_number_too_big_neg_int.json",
        "i_number_too_big_pos_int.json", "i_number_very_big_negative_int.json", "i_structure_500_nested_arrays.json",
    ]

    static let messages: Set<String> = [
        "invalid JSON", "unexpected end of JSON", "unexpected text after the JSON value",
    ]

    @Test("the fixture holds the whole suite")
    func fixture() {
        #expect(Self.vectors.count == 318)
        #expect(Self.vectors.filter { $0.expected == "accept" }.count == 95)
        #expect(Self.vectors.filter { $0.expected == "reject" }.count == 188)
        #expect(Self.vectors.allSatisfy { !$0.bytes.isEmpty || $0.name == "n_structure_no_data.json" })
    }

    @Test("each vector", arguments: vectors)
    func vector(_ vector: Vector) {
        let bytes = vector.bytes
        let accepted = JSONReference.parsed(bytes) != nil
        switch vector.expected {
        case "accept": #expect(accepted, "\(vector.name) must be accepted")
        case "reject":
            #expect(!accepted, "\(vector.name) must be refused")
            // Refused with one of the parser's three messages, at a byte inside the document or just past its end.
            do {
                _ = try JSONValue.parse(bytes)
            } catch {
                #expect(Self.messages.contains(error.message), "\(vector.name): \(error)")
                #expect((0...bytes.count).contains(error.offset), "\(vector.name): \(error)")
            }
        default:
            #expect(accepted == Self.acceptedImplementationDefined.contains(vector.name), "\(vector.name)")
        }
        let disagreement = JSONReference.disagreement(bytes, lenient: JSONReference.isDocumentedLeniency)
        #expect(disagreement == nil, "\(vector.name): \(disagreement ?? "")")
    }
}
