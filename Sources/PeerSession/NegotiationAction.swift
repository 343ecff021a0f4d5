import Signaling

/// What `RoomNegotiation` asks its owner to do, in order. The owner does each on the peer's
/// connection or over signaling, and reports what its connection made (`described`) back.
public enum NegotiationAction: Sendable, Hashable {
    /// Open a connection to the peer; the actions after it for that peer need it. An owner that
    /// cannot (a participant limit) skips the peer's other actions and reports `ended`.
    case connect(peer: String)
    /// Make an offer on the peer's connection and report it with `described(peer:offer:)`.
    case makeOffer(peer: String)
    /// Answer the peer's offer on its connection and report the answer with `described(peer:answer:)`.
    case answer(peer: String, offer: String)
    /// Apply the peer's answer to our offer.
    case applyAnswer(peer: String, answer: String)
    /// Apply a candidate the peer trickled (nil: the end of its candidates).
    case applyCandidate(peer: String, candidate: String?)
    /// Send a message to the signaling server.
    case send(SignalingMessage)
    /// The peer is gone (it left, hung up, or, in a plain room, its connection failed): close its
    /// connection and report `ended`.
    case end(peer: String)

    /// The peer the action concerns (nil: a message to the server).
    public var peer: String? {
        switch self {
        case .connect(let peer), .makeOffer(let peer), .answer(let peer, _), .applyAnswer(let peer, _),
             .applyCandidate(let peer, _), .end(let peer):
            peer
        case .send:
            nil
        }
    }
}
