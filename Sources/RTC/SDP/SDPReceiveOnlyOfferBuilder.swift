extension SDP {
    /// Builds the recorder's own offer when it joins after the participants: `recvonly` audio and
    /// video sections, all bundled, asking for the codecs, feedback and header extensions the
    /// receive pipeline handles.
    ///
    /// Payload type numbers and extension ids follow Chromium's defaults, so that a browser's
    /// answer (which must reuse them) looks like what it is used to.
    public struct ReceiveOnlyOfferBuilder: Sendable, Hashable {
        public var audioSections: Int
        public var videoSections: Int
        public var codecs: CodecPreferences

        public init(audioSections: Int = 1, videoSections: Int = 1, codecs: CodecPreferences = CodecPreferences()) {
            self.audioSections = audioSections
            self.videoSections = videoSections
            self.codecs = codecs
        }

        /// Audio sections come first, then video; mids are "0", "1", … in that order.
        public func offer(transport: TransportParameters, sessionID: UInt64, sessionVersion: UInt64 = 2) -> SessionDescription {
            var offer = SessionDescription(origin: Origin(sessionID: sessionID, sessionVersion: sessionVersion))
            offer.msidSemantic = MSIDSemantic()
            let kinds = Array(repeating: MediaKind.audio, count: max(0, audioSections))
                + Array(repeating: MediaKind.video, count: max(0, videoSections))
            for (index, kind) in kinds.enumerated() {
                var section = kind == .audio ? audioSection() : videoSection()
                section.mid = String(index)
                section.connection = Connection()
                section.iceUfrag = transport.iceUfrag
                section.icePwd = transport.icePwd
                section.iceOptions = ["trickle"]
                section.fingerprints = [transport.fingerprint]
                section.setup = .actpass
                section.direction = .recvonly
                section.rtcpMux = true
                section.rtcpReducedSize = true
                SDPLineOrder.groupCodecAttributes(&section)
                offer.media.append(section)
            }
            if !kinds.isEmpty { offer.groups = [.bundle(kinds.indices.map(String.init))] }
            return offer
        }

        /// Reads the remote answer to an offer from `offer(transport:sessionID:sessionVersion:)`.
        ///
        /// Only formats and extensions that were offered count, under the numbers the answer uses
        /// (which RFC 3264 requires to be the offered ones).
        public func negotiate(answer: SessionDescription, to offer: SessionDescription) throws(NegotiationError) -> NegotiatedSession {
            var negotiated: [NegotiatedMedia] = []
            var rejectedMids: [String] = []
            for (index, section) in answer.media.enumerated() {
                let offered = section.mid.flatMap { offer.media(mid: $0) }
                    ?? (section.mid == nil && index < offer.media.count ? offer.media[index] : nil)
                guard let offered else { throw .unexpectedMediaSection(mid: section.mid) }
                let remote = SDPRemoteSection(section: section, session: answer)
                let selection = SDPCodecSelection(section: section, preferences: codecs) { rtpMap in
                    guard let ours = offered.rtpMap(for: rtpMap.payloadType) else { return false }
                    return ours.hasEncodingName(rtpMap.encodingName) && ours.clockRate == rtpMap.clockRate
                }
                guard !remote.isRejected, remote.isReceivableMedia, !selection.isEmpty else {
                    if let mid = section.mid { rejectedMids.append(mid) }
                    continue
                }
                let transport = try remote.transport()
                let localSetupRole: SetupRole
                // RFC 4145: an answer without a=setup means the answerer is active.
                switch answer.setup(for: section) ?? .active {
                case .active: localSetupRole = .passive
                case .passive: localSetupRole = .active
                case let role: throw .unusableSetupRole(mid: section.mid, role: role)
                }
                let offeredURIs = Set(offered.extensionMaps.map(\.uri))
                let extensions = remote.receivableExtensions { offeredURIs.contains($0.uri) }
                negotiated.append(remote.negotiatedMedia(
                    selection: selection, extensions: extensions, localSetupRole: localSetupRole, transport: transport))
            }
            let acceptedMids = Set(negotiated.compactMap(\.mid))
            let bundleMids = answer.bundleGroup?.mids.filter(acceptedMids.contains) ?? []
            return NegotiatedSession(media: negotiated, rejectedMids: rejectedMids, bundleMids: bundleMids)
        }

        private func audioSection() -> MediaDescription {
            var section = MediaDescription(kind: .audio, port: 9, proto: "UDP/TLS/RTP/SAVPF", payloadTypes: [111])
            section.extensionMaps = [
                ExtensionMap(id: 1, uri: HeaderExtensionURI.audioLevel),
                ExtensionMap(id: 2, uri: HeaderExtensionURI.absoluteSendTime),
                ExtensionMap(id: 3, uri: HeaderExtensionURI.transportWideCC),
                ExtensionMap(id: 4, uri: HeaderExtensionURI.mid),
            ]
            section.rtpMaps = [RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2)]
            section.feedback = [RTCPFeedback(payloadType: 111, type: "transport-cc")]
            section.formatParameters = [FormatParameters(payloadType: 111, raw: "minptime=10;useinbandfec=1")]
            return section
        }

        private func videoSection() -> MediaDescription {
            var formats: [(codec: RTPMap, retransmission: UInt8, parameters: String?)] = [
                (RTPMap(payloadType: 96, encodingName: "VP8", clockRate: 90000), 97, nil),
            ]
            if codecs.h264 {
                formats.append((RTPMap(payloadType: 102, encodingName: "H264", clockRate: 90000), 103,
                                "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"))
            }
            if codecs.vp9 {
                formats.append((RTPMap(payloadType: 98, encodingName: "VP9", clockRate: 90000), 99, "profile-id=0"))
            }
            formats = codecs.preferredFirst(formats) { format in
                SupportedCodec.allCases.first { $0.kind == .video && format.codec.hasEncodingName($0.description) }
            }
            var section = MediaDescription(
                kind: .video, port: 9, proto: "UDP/TLS/RTP/SAVPF",
                payloadTypes: formats.flatMap { [$0.codec.payloadType, $0.retransmission] })
            section.extensionMaps = [
                ExtensionMap(id: 2, uri: HeaderExtensionURI.absoluteSendTime),
                ExtensionMap(id: 3, uri: HeaderExtensionURI.transportWideCC),
                ExtensionMap(id: 4, uri: HeaderExtensionURI.mid),
            ]
            for format in formats {
                let payloadType = format.codec.payloadType
                section.rtpMaps.append(format.codec)
                section.rtpMaps.append(RTPMap(payloadType: format.retransmission, encodingName: "rtx", clockRate: 90000))
                section.feedback += RTCPFeedback.supportedByReceiver.map {
                    RTCPFeedback(payloadType: payloadType, type: $0.type, parameter: $0.parameter)
                }
                if let parameters = format.parameters {
                    section.formatParameters.append(FormatParameters(payloadType: payloadType, raw: parameters))
                }
                section.formatParameters.append(FormatParameters(payloadType: format.retransmission, raw: "apt=\(payloadType)"))
            }
            return section
        }
    }
}
