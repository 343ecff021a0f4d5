import RTC

/// What a participant's connection said, pushed to its room session from the connection's event
/// loop as it happens (`UDPEndpointDriver`'s `afterService`).
struct ParticipantEvent: Sendable {
    var participant: String
    /// Which of the participant's connections (they get a new one on coming back): an event of an
    /// earlier one, still on its way, is not the current connection's.
    var connection: Int
    var event: PeerConnectionEvent
    /// The mid our candidates are trickled under (the transport's BUNDLE tag), and our ICE
    /// username fragment, which candidates carry.
    var mid: String
    var usernameFragment: String

    /// Takes every event `peer` has produced and hands each to `deliver`.
    static func take(from peer: PeerConnection, participant: String, connection: Int,
                     deliver: (ParticipantEvent) -> Void) {
        guard let first = peer.pollEvent() else { return }
        let mid = peer.trickleMid
        let usernameFragment = peer.localUsernameFragment
        var next: PeerConnectionEvent? = first
        while let event = next {
            deliver(ParticipantEvent(participant: participant, connection: connection, event: event, mid: mid,
                                     usernameFragment: usernameFragment))
            next = peer.pollEvent()
        }
    }
}
