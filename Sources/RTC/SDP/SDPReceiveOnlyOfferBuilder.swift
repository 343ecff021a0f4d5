extension SDP {
    /// Builds the recorder's own offer when it joins after the participants: `recvonly` audio and
    /// video sections, all bundled, asking for the codecs, feedback and header extensions the
    /// receive pipeline handles (see `SDPOfferedMedia`).
    public struct ReceiveOnlyOfferBuilder: Sendable, Hashable {
        public var audioSections: Int
        public var videoSections: Int
        public var codecs: CodecPreferences

        public init(audioSections: Int = 1, videoSections: Int = 1, codecs: CodecPreferences = CodecPreferences()) {
            self.audioSections = audioSections
            self.videoSections = videoSections
            self.codecs = codecs
        }

        /// Audio sections come first, then video; mids are "0", "1", … in that order.
        public func offer(transport: TransportParameters, sessionID: UInt64, sessionVersion: UInt64 = 2) -> SessionDescription {
            let sections = Array(repeating: SDPOfferedMedia.audioSection(), count: max(0, audioSections))
                + Array(repeating: SDPOfferedMedia.videoSection(codecs: codecs), count: max(0, videoSections))
            return SDPOfferedMedia.offer(sections, direction: .recvonly, transport: transport, sessionID: sessionID,
                                         sessionVersion: sessionVersion)
        }

        /// Reads the remote answer to an offer from `offer(transport:sessionID:sessionVersion:)`.
        ///
        /// Only formats and extensions that were offered count, under the numbers the answer uses
        /// (which RFC 3264 requires to be the offered ones).
        public func negotiate(answer: SessionDescription, to offer: SessionDescription) throws(NegotiationError) -> NegotiatedSession {
            try SDPAnswerReader(codecs: codecs).negotiate(answer: answer, to: offer)
        }
    }
}
