/// Turns one RTP stream's payloads, delivered in sequence order, into codec frames.
///
/// A frame ends at the RTP marker, at VP9's E bit, or when a packet with a new timestamp arrives
/// (the marker was lost or never set). When packets are lost inside a frame, the part gathered so
/// far is emitted once with `isComplete: false` and the rest of that frame is dropped until a
/// packet starts a new frame. A malformed payload is counted and treated like a lost packet.
/// Opus packets are frames on their own and pass through unchanged.
///
/// A value type owning one reusable frame buffer: in steady state nothing is allocated.
public struct FrameAssembler: Sendable {
    private enum State {
        /// Between frames: the last frame ended cleanly and nothing was lost since.
        case idle
        /// Gathering the frame whose first packet was seen.
        case assembling
        /// Dropping the rest of a frame already reported incomplete (its timestamp), or, with nil,
        /// waiting for a frame start after a loss between frames or at the stream's beginning.
        case discarding(timestamp: Int64?)
    }

    public let codec: SDP.SupportedCodec
    private var depacketizer: CodecDepacketizer
    private var frame = FrameBuffer()
    private var state = State.discarding(timestamp: nil)
    private var frameTimestamp: Int64 = 0
    private var firstSequence: Int64 = 0
    private var lastSequence: Int64 = 0
    private var pictureIDs = PictureIDContinuity()

    /// Counters for stats: payloads rejected as malformed.
    public private(set) var malformedPayloads = 0
    /// Frames that grew past `maximumFrameBytes` (a sender that never sets the marker bit nor
    /// changes its timestamp): each is cut there, reported incomplete, and the rest of its
    /// packets dropped, so one participant cannot grow the recorder's memory without bound.
    public private(set) var oversizedFrames = 0
    /// The largest frame assembled. An 8K keyframe at a high bitrate is a few MiB.
    public var maximumFrameBytes = FrameAssembler.defaultMaximumFrameBytes
    public static let defaultMaximumFrameBytes = 8 << 20
    /// The bytes of the frame being gathered (for tests of the limit).
    var bufferedBytes: Int { frame.bytes.count }
    /// VP8/VP9: frames whose PictureID did not follow the previous frame's: whole frames were lost,
    /// which no incomplete frame reports (a frame missing only some packets keeps the count).
    public var pictureIDGaps: Int { pictureIDs.gaps }

    public init(codec: SDP.SupportedCodec) {
        self.codec = codec
        depacketizer = CodecDepacketizer(codec: codec)
    }

    /// Feed packets strictly in sequence order. `continuous` is false when one or more packets
    /// before this one were lost for good (the caller's reorder buffer gave up on them).
    /// Calls `emit` zero, one or more times (e.g. an incomplete previous frame, then this one),
    /// synchronously; the buffer is only valid during the call.
    public mutating func push(payload: UnsafeRawBufferPointer, marker: Bool, sequence: Int64, timestamp: Int64,
                              continuous: Bool, emit: (AssembledFrame, UnsafeRawBufferPointer) -> Void) {
        if case .opus(let opus) = depacketizer {
            guard opus.isValid(payload) else {
                malformedPayloads += 1
                return
            }
            emit(AssembledFrame(codec: codec, timestamp: timestamp, firstSequence: sequence, lastSequence: sequence,
                                isKeyframe: true, isComplete: true), payload)
            return
        }
        if !continuous { breakFrame(emit: emit) }
        // A padding-only packet (RFC 3550 §5.1, bandwidth probing) carries no media.
        guard !payload.isEmpty else { return }
        guard let layout = depacketizer.inspect(payload) else {
            malformedPayloads += 1
            breakFrame(emit: emit)
            return
        }
        if layout.isIgnored { return }
        if case .assembling = state, timestamp != frameTimestamp {
            // RFC 3550 §5.1: a frame's packets share a timestamp, so the previous frame is over.
            finishFrame(isComplete: depacketizer.frameIsWhole, emit: emit)
        }
        switch state {
        case .assembling:
            break
        case .idle where layout.startsFrame || !depacketizer.marksFrameStarts:
            // The last frame ended and nothing was lost since: this packet is the next frame's first.
            beginFrame(layout, sequence: sequence, timestamp: timestamp)
        case .discarding(let discarded?) where timestamp == discarded:
            return
        case .idle, .discarding:
            guard layout.startsFrame else { return reportHeadless(layout, sequence: sequence, timestamp: timestamp, emit: emit) }
            beginFrame(layout, sequence: sequence, timestamp: timestamp)
        }
        guard frame.bytes.count + payload.count <= maximumFrameBytes else {
            oversizedFrames += 1
            breakFrame(emit: emit)
            return
        }
        guard depacketizer.append(payload, layout, to: &frame) else {
            malformedPayloads += 1
            breakFrame(emit: emit)
            return
        }
        lastSequence = sequence
        if marker || layout.endsFrame {
            finishFrame(isComplete: depacketizer.frameIsWhole, emit: emit)
        }
    }

    private mutating func beginFrame(_ layout: PayloadLayout, sequence: Int64, timestamp: Int64) {
        state = .assembling
        frameTimestamp = timestamp
        firstSequence = sequence
        lastSequence = sequence
        frame.reset()
        frame.isKeyframe = layout.mayBeKeyframe
        frame.width = layout.width
        frame.height = layout.height
        depacketizer.beginFrame()
        if let pictureID = layout.pictureID { pictureIDs.observe(pictureID, modulus: layout.pictureIDModulus) }
    }

    private mutating func finishFrame(isComplete: Bool, emit: (AssembledFrame, UnsafeRawBufferPointer) -> Void) {
        depacketizer.describe(&frame)
        let assembled = AssembledFrame(codec: codec, timestamp: frameTimestamp, firstSequence: firstSequence,
                                       lastSequence: lastSequence, isKeyframe: frame.isKeyframe, isComplete: isComplete,
                                       width: frame.width, height: frame.height)
        frame.bytes.withUnsafeBytes { emit(assembled, $0) }
        frame.reset()
        state = .idle
    }

    /// Continuity broke (a loss, or a malformed payload): an open frame is reported incomplete
    /// with what it gathered, and its remaining packets will be dropped.
    private mutating func breakFrame(emit: (AssembledFrame, UnsafeRawBufferPointer) -> Void) {
        switch state {
        case .assembling:
            let timestamp = frameTimestamp
            finishFrame(isComplete: false, emit: emit)
            state = .discarding(timestamp: timestamp)
        case .idle:
            state = .discarding(timestamp: nil)
        case .discarding:
            break
        }
    }

    /// A frame whose first packet is missing: reported once, empty and incomplete, then dropped.
    private mutating func reportHeadless(_ layout: PayloadLayout, sequence: Int64, timestamp: Int64,
                                         emit: (AssembledFrame, UnsafeRawBufferPointer) -> Void) {
        if let pictureID = layout.pictureID { pictureIDs.observe(pictureID, modulus: layout.pictureIDModulus) }
        let assembled = AssembledFrame(codec: codec, timestamp: timestamp, firstSequence: sequence,
                                       lastSequence: sequence, isKeyframe: false, isComplete: false)
        emit(assembled, UnsafeRawBufferPointer(start: nil, count: 0))
        state = .discarding(timestamp: timestamp)
    }
}
