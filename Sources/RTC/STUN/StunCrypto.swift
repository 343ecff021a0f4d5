internal import COpenSSL

/// The checksums STUN needs: HMAC-SHA1 for MESSAGE-INTEGRITY and MD5 for long-term credential
/// keys (through OpenSSL), and the CRC-32 behind FINGERPRINT.
enum StunCrypto {
    static func hmacSHA1(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            data.withUnsafeBytes { dataBytes in
                HMAC(EVP_sha1(), keyBytes.baseAddress, Int32(key.count),
                     dataBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count, &digest, &length)
            }
        }
        precondition(result != nil, "OpenSSL HMAC-SHA1 failed")
        return Array(digest.prefix(Int(length)))
    }

    static func md5(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { EVP_Digest($0.baseAddress, data.count, &digest, &length, EVP_md5(), nil) }
        precondition(ok == 1, "OpenSSL MD5 failed")
        return Array(digest.prefix(Int(length)))
    }

    /// CRC-32 (ISO-HDLC, as zlib and Ethernet), table-driven.
    static func crc32(_ data: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = crc32Table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crc32Table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = (value & 1) != 0 ? (0xEDB8_8320 ^ (value >> 1)) : (value >> 1) }
        return value
    }
}

/// How TURN servers authenticate us (RFC 8489 §9.2): the key is MD5(username:realm:password).
public enum StunCredentials {
    public static func longTermKey(username: String, realm: String, password: String) -> [UInt8] {
        StunCrypto.md5(Array("\(username):\(realm):\(password)".utf8))
    }

    /// ICE connectivity checks use the remote (or local) password bytes as the key.
    public static func shortTermKey(password: String) -> [UInt8] { Array(password.utf8) }
}
