import Media
import RTC

/// Why a track cannot go into the recording's files.
struct TrackFormatError: Error, Hashable, CustomStringConvertible {
    var description: String
}

/// What a source track becomes in a file: the file's track, and the transcoder that makes it
/// (nil: the frames are written as sent).
struct PlannedOutput {
    var description: TrackDescription
    var transcoder: TrackTranscoder?
}

/// Decides what a source track becomes in a file of the recording's format.
struct TrackFormatPlanner {
    let format: Recipe

    /// The recipe's H.264 settings as the transcoder takes them.
    private var videoSettings: VideoTranscoder.Settings { (format.h264 ?? .defaults).transcoderSettings }

    /// The file track for a source track, from its first writable frame (a video keyframe
    /// carries the size, and H.264's parameter sets).
    func plan(codec: SDP.SupportedCodec, width: Int?, height: Int?, firstFrame: [UInt8]) -> Result<PlannedOutput, TrackFormatError> {
        let source = MediaCodec(codec)
        let output: MediaCodec
        switch (source.kind, format.video, format.audio) {
        case (.video, .passthrough, _), (.audio, _, .passthrough), (.audio, _, .opus):
            // `.opus` is a room's mix, which decodes the source itself (`ParticipantRecorder.plan`).
            output = source
        case (.video, .h264, _):
            output = .h264
        case (.audio, _, .aac):
            output = .aac
        case (.video, .none, _), (.video, .vp8, _), (.audio, _, .none):
            // `.vp8` is a room's composite, which decodes the source itself (`ParticipantRecorder.plan`).
            return .failure(TrackFormatError(description: "\(source.kind.rawValue) is not recorded by this format"))
        }
        guard format.container.supportedCodecs.contains(output) else {
            return .failure(TrackFormatError(description: "\(format.container.rawValue) cannot hold \(output.rawValue)"))
        }
        if source.kind == .video {
            guard let width, let height, width > 0, height > 0 else {
                return .failure(TrackFormatError(description: "the first \(codec) keyframe gave no picture size"))
            }
            guard output == source else {
                return transcoder { () throws(TranscoderError) in
                    .video(try VideoTranscoder(input: source, width: width, height: height, settings: videoSettings))
                }
            }
            var extradata: [UInt8]?
            if output == .h264 {
                guard let sets = H264AnnexB.parameterSets(in: firstFrame) else {
                    return .failure(TrackFormatError(description: "the first H.264 keyframe carries no SPS and PPS"))
                }
                extradata = sets
            }
            return .success(PlannedOutput(description: .video(output, width: width, height: height, extradata: extradata)))
        }
        guard output == source else {
            return transcoder { () throws(TranscoderError) in .audio(try AudioTranscoder(channels: 2)) }
        }
        return .success(PlannedOutput(description: .audio(output, sampleRate: 48_000, channels: 2)))
    }

    private func transcoder(_ make: () throws(TranscoderError) -> TrackTranscoder) -> Result<PlannedOutput, TrackFormatError> {
        do {
            let transcoder = try make()
            return .success(PlannedOutput(description: transcoder.track, transcoder: transcoder))
        } catch {
            return .failure(TrackFormatError(description: "cannot set up transcoding: \(error)"))
        }
    }
}

extension MediaCodec {
    /// The file codec of a negotiated RTP codec, as sent.
    init(_ codec: SDP.SupportedCodec) {
        switch codec {
        case .opus: self = .opus
        case .vp8: self = .vp8
        case .vp9: self = .vp9
        case .h264: self = .h264
        }
    }
}
