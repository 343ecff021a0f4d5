import RTC

/// A compound RTCP packet (RFC 3550 §6, feedback RFC 4585/5104, REMB, transport-wide CC): whatever
/// parses must serialize to bytes that parse to the same packets, or feedback we forward and the
/// reports we read would drift from what the sender meant.
enum RTCPFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let packets = try? RTCPCompound.parse(UnsafeRawBufferPointer(input)) else { return }
        let written = RTCPCompound.serialize(packets)
        fuzzCheck(written.count % 4 == 0, "serialized compound of \(written.count) bytes is not whole words")
        let reparsed = try? RTCPCompound.parse(written)
        fuzzCheck(reparsed == packets, "re-parse differs: \(packets) then \(String(describing: reparsed))")
    }
}
