/// Receiver estimated maximum bitrate, PSFB FMT 15 with the "REMB" identifier
/// (draft-alvestrand-rmcat-remb-03 §2.2): the total bitrate the receiver estimates the listed
/// streams can use.
public struct RTCPReceiverEstimatedMaximumBitrate: Sendable, Hashable {
    public var senderSSRC: UInt32
    /// The draft says 0: the SSRC list names the streams.
    public var mediaSSRC: UInt32
    /// The 6-bit exponent of the bitrate; only its low 6 bits are written.
    public var bitrateExponent: UInt8
    /// The 18-bit mantissa of the bitrate; only its low 18 bits are written.
    public var bitrateMantissa: UInt32
    /// At most 255 are written (the count is one octet).
    public var ssrcs: [UInt32]

    /// Encodes `bitrate` (bits per second) as the largest representable value not above it.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, bitrate: UInt64, ssrcs: [UInt32]) {
        let (exponent, mantissa) = Self.encode(bitrate: bitrate)
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, bitrateExponent: exponent,
                  bitrateMantissa: mantissa, ssrcs: ssrcs)
    }

    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, bitrateExponent: UInt8, bitrateMantissa: UInt32, ssrcs: [UInt32]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.bitrateExponent = bitrateExponent
        self.bitrateMantissa = bitrateMantissa
        self.ssrcs = ssrcs
    }

    /// mantissa × 2^exponent bits per second, saturating at `UInt64.max` (a 6-bit exponent
    /// reaches 2^81).
    public var bitrate: UInt64 {
        let mantissa = UInt64(bitrateMantissa & Self.mantissaMask)
        let exponent = UInt64(bitrateExponent & 0x3F)
        guard mantissa != 0 else { return 0 }
        guard exponent < 64, mantissa <= UInt64.max >> exponent else { return .max }
        return mantissa << exponent
    }

    /// The smallest exponent whose mantissa fits 18 bits; the mantissa is rounded down, so the
    /// encoded value is the largest representable one not above `bitrate`.
    public static func encode(bitrate: UInt64) -> (exponent: UInt8, mantissa: UInt32) {
        var exponent: UInt8 = 0
        var mantissa = bitrate
        while mantissa > UInt64(mantissaMask) {
            mantissa >>= 1
            exponent += 1
        }
        return (exponent, UInt32(mantissa))
    }

    private static let mantissaMask: UInt32 = 0x3_FFFF
    /// "REMB" in ASCII.
    private static let identifier: UInt32 = 0x5245_4D42

    /// nil when the FCI does not start with "REMB": some other application's feedback, which
    /// the caller keeps as unknown whatever its length.
    init?(parsingIfREMB body: RTCPPacketBody) throws(RTCPParseError) {
        guard body.bytes.count >= 12 else { return nil }
        let (sender, media) = try body.feedbackSSRCs()
        let fci = body.feedbackControlInformation
        guard fci.readUInt32(at: 0) == Self.identifier else { return nil }
        guard fci.count >= 8 else { throw .truncatedREMB(offset: body.offset) }
        let ssrcCount = Int(fci[4])
        guard 8 + ssrcCount * 4 <= fci.count else { throw .truncatedREMB(offset: body.offset) }
        let bitrateField = fci.readUInt32(at: 4) & 0xFF_FFFF
        self.init(senderSSRC: sender, mediaSSRC: media, bitrateExponent: UInt8(bitrateField >> 18),
                  bitrateMantissa: bitrateField & Self.mantissaMask,
                  ssrcs: (0..<ssrcCount).map { fci.readUInt32(at: 8 + $0 * 4) })
    }

    public func serialize(into bytes: inout [UInt8]) {
        let start = bytes.beginRTCPPacket(
            count: RTCPPacketType.applicationLayerFeedbackFormat, packetType: RTCPPacketType.payloadSpecificFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(mediaSSRC)
        bytes.appendUInt32(Self.identifier)
        let written = ssrcs.prefix(255)
        bytes.appendUInt32(UInt32(written.count) << 24 | UInt32(bitrateExponent & 0x3F) << 18
            | bitrateMantissa & Self.mantissaMask)
        for ssrc in written { bytes.appendUInt32(ssrc) }
        bytes.finishRTCPPacket(startingAt: start)
    }
}
