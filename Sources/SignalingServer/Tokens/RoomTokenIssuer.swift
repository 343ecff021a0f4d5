import Foundation
import JWTKit

/// Mints room tokens: for operators (`tapedeck signal token`) and tests. Whoever holds the
/// signing key can admit anyone to any room, so it belongs with the application that decides
/// who may join, not with clients.
public struct RoomTokenIssuer: Sendable {
    private let keys: JWTKeyCollection

    public init(key: RoomTokenKey) async throws(RoomTokenKeyError) {
        if case .es256PublicKey = key { throw RoomTokenKeyError("a public key cannot sign tokens; give the private key") }
        keys = try await key.collection()
    }

    public func token(room: String, identity: String, recorder: Bool, validFor ttl: Duration, now: Date = Date()) async throws -> String {
        let claims = RoomTokenClaims(room: room, identity: identity, expiresAt: now.addingTimeInterval(Double(ttl.components.seconds)),
                                     issuedAt: now, recorder: recorder)
        return try await keys.sign(claims)
    }
}
