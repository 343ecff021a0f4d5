/// VP9 over RTP (RFC 9628): strips the payload descriptor; the frame is the concatenation of the
/// packets' VP9 data from B=1 to E=1 (or the RTP marker).
///
/// Limitation: only the base spatial layer is assembled. With spatial scalability (SVC) a picture
/// is several layer frames with one timestamp, which a decoder takes as one superframe (VP9
/// specification Annex B); packets of layers above 0 are ignored, so an SVC stream records at its
/// lowest resolution. Temporal layers need nothing special: each picture is a whole frame.
struct VP9Depacketizer {
    func inspect(_ payload: UnsafeRawBufferPointer) -> PayloadLayout? {
        guard let descriptor = VP9PayloadDescriptor(payload), descriptor.length < payload.count else { return nil }
        if let spatialLayer = descriptor.spatialLayer, spatialLayer > 0 {
            return PayloadLayout(startsFrame: false, isIgnored: true)
        }
        var layout = PayloadLayout(startsFrame: descriptor.beginsFrame, endsFrame: descriptor.endsFrame,
                                   dataOffset: descriptor.length)
        if let pictureID = descriptor.pictureID {
            layout.pictureID = pictureID
            layout.pictureIDModulus = descriptor.pictureIDIs15Bits ? 0x8000 : 0x80
        }
        guard descriptor.beginsFrame else { return layout }
        // Every VP9 frame begins with frame_marker = 2 (VP9 specification §6.2).
        guard payload[descriptor.length] >> 6 == 2 else { return nil }
        layout.mayBeKeyframe = !descriptor.isInterPicturePredicted
        layout.width = descriptor.scalabilityStructure?.baseLayerWidth
        layout.height = descriptor.scalabilityStructure?.baseLayerHeight
        return layout
    }

    func append(_ payload: UnsafeRawBufferPointer, _ layout: PayloadLayout, to frame: inout FrameBuffer) -> Bool {
        frame.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: payload[layout.dataOffset ..< payload.count]))
        return true
    }

    /// A keyframe needs P=0 in the descriptor and frame_type KEY_FRAME in the frame's header: P=0
    /// alone also marks intra-only and inter-layer-predicted frames. The size comes from the
    /// scalability structure when the descriptor carried one, else from the header.
    func describe(_ frame: inout FrameBuffer) {
        let header = frame.bytes.withUnsafeBytes { VP9UncompressedHeader($0) }
        frame.isKeyframe = frame.isKeyframe && header?.isKeyframe == true
        guard frame.isKeyframe else {
            frame.width = nil
            frame.height = nil
            return
        }
        frame.width = frame.width ?? header?.width
        frame.height = frame.height ?? header?.height
    }
}
