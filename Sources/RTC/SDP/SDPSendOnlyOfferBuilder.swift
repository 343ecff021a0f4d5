extension SDP {
    /// Builds a sender's offer (the synthetic publisher joining a room where others already are):
    /// one `sendonly` section per track, all bundled, each declaring its track's msid and SSRCs.
    /// Audio offers Opus, video VP8 with RTX; both take NACK, PLI, FIR, REMB and transport-cc
    /// feedback and the MID header extension (see `SDPOfferedMedia`).
    public struct SendOnlyOfferBuilder: Sendable, Hashable {
        public var tracks: [OutboundTrack]

        public init(tracks: [OutboundTrack]) {
            self.tracks = tracks
        }

        /// One section per track, in order; mids are "0", "1", ….
        public func offer(transport: TransportParameters, sessionID: UInt64, sessionVersion: UInt64 = 2) -> SessionDescription {
            let sections = tracks.map { track in
                var section = track.kind == .audio
                    ? SDPOfferedMedia.audioSection() : SDPOfferedMedia.videoSection(codecs: CodecPreferences())
                track.declare(in: &section)
                return section
            }
            return SDPOfferedMedia.offer(sections, direction: .sendonly, transport: transport, sessionID: sessionID,
                                         sessionVersion: sessionVersion)
        }

        /// Reads the remote answer to an offer from `offer(transport:sessionID:sessionVersion:)`:
        /// each section the remote accepted to receive carries the track offered under its mid.
        public func negotiate(answer: SessionDescription, to offer: SessionDescription) throws(NegotiationError) -> NegotiatedSession {
            let mids = offer.media.map { $0.mid ?? "" }
            let tracksByMid = Dictionary(zip(mids, tracks), uniquingKeysWith: { first, _ in first })
            return try SDPAnswerReader(codecs: CodecPreferences(), localSends: true, tracks: tracksByMid)
                .negotiate(answer: answer, to: offer)
        }
    }
}
