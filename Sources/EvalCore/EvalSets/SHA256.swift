import CCrypto
import Foundation

/// SHA-256 (FIPS 180-4), for the content hashes of eval sets, cache keys and the HTML report's CSP hashes.
///
/// Why a real digest: the content hash is recorded in every run's manifest and compared across machines and
/// months, so it has to be a cryptographic one — `StableHash` (64-bit FNV-1a) is fine for a cache key but two
/// different eval sets can be made to collide on purpose, and a shared eval set is exactly what people edit.
/// The digest is OpenSSL's (libcrypto, which libcurl already loads): it uses the CPU's SHA extensions where there
/// are some, several times faster than the hand-written Swift one this replaced. It is checked against the
/// standard's test vectors in the tests.
///
/// A value type: copying a hasher copies the input hashed so far (the OpenSSL context is copied on the first
/// write after a copy).
public struct SHA256 {
    private var context: Context

    public init() {
        context = Context()
    }

    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return Self.hex(digest: hasher.context.finish())
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update($0) }
        }
    }

    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard buffer.count > 0 else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        context.update(buffer)
    }

    /// The 32-byte digest. The hasher itself is left as it was: more input may follow.
    public func finalize() -> [UInt8] {
        context.copy().finish()
    }

    public func finalizeHex() -> String {
        Self.hex(digest: finalize())
    }

    /// `digest` as lowercase hex digits, two per byte.
    public static func hex(digest: some Sequence<UInt8>) -> String {
        let digits: StaticString = "0123456789abcdef"
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits.utf8Start[Int(byte >> 4)])
            text.append(digits.utf8Start[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// One OpenSSL digest context, owned by one `SHA256` value at a time (copied before a shared one is written).
    private final class Context {
        private let pointer: OpaquePointer

        init() {
            if let failure = evalgate_crypto_load() { Self.cannotHash(String(cString: failure)) }
            guard let pointer = evalgate_sha256_new() else { fatalError("OpenSSL cannot allocate a SHA-256 context") }
            self.pointer = pointer
        }

        /// Without libcrypto nothing can be hashed, and every eval set, run log and cache key needs a hash: the
        /// process ends as it did when the dynamic loader could not find libcrypto at start, but in one line and
        /// with the infrastructure exit code (3), not a crash.
        private static func cannotHash(_ reason: String) -> Never {
            FileHandle.standardError.write(Data("evalgate: error: \(reason)\n".utf8))
            exit(3)
        }

        private init(copying other: OpaquePointer) {
            guard let pointer = evalgate_sha256_copy(other) else { fatalError("OpenSSL cannot copy a SHA-256 context") }
            self.pointer = pointer
        }

        func copy() -> Context { Context(copying: pointer) }

        func update(_ buffer: UnsafeRawBufferPointer) {
            // EVP_DigestUpdate fails only on a context that was never initialised, which init rules out.
            _ = evalgate_sha256_update(pointer, buffer.baseAddress, buffer.count)
        }

        /// The digest; the context takes no more input afterwards.
        func finish() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: 32)
            let done = digest.withUnsafeMutableBufferPointer { evalgate_sha256_final(pointer, $0.baseAddress) }
            precondition(done != 0, "OpenSSL's SHA-256 did not finish")
            return digest
        }

        deinit { evalgate_sha256_free(pointer) }
    }
}
