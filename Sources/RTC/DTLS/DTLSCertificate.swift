internal import COpenSSL

/// A key pair and a self-signed X.509 certificate for DTLS. WebRTC peers do not trust it through a
/// chain: they compare its fingerprint with the one in our SDP (`a=fingerprint`).
///
/// `@unchecked Sendable` because one certificate serves every peer connection of a process, on any
/// event loop: the key and certificate are built in `init` and never modified afterwards, OpenSSL
/// only reads them (SSL_CTX_use_certificate and SSL_CTX_use_PrivateKey take their own references
/// with atomic reference counts), and they are freed only in `deinit`, when no one else holds us.
public final class DTLSCertificate: @unchecked Sendable {
    public enum KeyType: Sendable, Hashable {
        /// ECDSA on P-256: what Chromium uses, and the only kind aiortc 1.16 accepts.
        case ecdsaP256
        /// RSA 2048: for testing that we accept peers that still use RSA.
        case rsa2048
    }

    public let keyType: KeyType
    /// The SHA-256 fingerprint, for our SDP's `a=fingerprint`.
    public let fingerprint: DTLSFingerprint

    /// EVP_PKEY*
    let privateKey: OpaquePointer
    /// X509*
    let certificate: OpaquePointer

    /// Generates a key and a certificate with CN "tapedeck" and a random serial, valid from a day
    /// before `issuedAt` (peers' clocks disagree) for `lifetime` after it.
    ///
    /// - Parameter issuedAt: Wall-clock time in seconds since 1970; passed in because the RTC core
    ///   never reads a clock.
    public init(keyType: KeyType = .ecdsaP256, issuedAt: Int64, lifetime: Duration = .seconds(30 * 86_400))
        throws(DTLSSetupError)
    {
        OpenSSLErrorQueue.clear()
        let privateKey = try Self.generateKey(keyType)
        do {
            certificate = try Self.selfSign(privateKey, issuedAt: issuedAt, lifetime: lifetime)
        } catch {
            EVP_PKEY_free(privateKey)
            throw error
        }
        self.privateKey = privateKey
        self.keyType = keyType
        fingerprint = DTLSFingerprint(certificate: certificate, algorithm: .sha256)
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(privateKey)
    }

    /// The fingerprint with another hash function, for a peer whose SDP names one.
    public func fingerprint(using algorithm: DTLSFingerprint.Algorithm) -> DTLSFingerprint {
        DTLSFingerprint(certificate: certificate, algorithm: algorithm)
    }

    /// Uses the EVP_PKEY_CTX calls (real functions) rather than EVP_EC_gen/EVP_RSA_gen, which are
    /// macros over a variadic function that Swift cannot call.
    private static func generateKey(_ keyType: KeyType) throws(DTLSSetupError) -> OpaquePointer {
        let algorithm = keyType == .ecdsaP256 ? EVP_PKEY_EC : EVP_PKEY_RSA
        guard let context = EVP_PKEY_CTX_new_id(algorithm, nil) else {
            throw DTLSSetupError.openSSL("EVP_PKEY_CTX_new_id")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw DTLSSetupError.openSSL("EVP_PKEY_keygen_init") }
        switch keyType {
        case .ecdsaP256:
            guard EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) == 1,
                  EVP_PKEY_CTX_set_ec_param_enc(context, OPENSSL_EC_NAMED_CURVE) == 1
            else { throw DTLSSetupError.openSSL("choosing the P-256 curve") }
        case .rsa2048:
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, 2048) == 1 else {
                throw DTLSSetupError.openSSL("choosing RSA 2048")
            }
        }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen(context, &key) == 1, let key else { throw DTLSSetupError.openSSL("EVP_PKEY_keygen") }
        return key
    }

    private static func selfSign(_ key: OpaquePointer, issuedAt: Int64, lifetime: Duration)
        throws(DTLSSetupError) -> OpaquePointer
    {
        guard let certificate = X509_new() else { throw DTLSSetupError.openSSL("X509_new") }
        do {
            try fill(certificate, key: key, issuedAt: issuedAt, lifetime: lifetime)
            return certificate
        } catch {
            X509_free(certificate)
            throw error
        }
    }

    private static func fill(_ certificate: OpaquePointer, key: OpaquePointer, issuedAt: Int64, lifetime: Duration)
        throws(DTLSSetupError)
    {
        guard X509_set_version(certificate, Int(X509_VERSION_3)) == 1 else {
            throw DTLSSetupError.openSSL("X509_set_version")
        }

        // A positive 63-bit random serial: unique enough that peers caching certificates never mix ours up.
        var serial: UInt64 = 0
        guard withUnsafeMutableBytes(of: &serial, { RAND_bytes($0.baseAddress, Int32($0.count)) }) == 1,
              ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate), serial & 0x7FFF_FFFF_FFFF_FFFF) == 1
        else { throw DTLSSetupError.openSSL("setting the serial number") }

        var notBefore = time_t(issuedAt - 86_400)
        var notAfter = time_t(issuedAt + lifetime.components.seconds)
        guard X509_time_adj_ex(X509_getm_notBefore(certificate), 0, 0, &notBefore) != nil,
              X509_time_adj_ex(X509_getm_notAfter(certificate), 0, 0, &notAfter) != nil
        else { throw DTLSSetupError.openSSL("setting the validity period") }

        let name = X509_get_subject_name(certificate)
        let commonName = Array("tapedeck".utf8)
        guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, Int32(commonName.count), -1, 0) == 1,
              X509_set_issuer_name(certificate, name) == 1
        else { throw DTLSSetupError.openSSL("setting the subject name") }

        guard X509_set_pubkey(certificate, key) == 1 else { throw DTLSSetupError.openSSL("X509_set_pubkey") }
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw DTLSSetupError.openSSL("X509_sign") }
    }
}
