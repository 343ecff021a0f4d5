/// What one RTP payload's header says, read before its bytes join a frame: whether it begins or
/// ends a frame, where the codec bytes start, and what a frame's first packet tells about it.
struct PayloadLayout {
    /// The packet begins a frame: VP8 S=1 with PID=0, VP9 B=1 on the base spatial layer, H.264 a
    /// NAL unit that can open an access unit.
    var startsFrame: Bool
    /// The payload header itself ends the frame (VP9 E bit), in addition to the RTP marker.
    var endsFrame = false
    /// Offset of the codec bytes after the payload descriptor.
    var dataOffset = 0
    /// The packet belongs to nothing the assembler outputs (VP9 spatial layers above the base).
    var isIgnored = false
    /// VP8/VP9 PictureID and its modulus (128 for 7 bits, 32768 for 15 bits), when present.
    var pictureID: UInt16?
    var pictureIDModulus: UInt16 = 0x8000
    /// What a frame's first packet's descriptor says: VP9 P=0 on the base layer (the frame header,
    /// read once the frame is whole, must agree), and the size from a VP9 scalability structure.
    var mayBeKeyframe = false
    var width: Int?
    var height: Int?
}
