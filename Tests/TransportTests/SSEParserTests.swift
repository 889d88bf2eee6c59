import Foundation
import Testing
import Transport

/// Feeds `chunks` in order, then ends the stream.
private func parse(_ chunks: [[UInt8]]) -> [SSEEvent] {
    var parser = SSEParser()
    var events: [SSEEvent] = []
    for chunk in chunks { events += parser.feed(chunk) }
    events += parser.finish()
    return events
}

private func parse(_ text: String) -> [SSEEvent] { parse([Array(text.utf8)]) }

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("SSEParser")
struct SSEParserTests {
    // MARK: Events and fields

    @Test func dispatchesOnBlankLine() {
        var parser = SSEParser()
        #expect(parser.feed(bytes("data: hello\n")).isEmpty)
        #expect(parser.feed(bytes("\n")) == [SSEEvent(data: "hello")])
        #expect(parser.finish().isEmpty)
    }

    @Test(arguments: ["\n", "\r", "\r\n"])
    func lineEndings(_ eol: String) {
        let text = "event: a\(eol)data: 1\(eol)data: 2\(eol)\(eol)data: 3\(eol)\(eol)"
        #expect(parse(text) == [SSEEvent(type: "a", data: "1\n2"), SSEEvent(data: "3")])
    }

    @Test func mixedLineEndings() {
        #expect(
            parse("data: a\rdata: b\ndata: c\r\n\r\ndata: d\n\r") == [
                SSEEvent(data: "a\nb\nc"), SSEEvent(data: "d"),
            ])
    }

    @Test func crAtChunkEndThenLFIsOneLineEnding() {
        // Were the LF taken as a second line ending, the blank line would split this into two events.
        #expect(parse([bytes("data: a\r"), bytes("\ndata: b\r\n\r\n")]) == [SSEEvent(data: "a\nb")])
        // The same with the pieces fed one by one, an empty piece in between.
        #expect(
            parse([bytes("data: a\r"), [], bytes("\n"), bytes("data: b\r"), bytes("\n\r"), bytes("\n")])
                == [SSEEvent(data: "a\nb")])
    }

    @Test func crAtChunkEndThenCRIsABlankLine() {
        #expect(parse([bytes("data: a\r"), bytes("\rdata: b\r\r")]) == [SSEEvent(data: "a"), SSEEvent(data: "b")])
    }

    @Test func byteOrderMarkIsStrippedOnce() {
        #expect(parse("\u{FEFF}data: a\n\n") == [SSEEvent(data: "a")])
        // A second mark is part of the first field name, which then matches nothing.
        #expect(parse("\u{FEFF}\u{FEFF}data: a\n\ndata: b\n\n") == [SSEEvent(data: "b")])
        // Only at the start of the stream.
        #expect(parse("data: a\n\n\u{FEFF}data: b\n\n") == [SSEEvent(data: "a")])
        // Split across pieces.
        #expect(parse([[0xEF], [0xBB], [0xBF, 0x64], bytes("ata: a\n\n")]) == [SSEEvent(data: "a")])
    }

    @Test func dataLinesAreJoinedAndTheLastLineFeedDropped() {
        #expect(parse("data: a\ndata: b\ndata: c\n\n") == [SSEEvent(data: "a\nb\nc")])
        #expect(parse("data:\ndata:\n\n") == [SSEEvent(data: "\n")])
        #expect(parse("data: a\ndata:\n\n") == [SSEEvent(data: "a\n")])
    }

    @Test func commentsAreIgnored() {
        #expect(parse(": keep-alive\n\n").isEmpty)
        #expect(parse(":\ndata: a\n: between\ndata: b\n\n") == [SSEEvent(data: "a\nb")])
    }

    @Test func fieldWithoutColonHasAnEmptyValue() {
        // "data" alone appends an empty line: the buffer is "\n", not empty, so an event with "" is dispatched.
        #expect(parse("data\n\n") == [SSEEvent(data: "")])
        #expect(parse("data\ndata: x\n\n") == [SSEEvent(data: "\nx")])
        // "event" alone sets an empty type, which dispatches as "message".
        #expect(parse("event: a\nevent\ndata: x\n\n") == [SSEEvent(type: "message", data: "x")])
    }

    @Test func onlyOneSpaceAfterTheColonIsRemoved() {
        #expect(parse("data:no-space\n\n") == [SSEEvent(data: "no-space")])
        #expect(parse("data:  two\n\n") == [SSEEvent(data: " two")])
        #expect(parse("data: \n\n") == [SSEEvent(data: "")])
        #expect(parse("data:\tx\n\n") == [SSEEvent(data: "\tx")])
        #expect(parse("data: a: b\n\n") == [SSEEvent(data: "a: b")])
    }

    @Test func eventTypeResetsAfterEachDispatch() {
        #expect(
            parse("event: add\ndata: 1\n\ndata: 2\n\n") == [
                SSEEvent(type: "add", data: "1"), SSEEvent(type: "message", data: "2"),
            ])
        // Field names are case-sensitive.
        #expect(parse("Event: add\nDATA: 1\ndata: 2\n\n") == [SSEEvent(data: "2")])
    }

    @Test func emptyDataBufferDispatchesNothingButResetsTheType() {
        #expect(parse("event: ping\n\n").isEmpty)
        #expect(parse("event: ping\n\ndata: a\n\n") == [SSEEvent(data: "a")])
        #expect(parse("\n\n\n").isEmpty)
    }

    @Test func idPersistsUntilReplaced() {
        let events = parse("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 7\ndata: d\n\n")
        #expect(events.map(\.id) == ["1", "1", "", "7"])
        #expect(parse("data: none\n\n") == [SSEEvent(data: "none", id: nil)])
    }

    @Test func idWithNulIsIgnored() {
        let events = parse("id: 1\ndata: a\n\nid: 2\u{0}3\ndata: b\n\n")
        #expect(events.map(\.id) == ["1", "1"])
    }

    @Test func idSetWithoutDataIsKept() {
        #expect(parse("id: 5\n\ndata: a\n\n") == [SSEEvent(data: "a", id: "5")])
    }

    @Test func retryTakesOnlyDigits() {
        var parser = SSEParser()
        var events = parser.feed(bytes("retry: 3000\ndata: a\n\ndata: b\n\n"))
        #expect(events == [SSEEvent(data: "a", retry: 3000), SSEEvent(data: "b")])
        #expect(parser.reconnectionTime == 3000)
        for bad in ["30a0", "-1", "1.5", "", " 300", "300 ", "99999999999999999999999"] {
            events = parser.feed(bytes("retry: \(bad)\ndata: x\n\n"))
            #expect(events == [SSEEvent(data: "x")], "retry: \(bad)")
        }
        #expect(parser.reconnectionTime == 3000)
        #expect(parser.feed(bytes("retry:0\n\n")).isEmpty)
        #expect(parser.reconnectionTime == 0)
    }

    @Test func unknownFieldsAreIgnored() {
        #expect(parse("foo: bar\ndata: a\nbaz\nid2: x\n\n") == [SSEEvent(data: "a")])
    }

    // MARK: UTF-8

    @Test func multiByteCharactersSplitAcrossPiecesComeOutWhole() {
        let text = "event: ответ\ndata: héllo 🎉 мир\n\n"
        let expected = [SSEEvent(type: "ответ", data: "héllo 🎉 мир")]
        let all = bytes(text)
        for cut in 0...all.count {
            #expect(parse([Array(all[..<cut]), Array(all[cut...])]) == expected, "cut at \(cut)")
        }
    }

    @Test func invalidUTF8IsReplaced() {
        let input: [UInt8] =
            bytes("data: a") + [0xFF] + bytes("b") + [0xE2, 0x82] + bytes("\ndata: ") + [0xF0, 0x9F]
            + bytes("\n\n")
        #expect(parse([input]) == [SSEEvent(data: "a\u{FFFD}b\u{FFFD}\n\u{FFFD}")])
    }

    // MARK: End of stream

    @Test func finishDispatchesAPendingEventWithData() {
        // Deliberate deviation from the spec, which would discard these.
        #expect(parse("data: last") == [SSEEvent(data: "last")])
        #expect(parse("data: last\n") == [SSEEvent(data: "last")])
        #expect(parse("data: last\r") == [SSEEvent(data: "last")])
        #expect(parse("data: a\n\ndata: [DONE]") == [SSEEvent(data: "a"), SSEEvent(data: "[DONE]")])
    }

    @Test func finishDispatchesNothingWithoutData() {
        #expect(parse("data: a\n\n") == [SSEEvent(data: "a")])
        #expect(parse("event: x\nid: 3").isEmpty)
        #expect(parse(": comment").isEmpty)
        #expect(parse("").isEmpty)
    }

    @Test func finishResetsTheParser() {
        var parser = SSEParser()
        #expect(parser.feed(bytes("id: 1\nevent: x\ndata: a")).isEmpty)
        #expect(parser.finish() == [SSEEvent(type: "x", data: "a", id: "1")])
        // A new stream: the BOM is stripped again, no id carried over, no pending CR.
        #expect(parser.feed(bytes("\u{FEFF}data: b\n\n")) == [SSEEvent(data: "b")])
        #expect(parser.feed(bytes("data: c\r")).isEmpty)
        #expect(parser.finish() == [SSEEvent(data: "c")])
        #expect(parser.feed(bytes("\ndata: d\n\n")) == [SSEEvent(data: "d")])
    }

    // MARK: Input forms

    @Test func dataAndNonContiguousSequencesParseAlike() {
        let text = "data: a\r\n\r\nevent: e\ndata: 😀\n\n"
        let expected = parse(text)
        #expect(expected == [SSEEvent(data: "a"), SSEEvent(type: "e", data: "😀")])

        var fromData = SSEParser()
        #expect(fromData.feed(Data(text.utf8)) + fromData.finish() == expected)

        var fromSlice = SSEParser()
        let all = bytes(text)
        #expect(fromSlice.feed(all[0..<5]) + fromSlice.feed(all[5...]) + fromSlice.finish() == expected)

        // A lazy sequence has no contiguous storage.
        var fromLazy = SSEParser()
        #expect(fromLazy.feed(all.lazy.map { $0 }) + fromLazy.finish() == expected)

        var fromDataSlices = SSEParser()
        let data = Data(text.utf8)
        let events =
            fromDataSlices.feed(data[data.startIndex..<(data.startIndex + 9)])
            + fromDataSlices.feed(data[(data.startIndex + 9)...]) + fromDataSlices.finish()
        #expect(events == expected)
    }

    // MARK: Any split gives the same events

    static let multiEventInputs: [String] = [
        "\u{FEFF}: hello\r\nretry: 1500\r\nid: 1\r\nevent: greet\r\ndata: привет\r\ndata: 👋🏽\r\n\r\ndata: two\r\rid: 2\rdata\r\r",
        "data: {\"a\":1}\n\ndata: {\"b\":\"é\"}\n\n: ping\n\nevent: end\ndata: [DONE]\n\n",
        "data:x\r\n\r\ndata: y\n\ndata:  z\r\r\ndata: w",
    ]

    @Test(arguments: multiEventInputs)
    func everySplitGivesTheSameEvents(_ text: String) {
        let all = bytes(text)
        let expected = parse([all])
        #expect(expected.count >= 3)
        for cut in 0...all.count {
            let events = parse([Array(all[..<cut]), Array(all[cut...])])
            #expect(events == expected, "cut at \(cut)")
        }
        for first in 0...all.count {
            for second in first...all.count {
                let events = parse([Array(all[..<first]), Array(all[first..<second]), Array(all[second...])])
                if events != expected {
                    Issue.record("cuts at \(first) and \(second) gave \(events)")
                    return
                }
            }
        }
        #expect(parse(all.map { [$0] }) == expected, "one byte at a time")
    }

    @Test func firstMultiEventInputParsesAsTheSpecSays() {
        #expect(
            parse(Self.multiEventInputs[0]) == [
                SSEEvent(type: "greet", data: "привет\n👋🏽", id: "1", retry: 1500),
                SSEEvent(data: "two", id: "1"),
                SSEEvent(data: "", id: "2"),
            ])
        #expect(
            parse(Self.multiEventInputs[2]) == [
                SSEEvent(data: "x"), SSEEvent(data: "y"), SSEEvent(data: " z"), SSEEvent(data: "w"),
            ])
    }
}
