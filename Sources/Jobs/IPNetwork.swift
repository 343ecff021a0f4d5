import Foundation

/// An IPv4 or IPv6 network in CIDR notation (`169.254.0.0/16`, `fe80::/10`), or one address.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]
    public let prefixLength: Int
    public let description: String

    public init(parsing text: String) throws(OutboundURLPolicyError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddressBytes.parse(String(parts[0])) else {
            throw OutboundURLPolicyError("'\(text)' is not an IP address or network (such as 10.0.0.0/8 or fd00::/8)")
        }
        let maximum = address.count * 8
        var length = maximum
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...maximum).contains(given) else {
                throw OutboundURLPolicyError("'\(text)': the prefix length must be 0 to \(maximum)")
            }
            length = given
        }
        bytes = address
        prefixLength = length
        description = text
    }

    public func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefixLength
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address[index] & mask != bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }
}

/// The bytes of an IP address written as a URL host may write it.
enum IPAddressBytes {
    /// IPv4 in any form `inet_aton` takes (`169.254.169.254`, `2852039166`, `0xA9.0xFE.0xA9.0xFE`,
    /// as HTTP clients resolve them too), or IPv6 with or without brackets. An IPv4-mapped IPv6
    /// address (`::ffff:169.254.169.254`) reads as the IPv4 address it reaches.
    static func parse(_ host: String) -> [UInt8]? {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }  // zone id
        var v4 = in_addr()
        if !text.contains(":"), inet_aton(text, &v4) != 0 {
            return withUnsafeBytes(of: v4.s_addr) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
