/// The relayed messages a `SignalingClient` has received and its owner has not yet taken, per
/// sender. One participant who sends faster than the owner applies messages (a flood of
/// candidates or offers) would otherwise grow the client's queue without bound for the whole
/// room; past `limit` waiting messages, that sender's further messages are dropped and counted,
/// and everyone else's still arrive, in order.
struct SignalingBacklog: Sendable {
    let limit: Int
    /// Messages waiting per sender ("" for a plain relay, whose messages name nobody).
    private(set) var waiting: [String: Int] = [:]
    /// Messages dropped per sender because `limit` of theirs were waiting.
    private(set) var dropped: [String: Int] = [:]

    init(limit: Int) {
        self.limit = limit
    }

    /// The sender a message counts against, or nil for the server's own messages (joined,
    /// peer-joined, peer-left, error), which are never dropped: losing a peer-left would keep a
    /// participant forever.
    static func sender(of event: SignalingEvent) -> String? {
        guard case .message(let message) = event, let routing = message.routing else { return nil }
        return routing.from ?? ""
    }

    enum Admission: Equatable {
        case queued
        /// `firstFromSender`: the sender's first dropped message, worth saying once.
        case dropped(sender: String, firstFromSender: Bool)
    }

    /// Whether the event may be queued; counts it as waiting, or as dropped.
    mutating func admit(_ event: SignalingEvent) -> Admission {
        guard let sender = Self.sender(of: event) else { return .queued }
        let count = waiting[sender, default: 0]
        guard count < limit else {
            dropped[sender, default: 0] += 1
            return .dropped(sender: sender, firstFromSender: dropped[sender] == 1)
        }
        waiting[sender] = count + 1
        return .queued
    }

    /// The owner took the event off the queue.
    mutating func taken(_ event: SignalingEvent) {
        guard let sender = Self.sender(of: event), let count = waiting[sender] else { return }
        waiting[sender] = count > 1 ? count - 1 : nil
    }
}
