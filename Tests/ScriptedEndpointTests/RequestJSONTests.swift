import EvalCore
import Foundation
import ScriptedEndpoint
import Testing

/// The endpoint parses request bodies with its own JSON parser; it must agree with `JSONValue.parse`.
@Suite("request bodies parse like JSONValue.parse")
struct RequestJSONTests {
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
        let expected = try JSONValue.parse(Data(document.utf8))
        #expect(ScriptedRequest(body: Array(document.utf8)).json == expected)
    }

    @Test(
        "invalid documents are rejected",
        arguments: [
            "", "{", "}", #"{"a":}"#, #"{"a" 1}"#, "01", "1.", ".5", "-", "1e", "tru", "nul", "1e999",
            #""unterminated"#, "\"tab\tinside\"", #""\x""#, #""\u12""#, #""\udc00""#, #""\ud800""#, "[1] 2", "{} {}",
        ]
    )
    func rejects(document: String) {
        #expect(ScriptedRequest(body: Array(document.utf8)).json == nil)
        #expect((try? JSONValue.parse(Data(document.utf8))) == nil)
    }

    @Test(
        "trailing commas and a byte-order mark are rejected, where JSONDecoder is lenient",
        arguments: ["[1,]", #"{"a":1,}"#, "\u{FEFF}{}"])
    func strict(document: String) {
        #expect(ScriptedRequest(body: Array(document.utf8)).json == nil)
    }

    @Test("invalid UTF-8 inside a string is rejected")
    func invalidUTF8() {
        let body: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(ScriptedRequest(body: body).json == nil)
    }

    @Test("nesting deeper than 512 levels is rejected instead of overflowing the stack")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(ScriptedRequest(body: Array(deep.utf8)).json == nil)
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(ScriptedRequest(body: Array(fine.utf8)).json != nil)
    }
}
