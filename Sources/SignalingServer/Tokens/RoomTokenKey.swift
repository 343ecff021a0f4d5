import Foundation
import JWTKit

/// The key room tokens are signed and verified with: a shared secret (HS256) or an ECDSA P-256
/// key pair (ES256), where the server needs only the public half.
public enum RoomTokenKey: Sendable {
    case sharedSecret(String)
    /// PEM of an EC P-256 public key: verifies only.
    case es256PublicKey(pem: String)
    /// PEM of an EC P-256 private key: signs (and verifies).
    case es256PrivateKey(pem: String)

    /// The shortest shared secret accepted: HS256 with fewer than 32 bytes of secret is guessable.
    public static let minimumSecretBytes = 32

    /// The key in a jwt-kit collection, so exactly one algorithm is accepted: a token whose
    /// header names another (`none`, or HS256 against an ES256 key) fails its signature check.
    func collection() async throws(RoomTokenKeyError) -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        switch self {
        case .sharedSecret(let secret):
            guard secret.utf8.count >= Self.minimumSecretBytes else {
                throw RoomTokenKeyError("the token secret must be at least \(Self.minimumSecretBytes) bytes long; it has \(secret.utf8.count)")
            }
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        case .es256PublicKey(let pem):
            do {
                await keys.add(ecdsa: try ES256PublicKey(pem: pem))
            } catch {
                throw RoomTokenKeyError("the token public key is not a PEM EC P-256 public key: \(error)")
            }
        case .es256PrivateKey(let pem):
            do {
                await keys.add(ecdsa: try ES256PrivateKey(pem: pem))
            } catch {
                throw RoomTokenKeyError("the token private key is not a PEM EC P-256 private key: \(error)")
            }
        }
        return keys
    }
}

public struct RoomTokenKeyError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
