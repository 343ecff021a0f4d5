extension SDP {
    /// RTP header extensions the receive pipeline reads (RFC 8285 URIs).
    public enum HeaderExtensionURI {
        /// The m-section's mid in every packet (RFC 9143): routing by MID comes first.
        public static let mid = "urn:ietf:params:rtp-hdrext:sdes:mid"
        /// Sender timestamp for REMB bandwidth estimation.
        public static let absoluteSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
        /// Sequence numbers for transport-wide congestion control feedback.
        public static let transportWideCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
        /// Audio level of each packet (RFC 6464), for active-speaker decisions.
        public static let audioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"

        public static let supported: Set<String> = [mid, absoluteSendTime, transportWideCC, audioLevel]
    }
}
