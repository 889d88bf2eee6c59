public import Foundation

/// One event of a `text/event-stream` body.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, or "message" when the event named none.
    public var type: String
    /// The `data:` lines joined with "\n".
    public var data: String
    /// The last event ID at the time this event was dispatched: the `id:` field persists from event to event
    /// until another `id:` replaces it. `nil` when the stream has not set one; "" once an empty `id:` reset it.
    public var id: String?
    /// The `retry:` value (milliseconds) given in this event's block of lines, if any.
    public var retry: Int?

    public init(type: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.type = type
        self.data = data
        self.id = id
        self.retry = retry
    }
}

/// An incremental Server-Sent Events parser: the "event stream interpretation" of the HTML Living Standard
/// (§9.2.6), fed with the body as it arrives, in pieces of any size.
///
/// - Lines end with CRLF, LF or CR; a CR that ends one piece and an LF that starts the next are one line ending.
/// - A UTF-8 byte order mark at the very start of the stream is dropped (once).
/// - Text is decoded as UTF-8 with invalid sequences replaced by U+FFFD. Line endings are ASCII, so decoding each
///   event's bytes after the lines are split gives the same text as decoding the stream first, and a character
///   split between two pieces comes out whole.
///
/// The bytes are scanned in place; the only copies are of a line cut by the end of a piece and of an event's data.
public struct SSEParser: Sendable {
    // Bytes of the line that the previous piece left unfinished.
    private var pendingLine: [UInt8] = []
    // The previous piece ended with CR: an LF at the start of the next piece belongs to that line ending.
    private var skipLeadingLF = false
    // Whether the first line of the stream (which may start with a BOM) has been seen.
    private var sawFirstLine = false

    // The spec's buffers. Data is kept as bytes and decoded once per event.
    private var dataBuffer: [UInt8] = []
    private var eventType: String = ""
    private var lastEventID: String?
    private var retryInBlock: Int?

    /// The reconnection time (milliseconds) most recently given by a `retry:` field.
    public private(set) var reconnectionTime: Int?

    public init() {}

    /// Parses the next piece of the body and returns the events it completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            consume(buffer, into: &events)
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { consume($0, into: &events) }
        }
        return events
    }

    /// Parses the next piece of the body and returns the events it completed.
    public mutating func feed(_ data: Data) -> [SSEEvent] {
        var events: [SSEEvent] = []
        data.withUnsafeBytes { raw in
            consume(raw.bindMemory(to: UInt8.self), into: &events)
        }
        return events
    }

    /// Ends the stream and returns the event still pending, if any; the parser is then ready for a new stream.
    ///
    /// Deliberate deviation from the spec: the spec discards an event that the stream did not end with a blank
    /// line. Several OpenAI-compatible servers close the connection right after their last `data:` line (even
    /// without its line ending), so an unfinished last line is taken as a whole line and a pending event that has
    /// data is dispatched.
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !pendingLine.isEmpty {
            let line = pendingLine
            line.withUnsafeBufferPointer { processLine($0, into: &events) }
        }
        dispatch(into: &events)
        self = SSEParser()
        return events
    }

    // MARK: - Lines

    private mutating func consume(_ buffer: UnsafeBufferPointer<UInt8>, into events: inout [SSEEvent]) {
        let cr: UInt8 = 0x0D
        let lf: UInt8 = 0x0A
        var start = 0
        let end = buffer.count
        if skipLeadingLF, end > 0 {
            skipLeadingLF = false
            if buffer[0] == lf { start = 1 }
        }
        var i = start
        while i < end {
            let byte = buffer[i]
            if byte != lf && byte != cr {
                i += 1
                continue
            }
            let line = UnsafeBufferPointer(rebasing: buffer[start..<i])
            if pendingLine.isEmpty {
                processLine(line, into: &events)
            } else {
                // Take the buffer out of self while the line is processed, then give its storage back.
                var whole: [UInt8] = []
                swap(&whole, &pendingLine)
                whole.append(contentsOf: line)
                whole.withUnsafeBufferPointer { processLine($0, into: &events) }
                whole.removeAll(keepingCapacity: true)
                pendingLine = whole
            }
            i += 1
            if byte == cr {
                if i < end {
                    if buffer[i] == lf { i += 1 }
                } else {
                    skipLeadingLF = true
                }
            }
            start = i
        }
        if start < end {
            pendingLine.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    private mutating func processLine(_ fullLine: UnsafeBufferPointer<UInt8>, into events: inout [SSEEvent]) {
        var line = fullLine
        if !sawFirstLine {
            sawFirstLine = true
            if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeBufferPointer(rebasing: line[3...])
            }
        }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        let colon: UInt8 = 0x3A
        if line[0] == colon { return }  // a comment

        let field: UnsafeBufferPointer<UInt8>
        let value: UnsafeBufferPointer<UInt8>
        if let c = line.firstIndex(of: colon) {
            field = UnsafeBufferPointer(rebasing: line[..<c])
            var valueStart = c + 1
            if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
            value = UnsafeBufferPointer(rebasing: line[valueStart...])
        } else {
            field = line
            value = UnsafeBufferPointer(rebasing: line[line.count...])
        }

        // Field names are matched as bytes: a name with invalid UTF-8 matches none of these either way.
        if Self.equals(field, "data") {
            dataBuffer.append(contentsOf: value)
            dataBuffer.append(0x0A)
        } else if Self.equals(field, "event") {
            eventType = String(decoding: value, as: UTF8.self)
        } else if Self.equals(field, "id") {
            if !value.contains(0) {
                lastEventID = String(decoding: value, as: UTF8.self)
            }
        } else if Self.equals(field, "retry") {
            if let ms = Self.parseDigits(value) {
                reconnectionTime = ms
                retryInBlock = ms
            }
        }
        // Any other field is ignored.
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        let retry = retryInBlock
        retryInBlock = nil
        if dataBuffer.isEmpty {
            eventType = ""
            return
        }
        // The buffer always ends with the LF appended after the last data line: drop it.
        let data = String(decoding: dataBuffer[..<(dataBuffer.count - 1)], as: UTF8.self)
        dataBuffer.removeAll(keepingCapacity: true)
        let type = eventType.isEmpty ? "message" : eventType
        eventType = ""
        events.append(SSEEvent(type: type, data: data, id: lastEventID, retry: retry))
    }

    // MARK: - Helpers

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        return bytes.elementsEqual(expected)
    }

    /// A base-ten integer made of ASCII digits only; nil when empty, when anything else appears, or on overflow.
    private static func parseDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var result = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times10, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(byte - 0x30))
            if o1 || o2 { return nil }
            result = sum
        }
        return result
    }
}
