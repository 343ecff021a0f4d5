extension SDP {
    /// A track we send, as our offers and answers declare it: its msid (RFC 8830), so that the
    /// receiver groups audio with video, and its SSRCs with their `cname` and, for video, the RTX
    /// pairing (RFC 5576 `a=ssrc`, `a=ssrc-group:FID`), so that the receiver knows every packet's
    /// stream before the first one arrives.
    public struct OutboundTrack: Sendable, Hashable {
        public var kind: MediaKind
        public var ssrc: UInt32
        /// Where retransmissions go (RFC 4588); nil sends none in a stream of their own.
        public var retransmissionSSRC: UInt32?
        /// Shared by the tracks of one participant: receivers synchronise tracks with one CNAME.
        public var cname: String
        public var msid: MSID

        public init(kind: MediaKind, ssrc: UInt32, retransmissionSSRC: UInt32? = nil, cname: String, msid: MSID) {
            self.kind = kind
            self.ssrc = ssrc
            self.retransmissionSSRC = retransmissionSSRC
            self.cname = cname
            self.msid = msid
        }

        /// Writes the track's `a=msid`, `a=ssrc-group:FID` and `a=ssrc` lines into `section`.
        func declare(in section: inout MediaDescription) {
            section.msids = [msid]
            var ssrcs = [ssrc]
            if let retransmissionSSRC {
                ssrcs.append(retransmissionSSRC)
                section.ssrcGroups = [SSRCGroup(semantics: "FID", ssrcs: ssrcs)]
            }
            section.ssrcs = ssrcs.flatMap { ssrc in
                [SSRCAttribute(ssrc: ssrc, attribute: "cname", value: cname),
                 SSRCAttribute(ssrc: ssrc, attribute: "msid", value: msid.sdpValue)]
            }
        }
    }
}
