/// One packet in transport-wide congestion control feedback: its transport-wide sequence number
/// (the header extension of draft-holmer-rmcat-transport-wide-cc-extensions-01 §2) and when it
/// arrived, or nil if it has not.
public struct TransportPacketArrival: Sendable, Hashable {
    public var sequenceNumber: UInt16
    /// Microseconds on any monotonic clock; nil for a packet not received.
    public var arrivalMicroseconds: Int64?

    public init(sequenceNumber: UInt16, arrivalMicroseconds: Int64?) {
        self.sequenceNumber = sequenceNumber
        self.arrivalMicroseconds = arrivalMicroseconds
    }
}
