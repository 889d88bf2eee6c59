import Foundation

/// Reads a file's lines in 64 KiB blocks without holding the file: the one line reader behind eval-set loading and
/// run-log reading. Lines are split on `\n` and given as they are (a `\r` before the `\n` is the caller's).
enum LineScanner {
    /// Calls `body(line, number, start, complete)` for every line from byte `offset` on, until it returns false:
    /// `number` counts from `firstLine`, `start` is the line's first byte in the file, `complete` says whether the
    /// line ended with `\n` (only the last can be incomplete). Returns nil, or the `errno` of a failed open or read.
    static func scan(
        path: String,
        from offset: Int = 0,
        firstLine: Int = 1,
        _ body: (_ line: ArraySlice<UInt8>, _ number: Int, _ start: Int, _ complete: Bool) -> Bool
    ) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        if offset > 0, lseek(fd, off_t(offset), SEEK_SET) < 0 { return errno }
        var pending: [UInt8] = []
        var pendingStart = offset
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var number = firstLine - 1
        var chunkStart = offset
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if count == 0 { break }
            var lineStart = 0
            for index in 0..<count where chunk[index] == 0x0A {
                number += 1
                let keepGoing: Bool
                if pending.isEmpty {
                    keepGoing = body(chunk[lineStart..<index], number, chunkStart + lineStart, true)
                } else {
                    pending.append(contentsOf: chunk[lineStart..<index])
                    keepGoing = body(pending[...], number, pendingStart, true)
                    pending.removeAll(keepingCapacity: true)
                }
                if !keepGoing { return nil }
                lineStart = index + 1
            }
            if lineStart < count {
                if pending.isEmpty { pendingStart = chunkStart + lineStart }
                pending.append(contentsOf: chunk[lineStart..<count])
            }
            chunkStart += count
        }
        if !pending.isEmpty { _ = body(pending[...], number + 1, pendingStart, false) }
        return nil
    }
}
