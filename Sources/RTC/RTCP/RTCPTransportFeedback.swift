/// Transport-wide congestion control feedback, RTPFB FMT 15
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): for a range of transport-wide
/// sequence numbers, which packets arrived and when, so the sender can estimate bandwidth.
///
/// The packets are kept as one status per sequence number from the base; the wire's packet
/// chunks are an encoding of that list, chosen when writing (see `TransportFeedbackChunkWriter`).
public struct RTCPTransportFeedback: Sendable, Hashable {
    /// What the feedback says about one packet (§3.1.1). Deltas are in 250 µs ticks from the
    /// previous received packet's time, or from the reference time for the first.
    public enum PacketStatus: Sendable, Hashable {
        case notReceived
        /// Received 0 ..< 64 ms after the previous one: a one-octet delta.
        case receivedSmallDelta(UInt8)
        /// Received with a delta that is negative or too large for one octet: two octets, signed.
        case receivedLargeOrNegativeDelta(Int16)

        /// The two-bit symbol of §3.1.1: 0 not received, 1 small delta, 2 large or negative delta.
        var symbol: UInt8 {
            switch self {
            case .notReceived: 0
            case .receivedSmallDelta: 1
            case .receivedLargeOrNegativeDelta: 2
            }
        }

        /// Octets of this packet's receive delta (§3.1.5).
        var deltaLength: Int {
            switch self {
            case .notReceived: 0
            case .receivedSmallDelta: 1
            case .receivedLargeOrNegativeDelta: 2
            }
        }
    }

    /// One receive delta tick (§3.1.5).
    public static let deltaTickMicroseconds: Int64 = 250
    /// One unit of the reference time (§3.1).
    public static let referenceTimeUnitMicroseconds: Int64 = 64_000
    /// The packet status count field has 16 bits.
    public static let maximumPacketStatusCount = 65_535

    public var senderSSRC: UInt32
    /// The draft leaves this to the sender (libwebrtc names one of its media streams); the
    /// feedback covers every stream on the transport either way.
    public var mediaSSRC: UInt32
    /// The transport-wide sequence number of the first packet reported.
    public var baseSequenceNumber: UInt16
    /// The arrival time base, in 64 ms units: a signed 24-bit field, so −2^23 ..< 2^23; only the
    /// low 24 bits are written.
    public var referenceTime: Int32
    /// Counts the feedback packets sent, wrapping, so the sender can detect lost feedback.
    public var feedbackPacketCount: UInt8
    /// One status per sequence number from the base on; at most 65535 are written.
    public var packetStatuses: [PacketStatus]

    public init(
        senderSSRC: UInt32, mediaSSRC: UInt32, baseSequenceNumber: UInt16, referenceTime: Int32,
        feedbackPacketCount: UInt8, packetStatuses: [PacketStatus]
    ) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.baseSequenceNumber = baseSequenceNumber
        self.referenceTime = referenceTime
        self.feedbackPacketCount = feedbackPacketCount
        self.packetStatuses = packetStatuses
    }

    /// Each reported sequence number with its arrival time in microseconds (nil when not
    /// received), on the timeline of the reference time: `referenceTime` × 64 ms plus the running
    /// sum of the deltas. That timeline wraps every 2^24 × 64 ms (about 12.4 days) on the wire,
    /// so a sender compares these times with each other, not with its own clock.
    public func packetArrivals() -> [TransportPacketArrival] {
        var time = Int64(referenceTime) * Self.referenceTimeUnitMicroseconds
        var sequenceNumber = baseSequenceNumber
        var arrivals: [TransportPacketArrival] = []
        arrivals.reserveCapacity(packetStatuses.count)
        for status in packetStatuses {
            switch status {
            case .notReceived:
                arrivals.append(TransportPacketArrival(sequenceNumber: sequenceNumber, arrivalMicroseconds: nil))
            case .receivedSmallDelta(let ticks):
                time += Int64(ticks) * Self.deltaTickMicroseconds
                arrivals.append(TransportPacketArrival(sequenceNumber: sequenceNumber, arrivalMicroseconds: time))
            case .receivedLargeOrNegativeDelta(let ticks):
                time += Int64(ticks) * Self.deltaTickMicroseconds
                arrivals.append(TransportPacketArrival(sequenceNumber: sequenceNumber, arrivalMicroseconds: time))
            }
            sequenceNumber &+= 1
        }
        return arrivals
    }
}
