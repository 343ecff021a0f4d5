/// The audio level a sender measured for one RTP packet (RFC 6464), carried in the
/// `urn:ietf:params:rtp-hdrext:ssrc-audio-level` header extension: how loud the packet's audio is,
/// 0 (full scale) to 127 (silence or quieter) decibels below the overload point (-dBov), and
/// whether the sender's voice activity detector heard speech (the V bit).
///
/// Two bytes, read in place from the packet: nothing is allocated for it.
public struct AudioLevel: Sendable, Hashable {
    /// 0…127, in -dBov: 0 is the loudest, 127 silence.
    public let level: UInt8
    /// The sender's voice activity flag; senders that do not run a detector leave it clear.
    public let voiceActivity: Bool

    /// The quietest level: digital silence, or a muted microphone.
    public static let silence: UInt8 = 127

    public init(level: UInt8, voiceActivity: Bool) {
        self.level = min(level, Self.silence)
        self.voiceActivity = voiceActivity
    }

    /// Reads the element's value; nil when it is empty. RFC 6464 §3 defines one byte; a longer
    /// element (some senders pad it) is read by its first.
    public init?(extensionValue value: UnsafeRawBufferPointer) {
        guard let first = value.first else { return nil }
        self.init(level: first & 0x7F, voiceActivity: first & 0x80 != 0)
    }

    /// The level in `packet`'s header extension `id` (the negotiated `a=extmap` id), in either
    /// element form (RFC 8285); nil when the packet carries none or a malformed one.
    public init?(_ packet: RTPPacketView, extensionID id: UInt16) {
        guard let value = packet.headerExtension(id: id) else { return nil }
        self.init(extensionValue: value)
    }

    /// The extension element's value byte.
    public var byte: UInt8 { (voiceActivity ? 0x80 : 0) | level }
}
