/// Spans of quoted text: a promise inside quotes is someone's words being repeated (`вы написали: «обещали доставку к
/// среде»`, `you wrote "promised delivery by Wednesday"`), not the answer's own commitment.
///
/// Pairs read: `«…»`, `“…”`, `„…“`, `"…"`. A quote runs to its closing mark within one paragraph and at most 400 bytes;
/// an ASCII `"` right after a digit is an inch sign, not a quote.
enum PromiseQuotes {
    static let maximumLength = 400

    /// Byte ranges from the opening to the closing mark, in order; none when the text has no quote marks.
    static func ranges(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        let count = bytes.count
        while index < count {
            let closer: [UInt8]
            let openerLength: Int
            switch bytes[index] {
            case UInt8(ascii: "\""):
                if index > 0, (0x30...0x39).contains(bytes[index - 1]) {
                    index += 1
                    continue
                }
                closer = [UInt8(ascii: "\"")]
                openerLength = 1
            case 0xC2 where index + 1 < count && bytes[index + 1] == 0xAB:  // «
                closer = [0xC2, 0xBB]
                openerLength = 2
            case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x9C:  // “
                closer = [0xE2, 0x80, 0x9D]
                openerLength = 3
            case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x9E:  // „
                closer = [0xE2, 0x80, 0x9C]
                openerLength = 3
            default:
                index += 1
                continue
            }
            let limit = min(count, index + maximumLength)
            var end = index + openerLength
            var found = -1
            while end + closer.count <= limit {
                if bytes[end] == UInt8(ascii: "\n") && end + 1 < count && bytes[end + 1] == UInt8(ascii: "\n") { break }
                if bytes[end] == closer[0]
                    && (closer.count == 1
                        || (bytes[end + 1] == closer[1] && (closer.count == 2 || bytes[end + 2] == closer[2])))
                {
                    found = end
                    break
                }
                end += 1
            }
            if found < 0 {
                index += openerLength
                continue
            }
            ranges.append(index..<(found + closer.count))
            index = found + closer.count
        }
        return ranges
    }
}
