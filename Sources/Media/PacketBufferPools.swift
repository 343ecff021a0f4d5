internal import CFFmpeg

/// Reference-counted buffers for the frames handed to libavformat's interleaver, reused instead
/// of allocated per frame. The interleaver keeps each packet until the other tracks catch up, so
/// it needs a buffer it can own; given borrowed bytes it mallocs one of the frame's size and
/// copies into it, per frame (with a hundred participants, eight thousand large mallocs and
/// frees a second on the media thread, and glibc's consolidation of its free lists besides).
///
/// One libavutil `AVBufferPool` per power-of-two size from 1 KiB to 2 MiB, shared by every
/// writer of the process: a buffer goes back to its pool when the muxer is done with the packet,
/// so in steady state a frame costs a copy and no allocation of its bytes. A pool keeps what it
/// once handed out (its peak in use), never more. Larger frames are rare (a keyframe of a 4K
/// stream) and get a buffer of their own (`copyOrAllocate`).
///
/// `@unchecked Sendable`: the pool pointers never change after `init`, and libavutil's pools
/// are thread-safe (they lock inside).
final class PacketBufferPools: @unchecked Sendable {
    static let shared = PacketBufferPools()

    private static let smallestShift = 10
    private static let largestShift = 21
    /// By size class; nil where libavutil could not make the pool (out of memory): frames of
    /// that size get a buffer of their own.
    private let pools: [OpaquePointer?]

    private init() {
        pools = (Self.smallestShift...Self.largestShift).map { shift in av_buffer_pool_init(1 << shift, nil) }
    }

    /// A buffer holding a copy of `bytes` followed by the zeroed padding libav's readers expect,
    /// or nil when the frame is larger than the largest pooled size.
    func copy(of bytes: UnsafeRawBufferPointer) -> UnsafeMutablePointer<AVBufferRef>? {
        let needed = bytes.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)
        let shift = max(Self.smallestShift, Int.bitWidth - (needed - 1).leadingZeroBitCount)
        guard shift <= Self.largestShift, let pool = pools[shift - Self.smallestShift],
              let buffer = av_buffer_pool_get(pool), let data = buffer.pointee.data else { return nil }
        Self.fill(data, with: bytes)
        return buffer
    }

    /// A copy of `bytes` as `copy(of:)` makes it, or, for a frame larger than the pools take, in
    /// a buffer of its own (allocated, as libav would). Nil only when memory ran out.
    func copyOrAllocate(of bytes: UnsafeRawBufferPointer) -> UnsafeMutablePointer<AVBufferRef>? {
        if let pooled = copy(of: bytes) { return pooled }
        guard let buffer = av_buffer_alloc(bytes.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)),
              let data = buffer.pointee.data else { return nil }
        Self.fill(data, with: bytes)
        return buffer
    }

    private static func fill(_ data: UnsafeMutablePointer<UInt8>, with bytes: UnsafeRawBufferPointer) {
        if let source = bytes.baseAddress { data.update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
        (data + bytes.count).initialize(repeating: 0, count: Int(AV_INPUT_BUFFER_PADDING_SIZE))
    }
}
