extension InboundStream {
    /// Current statistics, with the derived figures brought up to date.
    func currentStats(now: ContinuousClock.Instant) -> InboundStreamStats {
        var current = stats
        current.jitterMilliseconds = Double(jitter.value) * 1000 / Double(max(1, description.clockRate))
        let seconds = (lastArrival - firstArrival).seconds
        current.bitrateKbps = seconds > 0 ? Double(stats.bytesReceived) * 8 / seconds / 1000 : 0
        return current
    }

    /// This stream's receiver report block (RFC 3550 §6.4.1, §A.3): loss from the packets
    /// expected between the first and highest sequence numbers and those that arrived,
    /// retransmissions included, as libwebrtc counts them.
    func reportBlock(now: ContinuousClock.Instant) -> RTCPReportBlock {
        let highest = sequenceNumbers.highest ?? 0
        let expected = firstExtendedSequence.map { highest - $0 + 1 } ?? 0
        let loss = lossCounter.nextReport(expected: expected, received: Int64(stats.packetsReceived))
        let times = senderClock.reportTimes(now: now)
        return RTCPReportBlock(ssrc: ssrc, fractionLost: loss.fractionLost, cumulativeLost: loss.cumulativeLost,
                               extendedHighestSequenceNumber: UInt32(truncatingIfNeeded: highest - SequenceNumberUnwrapper.cycle),
                               jitter: jitter.value, lastSenderReport: times.lastSenderReport,
                               delaySinceLastSenderReport: times.delaySinceLastSenderReport)
    }

    /// Packets currently missing and still awaited.
    var missingCount: Int { nacks.missingCount }
}
