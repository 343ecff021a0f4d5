/// A certificate fingerprint as SDP's `a=fingerprint` carries it (RFC 8122 §5): a hash function and
/// the digest of the DER certificate. The one type for both sides: our description advertises our
/// certificate's, and the remote description's are what the DTLS handshake checks the peer against.
/// The text form is in `DTLSFingerprint+SDP.swift`.
public struct DTLSFingerprint: Sendable, Hashable {
    /// The hash functions of RFC 8122's registry that WebRTC peers use. (md2 and md5 are refused.)
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case sha1 = "sha-1"
        case sha224 = "sha-224"
        case sha256 = "sha-256"
        case sha384 = "sha-384"
        case sha512 = "sha-512"

        public var digestLength: Int {
            switch self {
            case .sha1: 20
            case .sha224: 28
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }
    }

    public var algorithm: Algorithm
    /// Exactly `algorithm.digestLength` bytes.
    public var digest: [UInt8]

    public init(algorithm: Algorithm, digest: [UInt8]) {
        precondition(digest.count == algorithm.digestLength,
                     "a \(algorithm.rawValue) digest has \(algorithm.digestLength) bytes")
        self.algorithm = algorithm
        self.digest = digest
    }
}
