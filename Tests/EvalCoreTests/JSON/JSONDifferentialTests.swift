import EvalCore
import Foundation
import Testing

/// The scanner against `JSONDecoder` on documents generated from a fixed seed (whitespace, escapes, surrogate pairs,
/// raw UTF-8, number forms, duplicate keys, nesting) and on mutations of them (a byte deleted, inserted, replaced,
/// a cut, a piece repeated): the same inputs on every run, a few thousand of them.
@Suite("JSONScanner agrees with JSONDecoder on generated and mutated documents")
struct JSONDifferentialTests {
    @Test("generated documents are accepted, as the same value", arguments: [1 as UInt64, 2, 3])
    func generated(seed: UInt64) {
        var generator = DocumentGenerator(seed: seed)
        for _ in 0..<400 {
            let document = generator.document()
            #expect(JSONReference.parsed(document) != nil, "\(String(decoding: document, as: UTF8.self))")
            let disagreement = JSONReference.disagreement(document, lenient: { _ in false })
            #expect(disagreement == nil, "\(String(decoding: document, as: UTF8.self)): \(disagreement ?? "")")
        }
    }

    @Test("mutated documents: what either refuses, both refuse", arguments: [11 as UInt64, 12, 13])
    func mutated(seed: UInt64) {
        var generator = DocumentGenerator(seed: seed)
        var refused = 0
        for _ in 0..<300 {
            let document = generator.document()
            for _ in 0..<4 {
                let mutant = generator.mutate(document)
                if JSONReference.parsed(mutant) == nil { refused += 1 }
                let disagreement = JSONReference.disagreement(mutant, lenient: JSONReference.isDocumentedLeniency)
                #expect(disagreement == nil, "\(Array(mutant)): \(disagreement ?? "")")
            }
        }
        // The mutations reach the refusing paths, not only harmless whitespace.
        #expect(refused > 300)
    }

    @Test("the escaper's output reads back as the same text, for every byte that needs an escape")
    func escaper() throws {
        var generator = DocumentGenerator(seed: 21)
        var texts = [String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)]
        for _ in 0..<300 { texts.append(generator.rawText()) }
        for text in texts {
            var literal: [UInt8] = [UInt8(ascii: "\"")]
            var utf8 = Array(text.utf8)
            utf8.withUnsafeMutableBufferPointer { buffer in
                JSONEscaping.escape(UnsafeBufferPointer(buffer)) { literal.append(contentsOf: $0) }
            }
            literal.append(UInt8(ascii: "\""))
            #expect(JSONReference.decoded(literal) == .string(text))
            #expect(JSONReference.parsed(literal) == .string(text))
        }
    }
}

/// Random JSON text from a seed, written the ways people and models write it.
struct DocumentGenerator {
    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func document() -> [UInt8] {
        var output: [UInt8] = []
        space(&output)
        value(depth: 0, into: &output)
        space(&output)
        return output
    }

    private mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int.random(in: 0..<choices.count, using: &random)]
    }

    private mutating func space(_ output: inout [UInt8]) {
        output.append(contentsOf: pick(["", "", "", " ", "\n", "\t", "\r\n", "  "]).utf8)
    }

    private mutating func value(depth: Int, into output: inout [UInt8]) {
        switch Int.random(in: 0..<(depth < 4 ? 8 : 5), using: &random) {
        case 0: output.append(contentsOf: pick(["true", "false", "null"]).utf8)
        case 1, 2: number(&output)
        case 3, 4: string(&output)
        case 5:
            output.append(UInt8(ascii: "["))
            for item in 0..<Int.random(in: 0..<5, using: &random) {
                if item > 0 { output.append(UInt8(ascii: ",")) }
                space(&output)
                value(depth: depth + 1, into: &output)
                space(&output)
            }
            output.append(UInt8(ascii: "]"))
        default:
            output.append(UInt8(ascii: "{"))
            var keys: [[UInt8]] = []
            for member in 0..<Int.random(in: 0..<5, using: &random) {
                if member > 0 { output.append(UInt8(ascii: ",")) }
                space(&output)
                // Now and then a key written twice: the first one counts, for JSONDecoder as for the parser.
                if !keys.isEmpty, Int.random(in: 0..<6, using: &random) == 0 {
                    output.append(contentsOf: pick(keys))
                } else {
                    var key: [UInt8] = []
                    string(&key)
                    keys.append(key)
                    output.append(contentsOf: key)
                }
                space(&output)
                output.append(UInt8(ascii: ":"))
                space(&output)
                value(depth: depth + 1, into: &output)
                space(&output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private mutating func number(_ output: inout [UInt8]) {
        let forms: [String] = [
            String(Int.random(in: -1000...1000, using: &random)),
            String(Int64.random(in: .min ... .max, using: &random)),
            "0", "-0", "0.5", "-12.25", "1e5", "2E-3", "1.5e+2", "-0.0", "12345678901234567890", "1.0",
            "3.141592653589793",
            "\(Int.random(in: 1...999, using: &random)).\(Int.random(in: 0...999, using: &random))e\(Int.random(in: -30...30, using: &random))",
        ]
        output.append(contentsOf: pick(forms).utf8)
    }

    private mutating func string(_ output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for _ in 0..<Int.random(in: 0..<8, using: &random) {
            let piece = pick([
                "a", "Z", "key", " ", "é", "日本", "👋🏽", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\r", "\\b", "\\f",
                "\\u0041", "\\u00e9", "\\u00E9", "\\u0000", "\\u001f", "\\ud83d\\ude00", "\\uD834\\uDD1E", "\\u2028",
            ])
            output.append(contentsOf: piece.utf8)
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Text to escape: control characters, quotes, backslashes and non-ASCII among letters.
    mutating func rawText() -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0..<12, using: &random) {
            text += pick([
                "a", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}", "é", "👋",
            ])
        }
        return text
    }

    /// One mutation of `document`.
    mutating func mutate(_ document: [UInt8]) -> [UInt8] {
        var bytes = document
        let interesting: [UInt8] =
            Array(",]}[{\":\\0-.eE+ tn\n".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xED, 0xFF]
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0 where !bytes.isEmpty: bytes.remove(at: position)
        case 1: bytes.insert(pick(interesting), at: position)
        case 2 where !bytes.isEmpty: bytes[position] = pick(interesting)
        case 3: bytes.removeSubrange(position...)
        default:
            let end = min(bytes.count, position + Int.random(in: 1...6, using: &random))
            bytes.insert(contentsOf: bytes[position..<end], at: position)
        }
        return bytes
    }
}
