/// The start of a VP8 frame, which the first packet of every frame carries right after the payload
/// descriptor (RFC 7741 §4.3, RFC 6386 §9.1): a 3-byte frame tag, and on keyframes a start code
/// and the frame size.
///
///     frame tag:  size0(3) | H | VER(3) | P ,  size1 , size2      (P = 0 on keyframes)
///     keyframe:   9d 01 2a , width (14 bits + 2 scale bits, little-endian) , height (same)
struct VP8FrameHeader: Hashable {
    var isKeyframe: Bool
    var width: Int?
    var height: Int?

    /// Nil when the bytes are too short for a frame tag, or a keyframe lacks its start code and size.
    init?(_ frame: UnsafeRawBufferPointer) {
        guard frame.count >= 3 else { return nil }
        isKeyframe = frame[0] & 0x01 == 0
        guard isKeyframe else { return }
        guard frame.count >= 10, frame[3] == 0x9D, frame[4] == 0x01, frame[5] == 0x2A else { return nil }
        // The top two bits of each are an upscaling hint for the display, not part of the size.
        width = Int(UInt16(frame[7] & 0x3F) << 8 | UInt16(frame[6]))
        height = Int(UInt16(frame[9] & 0x3F) << 8 | UInt16(frame[8]))
    }
}
