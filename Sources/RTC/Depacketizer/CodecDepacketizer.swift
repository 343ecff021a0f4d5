/// The depacketizer of one stream's codec. An enum rather than a protocol existential so that the
/// per-packet calls dispatch with a switch and nothing is boxed.
enum CodecDepacketizer {
    case opus(OpusDepacketizer)
    case vp8(VP8Depacketizer)
    case vp9(VP9Depacketizer)
    case h264(H264Depacketizer)

    init(codec: SDP.SupportedCodec) {
        switch codec {
        case .opus: self = .opus(OpusDepacketizer())
        case .vp8: self = .vp8(VP8Depacketizer())
        case .vp9: self = .vp9(VP9Depacketizer())
        case .h264: self = .h264(H264Depacketizer())
        }
    }

    /// Reads a video payload's header; nil when it is malformed.
    func inspect(_ payload: UnsafeRawBufferPointer) -> PayloadLayout? {
        switch self {
        case .opus: nil
        case .vp8(let depacketizer): depacketizer.inspect(payload)
        case .vp9(let depacketizer): depacketizer.inspect(payload)
        case .h264(let depacketizer): depacketizer.inspect(payload)
        }
    }

    mutating func beginFrame() {
        guard case .h264(var depacketizer) = self else { return }
        // Leave no second reference to the H.264 state's buffers while it changes (no copy-on-write).
        self = .opus(OpusDepacketizer())
        depacketizer.beginFrame()
        self = .h264(depacketizer)
    }

    /// Appends an inspected payload's codec bytes; false when it does not continue the frame.
    mutating func append(_ payload: UnsafeRawBufferPointer, _ layout: PayloadLayout, to frame: inout FrameBuffer) -> Bool {
        switch self {
        case .opus:
            return false
        case .vp8(let depacketizer):
            return depacketizer.append(payload, layout, to: &frame)
        case .vp9(let depacketizer):
            return depacketizer.append(payload, layout, to: &frame)
        case .h264(var depacketizer):
            self = .opus(OpusDepacketizer())
            defer { self = .h264(depacketizer) }
            return depacketizer.append(payload, layout, to: &frame)
        }
    }

    /// Sets what the finished (or abandoned) frame's own header says: VP8/VP9 keyframe flag and size.
    func describe(_ frame: inout FrameBuffer) {
        switch self {
        case .vp8(let depacketizer): depacketizer.describe(&frame)
        case .vp9(let depacketizer): depacketizer.describe(&frame)
        case .opus, .h264: break
        }
    }

    /// Whether payload headers say where frames start (VP8 S/PID, VP9 B). H.264 does not: there the
    /// packet after a frame's end starts the next one, and only after a loss is the NAL unit type
    /// used to tell a plausible start.
    var marksFrameStarts: Bool {
        switch self {
        case .vp8, .vp9: true
        case .opus, .h264: false
        }
    }

    /// Whether the frame's bytes end cleanly (H.264: no fragment left open).
    var frameIsWhole: Bool {
        guard case .h264(let depacketizer) = self else { return true }
        return depacketizer.frameIsWhole
    }
}
