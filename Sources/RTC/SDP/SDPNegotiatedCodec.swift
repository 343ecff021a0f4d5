extension SDP {
    /// A codec both sides agreed on for one media section, under the remote's payload type number.
    public struct NegotiatedCodec: Sendable, Hashable {
        public var payloadType: UInt8
        public var codec: SupportedCodec
        /// The encoding name as the remote wrote it.
        public var encodingName: String
        public var clockRate: UInt32
        public var channels: UInt8?
        public var formatParameters: FormatParameters?
        /// The feedback messages agreed for this payload type (wildcards resolved to it).
        public var feedback: [RTCPFeedback]

        public init(
            payloadType: UInt8, codec: SupportedCodec, encodingName: String, clockRate: UInt32,
            channels: UInt8? = nil, formatParameters: FormatParameters? = nil, feedback: [RTCPFeedback] = []
        ) {
            self.payloadType = payloadType
            self.codec = codec
            self.encodingName = encodingName
            self.clockRate = clockRate
            self.channels = channels
            self.formatParameters = formatParameters
            self.feedback = feedback
        }

        /// Whether the sender will retransmit on NACK or answer PLI/FIR/REMB/transport-cc here.
        public func accepts(type: String, parameter: String? = nil) -> Bool {
            feedback.contains { $0.type == type && $0.parameter == parameter }
        }
    }
}
