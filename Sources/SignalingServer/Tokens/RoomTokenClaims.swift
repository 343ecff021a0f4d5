import Foundation
import JWTKit

/// The claims of a signed room token (a JWT): which room, who (`sub`), until when (`exp`), and
/// whether the holder may record. The server trusts these and nothing the client says about
/// itself.
public struct RoomTokenClaims: JWTPayload, Equatable {
    public var room: String
    /// The holder's identity: its name in the room, unique there at any moment.
    public var sub: SubjectClaim
    public var exp: ExpirationClaim
    /// When the token was made (informational).
    public var iat: IssuedAtClaim?
    /// The grant to record: other participants and recorders know the holder as a recorder. A
    /// token without it is an ordinary participant's, whatever name it carries.
    public var recorder: Bool?

    public init(room: String, identity: String, expiresAt: Date, issuedAt: Date? = nil, recorder: Bool = false) {
        self.room = room
        self.sub = SubjectClaim(value: identity)
        self.exp = ExpirationClaim(value: expiresAt)
        self.iat = issuedAt.map(IssuedAtClaim.init(value:))
        self.recorder = recorder ? true : nil
    }

    public var identity: String { sub.value }
    public var mayRecord: Bool { recorder ?? false }

    // Expiry is checked by `RoomTokenVerifier` against its own clock, so that it can say which
    // claim failed and tests can move time.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
