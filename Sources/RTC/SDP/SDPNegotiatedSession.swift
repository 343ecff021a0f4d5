extension SDP {
    /// The outcome of an offer/answer exchange, per mid, from the recorder's side.
    public struct NegotiatedSession: Sendable, Hashable {
        /// Accepted media sections in m= line order.
        public var media: [NegotiatedMedia]
        /// Mids of sections answered with port 0 (data channels, unsupported media, no common codec).
        public var rejectedMids: [String]
        /// Accepted mids sharing one transport, the first being the BUNDLE tag (RFC 8843);
        /// empty when the session is not bundled.
        public var bundleMids: [String]
        /// Audio and video sections we could have accepted but rejected because
        /// `AnswerBuilder.maxAcceptedSections` were already (they are among `rejectedMids`).
        public var sectionsOverLimit: Int

        public init(media: [NegotiatedMedia], rejectedMids: [String] = [], bundleMids: [String] = [], sectionsOverLimit: Int = 0) {
            self.media = media
            self.rejectedMids = rejectedMids
            self.bundleMids = bundleMids
            self.sectionsOverLimit = sectionsOverLimit
        }

        public func media(mid: String) -> NegotiatedMedia? {
            media.first { $0.mid == mid }
        }

        /// The section whose transport carries everything: the BUNDLE tag, or the first accepted
        /// section when nothing is bundled.
        public var transportMedia: NegotiatedMedia? {
            bundleMids.first.flatMap { media(mid: $0) } ?? media.first
        }

        public var remoteTransport: RemoteTransport? { transportMedia?.remoteTransport }
        public var localSetupRole: SetupRole? { transportMedia?.localSetupRole }
    }
}
