import Foundation
import JSON
import Jobs

/// The room credentials of a recording request — `signaling_token`, `ice_servers`, `bot_name` —
/// read and checked. The token and the TURN credentials are secrets: they are kept for the
/// worker and never shown again, so a refusal names the field but never echoes its value.
enum RoomCredentialFields {
    enum Limits {
        static let tokenBytes = 8 * 1024
        static let iceServers = 8
        static let urlsPerServer = 8
        static let credentialBytes = 1024
        static let botNameLength = 128
    }

    static func signalingToken(_ fields: JSONFields) throws(APIProblem) -> SecretText? {
        guard let token = try fields.string("signaling_token") else { return nil }
        guard !token.isEmpty, token.utf8.count <= Limits.tokenBytes else {
            throw .invalidField("signaling_token", "signaling_token must be 1 to \(Limits.tokenBytes) bytes long")
        }
        guard !token.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField("signaling_token", "signaling_token must not contain control characters")
        }
        return SecretText(token)
    }

    static func botName(_ fields: JSONFields) throws(APIProblem) -> String? {
        guard let name = try fields.string("bot_name") else { return nil }
        guard (1...Limits.botNameLength).contains(name.count),
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw .invalidField("bot_name", "bot_name must be 1 to \(Limits.botNameLength) characters, none of them control characters")
        }
        return name
    }

    /// `[{urls: [...] or "...", username?, credential?}]`, as `RTCIceServer` takes them.
    static func iceServers(_ fields: JSONFields) throws(APIProblem) -> [RoomIceServer] {
        guard let value = fields.value("ice_servers") else { return [] }
        guard case .array(let entries) = value else {
            throw .invalidField("ice_servers", "ice_servers must be a list of {urls, username, credential} objects, not \(value.kind)")
        }
        guard entries.count <= Limits.iceServers else {
            throw .invalidField("ice_servers", "ice_servers may list at most \(Limits.iceServers) servers; it has \(entries.count)")
        }
        var servers: [RoomIceServer] = []
        for (index, entry) in entries.enumerated() {
            servers.append(try iceServer(entry, at: "ice_servers[\(index)]"))
        }
        return servers
    }

    private static func iceServer(_ entry: JSONValue, at path: String) throws(APIProblem) -> RoomIceServer {
        guard case .object(let object) = entry else {
            throw .invalidField("ice_servers", "\(path) must be an object {urls, username, credential}, not \(entry.kind)")
        }
        if let unknown = object.keys.filter({ !["urls", "username", "credential"].contains($0) }).sorted().first {
            throw .invalidField("ice_servers", "\(path).\(unknown) is not a field of an ICE server; the fields are urls, username, credential")
        }
        let fields = JSONFields(object: object)
        var urls: [String]
        switch fields.value("urls") {
        case .string(let url)?: urls = [url]
        case .array(let list)?:
            urls = []
            for item in list {
                guard case .string(let url) = item else { throw .invalidField("ice_servers", "\(path).urls must hold strings") }
                urls.append(url)
            }
        case nil: throw .invalidField("ice_servers", "\(path).urls is required")
        case let other?: throw .invalidField("ice_servers", "\(path).urls must be a string or a list of strings, not \(other.kind)")
        }
        guard (1...Limits.urlsPerServer).contains(urls.count) else {
            throw .invalidField("ice_servers", "\(path).urls must list 1 to \(Limits.urlsPerServer) URLs")
        }
        var needsCredentials = false
        for url in urls {
            needsCredentials = try checkURL(url, at: "\(path).urls") || needsCredentials
        }
        let username = try secretField(fields, "username", at: path)
        let credential = try secretField(fields, "credential", at: path)
        if needsCredentials, username == nil || credential == nil {
            throw .invalidField("ice_servers", "\(path): a turn: server needs username and credential")
        }
        return RoomIceServer(urls: urls, username: username, credential: credential.map(SecretText.init))
    }

    /// Checks one URL; returns whether it is TURN (which needs credentials). TURN goes over UDP,
    /// TCP or TLS; TURN over DTLS (`turns:…?transport=udp`) is refused rather than ignored.
    private static func checkURL(_ url: String, at path: String) throws(APIProblem) -> Bool {
        let lowered = url.lowercased()
        guard url.utf8.count <= 512, !url.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField("ice_servers", "\(path): each URL must be at most 512 bytes, without control characters")
        }
        if lowered.hasPrefix("turns:"), lowered.contains("transport=udp") {
            throw .invalidField("ice_servers", "\(path): \(url) needs TURN over DTLS, which Tapedeck does not speak; give turns: over TCP or a turn: URL")
        }
        let isTURN = lowered.hasPrefix("turn:") || lowered.hasPrefix("turns:")
        guard isTURN || lowered.hasPrefix("stun:"), url.count > 5 else {
            throw .invalidField("ice_servers", "\(path): \(url) is not a stun:, turn: or turns: URL (such as turn:turn.example.org:3478)")
        }
        return isTURN
    }

    private static func secretField(_ fields: JSONFields, _ key: String, at path: String) throws(APIProblem) -> String? {
        guard let value = fields.value(key) else { return nil }
        guard case .string(let text) = value, (1...Limits.credentialBytes).contains(text.utf8.count) else {
            throw .invalidField("ice_servers", "\(path).\(key) must be a string of 1 to \(Limits.credentialBytes) bytes")
        }
        return text
    }
}
