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
