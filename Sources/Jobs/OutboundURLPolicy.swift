import Foundation

/// Which hosts the URLs of a job (`webhook_url`, `signaling_url`) may point at. The service sends
/// requests there from inside its network, so a job must not be able to aim them at what only
/// the service can reach: by default link-local addresses (where clouds serve instance
/// credentials) and the cloud metadata names and addresses are refused; an operator can refuse
/// more (loopback, private ranges) and allow particular hosts back.
///
/// Hosts are checked as written: IP literals in every form HTTP clients accept, and names. A
/// name that resolves to a refused address is not caught here (that needs the resolver at
/// connection time); refuse such names by listing them.
public struct OutboundURLPolicy: Sendable {
    /// Refused unless allowed: link-local IPv4 and IPv6, which hold the metadata services of AWS,
    /// GCP, Azure and others (169.254.169.254), and AWS's IPv6 metadata address.
    public static let defaultDeniedNetworks = ["169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128"]
    /// Names of metadata services, refused unless allowed.
    public static let defaultDeniedNames = ["metadata.google.internal", "metadata.goog", "metadata", "instance-data",
                                            "instance-data.ec2.internal"]

    public var deniedNetworks: [IPNetwork]
    public var deniedNames: Set<String>
    /// Hosts (names or addresses, as written in URLs) and networks allowed whatever the denials.
    public var allowedHosts: Set<String>
    public var allowedNetworks: [IPNetwork]

    /// The default policy, plus what the operator adds.
    /// - Parameters:
    ///   - allow: host names, addresses or CIDR networks let through whatever is denied.
    ///   - deny: further addresses or CIDR networks to refuse (e.g. `127.0.0.0/8`, `10.0.0.0/8`).
    public init(allow: [String] = [], deny: [String] = []) throws(OutboundURLPolicyError) {
        var deniedNetworks: [IPNetwork] = []
        for text in Self.defaultDeniedNetworks + deny { deniedNetworks.append(try IPNetwork(parsing: text)) }
        self.deniedNetworks = deniedNetworks
        deniedNames = Set(Self.defaultDeniedNames)
        var allowedHosts: Set<String> = []
        var allowedNetworks: [IPNetwork] = []
        for text in allow {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            if let network = try? IPNetwork(parsing: trimmed) {
                allowedNetworks.append(network)
            } else {
                allowedHosts.insert(Self.normalized(trimmed))
            }
        }
        self.allowedHosts = allowedHosts
        self.allowedNetworks = allowedNetworks
    }

    /// Why `host` (as a URL gives it) may not be sent to; nil when it may.
    public func refusal(host: String) -> String? {
        let name = Self.normalized(host)
        if allowedHosts.contains(name) { return nil }
        if let address = IPAddressBytes.parse(name) {
            if allowedNetworks.contains(where: { $0.contains(address) }) { return nil }
            if let network = deniedNetworks.first(where: { $0.contains(address) }) {
                return "\(host) is in \(network), which this server does not send requests to"
            }
            return nil
        }
        if deniedNames.contains(name) {
            return "\(host) is a cloud metadata service, which this server does not send requests to"
        }
        return nil
    }

    /// Lower case, without brackets or a trailing dot: `Metadata.Google.Internal.` is the name.
    static func normalized(_ host: String) -> String {
        var text = host.lowercased()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

public struct OutboundURLPolicyError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension OutboundURLPolicy {
    /// The defaults alone: link-local and metadata services refused.
    public static let standard: OutboundURLPolicy = {
        do {
            return try OutboundURLPolicy()
        } catch {
            // The defaults are constants parsed by the same code a test runs.
            preconditionFailure("the default outbound URL policy does not parse: \(error)")
        }
    }()
}
