/// ICE username fragment and password (RFC 8445 §5.3): what authenticates connectivity checks.
public struct IceCredentials: Sendable, Hashable {
    public var ufrag: String
    public var password: String

    public init(ufrag: String, password: String) {
        self.ufrag = ufrag
        self.password = password
    }

    /// Fresh credentials from the system's CSPRNG: an 8-character ufrag and a 24-character
    /// password (RFC 8839 asks ≥ 4 and ≥ 22), 48 and 144 bits. The
    /// password is what keeps strangers from passing our connectivity checks and injecting
    /// traffic, so it must not come from a seeded, guessable generator.
    public static func random() -> IceCredentials {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> IceCredentials {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        func token(_ length: Int) -> String { String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }) }
        return IceCredentials(ufrag: token(8), password: token(24))
    }
}

public enum IceRole: Sendable, Hashable {
    case controlling, controlled
}

/// Mirrors `RTCIceConnectionState`.
public enum IceConnectionState: String, Sendable, Hashable {
    case new, checking, connected, disconnected, failed, closed
}

/// A TURN server with long-term credentials (RFC 8656), already resolved to an address.
public struct TurnServer: Sendable, Hashable {
    public var address: TransportAddress
    public var username: String
    public var password: String
    public var transport: TurnTransport

    public init(address: TransportAddress, username: String, password: String, transport: TurnTransport = .udp) {
        self.address = address
        self.username = username
        self.password = password
        self.transport = transport
    }
}

public struct IceConfiguration: Sendable {
    /// STUN servers for server-reflexive candidates, resolved.
    public var stunServers: [TransportAddress] = []
    public var turnServers: [TurnServer] = []
    /// Offer and pair only relay candidates (like `iceTransportPolicy: "relay"`).
    public var relayOnly = false
    /// Public addresses to announce as host candidates in place of the interfaces' own.
    public var announcedAddresses: [AnnouncedAddress] = []
    /// Pacing between new connectivity checks (Ta).
    public var checkPacing: Duration = .milliseconds(50)
    /// First retransmission timeout of a check; it doubles up to `maxCheckRTO`.
    public var initialCheckRTO: Duration = .milliseconds(250)
    public var maxCheckRTO: Duration = .milliseconds(1_600)
    public var maxCheckTransmissions = 7
    /// With no valid pair after this long in `checking`, the agent fails.
    public var checkingTimeout: Duration = .seconds(30)
    /// RFC 7675: a consent check every 4–6 s (randomised), consent lost after 30 s unanswered.
    public var consentInterval: ClosedRange<Double> = 4...6
    public var consentTimeout: Duration = .seconds(30)
    /// Nothing heard from the peer for this long → `disconnected` (back to `connected` on traffic).
    public var disconnectedAfter: Duration = .seconds(5)
    /// As controlling agent, nominate once no better pair is pending, or after this long.
    public var nominationDelay: Duration = .milliseconds(500)

    public init() {}
}

/// A datagram the driver must send: from the socket bound to `base`, to `destination`.
public struct IceTransmit: Sendable, Hashable {
    public var base: TransportAddress
    public var destination: TransportAddress
    public var bytes: [UInt8]
    /// `.udp`: a datagram from the base's socket. TCP or TLS: a message for the TURN server at
    /// `destination`, framed onto the driver's stream connection to it for this base (opened on
    /// first use; `DatagramEndpoint.turnConnectionClosed` says when it is gone).
    public var transport: TurnTransport = .udp
}

public enum IceEvent: Sendable, Hashable {
    /// A local candidate to signal to the peer (trickle).
    case localCandidate(Candidate)
    /// No more local candidates: signal end-of-candidates.
    case gatheringComplete
    case stateChanged(IceConnectionState, reason: String?)
    case selectedPair(local: Candidate, remote: Candidate)
    /// A TURN server gave no relay candidate, or the one it gave is gone (its connection
    /// closed, a refresh failed): for logs, with the server and the reason.
    case relayUnavailable(reason: String)
}

/// What the agent made of an inbound datagram.
public enum IceInbound: Sendable, Hashable {
    /// ICE or TURN traffic, handled.
    case consumed
    /// Not ICE: DTLS or SRTP from `from`; the caller demultiplexes the original bytes.
    case application
    /// Application data that arrived through our TURN relay; these are the unwrapped bytes.
    case relayedApplication([UInt8], from: TransportAddress)
    /// Dropped (malformed STUN, failed integrity, unknown sender); the reason is for statistics.
    case dropped(String)
}
