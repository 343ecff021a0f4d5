extension SDP {
    /// Which codecs to negotiate. Opus and VP8 are always on — every WebRTC endpoint must offer them
    /// (RFC 7874, RFC 7742) — so a recording never fails for want of a common codec; H.264 and VP9
    /// cost more downstream and are opt-in.
    public struct CodecPreferences: Sendable, Hashable {
        public var h264: Bool
        public var vp9: Bool
        /// The video codec to ask senders for: listed first in our offers and answers, so a
        /// sender that offers several (Chromium offers VP8, VP9, H.264, AV1) picks it. Nil keeps
        /// the remote's order. Preferring a codec enables it.
        public var preferredVideo: SupportedCodec? {
            didSet {
                if preferredVideo == .h264 { h264 = true }
                if preferredVideo == .vp9 { vp9 = true }
            }
        }

        public init(h264: Bool = false, vp9: Bool = false, preferredVideo: SupportedCodec? = nil) {
            self.h264 = h264 || preferredVideo == .h264
            self.vp9 = vp9 || preferredVideo == .vp9
            self.preferredVideo = preferredVideo
        }

        /// Orders items so that those of the preferred codec come first, the rest keeping their order.
        func preferredFirst<Item>(_ items: [Item], codec: (Item) -> SupportedCodec?) -> [Item] {
            guard let preferredVideo else { return items }
            return items.filter { codec($0) == preferredVideo } + items.filter { codec($0) != preferredVideo }
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
