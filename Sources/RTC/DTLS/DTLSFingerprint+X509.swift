internal import COpenSSL

extension DTLSFingerprint {
    /// The fingerprint of an OpenSSL certificate: the digest of its DER encoding.
    init(certificate: OpaquePointer, algorithm: Algorithm) {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = X509_digest(certificate, algorithm.openSSLDigest, &digest, &length)
        precondition(result == 1 && Int(length) == algorithm.digestLength, "OpenSSL X509_digest failed")
        self.init(algorithm: algorithm, digest: Array(digest.prefix(Int(length))))
    }
}

extension DTLSFingerprint.Algorithm {
    fileprivate var openSSLDigest: OpaquePointer {
        let digest: OpaquePointer? = switch self {
        case .sha1: EVP_sha1()
        case .sha224: EVP_sha224()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
        guard let digest else { preconditionFailure("OpenSSL lacks \(rawValue)") }
        return digest
    }
}
