/// The media sections Tapedeck offers, whichever way the media flows: codecs, feedback and header
/// extensions under Chromium's default numbers (a browser's answer must reuse them, so it looks
/// like what the browser is used to), and the transport lines every bundled section carries.
enum SDPOfferedMedia {
    static func audioSection() -> SDP.MediaDescription {
        var section = SDP.MediaDescription(kind: .audio, port: 9, proto: "UDP/TLS/RTP/SAVPF", payloadTypes: [111])
        section.extensionMaps = [
            SDP.ExtensionMap(id: 1, uri: SDP.HeaderExtensionURI.audioLevel),
            SDP.ExtensionMap(id: 2, uri: SDP.HeaderExtensionURI.absoluteSendTime),
            SDP.ExtensionMap(id: 3, uri: SDP.HeaderExtensionURI.transportWideCC),
            SDP.ExtensionMap(id: 4, uri: SDP.HeaderExtensionURI.mid),
        ]
        section.rtpMaps = [SDP.RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2)]
        section.feedback = [SDP.RTCPFeedback(payloadType: 111, type: "transport-cc")]
        section.formatParameters = [SDP.FormatParameters(payloadType: 111, raw: "minptime=10;useinbandfec=1")]
        return section
    }

    /// VP8 always, then H.264 and VP9 as enabled, the preferred codec first; each with its RTX
    /// format and NACK, PLI, FIR, REMB and transport-cc feedback.
    static func videoSection(codecs: SDP.CodecPreferences) -> SDP.MediaDescription {
        var formats: [(codec: SDP.RTPMap, retransmission: UInt8, parameters: String?)] = [
            (SDP.RTPMap(payloadType: 96, encodingName: "VP8", clockRate: 90000), 97, nil),
        ]
        if codecs.h264 {
            formats.append((SDP.RTPMap(payloadType: 102, encodingName: "H264", clockRate: 90000), 103,
                            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"))
        }
        if codecs.vp9 {
            formats.append((SDP.RTPMap(payloadType: 98, encodingName: "VP9", clockRate: 90000), 99, "profile-id=0"))
        }
        formats = codecs.preferredFirst(formats) { format in
            SDP.SupportedCodec.allCases.first { $0.kind == .video && format.codec.hasEncodingName($0.description) }
        }
        var section = SDP.MediaDescription(
            kind: .video, port: 9, proto: "UDP/TLS/RTP/SAVPF",
            payloadTypes: formats.flatMap { [$0.codec.payloadType, $0.retransmission] })
        section.extensionMaps = [
            SDP.ExtensionMap(id: 2, uri: SDP.HeaderExtensionURI.absoluteSendTime),
            SDP.ExtensionMap(id: 3, uri: SDP.HeaderExtensionURI.transportWideCC),
            SDP.ExtensionMap(id: 4, uri: SDP.HeaderExtensionURI.mid),
        ]
        for format in formats {
            let payloadType = format.codec.payloadType
            section.rtpMaps.append(format.codec)
            section.rtpMaps.append(SDP.RTPMap(payloadType: format.retransmission, encodingName: "rtx", clockRate: 90000))
            section.feedback += SDP.RTCPFeedback.supportedByReceiver.map {
                SDP.RTCPFeedback(payloadType: payloadType, type: $0.type, parameter: $0.parameter)
            }
            if let parameters = format.parameters {
                section.formatParameters.append(SDP.FormatParameters(payloadType: payloadType, raw: parameters))
            }
            section.formatParameters.append(SDP.FormatParameters(payloadType: format.retransmission, raw: "apt=\(payloadType)"))
        }
        return section
    }

    /// Makes `sections` an offer: mids "0", "1", … in order, our ICE credentials and fingerprint,
    /// `a=setup:actpass` (JSEP), rtcp-mux with reduced size, and one BUNDLE group.
    static func offer(_ sections: [SDP.MediaDescription], direction: SDP.Direction, transport: SDP.TransportParameters,
                      sessionID: UInt64, sessionVersion: UInt64) -> SDP.SessionDescription {
        var offer = SDP.SessionDescription(origin: SDP.Origin(sessionID: sessionID, sessionVersion: sessionVersion))
        offer.msidSemantic = SDP.MSIDSemantic()
        for (index, var section) in sections.enumerated() {
            section.mid = String(index)
            section.connection = SDP.Connection()
            section.iceUfrag = transport.iceUfrag
            section.icePwd = transport.icePwd
            section.iceOptions = ["trickle"]
            section.fingerprints = [transport.fingerprint]
            section.setup = .actpass
            section.direction = direction
            section.rtcpMux = true
            section.rtcpReducedSize = true
            SDPLineOrder.groupCodecAttributes(&section)
            offer.media.append(section)
        }
        if !sections.isEmpty { offer.groups = [.bundle(sections.indices.map(String.init))] }
        return offer
    }
}
