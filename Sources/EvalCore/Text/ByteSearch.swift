/// Finding bytes in bytes by a plain loop: the standard library's and Foundation's generic searches cost more than
/// the rest of the work wherever they ran on every line or answer.
enum ByteSearch {
    /// The offset of the first occurrence of `needle` (not empty) in `haystack` at or after `from`.
    static func firstOffset(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        let last = haystack.count - needle.count
        var position = from
        while position <= last {
            if haystack[position] == first {
                var matched = 1
                while matched < needle.count, haystack[position + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return position }
            }
            position += 1
        }
        return nil
    }
}
