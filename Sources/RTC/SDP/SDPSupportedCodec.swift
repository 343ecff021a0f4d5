extension SDP {
    /// The codecs the recorder can depacketize and write, and what a remote rtpmap/fmtp must say
    /// for a payload type to count as one of them.
    public enum SupportedCodec: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case opus
        case vp8
        case vp9
        case h264

        public var kind: MediaKind {
            self == .opus ? .audio : .video
        }

        /// Whether a remote codec description is this codec in a form the recorder handles.
        ///
        /// - Opus must be `opus/48000/2` (RFC 7587 always writes two channels).
        /// - VP9 only in profile 0 (8-bit 4:2:0); profile 2 is 10-bit, which the writers do not take.
        /// - H.264 only with `packetization-mode=1` (RFC 6184 non-interleaved: FU-A and STAP-A);
        ///   mode 0 allows only single-NAL packets and is negotiated as a different codec.
        public func matches(_ rtpMap: RTPMap, parameters: FormatParameters?) -> Bool {
            switch self {
            case .opus:
                return rtpMap.hasEncodingName("opus") && rtpMap.clockRate == 48000 && rtpMap.channels == 2
            case .vp8:
                return rtpMap.hasEncodingName("VP8") && rtpMap.clockRate == 90000
            case .vp9:
                let profile = parameters?["profile-id"] ?? "0"
                return rtpMap.hasEncodingName("VP9") && rtpMap.clockRate == 90000 && profile == "0"
            case .h264:
                return rtpMap.hasEncodingName("H264") && rtpMap.clockRate == 90000 && parameters?["packetization-mode"] == "1"
            }
        }

        public var description: String {
            switch self {
            case .opus: "opus"
            case .vp8: "VP8"
            case .vp9: "VP9"
            case .h264: "H264"
            }
        }
    }
}
