import Logging
import Signaling

/// An actor that keeps connections to a room's peers through a `RoomNegotiation` (the recorder's
/// `RoomSession`, the publisher's `SyntheticParticipant`): it says how to open, describe and feed
/// its own kind of connection, and `perform` does the negotiation's actions with them.
package protocol NegotiatingRoom: Actor {
    var negotiation: RoomNegotiation { get set }
    var negotiationLogger: Logger { get }
    var signalingClient: SignalingClient { get }

    /// Opens a connection to `peer` (throws when it cannot: the peer's other actions are skipped).
    func openConnection(to peer: String) async throws
    /// Our offer on the connection to `peer`.
    func makeOffer(to peer: String) async throws -> String
    /// Our answer to `peer`'s offer, on its connection.
    func answer(_ offer: String, from peer: String) async throws -> String
    func applyAnswer(_ answer: String, from peer: String) async throws
    func applyCandidate(_ candidate: String?, from peer: String) async throws
    /// Closes the connection to `peer` and reports `negotiation.ended(peer:)`.
    func endConnection(to peer: String) async
    /// Whether `peer` is another bot of our own kind (a fellow recorder, a sibling publisher):
    /// neither offers to the other, and their offers are ignored.
    func isFellowBot(_ peer: String) -> Bool
}

extension NegotiatingRoom {
    /// Applies a relayed offer, answer or candidate through the negotiation; false for any other
    /// message (joins, leaves and errors, which each owner reads its own way).
    package func negotiate(_ message: SignalingMessage) async -> Bool {
        switch message {
        case .offer(let description, let routing):
            if let from = routing.from, isFellowBot(from) { return true }
            do {
                await perform(try negotiation.received(offer: description.sdp, from: routing.from))
            } catch {
                negotiationLogger.error("signaling message could not be applied", metadata: ["error": "\(error)"])
            }
        case .answer(let description, let routing):
            await perform(negotiation.received(answer: description.sdp, from: routing.from))
        case .iceCandidate(let candidate, let routing):
            await perform(negotiation.received(candidate: candidate, from: routing.from))
        default:
            return false
        }
        return true
    }

    /// Does the negotiation's actions in order, and the actions the descriptions made lead to.
    /// An action that fails is logged and the peer's later actions in the batch are skipped;
    /// a peer whose connection could not be opened is forgotten.
    package func perform(_ actions: [NegotiationAction]) async {
        var queue = actions[...]
        var failedPeers: Set<String> = []
        while let action = queue.popFirst() {
            if let peer = action.peer, failedPeers.contains(peer) { continue }
            do {
                switch action {
                case .connect(let peer):
                    do {
                        try await openConnection(to: peer)
                    } catch {
                        failedPeers.insert(peer)
                        negotiation.ended(peer: peer)
                        throw error
                    }
                case .makeOffer(let peer):
                    let offer = try await makeOffer(to: peer)
                    queue = negotiation.described(peer: peer, offer: offer)[...] + queue
                case .answer(let peer, let offer):
                    let answer = try await answer(offer, from: peer)
                    queue = negotiation.described(peer: peer, answer: answer)[...] + queue
                case .applyAnswer(let peer, let answer):
                    try await applyAnswer(answer, from: peer)
                case .applyCandidate(let peer, let candidate):
                    try await applyCandidate(candidate, from: peer)
                case .send(let message):
                    // Between signaling connections: what the peer missed, a re-join makes again.
                    do { try signalingClient.send(message) } catch {
                        negotiationLogger.debug("not sent", metadata: ["peer": "\(message.routing?.to ?? "-")", "error": "\(error)"])
                    }
                case .end(let peer):
                    await endConnection(to: peer)
                }
            } catch is NegotiationSkip {
                if let peer = action.peer { failedPeers.insert(peer) }
            } catch {
                if let peer = action.peer { failedPeers.insert(peer) }
                negotiationLogger.error("signaling message could not be applied", metadata: [
                    "peer": "\(action.peer ?? "-")", "error": "\(error)",
                ])
            }
        }
    }
}

/// Thrown by a `NegotiatingRoom`'s connection operations to skip a peer's remaining actions
/// quietly: the owner has said why already (a participant limit), or the peer is gone.
public struct NegotiationSkip: Error {
    public init() {}
}
