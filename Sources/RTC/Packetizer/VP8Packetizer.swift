/// VP8 over RTP (RFC 7741): splits a frame into payloads, each behind a payload descriptor with
/// X=1, I=1 and a 15-bit PictureID (M=1), S=1 on the first packet, PID=0 (§4.2). The PictureID
/// advances by one per frame so a receiver can tell lost frames (RFC 7741 §4.2, "PictureID").
///
/// Builds each payload in one reusable buffer: no allocation once it has grown to the largest payload.
public struct VP8Packetizer: Sendable {
    /// Descriptor bytes in every payload: the required byte, the extension byte and two PictureID bytes.
    public static let descriptorLength = 4

    /// The PictureID the next frame gets (15 bits).
    public private(set) var nextPictureID: UInt16
    private var scratch: [UInt8] = []

    public init(firstPictureID: UInt16 = 0) {
        nextPictureID = firstPictureID & 0x7FFF
    }

    /// Splits `frame` into payloads of at most `maxPayloadSize` bytes, which must leave room for
    /// the descriptor and one byte. An empty frame yields nothing. `isKeyframe` is not needed on
    /// the wire (the frame header says it) and kept for a uniform signature.
    public mutating func packetize(_ frame: UnsafeRawBufferPointer, isKeyframe: Bool, maxPayloadSize: Int,
                                   into emit: (_ payload: UnsafeRawBufferPointer, _ isLast: Bool) -> Void) {
        precondition(maxPayloadSize > Self.descriptorLength, "maxPayloadSize leaves no room for VP8 data")
        guard !frame.isEmpty else { return }
        let pictureID = nextPictureID
        nextPictureID = (nextPictureID &+ 1) & 0x7FFF
        let chunk = maxPayloadSize - Self.descriptorLength
        var offset = 0
        while offset < frame.count {
            let end = min(offset + chunk, frame.count)
            scratch.removeAll(keepingCapacity: true)
            scratch.append(offset == 0 ? 0x90 : 0x80)  // X=1, S on the first packet, PID=0
            scratch.append(0x80)  // I=1
            scratch.append(0x80 | UInt8(pictureID >> 8))  // M=1: 15-bit PictureID
            scratch.append(UInt8(pictureID & 0xFF))
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: frame[offset ..< end]))
            scratch.withUnsafeBytes { emit($0, end == frame.count) }
            offset = end
        }
    }
}
