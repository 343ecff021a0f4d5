/// The SRTP protection profiles Tapedeck offers in DTLS-SRTP (RFC 5764 §4.1.2, RFC 7714 §14.2),
/// with the master key and salt lengths each draws from the DTLS exporter.
public enum SRTPProtectionProfile: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// SRTP_AES128_CM_HMAC_SHA1_80: AES counter mode and an 80-bit HMAC-SHA1 tag; every WebRTC stack has it.
    case aes128CmHmacSha1_80
    /// SRTP_AEAD_AES_128_GCM: AES-GCM with a 16-byte tag; one pass instead of two, cheaper with AES-NI.
    case aeadAes128Gcm

    /// What Tapedeck offers in the use_srtp extension, most preferred first: GCM is cheaper per packet.
    public static let preferenceOrder: [SRTPProtectionProfile] = [.aeadAes128Gcm, .aes128CmHmacSha1_80]

    public var masterKeyLength: Int { 16 }

    public var masterSaltLength: Int {
        switch self {
        case .aes128CmHmacSha1_80: 14
        case .aeadAes128Gcm: 12
        }
    }

    /// Bytes SRTP appends to an RTP packet: the authentication tag.
    public var rtpTrailerLength: Int {
        switch self {
        case .aes128CmHmacSha1_80: 10
        case .aeadAes128Gcm: 16
        }
    }

    /// Bytes SRTCP appends to an RTCP packet: the E flag with the 31-bit SRTCP index, and the tag.
    public var rtcpTrailerLength: Int { 4 + rtpTrailerLength }

    /// The profile's code point in the use_srtp extension (IANA "DTLS-SRTP Protection Profiles").
    var protectionProfileID: UInt {
        switch self {
        case .aes128CmHmacSha1_80: 0x0001
        case .aeadAes128Gcm: 0x0007
        }
    }

    init?(protectionProfileID: UInt) {
        guard let profile = Self.allCases.first(where: { $0.protectionProfileID == protectionProfileID }) else {
            return nil
        }
        self = profile
    }

    /// The name SSL_CTX_set_tlsext_use_srtp takes.
    var openSSLName: String {
        switch self {
        case .aes128CmHmacSha1_80: "SRTP_AES128_CM_SHA1_80"
        case .aeadAes128Gcm: "SRTP_AEAD_AES_128_GCM"
        }
    }

    public var description: String {
        switch self {
        case .aes128CmHmacSha1_80: "AES_CM_128_HMAC_SHA1_80"
        case .aeadAes128Gcm: "AEAD_AES_128_GCM"
        }
    }
}
