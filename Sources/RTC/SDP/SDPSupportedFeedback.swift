extension SDP.RTCPFeedback {
    /// The feedback messages the receive pipeline sends: NACK for loss recovery, PLI and FIR for
    /// keyframes, and REMB or transport-cc so senders ramp up to full quality.
    public static let supportedByReceiver: [SDP.RTCPFeedback] = [
        SDP.RTCPFeedback(payloadType: nil, type: "nack"),
        SDP.RTCPFeedback(payloadType: nil, type: "nack", parameter: "pli"),
        SDP.RTCPFeedback(payloadType: nil, type: "ccm", parameter: "fir"),
        SDP.RTCPFeedback(payloadType: nil, type: "goog-remb"),
        SDP.RTCPFeedback(payloadType: nil, type: "transport-cc"),
    ]

    public var isSupportedByReceiver: Bool {
        Self.supportedByReceiver.contains { $0.hasSameMessage(as: self) }
    }
}
