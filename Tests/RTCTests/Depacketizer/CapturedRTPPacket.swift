@testable import RTC

/// The RTP header fields the fixture tests need (RFC 3550 §5.1), parsed here rather than with the
/// library's own view so the tests check the library against an independent reading.
struct CapturedRTPPacket {
    var marker: Bool
    var payloadType: UInt8
    var sequenceNumber: UInt16
    var timestamp: UInt32
    var ssrc: UInt32
    var payload: [UInt8]

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 12, bytes[0] >> 6 == 2 else { return nil }
        marker = bytes[1] & 0x80 != 0
        payloadType = bytes[1] & 0x7F
        sequenceNumber = bytes.readUInt16(at: 2)
        timestamp = bytes.readUInt32(at: 4)
        ssrc = bytes.readUInt32(at: 8)
        var start = 12 + 4 * Int(bytes[0] & 0x0F)
        if bytes[0] & 0x10 != 0 {
            guard start + 4 <= bytes.count else { return nil }
            start += 4 + 4 * Int(bytes.readUInt16(at: start + 2))
        }
        var end = bytes.count
        if bytes[0] & 0x20 != 0 { end -= Int(bytes[bytes.count - 1]) }
        guard start <= end else { return nil }
        payload = Array(bytes[start ..< end])
    }
}
