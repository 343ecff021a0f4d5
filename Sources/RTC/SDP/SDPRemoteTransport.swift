extension SDP {
    /// The remote side's transport for a media section, with session-level values applied: what
    /// the ICE agent and the DTLS handshake need from the remote description.
    public struct RemoteTransport: Sendable, Hashable {
        public var iceUfrag: String
        public var icePwd: String
        /// The certificate hashes the remote's DTLS certificate must match (any one of them); never
        /// empty when negotiation made it.
        public var fingerprints: [DTLSFingerprint]
        public var candidates: [Candidate]
        public var endOfCandidates: Bool
        public var iceLite: Bool

        public init(
            iceUfrag: String, icePwd: String, fingerprints: [DTLSFingerprint],
            candidates: [Candidate] = [], endOfCandidates: Bool = false, iceLite: Bool = false
        ) {
            self.iceUfrag = iceUfrag
            self.icePwd = icePwd
            self.fingerprints = fingerprints
            self.candidates = candidates
            self.endOfCandidates = endOfCandidates
            self.iceLite = iceLite
        }
    }
}
