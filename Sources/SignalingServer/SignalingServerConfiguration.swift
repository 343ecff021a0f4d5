/// Limits and settings of the reference room server.
public struct SignalingServerConfiguration: Sendable {
    public var host: String
    /// 0 asks the system for a free port; `SignalingServer.run(onListening:)` reports the one bound.
    public var port: Int
    /// When set, `join` must carry this token: one password for the whole server.
    public var token: String?
    /// When set, `join` must carry a room token (a JWT) signed with this key, for the room it
    /// joins; it wins over `token`. See `RoomTokenClaims`.
    public var roomTokenKey: RoomTokenKey?
    /// Largest message a client may send. Larger ones are refused with an error and skipped.
    public var maxMessageBytes = 64 * 1024
    /// Frames beyond this size close the connection (the WebSocket layer buffers a whole frame).
    public var maxFrameBytes = 1 << 20
    public var maxPeersPerRoom = 32
    public var maxRooms = 1_000
    public var maxRoomNameLength = 128
    /// The server pings each client this often; one that does not answer is disconnected.
    public var pingInterval: Duration = .seconds(30)

    public init(host: String = "127.0.0.1", port: Int = 8765, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }
}
