import Media

/// Which recipe choices each container can hold. The rule, and why:
/// - **webm** holds VP8/VP9 and Opus: `video: passthrough` or `none`, `audio: passthrough` or
///   `none`. H.264 and AAC are not WebM codecs (Matroska has them; WebM players do not).
/// - **mp4** holds H.264 and AAC: `video: h264` or `none`, `audio: aac` or `none`. Passed-through
///   VP8 has no MP4 mapping the writer takes (nor VP9: its `vpcC` box needs bitstream details),
///   and passed-through Opus, though libavformat writes it, does not play in the players MP4 is
///   chosen for (QuickTime, older Safari, editors) — Opus goes in webm or ogg.
/// - **ogg** holds Opus only: `video: none`, `audio: passthrough`.
/// - A room's file (`layout: room`) is encoded by the recorder: its mix is `audio: opus` in webm
///   or ogg, `aac` in mp4; its composite, if any, `video: h264` in mp4 or `vp8` in webm. `opus`
///   and `vp8` mean nothing elsewhere, since a participant's own Opus and VP8 are written as sent.
///
/// And in every container: a recipe with neither video nor audio records nothing.
extension MediaContainer {
    var allowedVideo: [RecipeVideo] {
        switch self {
        case .webm: [.passthrough, .vp8, .none]
        case .mp4: [.h264, .none]
        case .ogg: [.none]
        }
    }

    var allowedAudio: [RecipeAudio] {
        switch self {
        case .webm: [.passthrough, .opus, .none]
        case .mp4: [.aac, .none]
        case .ogg: [.passthrough, .opus]
        }
    }

    /// What the container holds, for the error that refuses a choice.
    var holdsDescription: String {
        switch self {
        case .webm: "webm holds VP8/VP9 video and Opus audio as sent (video: passthrough, audio: passthrough; or vp8 and opus for a room's composite and mix), not H.264 or AAC"
        case .mp4: "mp4 holds H.264 video and AAC audio (video: h264, audio: aac); VP8/VP9 and Opus go in webm"
        case .ogg: "ogg holds Opus audio only (video: none, audio: passthrough, or opus for a room's mix)"
        }
    }
}
