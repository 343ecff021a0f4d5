/// One packet read back from a capture file.
public struct CapturedPacket: Sendable, Hashable {
    /// Nil for a packet Tapedeck does not render: another link type, or an exported PDU for
    /// another dissector (`dissector` says which).
    public var kind: CapturedPacketKind?
    public var dissector: String?
    /// Arrival, in nanoseconds since 1970 (as the file's timestamp resolution allows).
    public var unixNanoseconds: Int64
    public var direction: Pcapng.Direction
    public var comment: String?
    /// The interface (connection) it came on, by its index in the section.
    public var interface: Int
    /// The RTP or RTCP packet or the session description, without the exported-PDU header.
    public var data: [UInt8]
    /// Where its block starts in the file.
    public var offset: Int
}

/// A capture's interface: for Tapedeck's files, the connection to one participant.
public struct CaptureInterface: Sendable, Hashable {
    public var linkType: UInt16
    /// Tapedeck: the participant's id (`if_name`).
    public var name: String?
    /// Tapedeck: the name the participant gave, if any (`if_description`).
    public var description: String?
    /// Nanoseconds per timestamp unit (`if_tsresol`) as a fraction; microseconds unless said.
    var nanosecondsPerUnit = TimestampUnit(numerator: 1_000, denominator: 1)
}

/// A timestamp unit in nanoseconds: numerator / denominator.
struct TimestampUnit: Sendable, Hashable {
    var numerator: Int64
    var denominator: Int64
}

/// Why a capture could not be read on from `offset`: everything before it was read.
public struct PcapngReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Sendable, Hashable {
        /// The file ends inside a block: a capture cut short (a killed recorder) ends like this.
        case truncated
        /// The bytes at `offset` are not a block this reader can make sense of.
        case damaged(String)
        /// Not a pcapng file at all.
        case notPcapng(String)
    }

    public var offset: Int
    public var problem: Problem

    public var description: String {
        switch problem {
        case .truncated: "the capture ends inside a block at byte \(offset) (cut short)"
        case .damaged(let reason): "the capture is damaged at byte \(offset): \(reason)"
        case .notPcapng(let reason): "not a pcapng capture: \(reason)"
        }
    }
}
