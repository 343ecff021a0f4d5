/// What a UDP driver drives: a sans-IO state machine with one or more local sockets (bases).
/// The driver feeds it every datagram and the time; then it calls `poll()` until the endpoint
/// says when to wake it next, sending each transmit and handing each event to the endpoint's
/// owner. All calls come from one thread (the driver's event loop).
public protocol DatagramEndpoint: AnyObject, SendableMetatype {
    /// What the endpoint tells its owner (a peer connection's `PeerConnectionEvent`).
    associatedtype Event
    /// A datagram that arrived on `base` from `source`. The bytes may be modified in place (SRTP
    /// decrypts where the packet lies) and are only valid during the call.
    func receive(_ datagram: UnsafeMutableRawBufferPointer, from source: TransportAddress, on base: TransportAddress,
                 now: ContinuousClock.Instant)
    /// A datagram that arrived on the driver's multicast DNS socket (the mDNS group, port 5353):
    /// answers to the queries the endpoint sent to resolve peers' `.local` candidates.
    func receiveMulticastDNS(_ datagram: UnsafeRawBufferPointer, from source: TransportAddress, now: ContinuousClock.Instant)
    /// A message read from the driver's stream connection (TCP or TLS) to TURN server `server`,
    /// opened for `base` (see `IceTransmit.transport`), framing removed; valid during the call.
    func receive(turnMessage: UnsafeRawBufferPointer, from server: TransportAddress, over transport: TurnTransport,
                 on base: TransportAddress, now: ContinuousClock.Instant)
    /// That connection closed, or could not be opened, for `reason`.
    func turnConnectionClosed(to server: TransportAddress, over transport: TurnTransport, on base: TransportAddress,
                              reason: String, now: ContinuousClock.Instant)
    /// The driver's ICE-TCP connection from `remote` to the listening socket `base` closed
    /// (frames from it arrive through `receive` with `base` as the base).
    func passiveTCPConnectionClosed(from remote: TransportAddress, on base: TransportAddress, reason: String,
                                    now: ContinuousClock.Instant)
    func handleTimeout(now: ContinuousClock.Instant)
    /// The endpoint's next output: a transmit, an event, and last when to wake it.
    func poll() -> EndpointOutput<Event>
    /// Whether the datagrams received since `serviced()` left the endpoint something to send,
    /// an event for its owner, or a wake-up earlier than before. False only when all they did
    /// was carry media through: the driver then skips servicing it after the read batch (most
    /// datagrams of a call are such; polling transmits and events, asking every deadline and
    /// re-arming for each cost as much as decrypting them).
    var needsService: Bool { get }
    /// The driver has sent what the endpoint queued, re-armed its timer and let the owner take
    /// its events.
    func serviced()
}

extension DatagramEndpoint {
    /// Endpoints that do not track it are serviced after every read batch that reached them.
    public var needsService: Bool { true }
    public func serviced() {}

    /// Endpoints that never listen for ICE-TCP hear of no such connection.
    public func passiveTCPConnectionClosed(from remote: TransportAddress, on base: TransportAddress, reason: String,
                                           now: ContinuousClock.Instant) {}
}
