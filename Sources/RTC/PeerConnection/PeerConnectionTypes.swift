public struct PeerConnectionConfiguration: Sendable {
    public var ice = IceConfiguration()
    public var codecs = SDP.CodecPreferences()
    public var certificate: DTLSCertificate
    public var receiver = ReceiverTuning()
    /// Answer offers as a sender (the synthetic publisher) rather than as the recorder.
    public var sendsMedia = false
    /// Ties the monotonic clock the owner feeds in to wall-clock time, for the NTP timestamps of
    /// the sender reports we write. Without it, outbound streams send no SR.
    public var wallClock: WallClockReference?

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
    /// The remote asked for a keyframe (PLI or FIR) on one of our outbound streams.
    case keyframeRequested(ssrc: UInt32)
    /// The connection cannot work, with the reason for logs and reports.
    case failed(reason: String)
    /// The peer closed the connection (DTLS close_notify): it hung up, and sends nothing more.
    case closedByPeer
    /// A TURN server gave no relay candidate, or the one it gave is gone: for logs, naming the
    /// server and why (the connection itself may well work without it).
    case relayUnavailable(reason: String)
}

/// Why a remote description or candidate was refused.
public struct PeerConnectionError: Error, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// What `tapedeck join` reports for one participant.
public struct PeerConnectionStats: Sendable, Hashable {
    public var iceState: IceConnectionState
    public var dtlsConnected: Bool
    public var srtpProfile: String?
    public var selectedPair: String?
    /// The candidates we gathered and signalled (`Candidate.description`).
    public var localCandidates: [String]
    /// The peer's candidates in use: signalled ones (mDNS names once resolved, with the name)
    /// and peer-reflexive ones learned from its checks.
    public var remoteCandidates: [String]
    /// `IceAgent.candidatePairSummaries`.
    public var candidatePairs: [String]
    public var streams: [InboundStreamStats]
    public var rtcpPackets: Int
    public var malformedRTPPackets: Int
    /// Packets no negotiated stream could take (unknown payload type or SSRC).
    public var unroutableRTPPackets: Int
    public var malformedRTCPPackets: Int
    public var authenticationFailures: Int
    public var replays: Int
    public var duplicates: Int
    public var droppedStun: Int
    /// DTLS, SRTP and SRTCP datagrams dropped because they came from an address (on that socket,
    /// or through that TURN relay) that had not passed ICE checks: strangers who learned the port.
    public var uncheckedSourceDrops = 0
    /// TURN responses ignored because their MESSAGE-INTEGRITY was missing or wrong (forged).
    public var unauthenticatedTurnResponses = 0
    /// Limits on what one peer may make the receiver hold, and how often each was reached
    /// (only those reached): `ssrcs` (new SSRCs turned away), `candidates` (ICE candidates turned
    /// away, see `IceCandidateLimits`), `tracks` (audio and video sections of one offer past
    /// `SDP.AnswerBuilder.maxAcceptedSections`, answered as rejected). Frames cut at their size
    /// limit are counted per stream (`InboundStreamStats.oversizedFrames`).
    public var limitsReached: [String: Int] = [:]
}

/// A monotonic instant and the wall-clock time (Unix seconds) it corresponds to; the sans-IO
/// core never reads a clock itself.
public struct WallClockReference: Sendable, Hashable {
    public var instant: ContinuousClock.Instant
    public var unixSeconds: Double

    public init(instant: ContinuousClock.Instant, unixSeconds: Double) {
        self.instant = instant
        self.unixSeconds = unixSeconds
    }

    public func unixSeconds(at now: ContinuousClock.Instant) -> Double {
        unixSeconds + (now - instant).seconds
    }
}
