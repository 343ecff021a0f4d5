extension OutboundStream.Configuration {
    /// The stream for the track a negotiated section sends, or nil when it sends none: the first
    /// agreed codec under the receiver's number, its RTX format when the receiver took one and
    /// the track has an RTX SSRC, and the MID header extension when agreed (RFC 9143: the
    /// receiver routes by it before it has seen our SSRCs).
    public init?(sending media: SDP.NegotiatedMedia) {
        guard media.localDirection.sends, let track = media.localTrack, let codec = media.codecs.first else { return nil }
        self.init(ssrc: track.ssrc, payloadType: codec.payloadType, clockRate: Int(codec.clockRate))
        if let retransmissionSSRC = track.retransmissionSSRC,
           let retransmissionPayloadType = media.retransmissionPayloadTypes.first(where: { $0.value == codec.payloadType })?.key {
            rtxSSRC = retransmissionSSRC
            rtxPayloadType = retransmissionPayloadType
        }
        // One-byte header extensions (RFC 8285 §4.2) carry ids 1–14.
        if let id = media.headerExtensionID(SDP.HeaderExtensionURI.mid), (1...14).contains(id) {
            mid = media.mid
            midExtensionID = UInt8(id)
        }
        if media.kind == .audio, let id = media.headerExtensionID(SDP.HeaderExtensionURI.audioLevel), (1...14).contains(id) {
            audioLevelExtensionID = UInt8(id)
        }
    }
}
