/// What one synthetic participant sent on one stream of one connection.
public struct PublishedStreamReport: Sendable, Hashable, Codable {
    public var kind: String
    public var ssrc: UInt32
    public var rtxSSRC: UInt32?
    public var payloadType: UInt8
    public var packetsSent: Int
    /// Frames (audio packets, video pictures) sent: what a recording of the stream should hold.
    public var framesSent: Int
    /// Payload bytes (no RTP headers), retransmissions excluded.
    public var bytesSent: Int
    public var nacksReceived: Int
    public var retransmissionsSent: Int
    /// NACKed packets already gone from the history.
    public var retransmissionsMissed: Int
    /// PLIs and FIRs naming this stream.
    public var keyframeRequestsReceived: Int
    public var senderReportsSent: Int
    public var receiverReportsReceived: Int
    /// From the receiver's latest report: the fraction lost since its previous one, 0…1.
    public var fractionLost: Double?
}

/// One synthetic participant's connection to one receiver.
public struct PublishedConnectionReport: Sendable, Hashable, Codable {
    /// The receiver's id on the signaling server.
    public var peer: String
    public var connected: Bool
    public var iceState: String
    public var selectedPair: String?
    /// Our candidates, gathered and signalled, and the receiver's (signalled or peer-reflexive).
    public var localCandidates: [String]
    public var remoteCandidates: [String]
    public var srtpProfile: String?
    public var failure: String?
    public var streams: [PublishedStreamReport]
}

/// What one synthetic participant sent, summed over its connections, and each connection.
public struct SyntheticParticipantReport: Sendable, Hashable, Codable {
    /// 1…count, in the order the participants joined.
    public var index: Int
    /// Its id on the signaling server (nil if it never joined).
    public var participant: String?
    public var connections: [PublishedConnectionReport]
    public var packetsSent: Int
    public var bytesSent: Int
    public var nacksReceived: Int
    public var keyframeRequestsReceived: Int
    public var retransmissionsSent: Int

    init(index: Int, participant: String?, connections: [PublishedConnectionReport]) {
        self.index = index
        self.participant = participant
        self.connections = connections
        let streams = connections.flatMap(\.streams)
        packetsSent = streams.reduce(0) { $0 + $1.packetsSent }
        bytesSent = streams.reduce(0) { $0 + $1.bytesSent }
        nacksReceived = streams.reduce(0) { $0 + $1.nacksReceived }
        keyframeRequestsReceived = streams.reduce(0) { $0 + $1.keyframeRequestsReceived }
        retransmissionsSent = streams.reduce(0) { $0 + $1.retransmissionsSent }
    }
}
