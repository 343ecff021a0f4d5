import Foundation
import JWTKit
import SignalingServer
import Testing

/// Signed room tokens: what `RoomTokenVerifier` admits and how it says no.
@Suite struct RoomTokenVerifierTests {
    static let secret = "a-test-secret-of-at-least-32-bytes!"
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func mint(room: String = "standup", identity: String = "alice", recorder: Bool = false, ttl: Int = 600,
              secret: String = Self.secret) async throws -> String {
        try await RoomTokenIssuer(key: .sharedSecret(secret)).token(room: room, identity: identity, recorder: recorder,
                                                                     validFor: .seconds(ttl), now: now)
    }

    func verifier() async throws -> RoomTokenVerifier { try await RoomTokenVerifier(key: .sharedSecret(Self.secret)) }

    func refusal(_ token: String?, room: String = "standup", at time: Date? = nil) async throws -> String? {
        let verifier = try await verifier()
        do {
            _ = try await verifier.verify(token, joining: room, now: time ?? now)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func theIdentityAndGrantComeFromTheToken() async throws {
        let grant = try await verifier().verify(try await mint(identity: "alice"), joining: "standup", now: now)
        #expect(grant == RoomGrant(room: "standup", identity: "alice", mayRecord: false))
        let recorder = try await verifier().verify(try await mint(identity: "bot", recorder: true), joining: "standup", now: now)
        #expect(recorder.mayRecord)
    }

    @Test func anExpiredTokenIsRefused() async throws {
        let token = try await mint(ttl: 60)
        #expect(try await refusal(token, at: now.addingTimeInterval(59)) == nil)
        let reason = try await refusal(token, at: now.addingTimeInterval(120))
        #expect(reason == "the room token expired at 2027-01-15T08:01:00Z")
    }

    @Test func aTokenForAnotherRoomIsRefused() async throws {
        let reason = try await refusal(try await mint(room: "board"), room: "standup")
        #expect(reason == "the room token is for room 'board', not 'standup'")
    }

    @Test func aTokenSignedWithAnotherKeyIsRefused() async throws {
        let forged = try await mint(secret: "another-secret-that-is-32-bytes-long")
        #expect(try await refusal(forged)?.contains("signature does not verify") == true)
        // A token whose payload was edited after signing (recorder granted by hand).
        let parts = try await mint().split(separator: ".").map(String.init)
        let payload = Data(#"{"room":"standup","sub":"alice","exp":1900000000,"recorder":true}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(try await refusal([parts[0], payload, parts[2]].joined(separator: "."))?.contains("signature does not verify") == true)
    }

    @Test func anUnsignedTokenIsRefused() async throws {
        // alg "none": the server's one key decides the algorithm, never the token's header.
        let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let payload = Data(#"{"room":"standup","sub":"alice","exp":1900000000}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        #expect(try await refusal("\(header).\(payload).") != nil)
    }

    @Test func aTokenWithoutTheNeededClaimsIsRefused() async throws {
        struct NoRoom: JWTPayload {
            var sub: SubjectClaim
            var exp: ExpirationClaim
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: Self.secret), digestAlgorithm: .sha256)
        let token = try await keys.sign(NoRoom(sub: SubjectClaim(value: "alice"), exp: ExpirationClaim(value: now.addingTimeInterval(60))))
        #expect(try await refusal(token)?.contains("lacks a claim") == true)
    }

    @Test func missingAndMalformedTokensAreRefused() async throws {
        #expect(try await refusal(nil)?.contains("requires a signed room token") == true)
        #expect(try await refusal("")?.contains("requires a signed room token") == true)
        #expect(try await refusal("not-a-jwt")?.contains("not a JWT") == true)
    }

    @Test func aShortSecretIsRefused() async throws {
        await #expect(throws: RoomTokenKeyError.self) { try await RoomTokenVerifier(key: .sharedSecret("short")) }
    }

    @Test func es256TokensVerifyWithThePublicKeyAlone() async throws {
        let privateKey = ES256PrivateKey()
        let issuer = try await RoomTokenIssuer(key: .es256PrivateKey(pem: privateKey.pemRepresentation))
        let verifier = try await RoomTokenVerifier(key: .es256PublicKey(pem: privateKey.publicKey.pemRepresentation))
        let token = try await issuer.token(room: "r", identity: "bob", recorder: true, validFor: .seconds(60), now: now)
        #expect(try await verifier.verify(token, joining: "r", now: now) == RoomGrant(room: "r", identity: "bob", mayRecord: true))
        // An HS256 token cannot pass for ES256, whatever its secret (here: the public key's text).
        let confused = try await RoomTokenIssuer(key: .sharedSecret(privateKey.publicKey.pemRepresentation))
            .token(room: "r", identity: "eve", recorder: true, validFor: .seconds(60), now: now)
        await #expect(throws: RoomTokenRefusal.self) { try await verifier.verify(confused, joining: "r", now: now) }
        await #expect(throws: RoomTokenKeyError.self) { try await RoomTokenIssuer(key: .es256PublicKey(pem: privateKey.publicKey.pemRepresentation)) }
    }
}
