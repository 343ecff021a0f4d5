/// VP9 over RTP (RFC 9628) in non-flexible mode without layer indices: every payload starts with
/// a descriptor carrying I=1 and a 15-bit PictureID, P=0 on keyframes, B on the first and E on the
/// last packet. A keyframe's first packet also carries a scalability structure (V=1) with one
/// spatial layer and, when the frame header gives it, its size (§4.2.1).
///
/// Builds each payload in one reusable buffer: no allocation once it has grown to the largest payload.
public struct VP9Packetizer: Sendable {
    /// Descriptor bytes in every payload (flags and PictureID), before any scalability structure.
    public static let descriptorLength = 3
    /// The scalability structure's size with one layer's width and height.
    public static let scalabilityStructureLength = 5

    /// The PictureID the next frame gets (15 bits).
    public private(set) var nextPictureID: UInt16
    private var scratch: [UInt8] = []

    public init(firstPictureID: UInt16 = 0) {
        nextPictureID = firstPictureID & 0x7FFF
    }

    /// Splits `frame` into payloads of at most `maxPayloadSize` bytes, which must leave room for
    /// the descriptor, a scalability structure and one byte. An empty frame yields nothing.
    public mutating func packetize(_ frame: UnsafeRawBufferPointer, isKeyframe: Bool, maxPayloadSize: Int,
                                   into emit: (_ payload: UnsafeRawBufferPointer, _ isLast: Bool) -> Void) {
        precondition(maxPayloadSize > Self.descriptorLength + Self.scalabilityStructureLength,
                     "maxPayloadSize leaves no room for VP9 data")
        guard !frame.isEmpty else { return }
        let pictureID = nextPictureID
        nextPictureID = (nextPictureID &+ 1) & 0x7FFF
        let header = isKeyframe ? VP9UncompressedHeader(frame) : nil
        var offset = 0
        while offset < frame.count {
            let isFirst = offset == 0
            let carriesStructure = isFirst && isKeyframe
            let room = maxPayloadSize - Self.descriptorLength - (carriesStructure ? Self.scalabilityStructureLength : 0)
            let end = min(offset + room, frame.count)
            var flags: UInt8 = 0x80  // I=1
            if !isKeyframe { flags |= 0x40 }  // P
            if isFirst { flags |= 0x08 }  // B
            if end == frame.count { flags |= 0x04 }  // E
            if carriesStructure { flags |= 0x02 }  // V
            scratch.removeAll(keepingCapacity: true)
            scratch.append(flags)
            scratch.append(0x80 | UInt8(pictureID >> 8))  // M=1: 15-bit PictureID
            scratch.append(UInt8(pictureID & 0xFF))
            if carriesStructure { appendScalabilityStructure(width: header?.width, height: header?.height) }
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: frame[offset ..< end]))
            scratch.withUnsafeBytes { emit($0, end == frame.count) }
            offset = end
        }
    }

    /// N_S=0 (one spatial layer), Y=1 with the size when known, G=0.
    private mutating func appendScalabilityStructure(width: Int?, height: Int?) {
        guard let width, let height, width <= 0xFFFF, height <= 0xFFFF else {
            scratch.append(0x00)
            return
        }
        scratch.append(0x10)
        scratch.appendUInt16(UInt16(width))
        scratch.appendUInt16(UInt16(height))
    }
}
