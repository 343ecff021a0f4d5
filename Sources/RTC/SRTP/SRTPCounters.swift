/// What an `SRTPSession` has seen, for stats and for telling loss from attack or misconfiguration.
public struct SRTPCounters: Sendable, Hashable {
    public var decryptedRTPPackets = 0
    /// Plaintext bytes, headers included.
    public var decryptedRTPBytes = 0
    public var decryptedRTCPPackets = 0
    public var decryptedRTCPBytes = 0
    public var authenticationFailures = 0
    public var replays = 0
    public var duplicates = 0
    public var malformed = 0
    public var otherFailures = 0
    public var protectedRTPPackets = 0
    public var protectedRTCPPackets = 0

    public init() {}
}
