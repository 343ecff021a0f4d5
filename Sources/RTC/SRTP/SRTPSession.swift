internal import CSRTP

/// SRTP and SRTCP for one peer connection over libsrtp2: received packets are authenticated and
/// decrypted with the remote's key, sent ones protected with ours. Both directions accept any SSRC
/// (BUNDLE puts every stream of the connection on one pair of keys).
///
/// The per-packet calls work in place in the caller's buffer and allocate nothing once an SSRC has
/// been seen. Not `Sendable`: it belongs to one peer connection, driven from one event loop.
public final class SRTPSession {
    /// Packets of an SSRC that may arrive out of order and still be accepted. 1024 covers seconds
    /// of video at high bitrates; libsrtp's default of 128 drops reordered packets under bursts.
    public static let replayWindowSize = ReceivedPacketWindow.size

    public let profile: SRTPProtectionProfile
    public private(set) var counters = SRTPCounters()

    /// srtp_t for what the remote sends.
    private let inbound: OpaquePointer
    /// srtp_t for what we send.
    private let outbound: OpaquePointer
    private var rtpDuplicates = SRTPDuplicateFilter()
    private var rtcpDuplicates = SRTPDuplicateFilter()

    private static let rtpHeaderLength = 12
    private static let rtcpHeaderLength = 8

    public init(keyingMaterial: SRTPKeyingMaterial) throws(SRTPSetupError) {
        try SRTPLibrary.initialize()
        profile = keyingMaterial.profile
        inbound = try Self.makeContext(profile: profile, key: keyingMaterial.remote, direction: ssrc_any_inbound)
        do {
            outbound = try Self.makeContext(profile: profile, key: keyingMaterial.local, direction: ssrc_any_outbound)
        } catch {
            srtp_dealloc(inbound)
            throw error
        }
    }

    deinit {
        srtp_dealloc(inbound)
        srtp_dealloc(outbound)
    }

    // MARK: Receiving

    /// Authenticates and decrypts one SRTP packet in place.
    public func unprotectRTP(_ packet: UnsafeMutableRawBufferPointer) -> SRTPUnprotectResult {
        guard packet.count >= Self.rtpHeaderLength + profile.rtpTrailerLength, packet.count <= Int(Int32.max),
              let base = packet.baseAddress, packet[0] >> 6 == 2
        else {
            counters.malformed += 1
            return .malformed
        }
        let sequenceNumber = UInt16(packet[2]) << 8 | UInt16(packet[3])
        let ssrc = Self.readUInt32(packet, at: 8)
        let (index, isDuplicate) = rtpDuplicates.checkRTP(ssrc: ssrc, sequenceNumber: sequenceNumber)
        if isDuplicate {
            counters.duplicates += 1
            return .duplicate
        }
        var length = Int32(packet.count)
        let status = srtp_unprotect(inbound, base, &length)
        guard status == srtp_err_status_ok else { return countFailure(status) }
        if let index { rtpDuplicates.recordDecrypted(ssrc: ssrc, index: index) }
        counters.decryptedRTPPackets += 1
        counters.decryptedRTPBytes += Int(length)
        return .decrypted(length: Int(length))
    }

    /// Authenticates and decrypts one SRTCP packet (compound or not) in place.
    public func unprotectRTCP(_ packet: UnsafeMutableRawBufferPointer) -> SRTPUnprotectResult {
        let trailerLength = profile.rtcpTrailerLength
        guard packet.count >= Self.rtcpHeaderLength + trailerLength, packet.count <= Int(Int32.max),
              let base = packet.baseAddress, packet[0] >> 6 == 2
        else {
            counters.malformed += 1
            return .malformed
        }
        let ssrc = Self.readUInt32(packet, at: 4)
        // The E flag and 31-bit SRTCP index sit before the tag (RFC 3711 §3.4) or, with AEAD,
        // after it (RFC 7714 §9.1).
        let indexOffset = profile == .aeadAes128Gcm ? packet.count - 4 : packet.count - trailerLength
        let index = UInt64(Self.readUInt32(packet, at: indexOffset) & 0x7FFF_FFFF)
        if rtcpDuplicates.isDuplicate(ssrc: ssrc, index: index) {
            counters.duplicates += 1
            return .duplicate
        }
        var length = Int32(packet.count)
        let status = srtp_unprotect_rtcp(inbound, base, &length)
        guard status == srtp_err_status_ok else { return countFailure(status) }
        rtcpDuplicates.recordDecrypted(ssrc: ssrc, index: index)
        counters.decryptedRTCPPackets += 1
        counters.decryptedRTCPBytes += Int(length)
        return .decrypted(length: Int(length))
    }

    /// `unprotectRTP` on an array, shortened to the plaintext on success. In place only if the
    /// array's storage is not shared.
    public func unprotectRTP(_ packet: inout [UInt8]) -> SRTPUnprotectResult {
        let result = packet.withUnsafeMutableBytes { unprotectRTP($0) }
        if case .decrypted(let length) = result { packet.removeLast(packet.count - length) }
        return result
    }

    public func unprotectRTCP(_ packet: inout [UInt8]) -> SRTPUnprotectResult {
        let result = packet.withUnsafeMutableBytes { unprotectRTCP($0) }
        if case .decrypted(let length) = result { packet.removeLast(packet.count - length) }
        return result
    }

    private func countFailure(_ status: srtp_err_status_t) -> SRTPUnprotectResult {
        switch status {
        case srtp_err_status_auth_fail:
            counters.authenticationFailures += 1
            return .authenticationFailed
        case srtp_err_status_replay_fail, srtp_err_status_replay_old:
            counters.replays += 1
            return .replayed
        case srtp_err_status_bad_param, srtp_err_status_parse_err:
            counters.malformed += 1
            return .malformed
        default:
            counters.otherFailures += 1
            return .failed(status: status.rawValue)
        }
    }

    // MARK: Sending

    /// Encrypts and authenticates the RTP packet in `buffer[0..<length]` in place, appending the
    /// tag; returns the protected length. The buffer needs `profile.rtpTrailerLength` spare bytes.
    public func protectRTP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPProtectError) -> Int {
        guard length >= Self.rtpHeaderLength, length <= buffer.count - profile.rtpTrailerLength,
              buffer.count <= Int(Int32.max), let base = buffer.baseAddress
        else { throw .bufferTooSmall }
        var protectedLength = Int32(length)
        let status = srtp_protect(outbound, base, &protectedLength)
        guard status == srtp_err_status_ok else { throw .failed(status: status.rawValue) }
        counters.protectedRTPPackets += 1
        return Int(protectedLength)
    }

    /// As `protectRTP`, for RTCP; the buffer needs `profile.rtcpTrailerLength` spare bytes.
    public func protectRTCP(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SRTPProtectError) -> Int {
        guard length >= Self.rtcpHeaderLength, length <= buffer.count - profile.rtcpTrailerLength,
              buffer.count <= Int(Int32.max), let base = buffer.baseAddress
        else { throw .bufferTooSmall }
        var protectedLength = Int32(length)
        let status = srtp_protect_rtcp(outbound, base, &protectedLength)
        guard status == srtp_err_status_ok else { throw .failed(status: status.rawValue) }
        counters.protectedRTCPPackets += 1
        return Int(protectedLength)
    }

    /// `protectRTP` on an array, which grows by the trailer.
    public func protectRTP(_ packet: inout [UInt8]) throws(SRTPProtectError) {
        try protect(&packet, trailerLength: profile.rtpTrailerLength, with: protectRTP)
    }

    public func protectRTCP(_ packet: inout [UInt8]) throws(SRTPProtectError) {
        try protect(&packet, trailerLength: profile.rtcpTrailerLength, with: protectRTCP)
    }

    private func protect(
        _ packet: inout [UInt8], trailerLength: Int,
        with protect: (UnsafeMutableRawBufferPointer, Int) throws(SRTPProtectError) -> Int
    ) throws(SRTPProtectError) {
        let length = packet.count
        packet.append(contentsOf: repeatElement(0, count: trailerLength))
        let result = packet.withUnsafeMutableBytes { buffer in
            Result { () throws(SRTPProtectError) -> Int in try protect(buffer, length) }
        }
        switch result {
        case .success(let protectedLength):
            packet.removeLast(packet.count - protectedLength)
        case .failure(let error):
            packet.removeLast(trailerLength)
            throw error
        }
    }

    // MARK: Set-up

    private static func makeContext(profile: SRTPProtectionProfile, key: SRTPMasterKey, direction: srtp_ssrc_type_t)
        throws(SRTPSetupError) -> OpaquePointer
    {
        guard key.key.count == profile.masterKeyLength, key.salt.count == profile.masterSaltLength else {
            throw SRTPSetupError(operation: "checking the \(profile) key and salt lengths",
                                 status: srtp_err_status_bad_param.rawValue)
        }
        var policy = srtp_policy_t()
        switch profile {
        case .aes128CmHmacSha1_80:
            // libsrtp's defaults are AES_CM_128_HMAC_SHA1_80 (the profile's named setter is a macro).
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        case .aeadAes128Gcm:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        }
        policy.ssrc.type = direction
        policy.window_size = UInt(replayWindowSize)
        // We may send a packet again with its original sequence number (a retransmission).
        policy.allow_repeat_tx = direction == ssrc_any_outbound ? 1 : 0

        // libsrtp wants key then salt in one buffer, and copies it.
        var keyAndSalt = key.key + key.salt
        var session: OpaquePointer?
        let status = keyAndSalt.withUnsafeMutableBufferPointer { buffer in
            policy.key = buffer.baseAddress
            defer { buffer.update(repeating: 0) }
            return srtp_create(&session, &policy)
        }
        guard status == srtp_err_status_ok, let session else {
            throw SRTPSetupError(operation: "srtp_create(\(profile))", status: status.rawValue)
        }
        return session
    }

    @inline(__always)
    private static func readUInt32(_ bytes: UnsafeMutableRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }
}
