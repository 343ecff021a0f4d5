/// The scalability structure (SS) a VP9 payload descriptor carries when V=1 (RFC 9628 §4.2.1),
/// usually on keyframes:
///
///      V:   | N_S |Y|G|-|-|-|
///      Y:   |     WIDTH     |  16 bits  \  N_S + 1 times
///           |     HEIGHT    |  16 bits  /
///      G:   |      N_G      |
///    N_G:   | TID |U| R |-|-|             \  N_G times
///           |    P_DIFF     |  R times    /
///
/// Only the base spatial layer's size is kept: it is the layer the recorder assembles.
struct VP9ScalabilityStructure: Hashable {
    /// Bytes the structure takes.
    var length: Int
    var spatialLayerCount: Int
    /// Size of spatial layer 0, when Y=1.
    var baseLayerWidth: Int?
    var baseLayerHeight: Int?
    /// Pictures in the group of pictures described, when G=1.
    var pictureGroupSize: Int?

    init?(_ payload: UnsafeRawBufferPointer, at start: Int) {
        var offset = start
        guard payload.count > offset else { return nil }
        let header = payload[offset]
        offset += 1
        spatialLayerCount = Int(header >> 5) + 1
        if header & 0x10 != 0 {
            guard payload.count >= offset + 4 * spatialLayerCount else { return nil }
            baseLayerWidth = Int(payload.readUInt16(at: offset))
            baseLayerHeight = Int(payload.readUInt16(at: offset + 2))
            offset += 4 * spatialLayerCount
        }
        if header & 0x08 != 0 {
            guard payload.count > offset else { return nil }
            let pictures = Int(payload[offset])
            offset += 1
            for _ in 0..<pictures {
                guard payload.count > offset else { return nil }
                let references = Int(payload[offset] >> 2 & 0x03)
                offset += 1 + references
                guard payload.count >= offset else { return nil }
            }
            pictureGroupSize = pictures
        }
        length = offset - start
    }
}
