/// The codecs of one remote media section that the recorder can receive: supported codecs in the
/// remote's order of preference, under the remote's payload type numbers, plus the RTX formats
/// that repair them.
struct SDPCodecSelection {
    private(set) var codecs: [SDP.NegotiatedCodec] = []
    private(set) var retransmissionPayloadTypes: [UInt8: UInt8] = [:]
    /// Kept codecs and their RTX formats, in the order the remote's m= line lists them.
    private(set) var payloadTypes: [UInt8] = []

    /// - Parameter isAllowed: an extra condition on each rtpmap; used when reading an answer to
    ///   insist on formats we offered.
    init(section: SDP.MediaDescription, preferences: SDP.CodecPreferences, isAllowed: (SDP.RTPMap) -> Bool = { _ in true }) {
        var seen = Set<UInt8>()
        let listed = section.payloadTypes.filter { seen.insert($0).inserted }
        for payloadType in listed {
            guard let rtpMap = section.rtpMap(for: payloadType), isAllowed(rtpMap) else { continue }
            let parameters = section.formatParameters(for: payloadType)
            guard let codec = preferences.codec(for: rtpMap, parameters: parameters, in: section.kind) else { continue }
            codecs.append(SDP.NegotiatedCodec(
                payloadType: payloadType, codec: codec, encodingName: rtpMap.encodingName,
                clockRate: rtpMap.clockRate, channels: rtpMap.channels, formatParameters: parameters,
                feedback: Self.supportedFeedback(section.feedback(for: payloadType), payloadType: payloadType)))
        }
        let kept = Set(codecs.map(\.payloadType))
        for payloadType in listed {
            guard let rtpMap = section.rtpMap(for: payloadType), rtpMap.isRetransmission, isAllowed(rtpMap),
                  let primary = section.formatParameters(for: payloadType)?.associatedPayloadType,
                  kept.contains(primary)
            else { continue }
            retransmissionPayloadTypes[payloadType] = primary
        }
        payloadTypes = listed.filter { kept.contains($0) || retransmissionPayloadTypes[$0] != nil }
        // The preferred codec (and its RTX) first: the sender uses the first codec of the answer.
        codecs = preferences.preferredFirst(codecs) { $0.codec }
        let codecOf = Dictionary(codecs.map { ($0.payloadType, $0.codec) }, uniquingKeysWith: { first, _ in first })
        let retransmissions = retransmissionPayloadTypes
        payloadTypes = preferences.preferredFirst(payloadTypes) { codecOf[$0] ?? retransmissions[$0].flatMap { codecOf[$0] } }
    }

    var isEmpty: Bool { codecs.isEmpty }

    /// Supported feedback for one payload type, wildcards resolved to it, each message once.
    private static func supportedFeedback(_ declared: [SDP.RTCPFeedback], payloadType: UInt8) -> [SDP.RTCPFeedback] {
        var result: [SDP.RTCPFeedback] = []
        for feedback in declared where feedback.isSupportedByReceiver {
            let resolved = SDP.RTCPFeedback(payloadType: payloadType, type: feedback.type, parameter: feedback.parameter)
            if !result.contains(resolved) { result.append(resolved) }
        }
        return result
    }
}
