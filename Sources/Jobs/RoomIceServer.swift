/// A STUN or TURN server for joining one room, as WebRTC's `RTCIceServer` gives it: its URLs
/// (`stun:HOST:PORT`, `turn:HOST:PORT`) and, for TURN, a username and credential. The credential
/// is a secret: the job's JSON says only whether one was given.
public struct RoomIceServer: Sendable, Hashable {
    public var urls: [String]
    public var username: String?
    public var credential: SecretText?

    public init(urls: [String], username: String? = nil, credential: SecretText? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }

    /// What the job's JSON shows of it: the URLs, and whether credentials were given. The
    /// username goes unshown too: TURN REST usernames carry the expiry and the user the
    /// credential was minted for.
    struct PublicView: Codable {
        var urls: [String]
        var credentialSet: Bool?

        enum CodingKeys: String, CodingKey { case urls, credentialSet = "credential_set" }
    }

    var publicView: PublicView { PublicView(urls: urls, credentialSet: username != nil || credential != nil) }

    /// The whole server, as the store keeps it in a column (never sent out).
    struct StoredForm: Codable {
        var urls: [String]
        var username: String?
        var credential: String?
    }

    var storedForm: StoredForm { StoredForm(urls: urls, username: username, credential: credential?.revealed) }

    init(_ stored: StoredForm) {
        self.init(urls: stored.urls, username: stored.username, credential: stored.credential.map(SecretText.init))
    }
}

extension [RoomIceServer] {
    /// The column's text; nil for none, so that jobs without ICE servers keep NULL.
    func storedJSON() throws(JobStoreError) -> String? {
        isEmpty ? nil : try JobColumnJSON.encode(map(\.storedForm))
    }

    static func fromStoredJSON(_ text: String?) throws(JobStoreError) -> [RoomIceServer] {
        guard let text else { return [] }
        return try JobColumnJSON.decode([RoomIceServer.StoredForm].self, from: text, column: "ice_servers").map(RoomIceServer.init)
    }
}
