extension SDP {
    /// Answers a remote offer as a receive-only recorder (JSEP, RFC 8829 §5.3).
    ///
    /// Every offered section is answered, in order, with the same mid: audio and video the
    /// recorder can take are accepted `recvonly` (or `inactive` when the offerer does not send);
    /// everything else — data channels, unknown media, sections with no codec in common — is
    /// rejected with port 0, which is a normal answer and not an error.
    public struct AnswerBuilder: Sendable, Hashable {
        public var codecs: CodecPreferences
        /// Answer as a sender (`sendonly` where the offerer receives) instead of a recorder: the
        /// synthetic publisher and the tests' senders.
        public var sends: Bool
        /// What a sender sends: each section we answer `sendonly` takes the first unused track of
        /// its kind and declares it (msid, SSRCs), so the offerer knows the streams in advance; a
        /// section left without a track is answered `inactive`. Empty: every section the offerer
        /// receives on is answered `sendonly` with nothing declared.
        public var tracks: [OutboundTrack]
        /// Audio and video sections accepted at most; those past it are rejected like any
        /// section we cannot take, and counted (`NegotiatedSession.sectionsOverLimit`).
        public var maxAcceptedSections: Int

        /// Why 16: a participant sends a microphone, a camera, a screen share and its audio —
        /// four sections, simulcast layers sharing one — so 16 leaves room for renegotiations
        /// that add tracks (JSEP keeps a stopped track's section until it is recycled), while an
        /// offer of thousands of sections cannot make the recorder set up thousands of tracks,
        /// each with a timeline, streams, a file and a muxer. Sections are taken in m= line
        /// order, which renegotiation keeps, so those accepted once stay accepted.
        public static let defaultMaxAcceptedSections = 16

        public init(codecs: CodecPreferences = CodecPreferences(), sends: Bool = false, tracks: [OutboundTrack] = [],
                    maxAcceptedSections: Int = defaultMaxAcceptedSections) {
            self.codecs = codecs
            self.sends = sends
            self.tracks = tracks
            self.maxAcceptedSections = maxAcceptedSections
        }

        /// - Parameters:
        ///   - sessionID: the o= session id; keep it for the whole session so renegotiations are
        ///     recognised as the same session.
        ///   - sessionVersion: must grow with every new local description of the session.
        public func answer(
            to offer: SessionDescription, transport: TransportParameters, sessionID: UInt64, sessionVersion: UInt64 = 2
        ) throws(NegotiationError) -> Answer {
            var answer = SessionDescription(origin: Origin(sessionID: sessionID, sessionVersion: sessionVersion))
            answer.msidSemantic = MSIDSemantic()
            var negotiated: [NegotiatedMedia] = []
            var rejectedMids: [String] = []
            var unusedTracks = tracks
            var sectionsOverLimit = 0
            for section in offer.media {
                var acceptable = try accept(section, of: offer, transport: transport)
                if acceptable != nil, negotiated.count == maxAcceptedSections {
                    sectionsOverLimit += 1
                    acceptable = nil
                }
                if var accepted = acceptable {
                    if sends, !tracks.isEmpty, accepted.negotiated.localDirection.sends {
                        if let index = unusedTracks.firstIndex(where: { $0.kind == section.kind }) {
                            let track = unusedTracks.remove(at: index)
                            track.declare(in: &accepted.section)
                            accepted.negotiated.localTrack = track
                        } else {
                            // Nothing left of this kind to send here.
                            accepted.negotiated.localDirection = .inactive
                            accepted.section.direction = .inactive
                        }
                    }
                    answer.media.append(accepted.section)
                    negotiated.append(accepted.negotiated)
                } else {
                    answer.media.append(Self.rejection(of: section, in: offer, transport: transport))
                    if let mid = section.mid { rejectedMids.append(mid) }
                }
            }
            // RFC 8843 §7.3.3: a rejected section leaves the BUNDLE group.
            let acceptedMids = Set(negotiated.compactMap(\.mid))
            for group in offer.groups where group.isBundle {
                let mids = group.mids.filter(acceptedMids.contains)
                if !mids.isEmpty { answer.groups.append(.bundle(mids)) }
            }
            let negotiation = NegotiatedSession(
                media: negotiated, rejectedMids: rejectedMids, bundleMids: answer.bundleGroup?.mids ?? [],
                sectionsOverLimit: sectionsOverLimit)
            return Answer(sessionDescription: answer, negotiation: negotiation)
        }

        private func accept(
            _ section: MediaDescription, of offer: SessionDescription, transport: TransportParameters
        ) throws(NegotiationError) -> (section: MediaDescription, negotiated: NegotiatedMedia)? {
            let remote = SDPRemoteSection(section: section, session: offer)
            guard !remote.isRejected, remote.isReceivableMedia else { return nil }
            let selection = SDPCodecSelection(section: section, preferences: codecs)
            guard !selection.isEmpty else { return nil }
            let remoteTransport = try remote.transport()
            guard let localSetupRole = Self.localSetupRole(answering: offer.setup(for: section)) else {
                throw .unusableSetupRole(mid: section.mid, role: .holdconn)
            }
            let extensions = remote.receivableExtensions()
            let negotiated = remote.negotiatedMedia(
                selection: selection, extensions: extensions, localSetupRole: localSetupRole, transport: remoteTransport,
                localSends: sends)

            let answer = Self.acceptance(
                of: section, selection: selection, extensions: extensions, negotiated: negotiated, transport: transport)
            return (answer, negotiated)
        }

        /// The answer's section for an accepted offer section: our transport, the offer's mid,
        /// and the codecs and extensions we receive under the offer's numbers.
        private static func acceptance(
            of section: MediaDescription, selection: SDPCodecSelection, extensions: [ExtensionMap],
            negotiated: NegotiatedMedia, transport: TransportParameters
        ) -> MediaDescription {
            var answer = MediaDescription(kind: section.kind, port: 9, proto: section.proto, payloadTypes: selection.payloadTypes)
            answer.connection = Connection()
            answer.iceUfrag = transport.iceUfrag
            answer.icePwd = transport.icePwd
            answer.iceOptions = ["trickle"]
            answer.fingerprints = [transport.fingerprint]
            answer.setup = negotiated.localSetupRole
            answer.mid = section.mid
            // An extension the offerer only sends is one we only receive (RFC 8285 §6).
            answer.extensionMaps = extensions.map { ExtensionMap(id: $0.id, direction: $0.direction == .sendonly ? .recvonly : nil, uri: $0.uri) }
            answer.direction = negotiated.localDirection
            // The receive pipeline only speaks RTCP multiplexed with RTP (RFC 5761), as every
            // browser does; reduced-size RTCP only when the offerer can parse it.
            answer.rtcpMux = true
            answer.rtcpReducedSize = section.rtcpReducedSize
            answer.rtpMaps = selection.payloadTypes.compactMap { section.rtpMap(for: $0) }
            answer.formatParameters = section.formatParameters.filter { selection.payloadTypes.contains($0.payloadType) }
            answer.feedback = selection.codecs.flatMap(\.feedback)
            SDPLineOrder.groupCodecAttributes(&answer)
            return answer
        }

        /// Our DTLS role against an offered one; nil for `holdconn`. JSEP offers must say
        /// `actpass`, and a missing `a=setup` is read the same way.
        static func localSetupRole(answering offered: SetupRole?) -> SetupRole? {
            switch offered ?? .actpass {
            case .actpass, .passive: .active
            case .active: .passive
            case .holdconn: nil
            }
        }

        /// A port-0 section that keeps the offer's media, protocol and mid (JSEP §5.3.1); the
        /// m= line still needs one format to be well formed.
        ///
        /// Transport attributes are included although a rejected section has no transport:
        /// aiortc refuses an answer with any section lacking ICE credentials, a DTLS role or (for
        /// RTP) rtcp-mux, and browsers ignore them.
        static func rejection(of section: MediaDescription, in offer: SessionDescription, transport: TransportParameters) -> MediaDescription {
            let format = section.formats.first ?? (section.carriesRTP ? "0" : "-")
            var rejected = MediaDescription(kind: section.kind, port: 0, proto: section.proto, formats: [format])
            rejected.connection = Connection()
            rejected.iceUfrag = transport.iceUfrag
            rejected.icePwd = transport.icePwd
            rejected.fingerprints = [transport.fingerprint]
            rejected.setup = localSetupRole(answering: offer.setup(for: section)) ?? .active
            rejected.mid = section.mid
            if section.carriesRTP {
                rejected.direction = .inactive
                rejected.rtcpMux = true
            }
            return rejected
        }
    }
}
