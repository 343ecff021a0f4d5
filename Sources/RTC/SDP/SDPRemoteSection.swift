/// Reads what the recorder needs from one remote media section (an offer's or an answer's), with
/// session-level defaults applied.
struct SDPRemoteSection {
    let section: SDP.MediaDescription
    let session: SDP.SessionDescription

    /// Port 0 rejects a section unless it is bundled: `a=bundle-only` in an offer, or listed in a
    /// BUNDLE group (RFC 8843 lets bundled sections other than the tag carry port 0).
    var isRejected: Bool {
        guard section.port == 0, !section.bundleOnly else { return false }
        guard let mid = section.mid else { return true }
        return !session.groups.contains { $0.isBundle && $0.mids.contains(mid) }
    }

    /// Secure RTP audio or video; anything else (data channels, plain RTP) the recorder declines.
    var isReceivableMedia: Bool {
        (section.kind == .audio || section.kind == .video) && section.carriesRTP
            && section.proto.uppercased().contains("SAVP")
    }

    func transport() throws(SDP.NegotiationError) -> SDP.RemoteTransport {
        guard let ufrag = session.iceUfrag(for: section), let pwd = session.icePwd(for: section) else {
            throw .missingICECredentials(mid: section.mid)
        }
        let fingerprints = session.fingerprints(for: section)
        guard !fingerprints.isEmpty else { throw .missingFingerprint(mid: section.mid) }
        return SDP.RemoteTransport(
            iceUfrag: ufrag, icePwd: pwd, fingerprints: fingerprints, candidates: section.candidates,
            endOfCandidates: section.endOfCandidates, iceLite: session.iceLite)
    }

    /// Header extensions we read that the remote will put on packets it sends.
    func receivableExtensions(where isAllowed: (SDP.ExtensionMap) -> Bool = { _ in true }) -> [SDP.ExtensionMap] {
        section.extensionMaps.filter { extensionMap in
            SDP.HeaderExtensionURI.supported.contains(extensionMap.uri)
                && (extensionMap.direction?.sends ?? true) && isAllowed(extensionMap)
        }
    }

    func negotiatedMedia(
        selection: SDPCodecSelection, extensions: [SDP.ExtensionMap], localSetupRole: SDP.SetupRole,
        transport: SDP.RemoteTransport, localSends: Bool = false
    ) -> SDP.NegotiatedMedia {
        let remoteDirection = session.direction(for: section)
        var extensionIDs: [String: UInt16] = [:]
        for extensionMap in extensions where extensionIDs[extensionMap.uri] == nil {
            extensionIDs[extensionMap.uri] = extensionMap.id
        }
        return SDP.NegotiatedMedia(
            mid: section.mid, kind: section.kind, remoteDirection: remoteDirection,
            localDirection: localSends ? (remoteDirection.receives ? .sendonly : .inactive)
                : (remoteDirection.sends ? .recvonly : .inactive),
            localSetupRole: localSetupRole, remoteTransport: transport, codecs: selection.codecs,
            retransmissionPayloadTypes: selection.retransmissionPayloadTypes, headerExtensionIDs: extensionIDs,
            remoteSSRCs: section.declaredSSRCs,
            retransmissionSSRCs: section.ssrcGroups.compactMap { group in
                guard group.semantics == "FID", group.ssrcs.count >= 2 else { return nil }
                return SDP.SSRCPair(media: group.ssrcs[0], retransmission: group.ssrcs[1])
            },
            simulcastSSRCs: section.ssrcGroups.filter { $0.semantics == "SIM" }.map(\.ssrcs),
            remoteCNAME: section.ssrcs.first { $0.attribute == "cname" }?.value,
            remoteMSID: section.msids.first ?? legacyMSID)
    }

    /// Plan B era senders (and some SFUs) state the msid only as `a=ssrc:<n> msid:<stream> <track>`.
    private var legacyMSID: SDP.MSID? {
        guard let value = section.ssrcs.first(where: { $0.attribute == "msid" })?.value else { return nil }
        let fields = SDPText.fields(value)
        guard let stream = fields.first, fields.count <= 2 else { return nil }
        return SDP.MSID(streamID: stream, trackID: fields.count == 2 ? fields[1] : nil)
    }
}
