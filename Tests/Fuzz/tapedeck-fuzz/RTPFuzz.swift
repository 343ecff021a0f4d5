import RTC

/// An RTP packet as SRTP hands it over, decrypted (RFC 3550 §5.1, extensions RFC 8285): the
/// header read in place, then every header extension id looked up, both element forms, and read
/// as an RFC 6464 audio level.
enum RTPFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let bytes = UnsafeRawBufferPointer(input)
        guard let packet = RTPPacketView(bytes) else { return }
        fuzzCheck(packet.payloadOffset >= 12 && packet.payloadLength >= 0
                  && packet.payloadOffset + packet.payloadLength <= bytes.count,
                  "payload \(packet.payloadOffset)+\(packet.payloadLength) outside \(bytes.count) bytes")
        _ = packet.payload.reduce(0 as UInt8, &+)
        for id in UInt16(0)...256 {
            guard let value = packet.headerExtension(id: id) else { continue }
            fuzzCheck(value.count <= bytes.count, "extension \(id) longer than the packet")
            _ = value.reduce(0 as UInt8, &+)
            let level = AudioLevel(packet, extensionID: id)
            fuzzCheck((level == nil) == value.isEmpty, "extension \(id) of \(value.count) bytes read as level \(String(describing: level))")
            if let level { fuzzCheck(level.level <= AudioLevel.silence && level.byte == value[0], "level \(level) from \(value[0])") }
        }
    }
}
