/// Arrival times of packets by transport-wide sequence number (the transport-cc header
/// extension), reported back in transport feedback so that the sender's congestion controller
/// can see queues build and ramp up — the feedback Chromium relies on to choose its bitrate.
///
/// Recording an arrival writes one slot of a ring allocated up front; feedback is built from
/// the slots not yet reported, a few times a second.
final class TransportWideArrivalLog {
    private var sequenceNumbers = SequenceNumberUnwrapper()
    /// Arrival in microseconds since `epoch`, or -1; addressed by extended sequence number.
    private var arrivals: [Int64]
    private var slotSequence: [Int64]
    private let mask: Int
    private let epoch: ContinuousClock.Instant
    private var nextToReport: Int64?
    private var highest: Int64 = -1
    private var feedbackCount: UInt8 = 0
    private(set) var packetsRecorded = 0

    init(capacity: Int = 4_096, epoch: ContinuousClock.Instant) {
        arrivals = Array(repeating: -1, count: capacity)
        slotSequence = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        self.epoch = epoch
    }

    var hasUnreported: Bool { nextToReport.map { $0 <= highest } ?? false }

    func record(sequenceNumber: UInt16, now: ContinuousClock.Instant) {
        let sequence = sequenceNumbers.unwrap(sequenceNumber)
        if let next = nextToReport, sequence < next { return }  // already reported as lost; too late to change
        let index = Int(truncatingIfNeeded: sequence) & mask
        let elapsed = now - epoch
        arrivals[index] = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        slotSequence[index] = sequence
        packetsRecorded += 1
        if nextToReport == nil { nextToReport = sequence }
        highest = max(highest, sequence)
        // More unreported than the ring holds: skip the oldest rather than report wrong times.
        if let next = nextToReport, highest - next >= Int64(arrivals.count) { nextToReport = highest - Int64(arrivals.count) + 1 }
    }

    /// Feedback for everything not yet reported (several messages if one cannot hold it all).
    func makeFeedback(senderSSRC: UInt32, mediaSSRC: UInt32) -> [RTCPTransportFeedback] {
        guard var next = nextToReport, next <= highest else { return [] }
        var arrivalsToReport: [TransportPacketArrival] = []
        arrivalsToReport.reserveCapacity(Int(highest - next + 1))
        for sequence in next ... highest {
            let index = Int(truncatingIfNeeded: sequence) & mask
            let time = slotSequence[index] == sequence ? arrivals[index] : nil
            arrivalsToReport.append(TransportPacketArrival(sequenceNumber: UInt16(truncatingIfNeeded: sequence), arrivalMicroseconds: time))
        }
        // A report may not start with a lost packet's slot having no time; trim leading losses
        // only if nothing at all arrived (then there is nothing to say).
        guard arrivalsToReport.contains(where: { $0.arrivalMicroseconds != nil }) else { return [] }
        let builder = TransportFeedbackBuilder(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC)
        var messages: [RTCPTransportFeedback] = []
        var remaining = arrivalsToReport[...]
        while !remaining.isEmpty, messages.count < 16 {
            let result = builder.build(baseSequenceNumber: remaining.first!.sequenceNumber, feedbackPacketCount: feedbackCount,
                                       arrivals: remaining)
            guard result.coveredArrivals > 0 else { break }
            feedbackCount &+= 1
            messages.append(result.feedback)
            remaining = remaining.dropFirst(result.coveredArrivals)
            next += Int64(result.coveredArrivals)
        }
        nextToReport = next
        return messages
    }
}
