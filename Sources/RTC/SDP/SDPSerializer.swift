extension SDP.SessionDescription {
    /// The description as SDP text with CRLF line endings (RFC 8866 §5), ending in CRLF.
    public func serialized() -> String {
        var lines = ["v=0", "o=" + origin.sdpValue, "s=" + sessionName]
        lines += otherLines.filter { SDPLineOrder.sessionRank($0.type) < SDPLineOrder.timingRank }.map(\.sdpLine)
        lines.append("t=" + timing.sdpValue)
        lines += otherLines.filter { SDPLineOrder.sessionRank($0.type) >= SDPLineOrder.timingRank }.map(\.sdpLine)
        lines += groups.map { "a=group:" + $0.sdpValue }
        if iceLite { lines.append("a=ice-lite") }
        if let iceUfrag { lines.append("a=ice-ufrag:" + iceUfrag) }
        if let icePwd { lines.append("a=ice-pwd:" + icePwd) }
        if !iceOptions.isEmpty { lines.append("a=ice-options:" + iceOptions.joined(separator: " ")) }
        lines += fingerprints.map { "a=fingerprint:" + $0.sdpValue }
        if let setup { lines.append("a=setup:" + setup.rawValue) }
        if let direction { lines.append("a=" + direction.rawValue) }
        if extmapAllowMixed { lines.append("a=extmap-allow-mixed") }
        if let msidSemantic { lines.append("a=msid-semantic:" + msidSemantic.sdpValue) }
        lines += otherAttributes.map(\.sdpLine)
        for section in media { lines += section.sdpLines }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

extension SDP.MediaDescription {
    /// Single-valued attributes come before `otherAttributes`: a repeated one is kept there, and
    /// must still lose to the modelled value when read back.
    var sdpLines: [String] {
        let port = portCount.map { "\(self.port)/\($0)" } ?? String(self.port)
        var lines = ["m=\(kind) \(port) \(proto) " + formats.joined(separator: " ")]
        lines += otherLines.filter { $0.type == "i" }.map(\.sdpLine)
        if let connection { lines.append("c=" + connection.sdpValue) }
        lines += otherLines.filter { $0.type != "i" }.map(\.sdpLine)
        lines += candidates.map { "a=" + $0.sdpValue }
        if endOfCandidates { lines.append("a=end-of-candidates") }
        if let iceUfrag { lines.append("a=ice-ufrag:" + iceUfrag) }
        if let icePwd { lines.append("a=ice-pwd:" + icePwd) }
        if !iceOptions.isEmpty { lines.append("a=ice-options:" + iceOptions.joined(separator: " ")) }
        lines += fingerprints.map { "a=fingerprint:" + $0.sdpValue }
        if let setup { lines.append("a=setup:" + setup.rawValue) }
        if let mid { lines.append("a=mid:" + mid) }
        if bundleOnly { lines.append("a=bundle-only") }
        lines += extensionMaps.map { "a=extmap:" + $0.sdpValue }
        if let direction { lines.append("a=" + direction.rawValue) }
        lines += msids.map { "a=msid:" + $0.sdpValue }
        if rtcpMux { lines.append("a=rtcp-mux") }
        if rtcpReducedSize { lines.append("a=rtcp-rsize") }
        lines += codecLines
        lines += ssrcGroups.map { "a=ssrc-group:" + $0.sdpValue }
        lines += ssrcs.map { "a=ssrc:" + $0.sdpValue }
        if let sctpPort { lines.append("a=sctp-port:\(sctpPort)") }
        if let maxMessageSize { lines.append("a=max-message-size:\(maxMessageSize)") }
        lines += otherAttributes.map(\.sdpLine)
        return lines
    }

    /// rtpmap, rtcp-fb and fmtp grouped per codec the way Chromium writes them; see `SDPLineOrder`.
    private var codecLines: [String] {
        let rank = SDPLineOrder.rtpMapRanks(self)
        var wildcardFeedback: [String] = [], unmappedFeedback: [String] = [], unmappedParameters: [String] = []
        var feedbackByPayloadType: [UInt8: [String]] = [:], parametersByPayloadType: [UInt8: [String]] = [:]
        for item in feedback {
            let line = "a=rtcp-fb:" + item.sdpValue
            if let payloadType = item.payloadType {
                if rank[payloadType] != nil { feedbackByPayloadType[payloadType, default: []].append(line) } else { unmappedFeedback.append(line) }
            } else {
                wildcardFeedback.append(line)
            }
        }
        for item in formatParameters {
            let line = "a=fmtp:" + item.sdpValue
            if rank[item.payloadType] != nil { parametersByPayloadType[item.payloadType, default: []].append(line) } else { unmappedParameters.append(line) }
        }
        var lines = wildcardFeedback
        for (index, rtpMap) in rtpMaps.enumerated() where rank[rtpMap.payloadType] == index {
            lines.append("a=rtpmap:" + rtpMap.sdpValue)
            lines += feedbackByPayloadType[rtpMap.payloadType] ?? []
            lines += parametersByPayloadType[rtpMap.payloadType] ?? []
        }
        return lines + unmappedFeedback + unmappedParameters
    }
}
