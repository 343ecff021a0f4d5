internal import CFFmpeg

/// A frame's bytes on their way to `Muxer.write`: lent for the call (the muxer copies them), or
/// a libav buffer given to the muxer, which then owns it (`HeldVideoFrame`'s, copied once already).
enum MuxerPayload {
    case lent(UnsafeRawBufferPointer)
    case given(UnsafeMutablePointer<AVBufferRef>, count: Int)

    var count: Int {
        switch self {
        case .lent(let bytes): bytes.count
        case .given(_, let count): count
        }
    }
}
