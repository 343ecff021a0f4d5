/// The VP9 payload descriptor at the start of every VP9 RTP payload (RFC 9628 §4.2):
///
///            0 1 2 3 4 5 6 7
///           +-+-+-+-+-+-+-+-+
///           |I|P|L|F|B|E|V|Z|
///           +-+-+-+-+-+-+-+-+
///      I:   |M| PICTURE ID  |    7 bits, or 15 with the next byte when M=1
///      M:   | EXTENDED PID  |
///      L:   | TID |U| SID |D|    layer indices
///  L, F=0:  |   TL0PICIDX   |    non-flexible mode only
///   P, F=1: | P_DIFF      |N|    flexible mode: up to 3 reference indices, N=1 means another follows
///      V:   | SS ...        |    scalability structure (§4.2.1)
struct VP9PayloadDescriptor: Hashable {
    /// Bytes the descriptor takes; the VP9 frame data follows.
    var length: Int
    /// P: the frame references earlier frames of its layer (inter-picture predicted).
    var isInterPicturePredicted: Bool
    /// F: flexible mode, references carried as P_DIFF in each packet.
    var isFlexibleMode: Bool
    /// B and E: first and last packet of a layer frame.
    var beginsFrame: Bool
    var endsFrame: Bool
    /// Z: not used as a reference by upper spatial layers.
    var isNotReferenceForUpperLayers: Bool
    var pictureID: UInt16?
    var pictureIDIs15Bits = false
    var temporalLayer: UInt8?
    /// U: switching up to a higher temporal layer is possible here.
    var isSwitchingUpPoint = false
    var spatialLayer: UInt8?
    /// D: depends on the spatial layer below in the same picture.
    var isInterLayerDependent = false
    var tl0PictureIndex: UInt8?
    /// Flexible mode: the P_DIFF values, first `referenceCount` of them.
    var referenceDiffs = SIMD3<UInt8>()
    var referenceCount = 0
    var scalabilityStructure: VP9ScalabilityStructure?

    init?(_ payload: UnsafeRawBufferPointer) {
        guard payload.count >= 1 else { return nil }
        let flags = payload[0]
        isInterPicturePredicted = flags & 0x40 != 0
        isFlexibleMode = flags & 0x10 != 0
        beginsFrame = flags & 0x08 != 0
        endsFrame = flags & 0x04 != 0
        isNotReferenceForUpperLayers = flags & 0x01 != 0
        var offset = 1
        if flags & 0x80 != 0 {
            guard let (field, end) = PictureIDField.read(payload, at: offset) else { return nil }
            pictureID = field.value
            pictureIDIs15Bits = field.is15Bits
            offset = end
        }
        if flags & 0x20 != 0 {
            guard payload.count > offset else { return nil }
            let layers = payload[offset]
            temporalLayer = layers >> 5
            isSwitchingUpPoint = layers & 0x10 != 0
            spatialLayer = layers >> 1 & 0x07
            isInterLayerDependent = layers & 0x01 != 0
            offset += 1
            if !isFlexibleMode {
                guard payload.count > offset else { return nil }
                tl0PictureIndex = payload[offset]
                offset += 1
            }
        }
        if isFlexibleMode, isInterPicturePredicted {
            // At least one reference, at most three (§4.2: "up to 3 times").
            var more = true
            while more {
                guard referenceCount < 3, payload.count > offset else { return nil }
                referenceDiffs[referenceCount] = payload[offset] >> 1
                more = payload[offset] & 0x01 != 0
                referenceCount += 1
                offset += 1
            }
        }
        if flags & 0x02 != 0 {
            guard let structure = VP9ScalabilityStructure(payload, at: offset) else { return nil }
            scalabilityStructure = structure
            offset += structure.length
        }
        length = offset
    }
}
