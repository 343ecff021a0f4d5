extension SDP {
    /// What a local description says about our transport: the ICE credentials the ICE agent checks
    /// incoming STUN against, and the fingerprint of the DTLS certificate it will present.
    public struct TransportParameters: Sendable, Hashable {
        public var iceUfrag: String
        public var icePwd: String
        public var fingerprint: DTLSFingerprint

        public init(iceUfrag: String, icePwd: String, fingerprint: DTLSFingerprint) {
            self.iceUfrag = iceUfrag
            self.icePwd = icePwd
            self.fingerprint = fingerprint
        }
    }
}
