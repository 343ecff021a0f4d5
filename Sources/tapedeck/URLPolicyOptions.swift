import ArgumentParser
import Foundation
import Jobs

/// Which hosts jobs' `webhook_url` and `signaling_url` may name, for `serve` and `worker`.
struct URLPolicyOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Hosts, addresses or CIDR networks jobs' URLs may name even where denied, comma-separated.",
        discussion: "Link-local addresses (169.254.0.0/16, fe80::/10) and cloud metadata services are refused by default."))
    var allowURLHosts: String?
    @Option(help: "Further addresses or CIDR networks jobs' URLs may not name, comma-separated, e.g. 127.0.0.0/8,10.0.0.0/8.")
    var denyURLNetworks: String?

    func validate() throws { _ = try policy() }

    func policy() throws -> OutboundURLPolicy {
        let allow = Self.list(allowURLHosts)
        let deny = Self.list(denyURLNetworks)
        do {
            return try OutboundURLPolicy(allow: allow, deny: deny)
        } catch {
            throw ValidationError("--deny-url-networks: \(error)")
        }
    }

    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
