/// One stream we send (the synthetic publisher's, and the tests' sender): writes RTP headers
/// around payloads, keeps a history to answer NACKs — as RTX (RFC 4588) when negotiated, else by
/// resending — and writes its RTCP sender reports.
///
/// Sans-IO: packets go out through the `transmit` closure, which protects and sends them.
public final class OutboundStream {
    public struct Configuration: Sendable, Hashable {
        public var ssrc: UInt32
        public var payloadType: UInt8
        public var clockRate: Int
        /// RTX SSRC and payload type, when the receiver accepted RTX.
        public var rtxSSRC: UInt32?
        public var rtxPayloadType: UInt8?
        /// Sent in the MID header extension (RFC 9143) when an id is given.
        public var mid: String?
        public var midExtensionID: UInt8?
        /// The RFC 6464 audio-level header extension's id, when the receiver accepted it: each
        /// packet given a level carries it.
        public var audioLevelExtensionID: UInt8?
        public var initialSequenceNumber: UInt16 = 0
        public var historySize = 1024
        /// Whether NACKs are answered; a sender without retransmission leaves repair to keyframes.
        public var retransmits = true

        public init(ssrc: UInt32, payloadType: UInt8, clockRate: Int) {
            self.ssrc = ssrc
            self.payloadType = payloadType
            self.clockRate = clockRate
        }
    }

    public struct Statistics: Sendable, Hashable {
        public var packetsSent = 0
        /// Frames begun: packets whose timestamp differs from the packet before (every audio
        /// packet, the first packet of each video frame).
        public var framesSent = 0
        public var payloadBytesSent = 0
        public var retransmissionsSent = 0
        /// NACKed packets no longer in the history.
        public var retransmissionsMissed = 0
        public var lastRTPTimestamp: UInt32 = 0
        public var nacksReceived = 0
        public var keyframeRequestsReceived = 0
        /// Receiver reports about this stream, and the latest one's block.
        public var receiverReports = 0
        public var lastReportBlock: RTCPReportBlock?
        public var lastReceiverReportAt: ContinuousClock.Instant?
        /// The latest REMB covering this stream, in bit/s.
        public var receiverEstimatedBitrate: UInt64?
        public var transportFeedbackReceived = 0
        public var senderReportsSent = 0
    }

    public let configuration: Configuration
    public private(set) var statistics = Statistics()
    private var nextSequenceNumber: UInt16
    private var lastSendTime: ContinuousClock.Instant?
    private var nextRetransmissionSequenceNumber: UInt16 = 0
    private let history: RTPPacketHistory
    /// Reused for every packet: header, extension and payload are written here.
    private var scratch: [UInt8]

    public init(configuration: Configuration, now: ContinuousClock.Instant) {
        self.configuration = configuration
        nextSequenceNumber = configuration.initialSequenceNumber
        history = RTPPacketHistory(capacity: configuration.historySize, epoch: now)
        scratch = []
        scratch.reserveCapacity(1500)
    }

    /// Sends one payload as the next RTP packet, with `audioLevel` in its header when the
    /// receiver accepted the extension.
    public func send(payload: UnsafeRawBufferPointer, marker: Bool, rtpTimestamp: UInt32, audioLevel: AudioLevel? = nil,
                     now: ContinuousClock.Instant, transmit: (UnsafeRawBufferPointer) -> Void) {
        let sequenceNumber = nextSequenceNumber
        nextSequenceNumber &+= 1
        writeHeader(marker: marker, payloadType: configuration.payloadType, sequenceNumber: sequenceNumber,
                    timestamp: rtpTimestamp, ssrc: configuration.ssrc, audioLevel: audioLevel)
        scratch.append(contentsOf: payload)
        if statistics.packetsSent == 0 || rtpTimestamp != statistics.lastRTPTimestamp { statistics.framesSent += 1 }
        statistics.packetsSent += 1
        statistics.payloadBytesSent += payload.count
        statistics.lastRTPTimestamp = rtpTimestamp
        lastSendTime = now
        scratch.withUnsafeBytes { packet in
            history.store(packet, sequenceNumber: sequenceNumber, now: now)
            transmit(packet)
        }
    }

    func noteReportBlock(_ block: RTCPReportBlock, now: ContinuousClock.Instant) {
        statistics.receiverReports += 1
        statistics.lastReportBlock = block
        statistics.lastReceiverReportAt = now
    }

    func noteKeyframeRequest() { statistics.keyframeRequestsReceived += 1 }

    func noteEstimatedBitrate(_ bitrate: UInt64) { statistics.receiverEstimatedBitrate = bitrate }

    func noteTransportFeedback() { statistics.transportFeedbackReceived += 1 }

    /// Answers a NACK: each packet still in the history goes again, wrapped in RTX when
    /// negotiated (the original sequence number first, RFC 4588 §4).
    public func retransmit(sequenceNumbers: some Sequence<UInt16>, now: ContinuousClock.Instant,
                           transmit: (UnsafeRawBufferPointer) -> Void) {
        statistics.nacksReceived += 1
        guard configuration.retransmits else { return }
        for sequenceNumber in sequenceNumbers {
            guard let original = history.packet(sequenceNumber: sequenceNumber), let view = RTPPacketView(original) else {
                statistics.retransmissionsMissed += 1
                continue
            }
            statistics.retransmissionsSent += 1
            guard let rtxSSRC = configuration.rtxSSRC, let rtxPayloadType = configuration.rtxPayloadType else {
                transmit(original)
                continue
            }
            let rtxSequenceNumber = nextRetransmissionSequenceNumber
            nextRetransmissionSequenceNumber &+= 1
            writeHeader(marker: view.marker, payloadType: rtxPayloadType, sequenceNumber: rtxSequenceNumber,
                        timestamp: view.timestamp, ssrc: rtxSSRC, audioLevel: nil)
            scratch.append(UInt8(sequenceNumber >> 8))
            scratch.append(UInt8(sequenceNumber & 0xFF))
            scratch.append(contentsOf: view.payload)
            scratch.withUnsafeBytes { transmit($0) }
        }
    }

    /// This stream's sender report (RFC 3550 §6.4.1): the NTP time `now` and the RTP time of
    /// the same instant, extrapolated from the last frame sent.
    func senderReport(ntp: NTPTimestamp, now: ContinuousClock.Instant) -> RTCPSenderReport {
        statistics.senderReportsSent += 1
        var rtpTimestamp = statistics.lastRTPTimestamp
        if let lastSent = lastSendTime {
            let elapsed = (now - lastSent).seconds * Double(configuration.clockRate)
            rtpTimestamp &+= UInt32(truncatingIfNeeded: Int64(elapsed))
        }
        return RTCPSenderReport(senderSSRC: configuration.ssrc, ntpTimestamp: ntp, rtpTimestamp: rtpTimestamp,
                                packetCount: UInt32(truncatingIfNeeded: statistics.packetsSent),
                                octetCount: UInt32(truncatingIfNeeded: statistics.payloadBytesSent), reportBlocks: [])
    }

    private func writeHeader(marker: Bool, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
                             audioLevel: AudioLevel?) {
        scratch.removeAll(keepingCapacity: true)
        var midElement: (id: UInt8, value: Substring.UTF8View)?
        if let id = configuration.midExtensionID, let mid = configuration.mid, !mid.isEmpty {
            midElement = (id, mid.utf8.prefix(16))
        }
        var levelElement: (id: UInt8, value: UInt8)?
        if let id = configuration.audioLevelExtensionID, let audioLevel { levelElement = (id, audioLevel.byte) }
        let hasExtension = midElement != nil || levelElement != nil
        scratch.append(hasExtension ? 0x90 : 0x80)
        scratch.append((marker ? 0x80 : 0) | payloadType)
        scratch.appendUInt16(sequenceNumber)
        scratch.appendUInt32(timestamp)
        scratch.appendUInt32(ssrc)
        guard hasExtension else { return }
        // One-byte header extension block (RFC 8285 §4.2): the MID, then the audio level
        // (RFC 6464 §3: one byte, L=0), padded to a word.
        let elementsLength = (midElement.map { 1 + $0.value.count } ?? 0) + (levelElement == nil ? 0 : 2)
        let words = (elementsLength + 3) / 4
        scratch.append(contentsOf: [0xBE, 0xDE])
        scratch.appendUInt16(UInt16(words))
        if let midElement {
            scratch.append(midElement.id << 4 | UInt8(midElement.value.count - 1))
            scratch.append(contentsOf: midElement.value)
        }
        if let levelElement {
            scratch.append(levelElement.id << 4)
            scratch.append(levelElement.value)
        }
        scratch.append(contentsOf: repeatElement(0, count: words * 4 - elementsLength))
    }
}
