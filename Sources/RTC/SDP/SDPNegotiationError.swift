extension SDP {
    /// Why a remote description cannot be used for an accepted media section. Sections the
    /// recorder merely does not want (data channels, unknown codecs) are rejected in the answer
    /// instead, never reported here.
    public enum NegotiationError: Error, Hashable, Sendable, CustomStringConvertible {
        /// No `a=ice-ufrag`/`a=ice-pwd` in the section or at session level.
        case missingICECredentials(mid: String?)
        /// No usable `a=fingerprint`: none at all, or only ones with a hash function other than
        /// sha-1…sha-512 or a malformed digest (the parser skips those). Without one the DTLS peer
        /// cannot be authenticated.
        case missingFingerprint(mid: String?)
        /// A setup role that leaves no DTLS role for us (`holdconn`, or `actpass` in an answer).
        case unusableSetupRole(mid: String?, role: SetupRole)
        /// The answer has a media section the offer did not (matched by mid, else by position).
        case unexpectedMediaSection(mid: String?)

        public var description: String {
            switch self {
            case .missingICECredentials(let mid):
                return "media section \(Self.name(mid)) has no ICE username fragment and password"
            case .missingFingerprint(let mid):
                let supported = DTLSFingerprint.Algorithm.allCases.map(\.rawValue).joined(separator: ", ")
                return "media section \(Self.name(mid)) offers no usable DTLS fingerprint: it needs an a=fingerprint"
                    + " with one of the hash functions \(supported) and a digest of that function's length"
            case .unusableSetupRole(let mid, let role):
                return "media section \(Self.name(mid)) has a=setup:\(role), which leaves no DTLS role for us"
            case .unexpectedMediaSection(let mid):
                return "the answer's media section \(Self.name(mid)) was not offered"
            }
        }

        private static func name(_ mid: String?) -> String { mid.map { "mid \"\($0)\"" } ?? "without a mid" }
    }
}
