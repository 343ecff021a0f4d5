internal import CFFmpeg

/// A video track's newest frame, held back by `MediaFileWriter` until the next one arrives:
/// RTP carries no frame durations, and a frame lasts until the next begins. Written with that
/// duration, every frame says how long it is shown, so the file's video ends where its last
/// frame does instead of wherever a player guesses.
///
/// The last frame of a file has no next one: it lasts as long as the interval before it, at
/// most `longestLastFrame` — a frame after a frozen camera is not shown for as long as the
/// freeze. A file of one frame gives it no duration (the muxer's choice).
///
/// The bytes are copied once, into a pooled buffer (`PacketBufferPools`) that `take` hands to
/// the muxer as it is: a frame costs one copy on its way to libavformat and, once the pools
/// have grown, no allocation. A class so that a frame still held when its writer goes (killed,
/// abandoned, failed) gives its buffer back.
final class HeldVideoFrame {
    /// In the muxer's time base: where the frame was placed, and the caller's timestamp (for
    /// the statistics).
    private(set) var placed: Int64 = 0
    private(set) var callerPTS: Int64 = 0
    private(set) var isKeyframe = false
    /// The frame's bytes while one is held (nil only when memory ran out copying it).
    private var buffer: UnsafeMutablePointer<AVBufferRef>?
    private var count = 0
    private(set) var isHolding = false
    /// A frame was held before (`placed` is still its placement after it was written).
    private var hasHeld = false
    /// The gap between the last two frames placed (muxer ticks), nil before the second.
    private var lastInterval: Int64?
    private let longestLastFrame: Int64

    /// `longestLastFrame` in muxer ticks.
    init(longestLastFrame: Int64) {
        self.longestLastFrame = longestLastFrame
    }

    deinit { av_buffer_unref(&buffer) }

    /// Holds a new frame placed at `placed` (after the one held, which must be taken first).
    func hold(_ data: UnsafeRawBufferPointer, placed: Int64, callerPTS: Int64, isKeyframe: Bool) {
        if hasHeld { lastInterval = placed - self.placed }
        av_buffer_unref(&buffer)
        buffer = PacketBufferPools.shared.copyOrAllocate(of: data)
        count = data.count
        self.placed = placed
        self.callerPTS = callerPTS
        self.isKeyframe = isKeyframe
        isHolding = true
        hasHeld = true
    }

    /// The held frame's duration when the next frame is placed at `next`.
    func duration(untilNextAt next: Int64) -> Int64 { max(next - placed, 0) }

    /// The held frame's duration if it is the last: the interval before it, capped (0: unknown).
    var lastFrameDuration: Int64 { min(lastInterval ?? 0, longestLastFrame) }

    /// The held frame's bytes, for the muxer, which then owns them; the frame is no longer held.
    /// Nil when there were none to copy into.
    func take() -> MuxerPayload? {
        isHolding = false
        defer { buffer = nil }
        return buffer.map { .given($0, count: count) }
    }
}
