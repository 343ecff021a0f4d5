/// VP8 over RTP (RFC 7741): strips the payload descriptor; the frame is the concatenation of the
/// packets' VP8 payloads. A frame starts with S=1 and PID=0 (§4.4). The keyframe flag and size
/// come from the frame header (§4.3), read from the gathered bytes when the frame ends, since a
/// packetizer may split even the first ten bytes.
struct VP8Depacketizer {
    func inspect(_ payload: UnsafeRawBufferPointer) -> PayloadLayout? {
        guard let descriptor = VP8PayloadDescriptor(payload), descriptor.length < payload.count else { return nil }
        var layout = PayloadLayout(startsFrame: descriptor.startsFrame, dataOffset: descriptor.length)
        if let pictureID = descriptor.pictureID {
            layout.pictureID = pictureID
            layout.pictureIDModulus = descriptor.pictureIDIs15Bits ? 0x8000 : 0x80
        }
        // A first packet long enough to hold a keyframe header must hold a valid one.
        let data = UnsafeRawBufferPointer(rebasing: payload[descriptor.length ..< payload.count])
        if descriptor.startsFrame, data.count >= 10, VP8FrameHeader(data) == nil { return nil }
        return layout
    }

    func append(_ payload: UnsafeRawBufferPointer, _ layout: PayloadLayout, to frame: inout FrameBuffer) -> Bool {
        frame.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: payload[layout.dataOffset ..< payload.count]))
        return true
    }

    /// Reads the keyframe flag and size from the frame's own header.
    func describe(_ frame: inout FrameBuffer) {
        let header = frame.bytes.withUnsafeBytes { VP8FrameHeader($0) }
        frame.isKeyframe = header?.isKeyframe ?? false
        frame.width = header?.width
        frame.height = header?.height
    }
}
