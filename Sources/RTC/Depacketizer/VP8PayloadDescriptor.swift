/// The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 §4.2):
///
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID | (REQUIRED)
///      +-+-+-+-+-+-+-+-+
///   X: |I|L|T|K| RSV   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
///   I: |M| PictureID   | (OPTIONAL, 7 bits, or 15 bits when M=1)
///      +-+-+-+-+-+-+-+-+
///   L: |   TL0PICIDX   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
///  T/K:|TID|Y| KEYIDX  | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
struct VP8PayloadDescriptor: Hashable {
    /// Bytes the descriptor takes; the VP8 payload follows.
    var length: Int
    /// N: the frame can be discarded without affecting any other frame.
    var isNonReference: Bool
    /// S: the first packet of a VP8 partition.
    var isStartOfPartition: Bool
    var partitionIndex: UInt8
    var pictureID: UInt16?
    var pictureIDIs15Bits = false
    var tl0PictureIndex: UInt8?
    var temporalLayer: UInt8?
    var isLayerSync = false
    var keyIndex: UInt8?

    /// The first packet of a frame: S=1 and PID=0 (RFC 7741 §4.4).
    var startsFrame: Bool { isStartOfPartition && partitionIndex == 0 }

    init?(_ payload: UnsafeRawBufferPointer) {
        guard payload.count >= 1 else { return nil }
        let first = payload[0]
        isNonReference = first & 0x20 != 0
        isStartOfPartition = first & 0x10 != 0
        partitionIndex = first & 0x07
        var offset = 1
        guard first & 0x80 != 0 else {
            length = offset
            return
        }
        guard payload.count > offset else { return nil }
        let extensions = payload[offset]
        offset += 1
        if extensions & 0x80 != 0 {
            guard let (field, end) = PictureIDField.read(payload, at: offset) else { return nil }
            pictureID = field.value
            pictureIDIs15Bits = field.is15Bits
            offset = end
        }
        if extensions & 0x40 != 0 {
            guard payload.count > offset else { return nil }
            tl0PictureIndex = payload[offset]
            offset += 1
        }
        // T and K share one byte; each field is meaningful only when its own bit is set.
        if extensions & 0x30 != 0 {
            guard payload.count > offset else { return nil }
            let byte = payload[offset]
            if extensions & 0x20 != 0 {
                temporalLayer = byte >> 6
                isLayerSync = byte & 0x20 != 0
            }
            if extensions & 0x10 != 0 { keyIndex = byte & 0x1F }
            offset += 1
        }
        length = offset
    }
}
