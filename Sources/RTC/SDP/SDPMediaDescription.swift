extension SDP {
    /// One media section: an `m=` line and the lines that follow it up to the next `m=`.
    ///
    /// The attributes WebRTC negotiates are modelled; everything else is kept in `otherAttributes`
    /// and `otherLines` so that a description survives parse → serialize → parse unchanged.
    public struct MediaDescription: Sendable, Hashable {
        public var kind: MediaKind
        /// 0 rejects (or, with `bundleOnly`, bundles) the section; 9 is JSEP's placeholder.
        public var port: UInt16
        /// The `/<count>` after the port; never used by WebRTC but kept when written.
        public var portCount: UInt16?
        /// `UDP/TLS/RTP/SAVPF` for WebRTC media, `UDP/DTLS/SCTP` for data channels.
        public var proto: String
        /// The m= line's formats: payload type numbers for RTP sections (validated as 0–127),
        /// `webrtc-datachannel` for data channels.
        public var formats: [String]
        public var connection: Connection?

        public var mid: String?
        public var msids: [MSID] = []
        /// nil when no direction attribute is present, which means `sendrecv` (see `effectiveDirection`).
        public var direction: Direction?
        public var iceUfrag: String?
        public var icePwd: String?
        public var iceOptions: [String] = []
        /// The usable `a=fingerprint`s. One with a hash function or digest we cannot use is kept in
        /// `otherAttributes` (see `SessionDescription.fingerprints(for:)`).
        public var fingerprints: [DTLSFingerprint] = []
        public var setup: SetupRole?
        public var bundleOnly = false
        public var rtcpMux = false
        public var rtcpReducedSize = false
        public var rtpMaps: [RTPMap] = []
        public var formatParameters: [FormatParameters] = []
        public var feedback: [RTCPFeedback] = []
        public var extensionMaps: [ExtensionMap] = []
        public var ssrcs: [SSRCAttribute] = []
        public var ssrcGroups: [SSRCGroup] = []
        public var candidates: [Candidate] = []
        public var endOfCandidates = false
        public var sctpPort: UInt16?
        public var maxMessageSize: UInt64?

        /// Attributes not modelled above, in the order they appeared.
        public var otherAttributes: [Attribute] = []
        /// `i=`, `b=`, `k=` and extra `c=` lines, in the order they appeared (`i=` first).
        public var otherLines: [Line] = []

        public init(kind: MediaKind, port: UInt16, proto: String, formats: [String]) {
            self.kind = kind
            self.port = port
            self.proto = proto
            self.formats = formats
        }

        public init(kind: MediaKind, port: UInt16, proto: String, payloadTypes: [UInt8]) {
            self.init(kind: kind, port: port, proto: proto, formats: payloadTypes.map(String.init))
        }

        /// Whether the formats are RTP payload types (any `RTP/...` profile, secure or not).
        public var carriesRTP: Bool {
            proto.uppercased().split(separator: "/").contains("RTP")
        }

        /// The m= line's payload types in the author's order of preference (empty for non-RTP).
        public var payloadTypes: [UInt8] {
            get { carriesRTP ? formats.compactMap { SDPText.decimal($0, as: UInt8.self) } : [] }
            set { formats = newValue.map(String.init) }
        }

        /// The direction with RFC 8866's default applied.
        public var effectiveDirection: Direction { direction ?? .sendrecv }

        public func rtpMap(for payloadType: UInt8) -> RTPMap? {
            rtpMaps.first { $0.payloadType == payloadType }
        }

        public func formatParameters(for payloadType: UInt8) -> FormatParameters? {
            formatParameters.first { $0.payloadType == payloadType }
        }

        /// Feedback declared for `payloadType`, including wildcard (`*`) entries.
        public func feedback(for payloadType: UInt8) -> [RTCPFeedback] {
            feedback.filter { $0.payloadType == nil || $0.payloadType == payloadType }
        }

        /// RTX payload type → the payload type it retransmits, from `rtx` rtpmaps and their `apt=`.
        public var retransmissionPayloadTypes: [UInt8: UInt8] {
            var map: [UInt8: UInt8] = [:]
            for rtpMap in rtpMaps where rtpMap.isRetransmission {
                if let primary = formatParameters(for: rtpMap.payloadType)?.associatedPayloadType {
                    map[rtpMap.payloadType] = primary
                }
            }
            return map
        }

        /// Distinct SSRCs named by `a=ssrc` lines, in order of first mention.
        public var declaredSSRCs: [UInt32] {
            var seen = Set<UInt32>()
            return ssrcs.compactMap { seen.insert($0.ssrc).inserted ? $0.ssrc : nil }
        }
    }
}
