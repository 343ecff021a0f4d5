extension SDP {
    /// The outcome of negotiating one accepted media section: everything the RTP router and the
    /// per-stream receivers need to classify and depacketize what arrives for this mid.
    public struct NegotiatedMedia: Sendable, Hashable {
        public var mid: String?
        public var kind: MediaKind
        /// The remote's direction as it wrote it.
        public var remoteDirection: Direction
        /// Our direction: `recvonly` when the remote sends, else `inactive`; a sender's is
        /// `sendonly` when the remote receives.
        public var localDirection: Direction
        /// Our DTLS role: `active` is the DTLS client.
        public var localSetupRole: SetupRole
        public var remoteTransport: RemoteTransport

        /// Agreed codecs in the remote's order of preference.
        public var codecs: [NegotiatedCodec]
        /// RTX payload type → the payload type it retransmits.
        public var retransmissionPayloadTypes: [UInt8: UInt8]
        /// Header extension URI → the id it uses on the wire.
        public var headerExtensionIDs: [String: UInt16]

        /// SSRCs the remote declared (`a=ssrc`), in order; senders may also use undeclared ones.
        public var remoteSSRCs: [UInt32]
        public var retransmissionSSRCs: [SSRCPair]
        /// `a=ssrc-group:SIM` layers, lowest first.
        public var simulcastSSRCs: [[UInt32]]
        public var remoteCNAME: String?
        public var remoteMSID: MSID?
        /// What we send in this section, when we send (as our description declared it).
        public var localTrack: OutboundTrack?

        public init(
            mid: String?, kind: MediaKind, remoteDirection: Direction, localDirection: Direction,
            localSetupRole: SetupRole, remoteTransport: RemoteTransport, codecs: [NegotiatedCodec],
            retransmissionPayloadTypes: [UInt8: UInt8] = [:], headerExtensionIDs: [String: UInt16] = [:],
            remoteSSRCs: [UInt32] = [], retransmissionSSRCs: [SSRCPair] = [], simulcastSSRCs: [[UInt32]] = [],
            remoteCNAME: String? = nil, remoteMSID: MSID? = nil, localTrack: OutboundTrack? = nil
        ) {
            self.mid = mid
            self.kind = kind
            self.remoteDirection = remoteDirection
            self.localDirection = localDirection
            self.localSetupRole = localSetupRole
            self.remoteTransport = remoteTransport
            self.codecs = codecs
            self.retransmissionPayloadTypes = retransmissionPayloadTypes
            self.headerExtensionIDs = headerExtensionIDs
            self.remoteSSRCs = remoteSSRCs
            self.retransmissionSSRCs = retransmissionSSRCs
            self.simulcastSSRCs = simulcastSSRCs
            self.remoteCNAME = remoteCNAME
            self.remoteMSID = remoteMSID
            self.localTrack = localTrack
        }

        public func codec(payloadType: UInt8) -> NegotiatedCodec? {
            codecs.first { $0.payloadType == payloadType }
        }

        public func headerExtensionID(_ uri: String) -> UInt16? { headerExtensionIDs[uri] }

        /// Whether media is expected to arrive on this section.
        public var receives: Bool { localDirection.receives }
    }
}
