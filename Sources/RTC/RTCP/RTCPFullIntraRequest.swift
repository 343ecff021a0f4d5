/// Full intra request, PSFB FMT 4 (RFC 5104 §4.3.1): asks each listed media sender for a
/// keyframe, numbered so a repeated request is not mistaken for a new one.
public struct RTCPFullIntraRequest: Sendable, Hashable {
    /// One FCI entry: the media sender asked, and the command sequence number (§4.3.1.1), which
    /// the requester increases by one for each new request to that sender.
    public struct Entry: Sendable, Hashable {
        public var ssrc: UInt32
        public var sequenceNumber: UInt8

        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    public var senderSSRC: UInt32
    /// RFC 5104 §4.3.1.2: unused and set to 0; the entries name the media senders. Kept so
    /// whatever a peer sent round-trips.
    public var mediaSSRC: UInt32
    public var entries: [Entry]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// Each entry is SSRC, sequence number and 3 reserved octets.
    private static let entryLength = 8
    private static let maximumEntries = (RTCPPacketType.maximumPacketLength - 12) / entryLength

    init(parsing body: RTCPPacketBody) throws(RTCPParseError) {
        (senderSSRC, mediaSSRC) = try body.feedbackSSRCs()
        let fci = body.feedbackControlInformation
        guard fci.count % Self.entryLength == 0 else { throw body.truncated }
        entries = stride(from: 0, to: fci.count, by: Self.entryLength).map {
            Entry(ssrc: fci.readUInt32(at: $0), sequenceNumber: fci[$0 + 4])
        }
    }

    public func serialize(into bytes: inout [UInt8]) {
        let start = bytes.beginRTCPPacket(
            count: RTCPPacketType.fullIntraRequestFormat, packetType: RTCPPacketType.payloadSpecificFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(mediaSSRC)
        for entry in entries.prefix(Self.maximumEntries) {
            bytes.appendUInt32(entry.ssrc)
            bytes.append(entry.sequenceNumber)
            bytes.append(contentsOf: [0, 0, 0])
        }
        bytes.finishRTCPPacket(startingAt: start)
    }
}
