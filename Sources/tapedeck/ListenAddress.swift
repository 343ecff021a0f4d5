import Foundation

/// What an address to listen on exposes: only this machine (loopback), or more. A server that
/// checks nobody may listen only on loopback unless its operator says otherwise.
enum ListenAddress {
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" { return true }
        var address = in_addr()
        if inet_pton(AF_INET, bare, &address) == 1 {
            return UInt32(bigEndian: address.s_addr) >> 24 == 127
        }
        return false
    }
}
