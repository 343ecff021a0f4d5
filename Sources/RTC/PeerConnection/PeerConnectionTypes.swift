public struct PeerConnectionConfiguration: Sendable {
    public var ice = IceConfiguration()
    public var codecs = SDP.CodecPreferences()
    public var certificate: DTLSCertificate

    public init(certificate: DTLSCertificate) {
        self.certificate = certificate
    }
}

/// What a peer connection tells its owner (signaling and reporting, never per packet).
public enum PeerConnectionEvent: Sendable, Hashable {
    /// Trickle this candidate to the peer (`candidate:…`, mid and m-line index of the transport).
    case localCandidate(Candidate)
    case endOfCandidates
    case iceStateChanged(IceConnectionState, reason: String?)
    /// ICE and DTLS are up: SRTP keys are in place and media can be decrypted.
    case connected
    /// The connection cannot work, with the reason for logs and reports.
    case failed(reason: String)
}

/// Why a remote description or candidate was refused.
public struct PeerConnectionError: Error, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Receive statistics of one RTP stream (SSRC).
public struct InboundStreamStats: Sendable, Hashable {
    public var ssrc: UInt32
    public var mid: String?
    public var kind: String
    public var codec: String
    public var payloadType: UInt8
    public var packets = 0
    public var bytes = 0
}

/// What `tapedeck join` reports for one participant.
public struct PeerConnectionStats: Sendable, Hashable {
    public var iceState: IceConnectionState
    public var dtlsConnected: Bool
    public var srtpProfile: String?
    public var selectedPair: String?
    public var streams: [InboundStreamStats]
    public var rtcpPackets: Int
    public var authenticationFailures: Int
    public var replays: Int
    public var duplicates: Int
    public var droppedStun: Int
}
