import Crypto
import Foundation

/// The `Tapedeck-Signature` header of a webhook: `t=<unix seconds>,v1=<hex HMAC-SHA256>` over
/// `"<t>.<body>"` with the shared secret. Signing the timestamp with the body lets a receiver
/// refuse replays of an old delivery (check `t` is recent), as Stripe's scheme does.
public struct WebhookSignature: Sendable {
    public static let headerName = "Tapedeck-Signature"
    private let key: SymmetricKey

    public init(secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    public func header(body: Data, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(signature(body: body, timestamp: timestamp))"
    }

    /// Whether `header` signs `body` with this secret (for receivers and tests).
    public func verify(header: String, body: Data) -> Bool {
        var fields: [Substring: Substring] = [:]
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        guard let timestamp = fields["t"].flatMap({ Int($0) }), let given = fields["v1"] else { return false }
        let expected = signature(body: body, timestamp: timestamp)
        // Constant time: compare every byte whatever the first difference.
        guard expected.utf8.count == given.utf8.count else { return false }
        return zip(expected.utf8, given.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func signature(body: Data, timestamp: Int) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
