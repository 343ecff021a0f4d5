internal import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes one participant's video (VP8, VP9 or H.264 as RTP carries it) for a composite and
/// keeps the newest picture, which their tile shows until the next one: a stalled sender's
/// tile holds their last picture.
///
/// An undecodable frame is counted and skipped; decoding resumes at the next keyframe, and until
/// then `needsKeyframe` is true so the recorder can ask the sender for one (PLI). Not
/// thread-safe, and not Sendable: one owner feeds it.
public final class VideoTileDecoder {
    public static let acceptedInputs: [MediaCodec] = [.vp8, .vp9, .h264]

    public let codec: MediaCodec
    /// Frames decoded into pictures, and frames that did not decode.
    public private(set) var framesDecoded = 0
    public private(set) var framesUndecodable = 0
    /// The decoder waits for a keyframe (at the start, and after an undecodable frame).
    public private(set) var needsKeyframe = true
    /// Bumped with every new picture: a tile redraws only when it changed.
    public private(set) var pictureNumber = 0

    private let decoder: LibavDecoder
    private var latest: UnsafeMutablePointer<AVFrame>?
    private var scaler = FittedPictureScaler()

    public init(codec: MediaCodec) throws(TranscoderError) {
        let name: String
        switch codec {
        case .vp8: name = "vp8"
        case .vp9: name = "vp9"
        case .h264: name = "h264"
        case .opus, .aac:
            throw TranscoderError(operation: "make tile decoder", reason: .unsupportedInput(codec, accepted: Self.acceptedInputs))
        }
        decoder = try LibavDecoder(name) { context in
            // One thread, no frame threading: a picture comes out of the frame that made it,
            // and a room's many decoders share the recording's media thread.
            context.pointee.thread_count = 1
        }
        guard let frame = av_frame_alloc() else { throw TranscoderError(operation: "av_frame_alloc", code: -ENOMEM) }
        latest = frame
        self.codec = codec
    }

    deinit {
        scaler.release()
        av_frame_free(&latest)
    }

    /// Whether a picture has been decoded yet.
    public var hasPicture: Bool { pictureNumber > 0 }

    /// The size of the newest picture (0x0 before the first).
    public var pictureSize: (width: Int, height: Int) {
        (Int(latest?.pointee.width ?? 0), Int(latest?.pointee.height ?? 0))
    }

    /// Decodes one encoded frame; the newest picture is kept. Delta frames while a keyframe is
    /// awaited are skipped (they would decode to garbage).
    public func decode(_ bytes: UnsafeRawBufferPointer, isKeyframe: Bool) {
        if needsKeyframe, !isKeyframe { return }
        guard decoder.send(bytes, pts: 0) >= 0 else {
            giveUpUntilKeyframe()
            return
        }
        if isKeyframe { needsKeyframe = false }
        let intact = decoder.drainPictures { frame in
            av_frame_unref(latest)
            av_frame_move_ref(latest, frame)
            framesDecoded += 1
            pictureNumber += 1
        }
        if !intact { giveUpUntilKeyframe() }
    }

    /// Scales the newest picture into `area` of the canvas, letterboxed. Nothing before the first picture.
    func draw(into canvas: UnsafeMutablePointer<AVFrame>, area: FittedPictureScaler.Area, paintBars: Bool) throws(TranscoderError) {
        guard hasPicture, let latest else { return }
        try scaler.scale(latest, into: canvas, area: area, paintBars: paintBars)
    }

    /// Forgets the stream so far and waits for the next keyframe: the frames before it were let
    /// go unseen (the caller's queue overflowed), so what follows would be predicted from garbage.
    public func waitForKeyframe() {
        needsKeyframe = true
        decoder.reset()
    }

    private func giveUpUntilKeyframe() {
        framesUndecodable += 1
        needsKeyframe = true
        decoder.reset()
    }
}
