import Media

extension Recipe {
    /// The kinds of media a room recipe's one file holds for everyone: audio (the mix), and
    /// video when it composites. None for the other layouts, whose files are per participant.
    var kindsInRoomFile: Set<MediaKind> {
        guard layout == .room else { return [] }
        return composite != nil ? [.audio, .video] : [.audio]
    }

    /// How a room's composite is encoded: H.264 as the recipe's `h264` settings say, without
    /// x264's look-ahead (`zerolatency`: no frames held back), since the composite already trails
    /// real time by the mix's latency and what the encoder holds is lost to a `kill -9`; VP8 at a
    /// fixed rate that suits a 720p canvas of mostly still pictures.
    var compositeEncoderSettings: VideoTranscoder.Settings {
        guard video == .h264 else {
            return VideoTranscoder.Settings(preset: H264EncoderSettings.defaults.preset.rawValue,
                                            rateControl: .bitrate(kbps: 1_500), keyframeInterval: .seconds(1))
        }
        var settings = (h264 ?? .defaults).transcoderSettings
        settings.tune = "zerolatency"
        return settings
    }
}
