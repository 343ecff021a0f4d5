/// The PictureID field VP8 (RFC 7741 §4.2) and VP9 (RFC 9628 §4.2) payload descriptors share:
/// `|M| PictureID |`, seven bits, or fifteen when M is set and a second byte follows.
struct PictureIDField: Hashable {
    var value: UInt16
    var is15Bits: Bool

    /// The field at `offset`, and the offset after it; nil when the payload ends first.
    static func read(_ payload: UnsafeRawBufferPointer, at offset: Int) -> (field: PictureIDField, end: Int)? {
        guard payload.count > offset else { return nil }
        guard payload[offset] & 0x80 != 0 else {
            return (PictureIDField(value: UInt16(payload[offset]), is15Bits: false), offset + 1)
        }
        guard payload.count > offset + 1 else { return nil }
        let value = UInt16(payload[offset] & 0x7F) << 8 | UInt16(payload[offset + 1])
        return (PictureIDField(value: value, is15Bits: true), offset + 2)
    }
}
