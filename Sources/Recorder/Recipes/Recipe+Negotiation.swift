import Media
import RTC

extension Recipe {
    /// The video codec to ask senders for: the one this recipe's files hold as sent, so that a
    /// sender able to send it costs no re-encoding. H.264 for a recipe that writes H.264 (a
    /// browser encodes it anyway; re-encoding VP8 to H.264 costs a hundred times passing it
    /// through); nil elsewhere, leaving the sender's choice among the codecs WebM holds. A sender
    /// that cannot send it sends what it can, and that is re-encoded.
    var videoCodecWrittenAsSent: SDP.SupportedCodec? {
        switch video {
        // A room's composite decodes whatever a sender sends: the sender's choice, as for WebM.
        case .h264 where layout == .room: nil
        case .h264: .h264
        case .passthrough where container.supportedCodecs.contains(.h264) && !container.supportedCodecs.contains(.vp8): .h264
        case .passthrough, .vp8, .none: nil
        }
    }
}
