/// The frame being assembled: its codec bytes so far and what its bitstream said about it.
///
/// One per assembler, reused for every frame: `reset` keeps the byte capacity, so a stream in
/// steady state assembles without allocating.
struct FrameBuffer {
    var bytes: [UInt8] = []
    var isKeyframe = false
    var width: Int?
    var height: Int?

    init() {
        // Room for a typical 720p keyframe; grows once if a larger frame comes.
        bytes.reserveCapacity(64 * 1024)
    }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        isKeyframe = false
        width = nil
        height = nil
    }
}
