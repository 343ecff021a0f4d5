import Foundation
import JWTKit

/// Who a verified room token says its holder is.
public struct RoomGrant: Sendable, Equatable {
    public var room: String
    public var identity: String
    public var mayRecord: Bool

    public init(room: String, identity: String, mayRecord: Bool) {
        self.room = room
        self.identity = identity
        self.mayRecord = mayRecord
    }
}

/// Why a room token was refused, in words a client's operator can act on. Never includes the
/// token itself.
public struct RoomTokenRefusal: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }

    static let missing = RoomTokenRefusal("this server requires a signed room token: send it as 'token' in join")
}

/// Checks room tokens for one server: the signature (with jwt-kit), then the claims against the
/// room being joined and the verifier's clock.
public struct RoomTokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    /// Tokens are accepted this long past `exp`, for clocks a little apart.
    public var leeway: Duration = .seconds(5)
    public var maxIdentityLength = 128

    public init(key: RoomTokenKey) async throws(RoomTokenKeyError) {
        keys = try await key.collection()
    }

    public func verify(_ token: String?, joining room: String, now: Date = Date()) async throws(RoomTokenRefusal) -> RoomGrant {
        guard let token, !token.isEmpty else { throw .missing }
        let claims: RoomTokenClaims
        do {
            claims = try await keys.verify(token, as: RoomTokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw RoomTokenRefusal("the room token's signature does not verify (signed with another key?)")
        } catch let error as JWTError where error.errorType == .malformedToken {
            // jwt-kit reads the claims only once the signature holds: a payload that does not
            // decode is a genuine token without the claims this server needs.
            if error.reason?.contains("payload") ?? false {
                throw RoomTokenRefusal("the room token lacks a claim or has one of the wrong type: it needs 'room', 'sub' and 'exp' (and 'recorder' as true or false)")
            }
            throw RoomTokenRefusal("the room token is not a JWT (header.payload.signature)")
        } catch {
            throw RoomTokenRefusal("the room token cannot be read: \(Self.shortReason(error))")
        }
        let expiry = claims.exp.value.addingTimeInterval(Double(leeway.components.seconds))
        guard now < expiry else {
            throw RoomTokenRefusal("the room token expired at \(Self.timestamp(claims.exp.value))")
        }
        guard claims.room == room else {
            throw RoomTokenRefusal("the room token is for room '\(claims.room.prefix(128))', not '\(room.prefix(128))'")
        }
        let identity = claims.identity
        guard !identity.isEmpty, identity.count <= maxIdentityLength,
              !identity.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw RoomTokenRefusal("the room token's 'sub' must be 1 to \(maxIdentityLength) characters, none of them control characters")
        }
        return RoomGrant(room: claims.room, identity: identity, mayRecord: claims.mayRecord)
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// jwt-kit's descriptions can be long; a close reason holds 123 bytes.
    private static func shortReason(_ error: any Error) -> String {
        if let error = error as? JWTError { return "\(error.errorType)" }
        return String("\(error)".prefix(80))
    }
}
