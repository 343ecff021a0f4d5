/// One direction's SRTP master key and salt.
public struct SRTPMasterKey: Sendable, Hashable {
    public var key: [UInt8]
    public var salt: [UInt8]

    public init(key: [UInt8], salt: [UInt8]) {
        self.key = key
        self.salt = salt
    }
}

/// The SRTP keys a DTLS-SRTP handshake exports (RFC 5764 §4.2): the DTLS client's write key protects
/// what the client sends and the server's write key what the server sends, whichever side offered.
public struct SRTPKeyingMaterial: Sendable, Hashable, CustomStringConvertible {
    public var profile: SRTPProtectionProfile
    public var clientWrite: SRTPMasterKey
    public var serverWrite: SRTPMasterKey
    /// Which DTLS role this side played; it decides which key is ours.
    public var localRole: DTLSRole

    public init(profile: SRTPProtectionProfile, clientWrite: SRTPMasterKey, serverWrite: SRTPMasterKey,
                localRole: DTLSRole) {
        self.profile = profile
        self.clientWrite = clientWrite
        self.serverWrite = serverWrite
        self.localRole = localRole
    }

    /// Splits the exporter output, laid out as client key | server key | client salt | server salt.
    init(profile: SRTPProtectionProfile, exporterOutput bytes: [UInt8], localRole: DTLSRole) {
        let keyLength = profile.masterKeyLength
        let saltLength = profile.masterSaltLength
        precondition(bytes.count == 2 * (keyLength + saltLength), "DTLS-SRTP exporter output has the wrong length")
        let saltsStart = 2 * keyLength
        self.init(
            profile: profile,
            clientWrite: SRTPMasterKey(key: Array(bytes[0..<keyLength]),
                                       salt: Array(bytes[saltsStart..<saltsStart + saltLength])),
            serverWrite: SRTPMasterKey(key: Array(bytes[keyLength..<saltsStart]),
                                       salt: Array(bytes[(saltsStart + saltLength)...])),
            localRole: localRole)
    }

    /// Protects what we send.
    public var local: SRTPMasterKey { localRole == .client ? clientWrite : serverWrite }

    /// Unprotects what the remote sends.
    public var remote: SRTPMasterKey { localRole == .client ? serverWrite : clientWrite }

    /// Keys stay out of logs.
    public var description: String { "SRTPKeyingMaterial(\(profile), local role \(localRole))" }
}
