/// Generic NACK, RTPFB FMT 1 (RFC 4585 §6.2.1): the media sender should retransmit these packets.
public struct RTCPGenericNACK: Sendable, Hashable {
    public var senderSSRC: UInt32
    public var mediaSSRC: UInt32
    /// The lost packets' sequence numbers, in the order the pairs list them. On the wire each
    /// PID/BLP pair names PID and, per set bit i of BLP, PID + i + 1 (mod 2^16).
    public var lostSequenceNumbers: [UInt16]

    public init(senderSSRC: UInt32, mediaSSRC: UInt32, lostSequenceNumbers: [UInt16]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.lostSequenceNumbers = lostSequenceNumbers
    }

    /// The most pairs one packet's 16-bit length field allows after the header and SSRCs.
    private static let maximumPairs = (RTCPPacketType.maximumPacketLength - 12) / 4

    init(parsing body: RTCPPacketBody) throws(RTCPParseError) {
        (senderSSRC, mediaSSRC) = try body.feedbackSSRCs()
        let fci = body.feedbackControlInformation
        guard fci.count % 4 == 0 else { throw body.truncated }
        lostSequenceNumbers = []
        for pairOffset in stride(from: 0, to: fci.count, by: 4) {
            let packetID = fci.readUInt16(at: pairOffset)
            let bitmask = fci.readUInt16(at: pairOffset + 2)
            lostSequenceNumbers.append(packetID)
            for bit in 0..<16 where bitmask & (1 << bit) != 0 {
                lostSequenceNumbers.append(packetID &+ UInt16(bit + 1))
            }
        }
    }

    /// The PID/BLP pairs for `lostSequenceNumbers`. A number joins the current pair when it lies
    /// 1...16 past the PID and after the pair's last set bit, so expanding the pairs gives back
    /// exactly the list, order and wrap (65535 → 0) included; otherwise it starts a new pair.
    public var pairs: [(packetID: UInt16, bitmask: UInt16)] {
        var pairs: [(packetID: UInt16, bitmask: UInt16)] = []
        var highestBit = -1
        for sequenceNumber in lostSequenceNumbers {
            if let last = pairs.last {
                let distance = Int(sequenceNumber &- last.packetID)
                if distance >= 1, distance <= 16, distance - 1 > highestBit {
                    pairs[pairs.count - 1].bitmask |= 1 << (distance - 1)
                    highestBit = distance - 1
                    continue
                }
            }
            pairs.append((sequenceNumber, 0))
            highestBit = -1
        }
        return pairs
    }

    public func serialize(into bytes: inout [UInt8]) {
        let start = bytes.beginRTCPPacket(
            count: RTCPPacketType.genericNACKFormat, packetType: RTCPPacketType.transportLayerFeedback)
        bytes.appendUInt32(senderSSRC)
        bytes.appendUInt32(mediaSSRC)
        for pair in pairs.prefix(Self.maximumPairs) {
            bytes.appendUInt16(pair.packetID)
            bytes.appendUInt16(pair.bitmask)
        }
        bytes.finishRTCPPacket(startingAt: start)
    }
}
