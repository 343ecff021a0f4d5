/// Sends each decrypted RTP packet of a peer connection to the receiver of its stream.
///
/// A stream is classified once, on its first packet, and its SSRC remembered: by the MID header
/// extension first (RFC 9143), then by the SSRCs the remote declared, then by payload type.
/// Undeclared SSRCs are learned this way. RTX packets (RFC 4588) are unwrapped into their
/// original stream: the first two payload bytes are the original sequence number.
final class RTPRouter {
    enum Route {
        case media(InboundStream)
        case retransmission(of: InboundStream)
    }

    private let media: [SDP.NegotiatedMedia]
    private let tuning: ReceiverTuning
    private let midExtensionID: UInt16?
    private var routes: [UInt32: Route] = [:]
    private(set) var streams: [InboundStream] = []
    /// One timeline per media section, shared by the streams that follow one another on it.
    private var timelines: [Int: ContinuousTrackTimeline] = [:]
    private(set) var unroutablePackets = 0
    private(set) var paddingOnlyPackets = 0
    /// SSRCs turned away because the connection already has `maximumSSRCs` (past 256 of them,
    /// their packets): a sender inventing a new SSRC per packet would otherwise make a stream,
    /// a reorder buffer and a track of each.
    private(set) var refusedSSRCs = 0
    /// Media and retransmission SSRCs one connection may use (simulcast and RTX included, a
    /// participant uses a handful).
    let maximumSSRCs: Int
    /// Refused SSRCs are remembered up to this many, so their further packets cost one lookup
    /// and are counted once per SSRC, not once per packet.
    private var refused: Set<UInt32> = []

    init(negotiation: SDP.NegotiatedSession, tuning: ReceiverTuning, maximumSSRCs: Int = 64) {
        self.maximumSSRCs = maximumSSRCs
        media = negotiation.media.filter { $0.receives && ($0.kind == .audio || $0.kind == .video) }
        self.tuning = tuning
        midExtensionID = media.lazy.compactMap { $0.headerExtensionID(SDP.HeaderExtensionURI.mid) }.first
    }

    /// Hands the packet to its stream's receiver, which may emit frames. Returns that stream.
    @discardableResult
    func receive(_ packet: RTPPacketView, now: ContinuousClock.Instant, emit: InboundStream.FrameHandler) -> InboundStream? {
        guard let route = routes[packet.ssrc] ?? discoverRoute(packet, now: now) else {
            unroutablePackets += 1
            return nil
        }
        switch route {
        case .media(let stream):
            guard packet.payloadType == stream.description.payloadType else {
                unroutablePackets += 1
                return nil
            }
            stream.receive(sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, marker: packet.marker,
                           payload: packet.payload, audioLevel: audioLevel(of: packet, on: stream), isRetransmission: false,
                           now: now, emit: emit)
            return stream
        case .retransmission(of: let stream):
            let payload = packet.payload
            // Padding-only RTX packets are the sender probing bandwidth: nothing to repair.
            guard payload.count > 2 else {
                paddingOnlyPackets += 1
                return nil
            }
            let originalSequence = UInt16(payload[0]) << 8 | UInt16(payload[1])
            stream.receive(sequenceNumber: originalSequence, timestamp: packet.timestamp, marker: packet.marker,
                           payload: UnsafeRawBufferPointer(rebasing: payload[2...]), audioLevel: audioLevel(of: packet, on: stream),
                           isRetransmission: true, now: now, emit: emit)
            return stream
        }
    }

    /// The packet's RFC 6464 level when its stream negotiated the extension: read in place, nil
    /// when absent or malformed (the packet is received all the same).
    private func audioLevel(of packet: RTPPacketView, on stream: InboundStream) -> AudioLevel? {
        guard let id = stream.description.audioLevelExtensionID else { return nil }
        return AudioLevel(packet, extensionID: id)
    }

    func stream(ssrc: UInt32) -> InboundStream? {
        if case .media(let stream) = routes[ssrc] { return stream }
        return nil
    }

    // MARK: Classifying a new SSRC

    private func discoverRoute(_ packet: RTPPacketView, now: ContinuousClock.Instant) -> Route? {
        guard routes.count < maximumSSRCs else {
            if !refused.contains(packet.ssrc) {
                refusedSSRCs += 1
                if refused.count < 4 * maximumSSRCs { refused.insert(packet.ssrc) }
            }
            return nil
        }
        guard let sectionIndex = section(of: packet) else { return nil }
        let section = media[sectionIndex]
        if let originalPayloadType = section.retransmissionPayloadTypes[packet.payloadType] {
            guard let original = originalStream(forRetransmission: packet.ssrc, in: sectionIndex, payloadType: originalPayloadType)
            else { return nil }  // retransmissions before any original packet: nothing to repair yet
            let route = Route.retransmission(of: original)
            routes[packet.ssrc] = route
            original.noteRetransmissionSSRC(packet.ssrc)
            return route
        }
        guard let negotiated = section.codec(payloadType: packet.payloadType) else { return nil }
        let description = InboundStreamDescription(
            sectionIndex: sectionIndex, mid: section.mid, codec: negotiated.codec, payloadType: negotiated.payloadType, clockRate: Int(negotiated.clockRate),
            nack: negotiated.accepts(type: "nack"),
            retransmitsOnRTX: section.retransmissionPayloadTypes.values.contains(negotiated.payloadType), pli: negotiated.accepts(type: "nack", parameter: "pli"),
            fir: negotiated.accepts(type: "ccm", parameter: "fir"),
            audioLevelExtensionID: section.kind == .audio ? section.headerExtensionID(SDP.HeaderExtensionURI.audioLevel) : nil)
        let timeline = timelines[sectionIndex] ?? ContinuousTrackTimeline(clockRate: Int64(negotiated.clockRate))
        timelines[sectionIndex] = timeline
        let stream = InboundStream(ssrc: packet.ssrc, description: description, timeline: timeline, tuning: tuning, now: now)
        streams.append(stream)
        let route = Route.media(stream)
        routes[packet.ssrc] = route
        return route
    }

    private func section(of packet: RTPPacketView) -> Int? {
        if let midExtensionID, let value = packet.headerExtension(id: midExtensionID) {
            if let index = media.firstIndex(where: { $0.mid.map { $0.utf8.elementsEqual(value) } ?? false }) { return index }
        }
        if let index = media.firstIndex(where: {
            $0.remoteSSRCs.contains(packet.ssrc) || $0.retransmissionSSRCs.contains { $0.retransmission == packet.ssrc }
        }) { return index }
        let candidates = media.indices.filter {
            media[$0].codec(payloadType: packet.payloadType) != nil || media[$0].retransmissionPayloadTypes[packet.payloadType] != nil
        }
        // Without a MID, prefer a section that has no stream yet (BUNDLE may reuse payload types).
        return candidates.first { index in !streams.contains { $0.description.sectionIndex == index } } ?? candidates.first
    }

    private func originalStream(forRetransmission ssrc: UInt32, in sectionIndex: Int, payloadType: UInt8) -> InboundStream? {
        if let pair = media[sectionIndex].retransmissionSSRCs.first(where: { $0.retransmission == ssrc }),
           case .media(let stream) = routes[pair.media] {
            return stream
        }
        let candidates = streams.filter { $0.description.sectionIndex == sectionIndex && $0.description.payloadType == payloadType }
        return candidates.count == 1 ? candidates[0] : candidates.last
    }
}
