import NIOCore

/// One datagram's worth of memory that a read handler copies each received datagram into, so
/// that the endpoint can decrypt it in place.
///
/// NIO hands each datagram of a batch as a slice of one pooled receive buffer; asking a shared
/// slice for mutable bytes makes ByteBuffer copy it into fresh storage (a malloc and a free per
/// datagram). Copying into memory of our own, reused for every datagram, costs the same copy and
/// allocates nothing. Confined to the handler's event loop.
final class DatagramScratch {
    private let storage: UnsafeMutableRawBufferPointer

    init(capacity: Int = DatagramSocketTuning.maxDatagramSize) {
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Runs `body` with a mutable copy of `buffer`'s readable bytes (nothing when they do not fit,
    /// which a receive slot of `maxDatagramSize` rules out).
    func withMutableCopy(of buffer: ByteBuffer, _ body: (UnsafeMutableRawBufferPointer) -> Void) {
        buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count <= storage.count, let source = bytes.baseAddress else { return }
            let copy = UnsafeMutableRawBufferPointer(rebasing: storage[0 ..< bytes.count])
            copy.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
            body(copy)
        }
    }
}
