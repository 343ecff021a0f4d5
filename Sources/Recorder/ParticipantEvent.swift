import RTC

/// What a participant's connection said, pushed to its room session from the connection's event
/// loop as it happens (`UDPEndpointDriver`'s `onEvent`).
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
}

extension ParticipantEvent {
    /// `event` of `peer`, with the mid and ufrag it has as the event comes out.
    init(_ event: PeerConnectionEvent, of peer: PeerConnection, participant: String, connection: Int) {
        self.init(participant: participant, connection: connection, event: event, mid: peer.trickleMid,
                  usernameFragment: peer.localUsernameFragment)
    }
}
