/// Reads the remote answer to one of our offers, receiving or sending.
///
/// Only formats and extensions that were offered count, under the numbers the answer uses
/// (which RFC 3264 requires to be the offered ones). When we send, each accepted section carries
/// the track our offer put under its mid.
struct SDPAnswerReader {
    var codecs: SDP.CodecPreferences
    /// Whether the offer was ours to send (`sendonly`) rather than to receive.
    var localSends = false
    /// The tracks our offer declared, by mid.
    var tracks: [String: SDP.OutboundTrack] = [:]

    func negotiate(answer: SDP.SessionDescription, to offer: SDP.SessionDescription) throws(SDP.NegotiationError) -> SDP.NegotiatedSession {
        var negotiated: [SDP.NegotiatedMedia] = []
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
            let localSetupRole: SDP.SetupRole
            // RFC 4145: an answer without a=setup means the answerer is active.
            switch answer.setup(for: section) ?? .active {
            case .active: localSetupRole = .passive
            case .passive: localSetupRole = .active
            case let role: throw .unusableSetupRole(mid: section.mid, role: role)
            }
            let offeredURIs = Set(offered.extensionMaps.map(\.uri))
            let extensions = remote.receivableExtensions { offeredURIs.contains($0.uri) }
            var media = remote.negotiatedMedia(selection: selection, extensions: extensions, localSetupRole: localSetupRole,
                                               transport: transport, localSends: localSends)
            if localSends, media.localDirection.sends { media.localTrack = offered.mid.flatMap { tracks[$0] } }
            negotiated.append(media)
        }
        let acceptedMids = Set(negotiated.compactMap(\.mid))
        let bundleMids = answer.bundleGroup?.mids.filter(acceptedMids.contains) ?? []
        return SDP.NegotiatedSession(media: negotiated, rejectedMids: rejectedMids, bundleMids: bundleMids)
    }
}
