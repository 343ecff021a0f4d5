/// Who a server lets into its rooms.
enum RoomAdmission: Sendable {
    /// Anyone: the seeds' plain protocol, for loopback and trusted networks.
    case open
    /// Anyone who sends the one shared token (`tapedeck signal --token`): a password for the whole
    /// server. Names stay self-asserted; a wrong token is answered with an error and the client
    /// may try again.
    case sharedToken(String)
    /// Holders of a signed room token for the room they join (`--token-secret`,
    /// `--token-public-key`): the token says who they are and whether they may record.
    case signedTokens(RoomTokenVerifier)

    init(_ configuration: SignalingServerConfiguration) async throws {
        if let key = configuration.roomTokenKey {
            self = .signedTokens(try await RoomTokenVerifier(key: key))
        } else if let token = configuration.token {
            self = .sharedToken(token)
        } else {
            self = .open
        }
    }
}
