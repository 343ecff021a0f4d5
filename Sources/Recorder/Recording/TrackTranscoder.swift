import Media

/// The re-encoding between a participant's track and its file, when the format asks for a codec
/// the participant did not send (VP8/VP9 to H.264, Opus to AAC for MP4).
///
/// It runs where the frame arrives, on the participant's event loop: a frame at a time, never a
/// packet at a time.
enum TrackTranscoder {
    case video(VideoTranscoder)
    case audio(AudioTranscoder)

    /// The file track the transcoder writes.
    var track: TrackDescription {
        switch self {
        case .video(let transcoder): transcoder.track
        case .audio(let transcoder): transcoder.track
        }
    }

    /// Whether the decoder lost its reference and waits for a keyframe (ask the sender for one).
    var needsKeyframe: Bool {
        if case .video(let transcoder) = self { transcoder.needsKeyframe } else { false }
    }

    func transcode(_ bytes: UnsafeRawBufferPointer, pts: Int64, isKeyframe: Bool) throws(TranscoderError) -> [TranscodedFrame] {
        switch self {
        case .video(let transcoder): try transcoder.transcode(bytes, pts: pts, isKeyframe: isKeyframe)
        case .audio(let transcoder): try transcoder.transcode(bytes, pts: pts)
        }
    }

    func flush() throws(TranscoderError) -> [TranscodedFrame] {
        switch self {
        case .video(let transcoder): try transcoder.flush()
        case .audio(let transcoder): try transcoder.flush()
        }
    }
}
