extension SDP {
    /// An `a=ssrc-group:FID` pair: RTX packets arriving on `retransmission` repair `media`.
    public struct SSRCPair: Sendable, Hashable {
        public var media: UInt32
        public var retransmission: UInt32

        public init(media: UInt32, retransmission: UInt32) {
            self.media = media
            self.retransmission = retransmission
        }
    }
}
