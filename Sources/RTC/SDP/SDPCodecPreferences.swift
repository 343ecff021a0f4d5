extension SDP {
    /// Which codecs to negotiate. Opus and VP8 are always on — every WebRTC endpoint must offer them
    /// (RFC 7874, RFC 7742) — so a recording never fails for want of a common codec; H.264 and VP9
    /// cost more downstream and are opt-in.
    public struct CodecPreferences: Sendable, Hashable {
        public var h264: Bool
        public var vp9: Bool

        public init(h264: Bool = false, vp9: Bool = false) {
            self.h264 = h264
            self.vp9 = vp9
        }

        public var enabledCodecs: Set<SupportedCodec> {
            Set(SupportedCodec.allCases.filter(isEnabled))
        }

        public func isEnabled(_ codec: SupportedCodec) -> Bool {
            switch codec {
            case .opus, .vp8: true
            case .h264: h264
            case .vp9: vp9
            }
        }

        /// The enabled codec a remote payload type stands for, if any.
        func codec(for rtpMap: RTPMap, parameters: FormatParameters?, in kind: MediaKind) -> SupportedCodec? {
            for codec in SupportedCodec.allCases where codec.kind == kind && isEnabled(codec) {
                if codec.matches(rtpMap, parameters: parameters) { return codec }
            }
            return nil
        }
    }
}
