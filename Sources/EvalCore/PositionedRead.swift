import Foundation

/// `count` bytes of the open file `descriptor` from `offset` (pread, again after EINTR, until all are read); nil when
/// the file ends first or a read fails. Does not move the descriptor's offset, so reads may share a descriptor.
public func positionedRead(_ descriptor: Int32, offset: Int, count: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
        let read = bytes.withUnsafeMutableBytes { buffer in
            pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
        }
        if read < 0 && errno == EINTR { continue }
        guard read > 0 else { return nil }
        done += read
    }
    return bytes
}
