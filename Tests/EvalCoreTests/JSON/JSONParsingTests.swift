import EvalCore
import Foundation
import Testing

/// `JSONValue.parse` is a hand-written parser; it must agree with `JSONDecoder` on everything valid.
@Suite("JSONValue.parse agrees with JSONDecoder")
struct JSONParsingTests {
    @Test(
        "valid documents parse to the same value",
        arguments: [
            #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#,
            #"  {"a" : [ 1 , -2 , 3.5 , -0.25e2 , 1E3 , 0 , 9223372036854775807 ] , "b" : { } , "c" : [ ] }  "#,
            #"{"s":"quote \" backslash \\ slash \/ \b\f\n\r\t \u0001 \u00e9 \u0416 \ud83d\ude00"}"#,
            #"{"raw":"Привет 👋🏽 日本語","t":true,"f":false,"n":null}"#,
            #"[[[[["deep"]]]]]"#,
            #""just a string""#,
            "42",
            #"{"dup":1,"dup":2}"#,
            "[1.0, 2.50, 1e20, -0.0, 123456789012, 1.5e-3]",
        ]
    )
    func agrees(document: String) throws {
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(document.utf8))
        #expect(try JSONValue.parse(document) == expected)
    }

    @Test(
        "invalid documents are rejected",
        arguments: [
            "", "{", "}", #"{"a":}"#, #"{"a" 1}"#, "01", "1.", ".5", "-", "1e", "tru", "nul", "1e999",
            #""unterminated"#, "\"tab\tinside\"", #""\x""#, #""\u12""#, #""\udc00""#, #""\ud800""#, "[1] 2", "{} {}",
        ]
    )
    func rejects(document: String) {
        #expect((try? JSONValue.parse(document)) == nil)
        #expect((try? JSONDecoder().decode(JSONValue.self, from: Data(document.utf8))) == nil)
    }

    @Test(
        "trailing commas and a byte-order mark are rejected, where JSONDecoder is lenient",
        arguments: ["[1,]", #"{"a":1,}"#, "\u{FEFF}{}"])
    func strict(document: String) {
        #expect((try? JSONValue.parse(document)) == nil)
    }

    @Test("an error names the byte where the document goes wrong")
    func errorOffset() {
        #expect(throws: JSONParseError(offset: 5, message: "invalid JSON")) { try JSONValue.parse(#"{"a":}"#) }
        #expect(throws: JSONParseError(offset: 7, message: "unexpected end of JSON")) {
            try JSONValue.parse(#"{"a":[1"#)
        }
        #expect(throws: JSONParseError(offset: 4, message: "unexpected text after the JSON value")) {
            try JSONValue.parse("[1] 2")
        }
    }

    /// Offsets and wording exactly as the hand-written parser before `JSONScanner` gave them (diagnostics print them
    /// as columns, so they must not move), its two quirks included: a control character after an escape in the same
    /// string is reported one byte on, and bytes that are not UTF-8 just past the string's closing quote (at the end
    /// of the text, that reads `unexpected end of JSON`).
    @Test(
        "every kind of error keeps its byte offset and wording",
        arguments: [
            (Array(#""a"#.utf8) + [0x01, 0x22], 2, "invalid JSON"),
            (Array(#""\n"#.utf8) + [0x01, 0x22], 4, "invalid JSON"),
            (Array(#"{"k":"\t x"#.utf8) + [0x1F] + Array(#""}"#.utf8), 11, "invalid JSON"),
            ([0x22, 0xC3, 0x28, 0x22], 4, "unexpected end of JSON"),
            (Array(#"["\n"#.utf8) + [0xFF] + Array(#"" , 1]"#.utf8), 6, "invalid JSON"),
            (Array(#"{"a"#.utf8) + [0x80] + Array(#"":1}"#.utf8), 5, "invalid JSON"),
            (Array(#""\q""#.utf8), 3, "invalid JSON"),
            (Array(#""\u12G4""#.utf8), 5, "invalid JSON"),
            (Array(#""\u12""#.utf8), 3, "invalid JSON"),
            (Array(#""\udc00""#.utf8), 7, "invalid JSON"),
            (Array(#""\ud800x""#.utf8), 7, "invalid JSON"),
            (Array(#""\ud800\u0041""#.utf8), 13, "invalid JSON"),
            (Array("[1e999]".utf8), 6, "invalid JSON"),
            (Array("1e999".utf8), 5, "unexpected end of JSON"),
            (Array("-".utf8), 1, "unexpected end of JSON"),
            (Array("[1,]".utf8), 3, "invalid JSON"),
            (Array(#"{"a":1,}"#.utf8), 7, "invalid JSON"),
            ([0xEF, 0xBB, 0xBF, 0x7B, 0x7D], 0, "invalid JSON"),
            (
                Array(repeating: UInt8(ascii: "["), count: 513) + Array(repeating: UInt8(ascii: "]"), count: 513), 512,
                "invalid JSON"
            ),
            (Array("[01]".utf8), 2, "invalid JSON"),
            (Array("tru".utf8), 0, "invalid JSON"),
            (Array(#"{"a" 1}"#.utf8), 5, "invalid JSON"),
            (Array(#""\"#.utf8), 2, "unexpected end of JSON"),
            ([], 0, "unexpected end of JSON"),
        ] as [([UInt8], Int, String)]
    )
    func errorKinds(bytes: [UInt8], offset: Int, message: String) {
        #expect(throws: JSONParseError(offset: offset, message: message)) { try JSONValue.parse(bytes) }
    }

    @Test("a repeated key is an error at its opening quote only when asked for")
    func duplicateKeys() throws {
        let document = Array(#"{"a":1,"b":{"c":2,"c":3},"a":4}"#.utf8)
        #expect(try JSONValue.parse(document) == .object(["a": .int(1), "b": .object(["c": .int(2)])]))
        #expect(throws: JSONParseError(offset: 18, message: "duplicate key 'c' in an object")) {
            try JSONValue.parse(document, rejectingDuplicateKeys: true)
        }
    }

    @Test("invalid UTF-8 inside a string is rejected")
    func invalidUTF8() {
        let body: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect((try? JSONValue.parse(body)) == nil)
    }

    @Test("nesting deeper than 512 levels is rejected instead of overflowing the stack")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect((try? JSONValue.parse(deep)) == nil)
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONValue.parse(fine)) != nil)
    }
}
