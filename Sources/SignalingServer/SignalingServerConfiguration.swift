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
    /// Most open connections; one more is closed at once with 1013 (try again later).
    public var maxConnections = 10_000
    /// A connection that has not joined a room this long after opening is closed with 1008.
    public var joinDeadline: Duration = .seconds(10)
    /// Each client's sending rate: `messagesPerSecond` on average, bursts of `messageBurst`.
    /// Faster senders are throttled (read more slowly), not disconnected.
    public var messagesPerSecond = 50.0
    public var messageBurst = 200
    /// What may wait for one client to read; beyond it the client is disconnected with 1008.
    public var maxQueuedMessages = 1_024
    public var maxQueuedBytes = 4 << 20
    /// After an overflow, how long the close may wait for a client that does not read at all
    /// before its connection is dropped.
    public var slowClientCloseGrace: Duration = .seconds(5)

    public init(host: String = "127.0.0.1", port: Int = 8765, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }
}
