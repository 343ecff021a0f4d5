extension SDP {
    /// An answer to send back and what it commits the recorder to.
    public struct Answer: Sendable, Hashable {
        public var sessionDescription: SessionDescription
        public var negotiation: NegotiatedSession

        public init(sessionDescription: SessionDescription, negotiation: NegotiatedSession) {
            self.sessionDescription = sessionDescription
            self.negotiation = negotiation
        }
    }
}
